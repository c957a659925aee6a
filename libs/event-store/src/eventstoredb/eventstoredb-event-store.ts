/**
 * The EventStoreDB adapter of the event-store port (EVENT_STORE=eventstoredb,
 * EVENTSTORE_URL=esdb://…), over the official gRPC client.
 *
 * Revisions are EventStoreDB's own (first event 0; `no_stream` / `any` / exact). Positions are
 * commit positions of `$all` as bigints. `after` is exclusive everywhere in the port; EventStoreDB
 * reads of `$all` are inclusive of their `fromPosition` while its subscriptions start strictly
 * after it, so reads drop the event at `after` and subscriptions pass it through (see
 * `toReadPosition`). System events (a `$` stream or a `$` type) never leave this adapter.
 *
 * A follower's `NotLeader` is retried at once (the client has switched to the leader), a node
 * that is not ready is waited for (a few seconds at most), and an append left without an answer
 * (timeout, cut connection) is settled by reading the stream's tail and appending again with the
 * same ids (see `append`).
 */
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  MaxAppendSizeExceededError,
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
import { randomUUID } from 'node:crypto';
import {
  EventStoreError,
  LookedUpStreamChangedError,
  UnreadableEventError,
  WrongExpectedRevisionError,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StoredEvent,
  type Subscription,
  type UnreadableEvent,
} from '../event-store.port';
import { STORE_OUTCOME_UNKNOWN, STORE_UNAVAILABLE, WriteFailureLog, type StoreWriteHealth, type WriteHealthReporting } from '../store-health';
import { callFailureOf, describeCallFailure, invalidPositionError, isInvalidPosition, type CallFailure } from './eventstoredb-failures';
import { isConnectionError, isSystemEvent, STORE_IDENTITY_STREAM, toEventData, toReadPosition, toStoredEvent } from './eventstoredb-mapping';
import { assertSupportedServerVersion, clientConnectionString, serverVersionOf } from './eventstoredb-server';
import { EventStoreDbSubscription } from './eventstoredb-subscription';

/** Events per gRPC read: reads stay lazy and a retried page costs little. */
const PAGE_SIZE = 500;

/** Waits before each further attempt, by why the last one failed; when a list runs out, the operation fails. */
export interface RetryDelays {
  /** A call left without an answer (timed out, cut, unreachable): the client reconnects meanwhile. */
  readonly noAnswerMs: readonly number[];
  /** A follower's `NotLeader`: the client has switched to the leader already. */
  readonly notLeaderMs: readonly number[];
  /** "Server Is Not Ready" / "Too Busy": an election or a catch-up takes seconds. */
  readonly notReadyMs: readonly number[];
  /**
   * A wrong expected version naming a revision that reads do not show yet: a write of the stream
   * is on the leader's log, not yet replicated. Waited for before the conflict is answered.
   */
  readonly notReplicatedMs: readonly number[];
}

export const DEFAULT_RETRY_DELAYS: RetryDelays = {
  noAnswerMs: [100, 200],
  notLeaderMs: [20, 100, 250],
  // About 8 s in all: a leader election takes a few seconds.
  notReadyMs: [250, 500, 1_000, 2_000, 4_000],
  // About 3 s in all: past the server's commit timeout (2 s), after which its writer answered the write.
  notReplicatedMs: [100, 200, 400, 800, 1_500],
};

export interface EventStoreDbOptions {
  /** Shorter waits for tests; the defaults otherwise ({@link DEFAULT_RETRY_DELAYS}). */
  readonly retryDelays?: Partial<RetryDelays>;
}

export class EventStoreDbEventStore implements EventStore, WriteHealthReporting {
  private readonly subscriptions = new Set<EventStoreDbSubscription>();
  private closed = false;
  private readonly writeFailures = new WriteFailureLog();
  /** The server out of reach for a read (its retries ran out); cleared by the next read that succeeds. */
  private readonly unreachable = new WriteFailureLog();
  private readonly retryDelays: RetryDelays;
  private serverCheck: Promise<void> | undefined;
  private knownStoreId: string | undefined;

  private constructor(
    private readonly client: EventStoreDBClient,
    options: EventStoreDbOptions,
  ) {
    this.retryDelays = { ...DEFAULT_RETRY_DELAYS, ...options.retryDelays };
  }

  /**
   * Parses the connection string now (a malformed one throws; `kurrentdb://` and
   * `kurrentdb+discover://` are accepted as `esdb://` and `esdb+discover://`); the client
   * connects on first use and reconnects by itself. The server's version is checked on first
   * use. Keep the client's default `throwOnAppendFailure=true`: with false, its BatchAppend path
   * reports a wrong next revision on a wrong expected version.
   */
  static connect(connectionString: string, options: EventStoreDbOptions = {}): EventStoreDbEventStore {
    let client: EventStoreDBClient;
    try {
      client = EventStoreDBClient.connectionString(clientConnectionString(connectionString));
    } catch (error) {
      // The client's parser speaks English (`Unexpected "http://" at position 0…`): said in French, its words kept as the detail.
      throw new EventStoreError(
        STORE_UNAVAILABLE,
        `EVENTSTORE_URL n’est pas une adresse EventStoreDB valide (par exemple esdb://localhost:2113?tls=false) : « ${connectionString.slice(0, 200)} » (${(error as Error).message})`,
      );
    }
    return new EventStoreDbEventStore(client, options);
  }

  /**
   * {@link connect}, then asks the server its version: one older than 22.6 is refused now with
   * `EVENT_STORE.UNSUPPORTED_SERVER`. A server out of reach is asked again on first use.
   */
  static async open(connectionString: string, options: EventStoreDbOptions = {}): Promise<EventStoreDbEventStore> {
    const store = EventStoreDbEventStore.connect(connectionString, options);
    try {
      await store.serverSupported();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  /**
   * EventStoreDB deduplicates by event id, but its answer to a duplicate is a success that looks
   * like a write (same next revision for an exact expectation). So the stream's tail is read
   * first: a batch that already is the tail is a no-op without asking the server, and otherwise
   * a success whose revision does not go past the tail's is EventStoreDB's own deduplication.
   *
   * A refusal that wrote nothing (a follower's `NotLeader`, a node not ready) is retried after a
   * wait that suits it. An attempt left without an answer (a commit timeout, a deadline, a cut
   * connection) may have written the batch: the next attempt reads the tail again (the batch
   * found there was written by this call) and otherwise appends again with the same ids, which
   * EventStoreDB's idempotency makes safe. When the attempts run out, `STORE.OUTCOME_UNKNOWN` if
   * one of them may have written, `STORE.UNAVAILABLE` otherwise. A batch over the server's
   * maximum append size is refused with `STREAM.APPEND_TOO_LARGE`, nothing written.
   *
   * While the first send of a batch is on the leader's log but not yet replicated, EventStoreDB
   * drops the same batch sent again (`IdempotentNotReady`) and answers it with a write timeout:
   * resending can only settle it once it is replicated, so an attempt that finds nothing at the
   * tail is left without an answer again, and the outcome stays unknown until then. A conflict
   * naming a revision that reads do not show yet is such a write of another batch: the adapter
   * waits for reads to show it (the conflict is then answered, and decided again on it) and
   * otherwise answers `STORE.UNAVAILABLE` (nothing written), not a conflict with nothing to show.
   */
  async append(
    streamId: string,
    events: readonly EventToAppend[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    this.assertOpen();
    if (events.length === 0) throw new EventStoreError('STREAM.EMPTY_APPEND', `refused an empty append to ${streamId}`);
    await this.serverSupported();
    const data = events.map(toEventData);
    // Set when an attempt was left without an answer: it may have written the batch.
    let mayHaveWritten = false;
    const retries = new RetryBudget(this.retryDelays);
    for (;;) {
      let failure: Exclude<CallFailure, 'other'>;
      let cause: unknown;
      try {
        const result = await this.appendOnce(streamId, events, data, options, mayHaveWritten);
        this.writeFailures.succeeded();
        return result;
      } catch (error) {
        if (error instanceof NotReplicatedYet) {
          // Nothing written by this attempt; an earlier one left without an answer may have.
          if (mayHaveWritten) throw this.writeFailed(this.outcomeUnknown(streamId, retries.attempts));
          throw this.writeFailed(
            new EventStoreError(
              STORE_UNAVAILABLE,
              `EventStoreDB compte sur le flux ${streamId} un ajout qu’il ne rend pas encore lisible (révision ${error.actual} annoncée, ` +
                `${error.readable === -1 ? 'aucune lue' : `révision ${error.readable} lue`}) : il n’est pas encore répliqué. Rien n’a été écrit ; réessayez dans un instant`,
            ),
          );
        }
        if (error instanceof AppendCallFailed) {
          failure = error.failure;
          cause = error.cause;
          if (failure === 'no-answer') mayHaveWritten = true;
        } else if (isConnectionError(error) || (error instanceof EventStoreError && error.code === STORE_UNAVAILABLE)) {
          // Reading the tail failed (after its own retries): this attempt appended nothing.
          failure = 'no-answer';
          cause = error;
        } else {
          throw error;
        }
      }
      const wait = retries.next(failure);
      if (wait !== undefined) {
        await delay(wait);
        continue;
      }
      if (mayHaveWritten) throw this.writeFailed(this.outcomeUnknown(streamId, retries.attempts));
      if (cause instanceof EventStoreError && cause.code === STORE_UNAVAILABLE) throw this.writeFailed(cause);
      throw this.writeFailed(
        new EventStoreError(
          STORE_UNAVAILABLE,
          failure === 'not-leader'
            ? `EventStoreDB renvoie vers un autre nœud à chaque essai (pas de leader stable, ${retries.attempts} tentative(s)) : rien n’a été écrit`
            : `EventStoreDB ne répond pas ou n’est pas prêt (élection ou rattrapage en cours ?) : rien n’a été écrit (${describeCallFailure(cause)})`,
        ),
      );
    }
  }

  /**
   * Whether the last append went through, and whether the server was in reach at the last read
   * (a read that ran out of retries, cleared by the next one that succeeds): out of reach, no
   * command can write either. EventStoreDB is not probed otherwise: its own health is its own.
   */
  async writeHealth(): Promise<StoreWriteHealth> {
    const written = this.writeFailures.health();
    if (!written.writable || this.unreachable.failure === undefined) return written;
    return this.unreachable.health();
  }

  private outcomeUnknown(streamId: string, attempts: number): EventStoreError {
    return new EventStoreError(
      STORE_OUTCOME_UNKNOWN,
      `EventStoreDB n’a pas confirmé l’écriture sur le flux ${streamId} (délai dépassé ou connexion perdue, ${attempts} tentative(s)) : ` +
        'elle a peut-être eu lieu ; renvoyez la même requête avec la même clé d’idempotence (Idempotency-Key) pour le savoir sans risque de doublon',
    );
  }

  private writeFailed(error: EventStoreError): EventStoreError {
    this.writeFailures.failed(error);
    return error;
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<StoredEvent> {
    this.assertOpen();
    await this.serverSupported();
    const backwards = options.direction === 'backwards';
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    let from: bigint | typeof END = options.fromRevision === undefined ? (backwards ? END : 0n) : BigInt(options.fromRevision);
    while (remaining > 0) {
      const maxCount = Math.min(PAGE_SIZE, remaining);
      const page = await this.readResolvedStreamPage(streamId, backwards, from, maxCount);
      // Decoded as handed out: the events before an unreadable one are yielded before it throws.
      for (const resolved of page) yield toStoredEvent(resolved);
      remaining -= page.length;
      const last = page[page.length - 1]?.event;
      if (page.length < maxCount || last === undefined) return;
      from = last.revision + (backwards ? -1n : 1n);
      if (from < 0n) return;
    }
  }

  /**
   * The gRPC client reads `$all` without filters (it offers them on subscriptions only), so with
   * `types` or `effectiveUntil` every event still crosses the wire, and those filtered out are
   * dropped here (by type before decoding).
   */
  readAll(options?: ReadAllOptions): AsyncIterable<StoredEvent>;
  readAll(options: ReadAllOptions & { readonly includeUnreadable: true }): AsyncIterable<StoredEvent | UnreadableEvent>;
  async *readAll(options: ReadAllOptions & { readonly includeUnreadable?: boolean } = {}): AsyncIterable<StoredEvent | UnreadableEvent> {
    this.assertOpen();
    await this.serverSupported();
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    let after = options.after;
    const types = options.types === undefined ? undefined : new Set(options.types);
    while (remaining > 0) {
      // `fromPosition` is inclusive: the event at `after` comes back first and is dropped.
      const page = await this.readAllPage(FORWARDS, toReadPosition(after));
      for (const resolved of page) {
        const position = resolved.event?.position.commit ?? resolved.commitPosition;
        if (after !== undefined && position !== undefined && position <= after) continue;
        if (options.upTo !== undefined && position !== undefined && position > options.upTo) return;
        if (position !== undefined) after = position;
        if (isSystemEvent(resolved)) continue;
        if (types !== undefined && !types.has(resolved.event?.type ?? '')) continue;
        let event: StoredEvent;
        try {
          event = toStoredEvent(resolved);
        } catch (error) {
          // Its effective date cannot be known: it is handed out whatever the date asked.
          if (!(error instanceof UnreadableEventError && options.includeUnreadable === true)) throw error;
          yield error.event;
          remaining -= 1;
          if (remaining <= 0) return;
          continue;
        }
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
    await this.serverSupported();
    let from: ReadPosition = END;
    for (;;) {
      // Backwards reads exclude their `fromPosition`, so each page starts below the last one.
      const page = await this.readAllPage(BACKWARDS, from);
      // The position alone: the newest event need not be decodable to be the head.
      for (const resolved of page) if (!isSystemEvent(resolved)) return commitPositionOf(resolved);
      const last = page[page.length - 1]?.event?.position;
      if (page.length < PAGE_SIZE || last === undefined) return 0n;
      from = last;
    }
  }

  /**
   * Read from the adapter's own stream ({@link STORE_IDENTITY_STREAM}); on first need, a random id
   * is written there expecting `no_stream`, so that two processes starting together keep the one
   * written first.
   */
  async storeId(): Promise<string> {
    this.assertOpen();
    if (this.knownStoreId !== undefined) return this.knownStoreId;
    for (let attempt = 0; ; attempt++) {
      const found = await this.readStoreId();
      if (found !== undefined) return (this.knownStoreId = found);
      const id = randomUUID();
      const recordedAt = new Date().toISOString();
      try {
        await this.append(
          STORE_IDENTITY_STREAM,
          [{ id, type: 'StoreIdentified', version: 1, data: { storeId: id }, metadata: { actor: 'system', role: 'system', correlationId: id, causationId: id, recordedAt } }],
          { expectedRevision: 'no_stream' },
        );
      } catch (error) {
        // Another process wrote it first: its id is the store's.
        if (!(error instanceof WrongExpectedRevisionError) || attempt > 0) throw error;
      }
    }
  }

  /** One event read from `position` (inclusive); a position where no record starts is refused by the server, and means none. */
  async eventAt(position: bigint): Promise<StoredEvent | UnreadableEvent | undefined> {
    this.assertOpen();
    if (typeof position !== 'bigint' || position <= 0n) return undefined;
    await this.serverSupported();
    let page: AllStreamResolvedEvent[];
    try {
      page = await this.readPage(() => this.client.readAll({ direction: FORWARDS, fromPosition: toReadPosition(position), maxCount: 1 }));
    } catch (error) {
      if (isInvalidPosition(error)) return undefined;
      throw error;
    }
    const resolved = page[0];
    if (resolved === undefined || isSystemEvent(resolved) || commitPositionOf(resolved) !== position) return undefined;
    try {
      return toStoredEvent(resolved);
    } catch (error) {
      if (error instanceof UnreadableEventError) return error.event;
      throw error;
    }
  }

  private async readStoreId(): Promise<string | undefined> {
    const [resolved] = await this.readResolvedStreamPage(STORE_IDENTITY_STREAM, false, 0n, 1);
    if (resolved === undefined) return undefined;
    const storeId = toStoredEvent(resolved).data.storeId;
    if (typeof storeId !== 'string' || storeId === '') {
      throw new EventStoreError('EVENT_STORE.UNREADABLE_EVENT', `le flux ${STORE_IDENTITY_STREAM} ne contient pas l’identifiant du magasin attendu`);
    }
    return storeId;
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
    { expectedRevision, lookedUp = [] }: AppendOptions,
    mayHaveWritten: boolean,
  ): Promise<AppendResult> {
    // Ids and revisions only: an undecodable event at the tail does not stop an append. The
    // streams the decision read are read with it, in parallel: their check costs no round trip.
    const [tail, lookedUpTails] = await Promise.all([
      this.readResolvedStreamPage(streamId, true, END, events.length),
      Promise.all(lookedUp.map((read) => this.readResolvedStreamPage(read.streamId, true, END, 1))),
    ]);
    const current = tail[0]?.event === undefined ? -1 : Number(tail[0].event.revision);
    tail.reverse();
    if (tail.length === events.length && tail.every((stored, i) => stored.event !== undefined && sameId(stored.event.id, events[i]!.id))) {
      return { nextExpectedRevision: current, position: commitPositionOf(tail[tail.length - 1]!), written: mayHaveWritten };
    }
    // EventStoreDB has no condition on a stream it does not write: checked just before the append,
    // which leaves a window of one round trip to another instance's write (docs/decisions/0058).
    lookedUp.forEach((read, index) => {
      const last = lookedUpTails[index]![0]?.event;
      const now = last === undefined ? 'no_stream' : Number(last.revision);
      if (now !== read.revision) throw new LookedUpStreamChangedError(streamId, read, now);
    });

    let result;
    try {
      result = await this.client.appendToStream(streamId, data, { expectedRevision: toExpected(expectedRevision) });
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) throw await this.conflict(streamId, expectedRevision, current, error);
      if (error instanceof MaxAppendSizeExceededError) throw appendTooLarge(streamId, events.length, error.maxAppendSize);
      const failure = callFailureOf(error);
      if (failure !== 'other') throw new AppendCallFailed(failure, error);
      throw error;
    }
    const revision = Number(result.nextExpectedRevision);
    // A fresh write always goes past the revision the tail showed; a deduplicated one never does.
    const written = mayHaveWritten || revision > current;
    const position = result.position?.commit ?? (await this.positionOf(streamId, revision));
    return { nextExpectedRevision: written ? revision : Math.max(current, revision), position, written };
  }

  /**
   * A wrong expected version whose current revision is past the tail read before the append: a
   * write that reached the server since (read again at once, it shows), or one on the leader's
   * log not yet replicated, which EventStoreDB's writer counts but reads do not show
   * (`IndexWriter.GetStreamLastEventNumber` against the committed index). The latter is waited for
   * ({@link RetryDelays.notReplicatedMs}): a command decided again on what reads show would only
   * meet the same conflict. Still unreadable after the waits: {@link NotReplicatedYet}.
   */
  private async conflict(streamId: string, expected: ExpectedRevision, readBefore: number, error: WrongExpectedVersionError): Promise<Error> {
    const refused = wrongRevision(streamId, expected, error);
    if (!(refused instanceof WrongExpectedRevisionError) || typeof error.actualVersion !== 'bigint') return refused;
    const actual = Number(error.actualVersion);
    let readable = readBefore;
    for (const wait of [0, ...this.retryDelays.notReplicatedMs]) {
      if (readable >= actual) return refused;
      if (wait > 0) await delay(wait);
      const [last] = await this.readResolvedStreamPage(streamId, true, END, 1);
      readable = last?.event === undefined ? -1 : Number(last.event.revision);
    }
    return readable >= actual ? refused : new NotReplicatedYet(actual, readable);
  }

  /** Older servers answer a deduplicated append without a position: read the stored event's. */
  private async positionOf(streamId: string, revision: number): Promise<bigint> {
    const [event] = await this.readResolvedStreamPage(streamId, false, BigInt(revision), 1);
    if (!event) throw new EventStoreError('EVENT_STORE.POSITION_UNAVAILABLE', `no event at ${streamId}@${revision}`);
    return commitPositionOf(event);
  }

  /** One page of a stream, as read (decoded by the caller); a stream that does not exist reads as empty. */
  private async readResolvedStreamPage(
    streamId: string,
    backwards: boolean,
    fromRevision: bigint | typeof END,
    maxCount: number,
  ): Promise<ResolvedEvent[]> {
    try {
      return await this.readPage(() => this.client.readStream(streamId, { direction: backwards ? BACKWARDS : FORWARDS, fromRevision, maxCount }));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
  }

  /** A position where no record starts is refused by the server: `EVENT_STORE.INVALID_POSITION`. */
  private async readAllPage(direction: Direction, fromPosition: ReadPosition): Promise<AllStreamResolvedEvent[]> {
    try {
      return await this.readPage(() => this.client.readAll({ direction, fromPosition, maxCount: PAGE_SIZE }));
    } catch (error) {
      if (isInvalidPosition(error)) throw invalidPositionError(fromPosition);
      throw error;
    }
  }

  /**
   * Reads a whole (bounded) page; retried from scratch when the connection drops under it or the
   * node is not ready (waiting longer then), `STORE.UNAVAILABLE` when the attempts run out.
   */
  private async readPage<E extends ResolvedEvent | AllStreamResolvedEvent>(read: () => StreamingRead<E>): Promise<E[]> {
    const retries = new RetryBudget(this.retryDelays);
    for (;;) {
      try {
        const page: E[] = [];
        for await (const resolved of read()) page.push(resolved);
        this.unreachable.succeeded();
        return page;
      } catch (error) {
        const failure = callFailureOf(error);
        if (failure === 'other') {
          // An answer (a stream not found, a refusal): the server is in reach.
          this.unreachable.succeeded();
          throw error;
        }
        const wait = retries.next(failure);
        if (wait === undefined) {
          const unreachable = new EventStoreError(STORE_UNAVAILABLE, `EventStoreDB ne répond pas : ${describeCallFailure(error)}`);
          // Out of reach for a read, it is for a write: what /health says of writing (writable) says so too.
          this.unreachable.failed(unreachable);
          throw unreachable;
        }
        await delay(wait);
      }
    }
  }

  /**
   * Asks the server's version once, on first use: one older than 22.6 is refused with
   * `EVENT_STORE.UNSUPPORTED_SERVER`, every time. A server out of reach is asked again next time;
   * meanwhile the operation goes on and meets the failure itself.
   */
  private serverSupported(): Promise<void> {
    this.serverCheck ??= serverVersionOf(this.client).then(assertSupportedServerVersion, () => {
      this.serverCheck = undefined;
    });
    return this.serverCheck;
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreError('EVENT_STORE.CLOSED', 'the EventStoreDB event store is closed');
  }
}

/** An append call that failed in a way a later attempt may cure (see `CallFailure`). */
class AppendCallFailed extends Error {
  constructor(
    readonly failure: Exclude<CallFailure, 'other'>,
    override readonly cause: unknown,
  ) {
    super(`the append call failed (${failure})`);
  }
}

/** The server counts a revision of the stream that reads still do not show after the waits: nothing was written. */
class NotReplicatedYet extends Error {
  constructor(
    readonly actual: number,
    readonly readable: number,
  ) {
    super(`revision ${actual} not readable yet (read ${readable})`);
  }
}

/** The waits left for each kind of failure, and how many attempts were made. */
class RetryBudget {
  private readonly used = { 'no-answer': 0, 'not-leader': 0, 'not-ready': 0 };
  attempts = 1;

  constructor(private readonly delays: RetryDelays) {}

  /** The wait before the next attempt, or undefined when this kind of failure has no wait left. */
  next(failure: Exclude<CallFailure, 'other'>): number | undefined {
    const list = failure === 'no-answer' ? this.delays.noAnswerMs : failure === 'not-leader' ? this.delays.notLeaderMs : this.delays.notReadyMs;
    const wait = list[this.used[failure]];
    if (wait === undefined) return undefined;
    this.used[failure] += 1;
    this.attempts += 1;
    return wait;
  }
}

/**
 * EventStoreDB refuses, before writing anything, an append whose events together pass its
 * `MaxAppendSize` (1 MiB by default up to KurrentDB 25.0): data, metadata and type of each.
 */
function appendTooLarge(streamId: string, count: number, maxAppendSize: number): EventStoreError {
  return new EventStoreError(
    'STREAM.APPEND_TOO_LARGE',
    `l’ajout de ${count} événement(s) au flux ${streamId} dépasse la taille maximale d’un ajout acceptée par EventStoreDB ` +
      `(${maxAppendSize} octets) : rien n’a été écrit ; envoyez ces événements en plusieurs ajouts plus petits`,
  );
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

function commitPositionOf(resolved: ResolvedEvent | AllStreamResolvedEvent): bigint {
  const position = resolved.event?.position?.commit ?? resolved.commitPosition;
  if (position === undefined) throw new EventStoreError('EVENT_STORE.POSITION_UNAVAILABLE', 'EventStoreDB gave no $all position; stream reads carry it from EventStoreDB 22.6 on');
  return position;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
