import { assertNotInFuture, todayIn, Decider, Dated, DomainError, Message } from '@jalon/domain';
import {
  ChainedToAnotherEventError,
  chainEvents,
  ChainTip,
  EventStore,
  EventStoreError,
  EventToAppend,
  ExpectedRevision,
  LookedUpStreamChangedError,
  StoredEvent,
  tipOf,
  WrongExpectedRevisionError,
} from '@jalon/event-store';
import { ForbiddenError, IdempotencyKeyReusedError, InputValidationError } from '../errors';
import { Actor } from '../identity/roles';
import { Clock, IdGenerator, uuidFromSeed } from '../ports';
import { validateInput } from '../validation/validate-input';
import { CommandDefinition, StateLoader } from './command-definition';
import { schemaVersionOf, upcast } from '@jalon/domain';
import { LogWatch } from './log-watch';
import { CachedState, isCurrent, StateCache } from './state-cache';

export interface ExecuteOptions {
  /** The revision the client last saw (HTTP `If-Match`): a mismatch is a conflict, never retried. */
  readonly expectedRevision?: number | 'no_stream';
  readonly correlationId?: string;
  readonly causationId?: string;
  /** The same seed gives the same event ids, so a retried request cannot append twice. */
  readonly eventIdSeed?: string;
  /**
   * The request's `Idempotency-Key` (hashed with its actor) and the hash of the request. Written in
   * the metadata of the events the command appends, in the same atomic append: a retry finds them
   * in the stream and gets the first result back, even after a crash right after the append.
   */
  readonly idempotency?: { readonly key: string; readonly request: string };
  /**
   * What the events will name and must exist before they are appended (an upload's bytes,
   * docs/decisions/0043): run only once the command is authorised, validated and decided without
   * refusal, in the stream's turn, right before the append (or before a repeat that changes
   * nothing is answered). A refused command never runs it; if it throws, nothing is appended.
   */
  readonly beforeWrite?: () => Promise<void>;
}

export interface CommandResultEvent {
  readonly id: string;
  readonly type: string;
  readonly streamId: string;
  /** The event's revision in its stream. */
  readonly revision: number;
}

export interface CommandResult {
  readonly command: string;
  readonly streamId: string;
  /** False when the command was a repeat that changed nothing. */
  readonly written: boolean;
  /** Revision of the stream's last event, to send back as `If-Match` next time. */
  readonly nextExpectedRevision: number | 'no_stream';
  /** Global position of the last appended event (decimal string), for read-your-writes. */
  readonly position: string | null;
  /**
   * The events appended, each with its stream: a command written in two steps (decision 0012) lists
   * its claim's events, on the parent's stream, before its own.
   */
  readonly events: readonly CommandResultEvent[];
  /** True when this is the recorded result of an earlier request with the same idempotency key. */
  readonly replayed?: boolean;
}

export interface CommandExecutorOptions {
  readonly store: EventStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly timeZone: string;
  /** How many times a command that lost a race is decided again on fresh state. */
  readonly maxAttempts?: number;
  readonly cache?: StateCache;
  /** Follows the store's log, so that cached states known current are used without asking the store. */
  readonly watch?: LogWatch;
  /**
   * False only to measure what the hash chain costs (the benchmark): events appended without it
   * carry no hash and `jalon verify` reports them. Default true.
   */
  readonly hashChain?: boolean;
}

interface Loaded<S> {
  readonly state: S;
  readonly revision: number | 'no_stream';
}

/** What the command path keeps of a stream besides its decided state. */
interface StreamView<S> extends Loaded<S> {
  /** The stream's last event, as the hash chain needs it (absent for a new stream). */
  readonly tip: ChainTip | undefined;
  /** Batches written under an idempotency key, by key. Grows with the stream; shared between successive views. */
  readonly keyed: Map<string, KeyedBatch>;
}

/** A batch appended under an idempotency key, as its retry must answer it. */
interface KeyedBatch {
  readonly request: string;
  readonly events: { readonly id: string; readonly type: string; readonly revision: number }[];
  position: bigint;
}

/** An append handed to the store and not settled yet, with the view of the stream it will leave. */
interface Pending {
  readonly view: StreamView<unknown>;
  /** Resolves (never rejects) once the append succeeded or failed. */
  readonly settled: Promise<void>;
}

interface StreamQueue {
  tail: Promise<void>;
  /** Calls queued or running. */
  active: number;
  pending: Pending | undefined;
}

/** A command's place in its stream's queue. */
interface Turn {
  /** The latest append of this stream still on its way to the store, if any. */
  pending(): Pending | undefined;
  /** The append is handed to the store: the next command may be decided on `view`. */
  handOff(view: StreamView<unknown>, appending: Promise<unknown>): void;
}

const noop = (): void => undefined;

/** What the cache holds for a stream (its revision is kept beside it by the cache). */
interface CachedView<S> {
  readonly state: S;
  readonly tip: ChainTip | undefined;
  readonly keyed: Map<string, KeyedBatch>;
}

/**
 * The one write path: authorise → validate → load → decide → append with the expected revision.
 * A command that lost a race to another writer is decided again on the fresh state (its rules are
 * checked anew, so this is safe), unless the client pinned the revision it saw.
 */
export class CommandExecutor {
  private readonly cache: StateCache;
  private readonly maxAttempts: number;
  private readonly queues = new Map<string, StreamQueue>();

  constructor(private readonly options: CommandExecutorOptions) {
    this.cache = options.cache ?? new StateCache();
    this.maxAttempts = options.maxAttempts ?? 5;
  }

  async execute<I extends object>(definition: CommandDefinition<I>, rawInput: unknown, actor: Actor, options: ExecuteOptions = {}): Promise<CommandResult> {
    if (!definition.roles.includes(actor.role)) throw new ForbiddenError(actor.role, `la commande ${definition.name}`);
    const input = validateInput(definition.input, rawInput);
    const streamId = definition.streamId(input);
    // Commands on one stream wait for each other in this process, each decided on the state the
    // previous one left: they never lose a race among themselves (a 409 is left for a stale
    // If-Match, or for another process's write that outlasts the retries).
    let freshLookUps = false;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.exclusive(streamId, (turn) => this.decideAndAppend(definition, input, streamId, actor, options, turn, freshLookUps));
      } catch (error) {
        // Lost a race to another writer: decided again on fresh state (its rules are checked anew,
        // so this is safe) in a new turn, unless the client pinned the revision it saw. A stream the
        // decision only read has moved (docs/decisions/0058): decided again whatever the client
        // pinned (its If-Match is about its own stream, checked anew), on look-ups read from the store;
        // so is one decided behind an append that another writer's event replaced at its revision (0059).
        const lookUpMoved = error instanceof LookedUpStreamChangedError;
        const notPinned = lookUpMoved || error instanceof ChainedToAnotherEventError || options.expectedRevision === undefined;
        const retry = error instanceof WrongExpectedRevisionError && notPinned && attempt < this.maxAttempts;
        if (!retry) throw error;
        if (lookUpMoved) freshLookUps = true;
      }
    }
  }

  /**
   * The first step of a command written in two steps (`runCommand`, decision 0012) is appended to
   * another stream than the one the client pinned (`If-Match`): the pin is checked here, before
   * anything is written, so that a stale one refuses the whole request, as on any other command,
   * and leaves no claim behind. A request whose key the command's stream already recorded is a
   * replay, answered by the command's own step; input the steps refuse is left to them (the role is
   * `runCommand`'s to check first). The pin is checked again by the command's own step, which
   * another writer may still beat in between (the price of two steps, as a stop between them).
   */
  async assertPinHolds<I extends object>(definition: CommandDefinition<I>, rawInput: unknown, options: ExecuteOptions): Promise<void> {
    if (options.expectedRevision === undefined) return;
    let streamId: string;
    try {
      streamId = definition.streamId(validateInput(definition.input, rawInput));
    } catch (error) {
      if (error instanceof InputValidationError) return;
      throw error;
    }
    const { revision, keyed } = await this.fetch(definition.decider, streamId, false);
    if (options.idempotency && keyed.has(options.idempotency.key)) return;
    if (revision !== options.expectedRevision) throw new WrongExpectedRevisionError(streamId, options.expectedRevision, revision);
  }

  private async decideAndAppend<I extends object>(
    definition: CommandDefinition<I>,
    input: I,
    streamId: string,
    actor: Actor,
    options: ExecuteOptions,
    turn: Turn,
    freshLookUps: boolean,
  ): Promise<CommandResult> {
    const commandId = options.eventIdSeed ? uuidFromSeed(`${options.eventIdSeed}:command`) : this.options.ids.uuid();
    const key = options.idempotency;

    // A cached state known current is decided on without asking the store: an append is then
    // guarded by the expected revision. Anything but an append (a refusal, a repeat that changes
    // nothing, a stale If-Match) is judged again on what the store holds before it is answered.
    //
    // While the previous command's append is on its way to disk, this one is decided on the state
    // that append will leave (`pending`) and appended right behind it, so that both reach the disk
    // in one group commit. It is refused by the store's expected revision if the previous one
    // fails; anything but an append is judged again once the previous append has settled.
    let trustCache = true;
    let waitedFor: Pending | undefined;
    for (;;) {
      const pending = turn.pending();
      if (pending !== undefined && pending !== waitedFor && this.options.store.appendsSettleInOrder !== true) {
        // A store that may answer a later append before an earlier one is settled (EventStoreDB
        // retries an unanswered one): decided on what the previous append left once it has
        // settled, never on what it would leave (docs/decisions/0059).
        waitedFor = pending;
        await pending.settled;
        continue;
      }
      const speculative = pending !== undefined && pending !== waitedFor ? pending : undefined;
      const view = speculative ? { ...speculative.view, cached: true } : await this.fetch(definition.decider, streamId, trustCache);
      const { state, revision, cached } = view;
      if (!speculative) trustCache = false;
      /** Before judging again: let the append decided on settle, so that what is read next is what it left. */
      const settle = async () => {
        if (speculative) {
          waitedFor = speculative;
          await speculative.settled;
        }
      };
      if (key) {
        const recorded = view.keyed.get(key.key);
        if (recorded) return replayOf(definition.name, streamId, key, recorded);
      }
      if (options.expectedRevision !== undefined && options.expectedRevision !== revision) {
        await settle();
        if (cached) continue;
        throw new WrongExpectedRevisionError(streamId, options.expectedRevision, revision);
      }
      const now = this.options.clock.now();
      let events: readonly Message<string, Dated>[];
      // The other streams this decision reads, at the revision read: the append holds only if none has moved.
      const lookedUp = new Map<string, number | 'no_stream'>();
      const loader: StateLoader = {
        state: async (decider, id) => {
          const read = await this.fetch(decider, id, cached && !freshLookUps);
          // Its own stream is guarded by the expected revision (and may be read behind an append in flight).
          if (id !== streamId && !lookedUp.has(id)) lookedUp.set(id, read.revision);
          return read.state;
        },
        firstOfType: (type) => this.firstOfType(type),
      };
      try {
        const context = definition.loadContext ? await definition.loadContext(input, loader) : undefined;
        events = definition.decider.decide(definition.toCommand(input, context), state) as readonly Message<string, Dated>[];
        assertNotInFuture(events, todayIn(now, this.options.timeZone));
      } catch (error) {
        await settle();
        if (cached && error instanceof DomainError) continue;
        throw error;
      }
      if (events.length === 0) {
        await settle();
        if (cached) continue;
        await options.beforeWrite?.();
        return { command: definition.name, streamId, written: false, nextExpectedRevision: revision, position: null, events: [] };
      }

      // Decided, not refused: what the events name is put in place before they can be appended.
      await options.beforeWrite?.();
      const unchained = events.map((event, index): EventToAppend => ({
        id: options.eventIdSeed ? uuidFromSeed(`${options.eventIdSeed}:${index}`) : this.options.ids.uuid(),
        type: event.type,
        version: schemaVersionOf(event.type),
        data: event.data as unknown as Record<string, unknown>,
        metadata: {
          actor: actor.id,
          actorName: actor.name,
          role: actor.role,
          correlationId: options.correlationId ?? commandId,
          causationId: options.causationId ?? commandId,
          recordedAt: now.toISOString(),
          ...reasonOf(event.data),
          ...(key ? { idempotency: { key: key.key, request: key.request } } : {}),
        },
      }));
      // Linked to the stream's last event, and appended expecting exactly that event: the chain holds.
      const toAppend = this.options.hashChain === false ? unchained : chainEvents(streamId, view.tip, unchained);
      const expected: ExpectedRevision = revision;
      const checked = this.checkpoint();
      const appending = this.options.store.append(streamId, toAppend, {
        expectedRevision: expected,
        ...(speculative ? { afterAppendInFlight: true } : {}),
        ...(lookedUp.size > 0 ? { lookedUp: [...lookedUp].map(([id, read]) => ({ streamId: id, revision: read })) } : {}),
      });
      const last = toAppend[toAppend.length - 1]!;
      const nextRevision = (revision === 'no_stream' ? -1 : revision) + toAppend.length;
      const leaves: StreamView<unknown> = {
        state: events.reduce(definition.decider.evolve, state),
        revision: nextRevision,
        tip: last.metadata.hash ? { revision: nextRevision, hash: last.metadata.hash } : undefined,
        keyed: view.keyed,
      };
      turn.handOff(leaves, appending);
      let result;
      try {
        result = await appending;
      } catch (error) {
        await settle();
        // Whatever happened, the cached state may no longer be the stream's: read it again next time.
        this.cache.forget(streamId);
        // The key's events are already in another stream: the key served another request.
        if (key && error instanceof EventStoreError && error.code === 'STREAM.DUPLICATE_EVENT_ID') throw new IdempotencyKeyReusedError(key.key);
        // The turn has passed on: a retry (see execute) queues again behind the commands decided since.
        throw error;
      }
      const first = result.nextExpectedRevision - toAppend.length + 1;
      const appended = toAppend.map((event, index) => ({ id: event.id, type: event.type, revision: first + index }));
      if (!result.written) {
        // Every id was already stored: another process answered the same key first. Its result is the one to give.
        this.cache.forget(streamId);
        if (key) {
          const recorded = (await this.fetch(definition.decider, streamId, false)).keyed.get(key.key);
          if (recorded) return replayOf(definition.name, streamId, key, recorded);
        }
      } else {
        // What we appended is what the next command on this stream would read back: fold it now.
        if (key) view.keyed.set(key.key, { request: key.request, events: appended, position: result.position });
        const cachedView: CachedView<unknown> = { state: leaves.state, tip: leaves.tip, keyed: view.keyed };
        this.cache.set(streamId, cachedView, result.nextExpectedRevision, checked);
      }
      return {
        command: definition.name,
        streamId,
        written: result.written,
        nextExpectedRevision: result.nextExpectedRevision,
        position: result.position.toString(),
        events: appended.map((event) => ({ ...event, streamId })),
      };
    }
  }

  /**
   * Runs `work` after every earlier call for the same stream has handed its append over to the
   * store (a queue per stream). The turn passes on as soon as `work` calls `handOff`, or when it ends.
   */
  private async exclusive<T>(streamId: string, work: (turn: Turn) => Promise<T>): Promise<T> {
    let queue = this.queues.get(streamId);
    if (!queue) {
      queue = { tail: Promise.resolve(), active: 0, pending: undefined };
      this.queues.set(streamId, queue);
    }
    const owner = queue;
    const previous = owner.tail;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    owner.tail = previous.then(() => released);
    owner.active++;
    const forgetIfIdle = () => {
      if (owner.active === 0 && owner.pending === undefined && this.queues.get(streamId) === owner) this.queues.delete(streamId);
    };
    const turn: Turn = {
      pending: () => owner.pending,
      handOff: (view, appending) => {
        const entry: Pending = { view, settled: appending.then(noop, noop) };
        owner.pending = entry;
        void entry.settled.then(() => {
          if (owner.pending === entry) owner.pending = undefined;
          forgetIfIdle();
        });
        release();
      },
    };
    try {
      await previous;
      return await work(turn);
    } finally {
      release();
      owner.active--;
      forgetIfIdle();
    }
  }

  /** Current state of any stream, folded by its decider, as the store holds it now (reads what the cache lacks). */
  async load<S>(decider: Decider<any, any, S>, streamId: string): Promise<Loaded<S>> {
    const { state, revision } = await this.fetch(decider, streamId, false);
    return { state, revision };
  }

  /**
   * State of any stream as this executor follows it: the cached state when the log watch has seen
   * no later event of the stream, else read as by {@link load}. It may lag another process's
   * latest appends by the watch's delay (see {@link LogWatch}); this process's own are never missed.
   */
  async current<S>(decider: Decider<any, any, S>, streamId: string): Promise<Loaded<S>> {
    const { state, revision } = await this.fetch(decider, streamId, true);
    return { state, revision };
  }

  /** The first event of `type` in the log, read at its current version (see {@link StateLoader.firstOfType}). */
  async firstOfType(type: string): Promise<Message | undefined> {
    for await (const event of this.options.store.readAll({ types: [type], maxCount: 1 })) {
      const read = upcast(event, this.options.store);
      return read instanceof Promise ? await read : read;
    }
    return undefined;
  }

  private async fetch<S>(decider: Decider<any, any, S>, streamId: string, trustCache: boolean): Promise<StreamView<S> & { cached: boolean }> {
    const entry = this.cache.get<CachedView<S>>(streamId);
    if (entry && trustCache && isCurrent(streamId, entry, this.options.watch)) return { ...entry.state, revision: entry.revision, cached: true };
    const checked = this.checkpoint();
    let state = entry?.state.state ?? decider.initialState();
    let revision: number | 'no_stream' = entry?.revision ?? 'no_stream';
    let last: StoredEvent | undefined;
    const keyed = entry?.state.keyed ?? new Map<string, KeyedBatch>();
    const fromRevision = revision === 'no_stream' ? 0 : revision + 1;
    for await (const event of this.options.store.readStream(streamId, { fromRevision })) {
      // Current events come back as they are, synchronously; only an older version may read its stream.
      const read = upcast(event, this.options.store);
      state = decider.evolve(state, read instanceof Promise ? await read : read);
      revision = event.revision;
      last = event;
      recordKeyed(keyed, event);
    }
    const tip = last ? tipOf(last) : entry?.state.tip;
    if (revision !== 'no_stream') this.cache.set(streamId, { state, tip, keyed } satisfies CachedView<S>, revision, checked);
    return { state, revision, tip, keyed, cached: false };
  }

  /** Where the log watch stands, taken before a read or an append whose result will be cached. */
  private checkpoint(): CachedState<unknown>['checked'] {
    const watch = this.options.watch;
    const at = watch?.position();
    return watch && at !== undefined ? { watch, at } : undefined;
  }
}

/** Notes an event written under an idempotency key in its batch's record. */
function recordKeyed(keyed: Map<string, KeyedBatch>, event: StoredEvent): void {
  const key = event.metadata.idempotency;
  if (!key || typeof key.key !== 'string') return;
  const batch = keyed.get(key.key);
  const summary = { id: event.id, type: event.type, revision: event.revision };
  if (batch && batch.events[batch.events.length - 1]!.revision === event.revision - 1) {
    batch.events.push(summary);
    batch.position = event.position;
  } else if (!batch) {
    keyed.set(key.key, { request: String(key.request), events: [summary], position: event.position });
  }
}

/** The first result of a request, given again to its retry; a key reused for another request is refused. */
function replayOf(command: string, streamId: string, key: NonNullable<ExecuteOptions['idempotency']>, batch: KeyedBatch): CommandResult {
  if (batch.request !== key.request) throw new IdempotencyKeyReusedError(key.key);
  const last = batch.events[batch.events.length - 1]!;
  return {
    command,
    streamId,
    written: true,
    nextExpectedRevision: last.revision,
    position: batch.position.toString(),
    events: batch.events.map((event) => ({ ...event, streamId })),
    replayed: true,
  };
}

function reasonOf(data: Dated): { reason?: string } {
  const reason = (data as unknown as { reason?: unknown }).reason;
  return typeof reason === 'string' ? { reason } : {};
}
