/**
 * The EventStoreDB adapter of the event-store port (EVENT_STORE=eventstoredb,
 * EVENTSTORE_URL=esdb://…), over the official gRPC client.
 *
 * Revisions are EventStoreDB's own (first event 0; `no_stream` / `any` / exact). Positions are
 * commit positions of `$all` as bigints. `after` is exclusive everywhere in the port; EventStoreDB
 * reads of `$all` are inclusive of their `fromPosition` while its subscriptions start strictly
 * after it, so reads drop the event at `after` and subscriptions pass it through (see
 * `toReadPosition`). System events (type `$…`) never leave this adapter.
 */
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type Direction,
  type EventData,
  type ReadPosition,
  type ResolvedEvent,
  type StreamingRead,
} from '@eventstore/db-client';
import {
  EventStoreError,
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StoredEvent,
  type Subscription,
} from '../event-store.port';
import { isConnectionError, isSystemEvent, toEventData, toReadPosition, toStoredEvent } from './eventstoredb-mapping';
import { EventStoreDbSubscription } from './eventstoredb-subscription';

/** Events per gRPC read: reads stay lazy and a retried page costs little. */
const PAGE_SIZE = 500;
/** Attempts of an operation cut by a lost connection (the client reconnects in between). */
const MAX_ATTEMPTS = 3;
const RETRY_DELAY_MS = 100;

export class EventStoreDbEventStore implements EventStore {
  private readonly subscriptions = new Set<EventStoreDbSubscription>();
  private closed = false;

  private constructor(private readonly client: EventStoreDBClient) {}

  /**
   * Parses the connection string now (a malformed one throws); the client connects on first use
   * and reconnects by itself. Keep the client's default `throwOnAppendFailure=true`: with false,
   * its BatchAppend path reports a wrong next revision on a wrong expected version.
   */
  static connect(connectionString: string): EventStoreDbEventStore {
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(connectionString));
  }

  /**
   * EventStoreDB deduplicates by event id, but its answer to a duplicate is a success that looks
   * like a write (same next revision for an exact expectation). So the stream's tail is read
   * first: a batch that already is the tail is a no-op without asking the server, and otherwise
   * a success whose revision does not go past the tail's is EventStoreDB's own deduplication.
   *
   * An attempt cut by a lost connection is retried with the same ids, which EventStoreDB's
   * idempotency makes safe; a batch found stored after such a cut was written by this call.
   */
  async append(
    streamId: string,
    events: readonly EventToAppend[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    this.assertOpen();
    if (events.length === 0) throw new EventStoreError('STREAM.EMPTY_APPEND', `refused an empty append to ${streamId}`);
    const data = events.map(toEventData);
    // Set when an attempt died with the connection: it may have written the batch.
    let mayHaveWritten = false;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.appendOnce(streamId, events, data, options.expectedRevision, mayHaveWritten);
      } catch (error) {
        if (error instanceof AppendCallFailed) {
          mayHaveWritten = true;
          if (attempt < MAX_ATTEMPTS) {
            await delay(RETRY_DELAY_MS * attempt);
            continue;
          }
          throw error.cause;
        }
        if (isConnectionError(error) && attempt < MAX_ATTEMPTS) {
          await delay(RETRY_DELAY_MS * attempt);
          continue;
        }
        throw error;
      }
    }
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<StoredEvent> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    let from: bigint | typeof END = options.fromRevision === undefined ? (backwards ? END : 0n) : BigInt(options.fromRevision);
    while (remaining > 0) {
      const maxCount = Math.min(PAGE_SIZE, remaining);
      const page = await this.readStreamPage(streamId, backwards, from, maxCount);
      for (const event of page) yield event;
      remaining -= page.length;
      const last = page[page.length - 1];
      if (page.length < maxCount || last === undefined) return;
      from = BigInt(last.revision + (backwards ? -1 : 1));
      if (from < 0n) return;
    }
  }

  /**
   * The gRPC client reads `$all` without filters (it offers them on subscriptions only), so with
   * `types` or `effectiveUntil` every event still crosses the wire, and those filtered out are
   * dropped here (by type before decoding).
   */
  async *readAll(options: ReadAllOptions = {}): AsyncIterable<StoredEvent> {
    this.assertOpen();
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    let after = options.after;
    const types = options.types === undefined ? undefined : new Set(options.types);
    while (remaining > 0) {
      // `fromPosition` is inclusive: the event at `after` comes back first and is dropped.
      const page = await this.readAllPage(FORWARDS, toReadPosition(after));
      for (const resolved of page) {
        const position = resolved.event?.position.commit ?? resolved.commitPosition;
        if (after !== undefined && position !== undefined && position <= after) continue;
        if (position !== undefined) after = position;
        if (isSystemEvent(resolved)) continue;
        if (types !== undefined && !types.has(resolved.event?.type ?? '')) continue;
        const event = toStoredEvent(resolved);
        if (options.effectiveUntil !== undefined && tookEffectAfter(event, options.effectiveUntil)) continue;
        yield event;
        remaining -= 1;
        if (remaining <= 0) return;
      }
      if (page.length < PAGE_SIZE) return;
    }
  }

  subscribeToAll(options: { after?: bigint } = {}): Subscription {
    this.assertOpen();
    const subscription = new EventStoreDbSubscription(this.client, options.after, (ended) => this.subscriptions.delete(ended));
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** The newest non-system event, found by reading `$all` backwards from its end. */
  async headPosition(): Promise<bigint> {
    this.assertOpen();
    let from: ReadPosition = END;
    for (;;) {
      // Backwards reads exclude their `fromPosition`, so each page starts below the last one.
      const page = await this.readAllPage(BACKWARDS, from);
      for (const resolved of page) if (!isSystemEvent(resolved)) return toStoredEvent(resolved).position;
      const last = page[page.length - 1]?.event?.position;
      if (page.length < PAGE_SIZE || last === undefined) return 0n;
      from = last;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.unsubscribe()));
    await this.client.dispose();
  }

  private async appendOnce(
    streamId: string,
    events: readonly EventToAppend[],
    data: EventData[],
    expectedRevision: ExpectedRevision,
    mayHaveWritten: boolean,
  ): Promise<AppendResult> {
    const tail = await this.readStreamPage(streamId, true, END, events.length);
    const current = tail[0]?.revision ?? -1;
    tail.reverse();
    if (tail.length === events.length && tail.every((stored, i) => sameId(stored.id, events[i]!.id))) {
      return { nextExpectedRevision: current, position: tail[tail.length - 1]!.position, written: mayHaveWritten };
    }

    let result;
    try {
      result = await this.client.appendToStream(streamId, data, { expectedRevision: toExpected(expectedRevision) });
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) throw wrongRevision(streamId, expectedRevision, error);
      if (isConnectionError(error)) throw new AppendCallFailed(error);
      throw error;
    }
    const revision = Number(result.nextExpectedRevision);
    // A fresh write always goes past the revision the tail showed; a deduplicated one never does.
    const written = mayHaveWritten || revision > current;
    const position = result.position?.commit ?? (await this.positionOf(streamId, revision));
    return { nextExpectedRevision: written ? revision : Math.max(current, revision), position, written };
  }

  /** Older servers answer a deduplicated append without a position: read the stored event's. */
  private async positionOf(streamId: string, revision: number): Promise<bigint> {
    const [event] = await this.readStreamPage(streamId, false, BigInt(revision), 1);
    if (!event) throw new EventStoreError('EVENT_STORE.POSITION_UNAVAILABLE', `no event at ${streamId}@${revision}`);
    return event.position;
  }

  /** One page of a stream; a stream that does not exist reads as empty. */
  private async readStreamPage(
    streamId: string,
    backwards: boolean,
    fromRevision: bigint | typeof END,
    maxCount: number,
  ): Promise<StoredEvent[]> {
    try {
      const page = await this.readPage(() =>
        this.client.readStream(streamId, { direction: backwards ? BACKWARDS : FORWARDS, fromRevision, maxCount }),
      );
      return page.map(toStoredEvent);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
  }

  private readAllPage(direction: Direction, fromPosition: ReadPosition): Promise<AllStreamResolvedEvent[]> {
    return this.readPage(() => this.client.readAll({ direction, fromPosition, maxCount: PAGE_SIZE }));
  }

  /** Reads a whole (bounded) page; retried from scratch when the connection drops under it. */
  private async readPage<E extends ResolvedEvent | AllStreamResolvedEvent>(read: () => StreamingRead<E>): Promise<E[]> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const page: E[] = [];
        for await (const resolved of read()) page.push(resolved);
        return page;
      } catch (error) {
        if (!isConnectionError(error) || attempt >= MAX_ATTEMPTS) throw error;
        await delay(RETRY_DELAY_MS * attempt);
      }
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreError('EVENT_STORE.CLOSED', 'the EventStoreDB event store is closed');
  }
}

/** An append call cut by the connection: whether it wrote is unknown until the tail is read again. */
class AppendCallFailed extends Error {
  constructor(override readonly cause: unknown) {
    super('the append call was cut by the connection');
  }
}

function toExpected(expected: ExpectedRevision): AppendExpectedRevision {
  return typeof expected === 'number' ? BigInt(expected) : expected;
}

/**
 * With `any`, EventStoreDB refuses only a batch that is partly stored already ("corrupted
 * idempotency"): that is a duplicate id, not a concurrency conflict.
 */
function wrongRevision(streamId: string, expected: ExpectedRevision, error: WrongExpectedVersionError): Error {
  const actual = error.actualVersion === 'no_stream' ? 'no_stream' : Number(error.actualVersion);
  if (expected === 'any') {
    return new EventStoreError(
      'STREAM.DUPLICATE_EVENT_ID',
      `part of the batch appended to ${streamId} is already stored there; a batch must be entirely new or entirely stored`,
    );
  }
  return new WrongExpectedRevisionError(streamId, expected, actual);
}

/** EventStoreDB stores ids as Guids and prints them lower-case. */
function sameId(stored: string, appended: string): boolean {
  return stored.toLowerCase() === appended.toLowerCase();
}

/** As the SQLite store compares: text, as UTF-8 bytes (code points), which ISO dates compare like dates. */
function tookEffectAfter(event: StoredEvent, day: string): boolean {
  const effective = event.data.effectiveDate;
  return typeof effective === 'string' && Buffer.compare(Buffer.from(effective), Buffer.from(day)) > 0;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
