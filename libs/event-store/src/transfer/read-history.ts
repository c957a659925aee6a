import type { EventStore, StoredEvent } from '../event-store.port';

/**
 * The store's whole history as it stands now: every event up to the head position read when the
 * iteration starts, in global order, read lazily page by page. Events appended meanwhile are left
 * for a later run, so one export or migration describes one state of the store.
 */
export async function* readHistory(store: EventStore): AsyncGenerator<StoredEvent> {
  const head = await store.headPosition();
  if (head === 0n) return;
  for await (const event of store.readAll()) {
    if (event.position > head) return;
    yield event;
    if (event.position === head) return;
  }
}
