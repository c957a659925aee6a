import { EventStoreError, type StoredEvent, type Subscription } from '../event-store.port';
import { STORE_UNAVAILABLE } from '../store-health';

/** Wakes waiting subscriptions when this process appends, so they need not wait for a poll. */
export class AppendNotifier {
  private readonly listeners = new Set<() => void>();

  notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Calls `listener` on every notification until the returned function is called. */
  listen(listener: () => void): () => void {
    const wrapped = () => listener();
    this.listeners.add(wrapped);
    return () => this.listeners.delete(wrapped);
  }

  /** Calls `listener` on the next notification only; returns a function that cancels it. */
  once(listener: () => void): () => void {
    const wrapped = () => {
      this.listeners.delete(wrapped);
      listener();
    };
    this.listeners.add(wrapped);
    return () => this.listeners.delete(wrapped);
  }
}

export interface SubscriptionSource {
  /** Up to `limit` events strictly after `after`, in global order, stopping before an unreadable one (which throws when first). */
  readPage(after: bigint, limit: number): StoredEvent[];
  readonly notifier: AppendNotifier;
  /** How often to look for events written by other processes (their appends notify no one here). */
  readonly pollMs: number;
  readonly pageSize: number;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * Catch-up and live delivery are the same loop: read the next page after the cursor; when it is
 * empty, sleep until an append of this process, the poll timer, or `unsubscribe()` wakes us.
 * Only a page is buffered, so catching up on a large log never holds it all in memory.
 */
export class SqliteSubscription implements Subscription, AsyncIterator<StoredEvent, undefined> {
  private buffer: StoredEvent[] = [];
  private cursor: bigint;
  private ended = false;
  private wake: (() => void) | undefined;
  /** Concurrent `next()` calls are served one after the other, so none reads the same page twice. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly source: SubscriptionSource,
    after: bigint,
    private readonly onEnd: (subscription: SqliteSubscription) => void,
  ) {
    this.cursor = after;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<StoredEvent, undefined>> {
    const result = this.queue.then(() => this.pull());
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Called by `for await` on `break`/`throw`: leaving the loop ends the subscription. */
  async return(): Promise<IteratorResult<StoredEvent, undefined>> {
    await this.unsubscribe();
    return DONE;
  }

  unsubscribe(): Promise<void> {
    if (!this.ended) {
      this.ended = true;
      this.buffer = [];
      this.wake?.();
      this.onEnd(this);
    }
    return Promise.resolve();
  }

  private async pull(): Promise<IteratorResult<StoredEvent, undefined>> {
    while (!this.ended) {
      const event = this.buffer.shift();
      if (event) return { done: false, value: event };
      let page: StoredEvent[];
      try {
        page = this.source.readPage(this.cursor, this.source.pageSize);
      } catch (error) {
        // The file cannot be read for now (an I/O error, a file moved away): wait and read again,
        // as for a lost connection. An unreadable event or a closed store ends the subscription.
        if (!(error instanceof EventStoreError && error.code === STORE_UNAVAILABLE)) throw error;
        page = [];
      }
      if (page.length > 0) {
        this.buffer = page;
        this.cursor = page[page.length - 1]!.position;
        continue;
      }
      await this.waitForAppend();
    }
    return DONE;
  }

  private waitForAppend(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        cancel();
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.source.pollMs);
      const cancel = this.source.notifier.once(done);
      this.wake = done;
    });
  }
}
