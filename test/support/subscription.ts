import type { StoredEvent, Subscription } from '@jalon/event-store';

/**
 * Bounded reads from a live subscription. One iterator per subscription is kept (WeakMap) so that
 * successive calls continue where the previous one stopped, and a `next()` still pending when a
 * call timed out is reused by the following call instead of losing the event it will yield.
 */
class SubscriptionReader {
  private readonly iterator: AsyncIterator<StoredEvent>;
  private pending: Promise<IteratorResult<StoredEvent>> | undefined;

  constructor(subscription: Subscription) {
    this.iterator = subscription[Symbol.asyncIterator]();
  }

  /** Resolves with the next result, or rejects when nothing came within `timeoutMs`. */
  next(timeoutMs: number, label = 'next event'): Promise<IteratorResult<StoredEvent>> {
    if (!this.pending) this.pending = this.iterator.next();
    const pending = this.pending;
    return withTimeout(pending, timeoutMs, label).then((result) => {
      if (this.pending === pending) this.pending = undefined;
      return result;
    });
  }
}

const readers = new WeakMap<Subscription, SubscriptionReader>();

function readerOf(subscription: Subscription): SubscriptionReader {
  let reader = readers.get(subscription);
  if (!reader) {
    reader = new SubscriptionReader(subscription);
    readers.set(subscription, reader);
  }
  return reader;
}

/**
 * Takes the next `count` events accepted by `filter` (all events by default) within `timeoutMs`
 * overall; events refused by the filter (other tests' streams on a shared store) are dropped.
 * Rejects on timeout or when the subscription ends first.
 */
export async function takeFromSubscription(
  subscription: Subscription,
  count: number,
  timeoutMs: number,
  filter: (event: StoredEvent) => boolean = () => true,
): Promise<StoredEvent[]> {
  const reader = readerOf(subscription);
  const deadline = Date.now() + timeoutMs;
  const taken: StoredEvent[] = [];
  while (taken.length < count) {
    const remaining = Math.max(1, deadline - Date.now());
    let result: IteratorResult<StoredEvent>;
    try {
      result = await reader.next(remaining, `event ${taken.length + 1} of ${count}`);
    } catch (error) {
      throw new Error(`subscription delivered ${taken.length} of ${count} expected events: ${(error as Error).message}`);
    }
    if (result.done) throw new Error(`subscription ended after ${taken.length} of ${count} expected events`);
    if (filter(result.value)) taken.push(result.value);
  }
  return taken;
}

/** The subscription's next result (shares the iterator used by {@link takeFromSubscription}). */
export function nextFromSubscription(subscription: Subscription, timeoutMs: number): Promise<IteratorResult<StoredEvent>> {
  return readerOf(subscription).next(timeoutMs);
}

/** Rejects when `promise` has not settled within `timeoutMs`; never leaves a timer behind. */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${label}`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves once `condition()` holds (checked every few ms), rejects after `timeoutMs`; rethrows what it throws. */
export async function waitFor(condition: () => boolean, timeoutMs: number, label: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
