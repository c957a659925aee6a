import { assertNotInFuture, Decider, Dated, DomainError, Message } from '@jalon/domain';
import { EventStore, EventToAppend, ExpectedRevision, WrongExpectedRevisionError } from '@jalon/event-store';
import { ForbiddenError } from '../errors';
import { Actor } from '../identity/roles';
import { Clock, IdGenerator, localDate, uuidFromSeed } from '../ports';
import { validateInputData } from '../validation/validate-input';
import { CommandDefinition, StateLoader } from './command-definition';
import { schemaVersionOf } from './event-schema';
import { LogWatch } from './log-watch';
import { CachedState, isCurrent, StateCache } from './state-cache';

export interface ExecuteOptions {
  /** The revision the client last saw (HTTP `If-Match`): a mismatch is a conflict, never retried. */
  readonly expectedRevision?: number | 'no_stream';
  readonly correlationId?: string;
  readonly causationId?: string;
  /** The same seed gives the same event ids, so a retried request cannot append twice. */
  readonly eventIdSeed?: string;
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
  readonly events: readonly { readonly id: string; readonly type: string; readonly revision: number }[];
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
}

interface Loaded<S> {
  readonly state: S;
  readonly revision: number | 'no_stream';
}

/**
 * The one write path: authorise → validate → load → decide → append with the expected revision.
 * A command that lost a race to another writer is decided again on the fresh state (its rules are
 * checked anew, so this is safe), unless the client pinned the revision it saw.
 */
export class CommandExecutor {
  private readonly cache: StateCache;
  private readonly maxAttempts: number;

  constructor(private readonly options: CommandExecutorOptions) {
    this.cache = options.cache ?? new StateCache();
    this.maxAttempts = options.maxAttempts ?? 5;
  }

  async execute<I extends object>(definition: CommandDefinition<I>, rawInput: unknown, actor: Actor, options: ExecuteOptions = {}): Promise<CommandResult> {
    if (!definition.roles.includes(actor.role)) throw new ForbiddenError(actor.role, `la commande ${definition.name}`);
    const input = validateInputData(definition.input, rawInput);
    const streamId = definition.streamId(input);
    const commandId = options.eventIdSeed ? uuidFromSeed(`${options.eventIdSeed}:command`) : this.options.ids.uuid();

    // A cached state known current is decided on without asking the store: an append is then
    // guarded by the expected revision. Anything but an append (a refusal, a repeat that changes
    // nothing, a stale If-Match) is judged again on what the store holds before it is answered.
    let trustCache = true;
    for (let attempt = 1; ; ) {
      const { state, revision, cached } = await this.fetch(definition.decider, streamId, trustCache);
      trustCache = false;
      if (options.expectedRevision !== undefined && options.expectedRevision !== revision) {
        if (cached) continue;
        throw new WrongExpectedRevisionError(streamId, options.expectedRevision, revision);
      }
      const now = this.options.clock.now();
      let events: readonly Message<string, Dated>[];
      try {
        const context = definition.loadContext ? await definition.loadContext(input, cached ? this.cachedLoader : this.storeLoader) : undefined;
        events = definition.decider.decide(definition.toCommand(input, context), state) as readonly Message<string, Dated>[];
        assertNotInFuture(events, localDate(now, this.options.timeZone));
      } catch (error) {
        if (cached && error instanceof DomainError) continue;
        throw error;
      }
      if (events.length === 0) {
        if (cached) continue;
        return { command: definition.name, streamId, written: false, nextExpectedRevision: revision, position: null, events: [] };
      }

      const toAppend = events.map((event, index): EventToAppend => ({
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
        },
      }));
      const expected: ExpectedRevision = revision;
      const checked = this.checkpoint();
      try {
        const result = await this.options.store.append(streamId, toAppend, { expectedRevision: expected });
        // What we appended is what the next command on this stream would read back: fold it now.
        if (result.written) this.cache.set(streamId, events.reduce(definition.decider.evolve, state), result.nextExpectedRevision, checked);
        else this.cache.forget(streamId);
        const first = result.nextExpectedRevision - toAppend.length + 1;
        return {
          command: definition.name,
          streamId,
          written: result.written,
          nextExpectedRevision: result.nextExpectedRevision,
          position: result.position.toString(),
          events: toAppend.map((event, index) => ({ id: event.id, type: event.type, revision: first + index })),
        };
      } catch (error) {
        const retry = error instanceof WrongExpectedRevisionError && options.expectedRevision === undefined && attempt < this.maxAttempts;
        if (!retry) throw error;
        this.cache.forget(streamId);
        attempt++;
      }
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

  private async fetch<S>(decider: Decider<any, any, S>, streamId: string, trustCache: boolean): Promise<Loaded<S> & { cached: boolean }> {
    const entry = this.cache.get<S>(streamId);
    if (entry && trustCache && isCurrent(streamId, entry, this.options.watch)) return { state: entry.state, revision: entry.revision, cached: true };
    const checked = this.checkpoint();
    let state = entry?.state ?? decider.initialState();
    let revision: number | 'no_stream' = entry?.revision ?? 'no_stream';
    const fromRevision = revision === 'no_stream' ? 0 : revision + 1;
    for await (const event of this.options.store.readStream(streamId, { fromRevision })) {
      state = decider.evolve(state, { type: event.type, data: event.data });
      revision = event.revision;
    }
    if (revision !== 'no_stream') this.cache.set(streamId, state, revision, checked);
    return { state, revision, cached: false };
  }

  /** Where the log watch stands, taken before a read or an append whose result will be cached. */
  private checkpoint(): CachedState<unknown>['checked'] {
    const watch = this.options.watch;
    const at = watch?.position();
    return watch && at !== undefined ? { watch, at } : undefined;
  }

  /** Look-ups of other streams: from the cache when it is known current, or as the store holds them now. */
  private readonly cachedLoader: StateLoader = {
    state: async (decider, streamId) => (await this.fetch(decider, streamId, true)).state,
  };

  private readonly storeLoader: StateLoader = {
    state: async (decider, streamId) => (await this.fetch(decider, streamId, false)).state,
  };
}

function reasonOf(data: Dated): { reason?: string } {
  const reason = (data as unknown as { reason?: unknown }).reason;
  return typeof reason === 'string' ? { reason } : {};
}
