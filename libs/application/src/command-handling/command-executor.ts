import { assertNotInFuture, Decider, Dated, Message } from '@jalon/domain';
import { EventStore, EventToAppend, ExpectedRevision, WrongExpectedRevisionError } from '@jalon/event-store';
import { ForbiddenError } from '../errors';
import { Actor } from '../identity/roles';
import { Clock, IdGenerator, localDate, uuidFromSeed } from '../ports';
import { validateInput } from '../validation/validate-input';
import { CommandDefinition, StateLoader } from './command-definition';
import { schemaVersionOf } from './event-schema';
import { StateCache } from './state-cache';

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
}

interface Loaded<S> {
  readonly state: S;
  readonly revision: number | 'no_stream';
}

/**
 * The one write path: validate → authorise → load → decide → append with the expected revision.
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
    const input = validateInput(definition.input, rawInput);
    const streamId = definition.streamId(input);
    const commandId = options.eventIdSeed ? uuidFromSeed(`${options.eventIdSeed}:command`) : this.options.ids.uuid();

    for (let attempt = 1; ; attempt++) {
      const { state, revision } = await this.load(definition.decider, streamId);
      if (options.expectedRevision !== undefined && options.expectedRevision !== revision) {
        throw new WrongExpectedRevisionError(streamId, options.expectedRevision, revision);
      }
      const context = definition.loadContext ? await definition.loadContext(input, this.loader) : undefined;
      const events = definition.decider.decide(definition.toCommand(input, context), state) as readonly Message<string, Dated>[];
      const now = this.options.clock.now();
      assertNotInFuture(events, localDate(now, this.options.timeZone));
      if (events.length === 0) {
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
      try {
        const result = await this.options.store.append(streamId, toAppend, { expectedRevision: expected });
        // What we appended is what the next command on this stream would read back: fold it now.
        if (result.written) this.cache.set(streamId, events.reduce(definition.decider.evolve, state), result.nextExpectedRevision);
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
      }
    }
  }

  /** Current state of any stream, folded by its decider (also used by look-ups and reads). */
  async load<S>(decider: Decider<any, any, S>, streamId: string): Promise<Loaded<S>> {
    const cached = this.cache.get<S>(streamId);
    let state = cached?.state ?? decider.initialState();
    let revision: number | 'no_stream' = cached?.revision ?? 'no_stream';
    const fromRevision = revision === 'no_stream' ? 0 : revision + 1;
    for await (const event of this.options.store.readStream(streamId, { fromRevision })) {
      state = decider.evolve(state, { type: event.type, data: event.data });
      revision = event.revision;
    }
    if (revision !== 'no_stream') this.cache.set(streamId, state, revision);
    return { state, revision };
  }

  private readonly loader: StateLoader = {
    state: async (decider, streamId) => (await this.load(decider, streamId)).state,
  };
}

function reasonOf(data: Dated): { reason?: string } {
  const reason = (data as unknown as { reason?: unknown }).reason;
  return typeof reason === 'string' ? { reason } : {};
}
