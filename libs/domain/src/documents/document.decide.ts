import { conflict, isBefore, IsoDate, ruleBroken, sameData, VersionedMap } from '../shared';
import { DocumentAttached, documentSubjectKey } from './document.events';

/** The documents attached on a stream, by subject and SHA-256. */
export type AttachedDocuments = VersionedMap<string, DocumentAttached['data']>;

export function attachmentKey(data: Pick<DocumentAttached['data'], 'subject' | 'sha256'>): string {
  return `${documentSubjectKey(data.subject)}\n${data.sha256}`;
}

export function withDocument(documents: AttachedDocuments | undefined, data: DocumentAttached['data']): AttachedDocuments {
  return (documents ?? VersionedMap.empty<string, DocumentAttached['data']>()).set(attachmentKey(data), data);
}

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * The rules of an attachment, once the decider has found its subject and the date it took effect:
 * the same bytes attached again to the same subject under the same name and date is a repeat
 * (nothing happens); under other details, a conflict; and a document cannot be attached before
 * the fact it proves happened.
 */
export function decideAttachment(
  documents: AttachedDocuments | undefined,
  data: DocumentAttached['data'],
  subjectOn: IsoDate,
): DocumentAttached[] {
  if (!SHA256.test(data.sha256) || !Number.isSafeInteger(data.sizeBytes) || data.sizeBytes <= 0) {
    // The application stores the bytes and gives their hash and size: anything else is a wiring fault.
    throw new Error(`a document is attached by its SHA-256 (64 hex digits) and its size in bytes, not ${data.sha256} / ${data.sizeBytes}`);
  }
  const event: DocumentAttached = {
    type: 'DocumentAttached',
    data: {
      antennaId: data.antennaId,
      subject: data.subject,
      sha256: data.sha256,
      fileName: data.fileName,
      sizeBytes: data.sizeBytes,
      mediaType: data.mediaType,
      effectiveDate: data.effectiveDate,
    },
  };
  const existing = documents?.get(attachmentKey(data));
  if (existing) {
    if (sameData(existing, event.data)) return [];
    throw conflict('DOCUMENT.ALREADY_ATTACHED', `this file is already attached to ${documentSubjectKey(data.subject)}, with other details`, {
      field: 'sha256',
      fileName: existing.fileName,
      attachedOn: existing.effectiveDate,
    });
  }
  if (isBefore(data.effectiveDate, subjectOn)) {
    throw ruleBroken(
      'DOCUMENT.ATTACHED_BEFORE_SUBJECT',
      `un justificatif ne peut pas être joint (${data.effectiveDate}) avant le fait qu’il justifie (${subjectOn})`,
      { field: 'effectiveDate', effectiveDate: data.effectiveDate, subjectOn },
    );
  }
  return [event];
}
