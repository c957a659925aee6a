import { EventStore, Subscription } from '@jalon/event-store';

/**
 * Follows the store's log (its subscription, from the head onwards) and remembers the latest
 * revision it has seen of each stream, so that a cached state can be known to be current without
 * asking the store: a state of revision r, checked at a point of the log the watch had reached,
 * is current as long as the watch has seen no later revision of its stream.
 *
 * What this process appends reaches the watch at once (the store notifies its subscriptions);
 * what other processes append reaches it when the store next looks for it (the embedded store
 * polls every 250 ms). Until then a state read from the cache may miss those events: that is the
 * lag the command path accepts for look-ups of other streams, never for the stream it appends to
 * (the expected revision guards that one).
 */
export class LogWatch {
  /** Position of the last event seen; undefined once the watch has ended. */
  private reached: bigint | undefined;
  private readonly latest = new Map<string, { revision: number; position: bigint }>();
  /** Streams dropped from `latest` to bound it: any of them may have moved up to this position. */
  private forgottenUpTo = -1n;
  private readonly running: Promise<void>;
  private stopped = false;
  private readonly waiters = new Set<{ position: bigint; resolve: () => void }>();
  /** Why the watch ended, if it ended by itself. */
  failure: unknown;

  private constructor(
    private readonly subscription: Subscription,
    head: bigint,
    private readonly capacity: number,
  ) {
    this.reached = head;
    this.running = this.follow();
  }

  /** Starts at the store's head: states read from now on will hear of every later event. */
  static async start(store: EventStore, capacity = 100_000): Promise<LogWatch> {
    const head = await store.headPosition();
    return new LogWatch(store.subscribeToAll({ after: head }), head, capacity);
  }

  /** Where the watch is: take it before reading or appending, and give it to {@link isCurrent} later. */
  position(): bigint | undefined {
    return this.reached;
  }

  /** False once the watch has ended (store closed, subscription failed): nothing is current then. */
  get live(): boolean {
    return this.reached !== undefined;
  }

  /**
   * Whether a state of `streamId` at `revision`, holding every event of the stream up to the
   * moment the watch stood at `checkedAt`, still holds every event the watch has seen of it.
   */
  isCurrent(streamId: string, revision: number, checkedAt: bigint): boolean {
    if (this.reached === undefined) return false;
    const latest = this.latest.get(streamId);
    if (latest) return latest.revision <= revision;
    return this.forgottenUpTo <= checkedAt;
  }

  /** Resolves once the watch has seen the event at `position` (or has ended). */
  seen(position: bigint): Promise<void> {
    if (this.reached === undefined || this.reached >= position) return Promise.resolve();
    return new Promise((resolve) => this.waiters.add({ position, resolve }));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.subscription.unsubscribe();
    await this.running;
  }

  private async follow(): Promise<void> {
    try {
      for await (const event of this.subscription) {
        this.latest.delete(event.streamId);
        this.latest.set(event.streamId, { revision: event.revision, position: event.position });
        if (this.latest.size > this.capacity) {
          const [oldest, seen] = this.latest.entries().next().value as [string, { position: bigint }];
          this.latest.delete(oldest);
          if (seen.position > this.forgottenUpTo) this.forgottenUpTo = seen.position;
        }
        this.reached = event.position;
        for (const waiter of this.waiters) {
          if (waiter.position > event.position) continue;
          this.waiters.delete(waiter);
          waiter.resolve();
        }
      }
    } catch (error) {
      // The subscription failed (store closed under it, connection lost): the watch ends, and
      // every cached state is read again from the store from then on. Nothing is lost but speed.
      if (!this.stopped) this.failure = error;
    } finally {
      this.reached = undefined;
      for (const waiter of this.waiters) waiter.resolve();
      this.waiters.clear();
    }
  }
}
