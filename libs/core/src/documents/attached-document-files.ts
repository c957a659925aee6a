import type { DocumentAttached } from '@jalon/domain';
import { DocumentStore, isSha256, type NamedFiles, type StoredEvent } from '@jalon/event-store';

const DOCUMENT_ATTACHED: DocumentAttached['type'] = 'DocumentAttached';

/** For the log's verification: the file each `DocumentAttached` names, checked in the document store. */
export function attachedDocumentFiles(store: DocumentStore): NamedFiles {
  return {
    filesOf(event: StoredEvent) {
      if (event.type !== DOCUMENT_ATTACHED) return [];
      const { sha256, fileName } = event.data as Partial<DocumentAttached['data']>;
      return isSha256(sha256) ? [{ sha256, fileName: typeof fileName === 'string' ? fileName : sha256 }] : [];
    },
    check: (sha256) => store.check(sha256),
    stored: () => store.list(),
  };
}
