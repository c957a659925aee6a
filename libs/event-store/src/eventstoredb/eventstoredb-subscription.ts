/**
 * A port subscription over EventStoreDB's catch-up subscription to `$all` that outlives its
 * connection: when the client's subscription fails (connection lost, server restarted, call cut),
 * it subscribes again on its own, strictly after the last event it received, so the consumer sees
 * neither a gap nor a duplicate.
 */
import {
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type EventStoreDBClient,
} from '@eventstore/db-client';
import type { StoredEvent, Subscription } from '../event-store.port';
import { invalidPositionError, isInvalidPosition } from './eventstoredb-failures';
import { isPermanentError, isSystemEvent, toReadPosition, toStoredEvent } from './eventstoredb-mapping';

/** Events buffered ahead of the consumer before the gRPC stream is paused (back-pressure). */
const HIGH_WATER = 1_000;
const LOW_WATER = 100;
/** Resubscription delays: from the first to the largest, doubling. */
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;

interface Waiter {
  resolve(result: IteratorResult<StoredEvent>): void;
  reject(error: unknown): void;
}

export class EventStoreDbSubscription implements Subscription {
  private readonly buffer: StoredEvent[] = [];
  private readonly waiters: Waiter[] = [];
  private current: AllStreamSubscription | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retries = 0;
  private ended = false;
  private failure: { error: unknown } | undefined;

  /**
   * @param lastReceived exclusive start; then the position of the last event received, which is
   *   where a resubscription starts (EventStoreDB subscriptions start strictly after `fromPosition`).
   */
  constructor(
    private readonly client: EventStoreDBClient,
    private lastReceived: bigint | undefined,
    private readonly onEnd: (subscription: EventStoreDbSubscription) => void,
  ) {
    this.subscribe();
  }

  [Symbol.asyncIterator](): AsyncIterator<StoredEvent> {
    return {
      next: () => this.next(),
      return: async () => {
        await this.unsubscribe();
        return { value: undefined, done: true };
      },
    };
  }

  async unsubscribe(): Promise<void> {
    if (this.ended) return;
    this.end();
    for (const waiter of this.waiters.splice(0)) waiter.resolve({ value: undefined, done: true });
    this.buffer.length = 0;
    const subscription = this.current;
    this.current = undefined;
    if (subscription) await abandon(subscription);
  }

  private next(): Promise<IteratorResult<StoredEvent>> {
    const value = this.buffer.shift();
    if (value !== undefined) {
      if (this.buffer.length <= LOW_WATER) this.current?.resume();
      return Promise.resolve({ value, done: false });
    }
    if (this.failure) return Promise.reject(this.failure.error);
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /**
   * Server-side filter on stream names: the events of `$` streams (EventStoreDB's own, whatever
   * their type) never cross the wire. A filter is on names or on types, not both: the few
   * `$`-typed events outside `$` streams (links, tombstones) are dropped on arrival.
   */
  private subscribe(): void {
    if (this.ended) return;
    const subscription = this.client.subscribeToAll({
      fromPosition: toReadPosition(this.lastReceived),
      filter: streamNameFilter({ regex: '^[^$]' }),
    });
    this.current = subscription;
    subscription.on('data', (resolved: AllStreamResolvedEvent) => this.receive(subscription, resolved));
    subscription.on('error', (error: Error) => this.dropped(subscription, error));
    subscription.on('end', () => this.dropped(subscription, undefined));
    subscription.on('close', () => this.dropped(subscription, undefined));
  }

  private receive(subscription: AllStreamSubscription, resolved: AllStreamResolvedEvent): void {
    if (subscription !== this.current || isSystemEvent(resolved)) return;
    let event: StoredEvent;
    try {
      event = toStoredEvent(resolved);
    } catch (error) {
      return this.fail(error);
    }
    // A resubscription starts after lastReceived; this guard keeps that true whatever happens.
    if (this.lastReceived !== undefined && event.position <= this.lastReceived) return;
    this.lastReceived = event.position;
    this.retries = 0;
    const waiter = this.waiters.shift();
    if (waiter) return waiter.resolve({ value: event, done: false });
    this.buffer.push(event);
    if (this.buffer.length >= HIGH_WATER) subscription.pause();
  }

  private dropped(subscription: AllStreamSubscription, error: Error | undefined): void {
    if (subscription !== this.current || this.ended) return;
    this.current = undefined;
    void abandon(subscription);
    // A start where no event begins (a position from another store) fails every time.
    if (error !== undefined && isInvalidPosition(error)) return this.fail(invalidPositionError(this.lastReceived));
    if (error !== undefined && isPermanentError(error)) return this.fail(error);
    const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** this.retries);
    this.retries += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.subscribe();
    }, delay);
  }

  /** Events already received are still delivered; then every `next()` rejects. */
  private fail(error: unknown): void {
    if (this.ended) return;
    this.end();
    this.failure = { error };
    const subscription = this.current;
    this.current = undefined;
    if (subscription) void abandon(subscription);
    if (this.buffer.length === 0) for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }

  private end(): void {
    this.ended = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.onEnd(this);
  }
}

/** Cancels the gRPC call and releases the stream; late errors of a dead call are swallowed. */
async function abandon(subscription: AllStreamSubscription): Promise<void> {
  subscription.removeAllListeners('data');
  subscription.on('error', () => undefined);
  try {
    await subscription.unsubscribe();
  } catch {
    // The call never started or is already gone: nothing left to cancel.
  }
  subscription.destroy();
}
