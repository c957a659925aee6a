/**
 * The event-store port: what Jalon needs from any store (the embedded SQLite store, EventStoreDB).
 *
 * Revisions mean exactly what they mean in EventStoreDB: a stream's first event has revision 0,
 * and an append names the revision of the stream's last event it expects (or `no_stream`, `any`).
 * Global positions order every event of every stream; they are opaque bigints that only grow.
 */

export interface EventMetadata {
  /** Id of the user who recorded the event (or `system` for the store's own bootstrap). */
  readonly actor: string;
  /** Display name of the actor, for audit reports. */
  readonly actorName?: string;
  readonly role: string;
  readonly correlationId: string;
  readonly causationId: string;
  /** When the event was written (ISO 8601 timestamp, UTC). The effective date lives in the data. */
  readonly recordedAt: string;
  /** For corrections (reversals, revisions, rescheduling): why. */
  readonly reason?: string;
  /** Hash of the previous event of the stream (64 `0` for revision 0); see docs/decisions/0011. */
  readonly previousHash?: string;
  /** SHA-256 of this event's canonical content, `previousHash` included; see `integrity/event-hash.ts`. */
  readonly hash?: string;
  /** The request that wrote the batch, when it came with an `Idempotency-Key` (docs/decisions/0011). */
  readonly idempotency?: { readonly key: string; readonly request: string };
}

export interface EventToAppend {
  /** UUID. Appending an id that the stream already holds is a no-op (see {@link EventStore.append}). */
  readonly id: string;
  /** Stable type string, never derived from a class name. */
  readonly type: string;
  /** Schema version of `data` for this type. */
  readonly version: number;
  readonly data: Readonly<Record<string, unknown>>;
  readonly metadata: EventMetadata;
}

export interface StoredEvent extends EventToAppend {
  readonly streamId: string;
  readonly revision: number;
  readonly position: bigint;
}

export type ExpectedRevision = 'no_stream' | 'any' | number;

/** A stream a decision read besides the one it appends to, at the revision it read (docs/decisions/0058). */
export interface LookedUpRevision {
  readonly streamId: string;
  readonly revision: number | 'no_stream';
}

export interface AppendOptions {
  readonly expectedRevision: ExpectedRevision;
  /**
   * The other streams the decision was made on (an antenna's status for its budget, the budget's
   * last fact for the antenna's closing): the append goes through only if each is still at the
   * revision read, checked with the expected revision, in the same atomic step on the embedded
   * store (docs/decisions/0058). Otherwise {@link LookedUpStreamChangedError}, nothing written.
   */
  readonly lookedUp?: readonly LookedUpRevision[];
  /**
   * The batch was decided on the state an append still in flight will leave (a store whose appends
   * settle in order): the store checks that its first event's `previousHash` is the stored hash of
   * the stream's last event, since the expected revision checks only a number, and another
   * writer's event may hold it if that append was refused ({@link ChainedToAnotherEventError},
   * docs/decisions/0059). A batch decided on a settled state needs no such check: the event at
   * the revision it expects is the one it read.
   */
  readonly afterAppendInFlight?: boolean;
}

export interface AppendResult {
  /** Revision of the stream's last event after the append (what to expect next time). */
  readonly nextExpectedRevision: number;
  /** Global position of the last event of the batch. */
  readonly position: bigint;
  /** False when every event of the batch was already stored (idempotent re-append). */
  readonly written: boolean;
}

export interface ReadStreamOptions {
  readonly direction?: 'forwards' | 'backwards';
  /** Inclusive; defaults to the first event (forwards) or the last (backwards). */
  readonly fromRevision?: number;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Defaults to the beginning of the log. */
  readonly after?: bigint;
  /** At most this many events (of the types asked for, when `types` is given). */
  readonly maxCount?: number;
  /** Only events of these types (all when absent): a reader that folds a few types reads nothing else. */
  readonly types?: readonly string[];
  /**
   * Only events that took effect by the end of this day: those whose `data.effectiveDate`, when
   * it is a string, is not after it (`YYYY-MM-DD`, compared as text). Time travel to a date then
   * reads nothing beyond it.
   */
  readonly effectiveUntil?: string;
  /** Inclusive: only events at or before this position (a reader of one stretch of the log reads no further). */
  readonly upTo?: bigint;
}

/**
 * A stored row that cannot be decoded (corrupt JSON, a missing column…). Readers that must go on
 * past it (verification, replay) ask for it with `includeUnreadable`; every other read throws an
 * {@link UnreadableEventError} that names the same place.
 */
export interface UnreadableEvent {
  readonly unreadable: true;
  readonly streamId: string;
  readonly revision: number;
  readonly position: bigint;
  /** Its stored type, when the store keeps it apart from the data: a reader of other types may pass it by. */
  readonly type?: string;
  /** Why it could not be decoded (parser message). */
  readonly reason: string;
}

export function isUnreadable(event: StoredEvent | UnreadableEvent): event is UnreadableEvent {
  return (event as UnreadableEvent).unreadable === true;
}

/** One consumer per subscription: iterating it twice shares one cursor. */
export interface Subscription extends AsyncIterable<StoredEvent> {
  /** Ends the iteration; pending `next()` calls resolve as done. */
  unsubscribe(): Promise<void>;
}

export interface EventStore {
  /**
   * True when appends settle in the order they were handed to the store, each checked only once
   * the previous one has settled (the embedded store's queue): the command path then decides a
   * stream's next command on the state an append still on its way will leave. Otherwise (an
   * EventStoreDB, whose client retries an unanswered append while later ones are answered) it
   * decides it once that append has settled (docs/decisions/0059).
   */
  readonly appendsSettleInOrder?: boolean;

  /**
   * Appends a batch atomically: all of it or none of it.
   * - Idempotence is checked first: when every event id of the batch is already stored in this
   *   stream, nothing is written and the result reports the stream's revision and the position
   *   of the batch's last event (`written: false`).
   * - Then the expected revision: {@link WrongExpectedRevisionError} when the stream is not at it;
   *   then each looked-up stream: {@link LookedUpStreamChangedError} when one has moved since it
   *   was read (a batch already stored is still a no-op, whatever they did since).
   * - Refused with an {@link EventStoreError}: an empty batch (`STREAM.EMPTY_BATCH`); ids partly
   *   stored, or stored in another stream (`STREAM.DUPLICATE_EVENT_ID`).
   * - `data` and `metadata` are plain JSON (no BigInt, Date, NaN, class instances); a value that
   *   would not read back as written refuses the batch (`STREAM.INVALID_EVENT`).
   * - A store that cannot be written (disk full, read-only, I/O error, connection lost) refuses
   *   with `STORE.UNAVAILABLE`, having written nothing; when the commit itself failed and may
   *   still have happened (a failed fsync, a call cut after it was sent), with
   *   `STORE.OUTCOME_UNKNOWN`: only a retry of the same batch (same ids) tells.
   *
   * EventStoreDB deduplicates only a batch at the position it was first written (or, with `any`,
   * while its ids are in the server's cache); its adapter checks the stream's tail first to keep
   * this promise for retries, which are always of the latest batch (docs/decisions/0007).
   */
  append(streamId: string, events: readonly EventToAppend[], options: AppendOptions): Promise<AppendResult>;

  /**
   * Reads one stream; a stream that does not exist reads as empty. An undecodable event throws an
   * {@link UnreadableEventError} once the events before it have been yielded.
   */
  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<StoredEvent>;

  /** Reads every stream in one global order; an undecodable row throws an {@link UnreadableEventError}. */
  readAll(options?: ReadAllOptions): AsyncIterable<StoredEvent>;
  /** The same, yielding undecodable rows as {@link UnreadableEvent}s so that the reader goes on past them. */
  readAll(options: ReadAllOptions & { readonly includeUnreadable: true }): AsyncIterable<StoredEvent | UnreadableEvent>;

  /**
   * Catches up from `after`, then delivers new events live, in global order, until unsubscribed.
   * An undecodable event ends it with an {@link UnreadableEventError}, once every event before it
   * has been delivered: a subscriber that goes on subscribes again after its position.
   */
  subscribeToAll(options?: { after?: bigint }): Subscription;

  /** Position of the newest event in the store (0n when empty). */
  headPosition(): Promise<bigint>;

  /**
   * A random id this store keeps for its whole life, created on first need and never copied by
   * `export`, `import` or `migrate`: what is derived from a store (read models) names it, and is
   * not taken for another store's. A copy of the store's files (a backup) keeps it.
   */
  storeId(): Promise<string>;

  /**
   * The event that starts exactly at `position`, as stored (an undecodable one as an
   * {@link UnreadableEvent}); undefined when none of Jalon's events starts there: a position of
   * another store, one past the head, one inside an event (EventStoreDB positions are byte
   * offsets), or 0n.
   */
  eventAt(position: bigint): Promise<StoredEvent | UnreadableEvent | undefined>;

  close(): Promise<void>;
}

/** Stable codes of the store's own errors; the API maps them to HTTP once, like domain errors. */
export class WrongExpectedRevisionError extends Error {
  readonly code = 'STREAM.WRONG_EXPECTED_REVISION';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's actual last revision, or `no_stream`. */
    readonly actual: number | 'no_stream',
  ) {
    super(`stream ${streamId} is at revision ${String(actual)}, not at ${String(expected)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/**
 * The batch's first event is linked (its `previousHash`) to another event than the one the stream
 * holds at the expected revision: it was decided on an append that another writer's event
 * replaced at that revision (docs/decisions/0059). Nothing is written; the command path decides
 * again on what the stream holds.
 */
export class ChainedToAnotherEventError extends WrongExpectedRevisionError {
  constructor(streamId: string, expected: ExpectedRevision, actual: number) {
    super(streamId, expected, actual);
    this.message = `the batch appended to ${streamId} is linked to another event than the one at revision ${actual}`;
    this.name = 'ChainedToAnotherEventError';
  }
}

/**
 * A stream the decision read, not the one appended to, has moved since it was read: the decision
 * may no longer hold (docs/decisions/0058). The command path decides again on what it holds now.
 */
export class LookedUpStreamChangedError extends WrongExpectedRevisionError {
  constructor(
    /** The stream the batch was for, which nothing was written to. */
    readonly appendedTo: string,
    lookedUp: LookedUpRevision,
    actual: number | 'no_stream',
  ) {
    super(lookedUp.streamId, lookedUp.revision, actual);
    this.message = `stream ${lookedUp.streamId}, read at revision ${String(lookedUp.revision)} to decide an append to ${appendedTo}, is now at ${String(actual)}`;
    this.name = 'LookedUpStreamChangedError';
  }
}

export class EventStoreError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'EventStoreError';
  }
}

/** A stored event could not be decoded: names its stream, revision and position. */
export class UnreadableEventError extends EventStoreError {
  constructor(readonly event: UnreadableEvent) {
    super(
      'EVENT_STORE.UNREADABLE_EVENT',
      `l’événement du flux ${event.streamId} en révision ${event.revision} (position ${event.position}) est illisible : ${event.reason}`,
    );
    this.name = 'UnreadableEventError';
  }
}

/** Reads a whole async iterable into an array (for small streams and tests). */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}
