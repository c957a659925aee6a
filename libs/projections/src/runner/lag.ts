import { EventStore } from '@jalon/event-store';

export const LAG_COUNT_LIMIT = 10_000;

/** How many events a projection has yet to apply (unreadable ones included), counted up to a limit so that asking stays cheap. */
export async function eventsAfter(store: EventStore, position: bigint, limit = LAG_COUNT_LIMIT): Promise<number | string> {
  let count = 0;
  for await (const event of store.readAll({ after: position, maxCount: limit + 1, includeUnreadable: true })) if (event) count++;
  return count > limit ? `> ${limit}` : count;
}
