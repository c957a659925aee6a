import { isUnreadable, StoredEvent, UnreadableEvent } from '@jalon/event-store';

/**
 * What names a stored event in a checkpoint: its stream, revision and hash (its id for an event
 * written before the hash chain). An undecodable one is named by its place alone. Positions are
 * not part of it: they are what it is checked against.
 */
export function eventFingerprint(event: StoredEvent | UnreadableEvent): string {
  if (isUnreadable(event)) return `${event.streamId}@${event.revision}`;
  return `${event.streamId}@${event.revision}#${event.metadata.hash ?? event.id}`;
}
