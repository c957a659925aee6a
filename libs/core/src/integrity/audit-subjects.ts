import { streamIdOf } from '@jalon/domain';
import { IntegrityError, type AuditSubject, type EventStore, type StoredEvent } from '@jalon/event-store';

/** Streams whose content never leaves the server, in an audit export or anywhere: users (token hashes) and idempotency records. */
const PRIVATE_CATEGORIES = ['identity-', 'idempotency-'];

/** Every event of the programme but users and idempotency records. */
export function programmeSubject(): AuditSubject {
  return {
    kind: 'programme',
    label: 'tout le programme',
    select: () => (event) => !PRIVATE_CATEGORIES.some((prefix) => event.streamId.startsWith(prefix)),
  };
}

/**
 * An antenna's events: its own stream, its budget, the funding agreements signed for it (their
 * first event names the antenna) and the candidacy it was opened from.
 */
export async function antennaSubject(store: EventStore, antennaId: string): Promise<AuditSubject> {
  const antennaStream = streamIdOf('antenna', antennaId);
  let opened: StoredEvent | undefined;
  for await (const event of store.readStream(antennaStream, { maxCount: 1 })) opened = event;
  if (!opened) throw new IntegrityError('INTEGRITY.SUBJECT_NOT_FOUND', `aucune antenne ${antennaId} (le flux ${antennaStream} est vide)`);
  const candidacyId = (opened.data as { candidacyId?: unknown }).candidacyId;
  const own = new Set([antennaStream, streamIdOf('budget', antennaId), ...(typeof candidacyId === 'string' ? [streamIdOf('candidacy', candidacyId)] : [])]);
  const fundingPrefix = streamIdOf('funding', '');
  return {
    kind: 'antenna',
    id: antennaId,
    label: `l’antenne ${antennaId}`,
    select: () => {
      const funding = new Set<string>();
      return (event) => {
        if (own.has(event.streamId)) return true;
        if (!event.streamId.startsWith(fundingPrefix)) return false;
        if (event.revision === 0 && (event.data as { antennaId?: unknown }).antennaId === antennaId) funding.add(event.streamId);
        return funding.has(event.streamId);
      };
    },
  };
}
