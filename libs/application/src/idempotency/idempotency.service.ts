import { streamIdOf } from '@jalon/domain';
import { collect, EventStore, WrongExpectedRevisionError } from '@jalon/event-store';
import { createHash } from 'node:crypto';
import { CommandResult } from '../command-handling/command-executor';
import { IdempotencyKeyReusedError, InputValidationError } from '../errors';
import { Actor } from '../identity/roles';
import { Clock, uuidFromSeed } from '../ports';

const RECORDED = 'IdempotentResultRecorded';
const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

interface IdempotencyRecord {
  readonly key: string;
  readonly fingerprint: string;
  readonly result: CommandResult;
}

/**
 * `Idempotency-Key`: the first successful result of a request is recorded under the actor's key;
 * a retry with the same key and the same request gets that result back without writing again.
 * Records live in the event store (one small stream per key), so they survive restarts and move
 * with the history. The key also seeds the event ids, so two concurrent retries cannot both append.
 */
export class IdempotencyService {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  async run(
    actor: Actor,
    key: string,
    request: { command: string; input: unknown },
    execute: (eventIdSeed: string) => Promise<CommandResult>,
  ): Promise<{ result: CommandResult; replayed: boolean }> {
    if (!KEY_PATTERN.test(key)) {
      throw new InputValidationError([
        { field: 'Idempotency-Key', rule: 'isIdempotencyKey', message: 'Idempotency-Key doit compter de 1 à 200 caractères ASCII visibles' },
      ]);
    }
    const scope = sha256(`${actor.id}\n${key}`);
    const streamId = streamIdOf('idempotency', scope);
    const fingerprint = sha256(`${request.command}\n${canonicalJson(request.input)}`);

    const previous = await this.recorded(streamId);
    if (previous) return { result: this.check(previous, key, fingerprint), replayed: true };

    const result = await execute(scope);
    const record: IdempotencyRecord = { key, fingerprint, result };
    try {
      await this.store.append(
        streamId,
        [
          {
            id: uuidFromSeed(`${scope}:record`),
            type: RECORDED,
            version: 1,
            data: { ...record, effectiveDate: this.clock.now().toISOString().slice(0, 10) },
            metadata: {
              actor: actor.id,
              actorName: actor.name,
              role: actor.role,
              correlationId: result.events[0]?.id ?? scope,
              causationId: result.events[0]?.id ?? scope,
              recordedAt: this.clock.now().toISOString(),
            },
          },
        ],
        { expectedRevision: 'no_stream' },
      );
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      const winner = await this.recorded(streamId);
      if (winner) return { result: this.check(winner, key, fingerprint), replayed: true };
    }
    return { result, replayed: false };
  }

  private async recorded(streamId: string): Promise<IdempotencyRecord | undefined> {
    const [event] = await collect(this.store.readStream(streamId, { maxCount: 1 }));
    return event ? (event.data as unknown as IdempotencyRecord) : undefined;
  }

  private check(record: IdempotencyRecord, key: string, fingerprint: string): CommandResult {
    if (record.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError(key);
    return record.result;
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** JSON with object keys sorted, so that the same request always has the same fingerprint. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
