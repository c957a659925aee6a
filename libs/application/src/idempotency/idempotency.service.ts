import { streamIdOf } from '@jalon/domain';
import { collect, EventStore } from '@jalon/event-store';
import { createHash } from 'node:crypto';
import { CommandResult } from '../command-handling/command-executor';
import { IdempotencyKeyReusedError, InputValidationError } from '../errors';
import { Actor } from '../identity/roles';

const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

interface IdempotencyRecord {
  readonly key: string;
  readonly fingerprint: string;
  readonly result: CommandResult;
}

/** What a keyed request hands to the command path. */
export interface KeyedExecution {
  /** Seeds the event ids, so that two concurrent retries cannot both append. */
  readonly eventIdSeed: string;
  readonly idempotency: { readonly key: string; readonly request: string };
}

/**
 * `Idempotency-Key`: a retry with the same key and the same request gets the first result back
 * without writing again; the same key with another request is refused.
 *
 * The key (hashed with its actor) and the request's hash travel in the metadata of the events the
 * command appends, in the same atomic append (docs/decisions/0011): the command path finds them
 * again in the stream, so a retry is answered with the first result even after a crash right after
 * the append. Records written by earlier versions in `idempotency-<hash>` streams are still honoured.
 * A request that wrote nothing (a repeat that changed nothing, a refusal) leaves no record: its
 * retry is decided again.
 */
export class IdempotencyService {
  constructor(private readonly store: EventStore) {}

  async run(
    actor: Actor,
    key: string,
    request: { command: string; input: unknown },
    execute: (keyed: KeyedExecution) => Promise<CommandResult>,
  ): Promise<{ result: CommandResult; replayed: boolean }> {
    if (!KEY_PATTERN.test(key)) {
      throw new InputValidationError([
        { field: 'Idempotency-Key', rule: 'isIdempotencyKey', message: 'Idempotency-Key doit compter de 1 à 200 caractères ASCII visibles' },
      ]);
    }
    const scope = sha256(`${actor.id}\n${key}`);
    const fingerprint = sha256(`${request.command}\n${canonicalJson(request.input)}`);

    const legacy = await this.legacyRecord(streamIdOf('idempotency', scope));
    if (legacy) {
      if (legacy.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError(key);
      return { result: legacy.result, replayed: true };
    }
    try {
      const result = await execute({ eventIdSeed: scope, idempotency: { key: scope, request: fingerprint } });
      return { result, replayed: result.replayed === true };
    } catch (error) {
      // The command path knows only the hashed key; the client knows its own.
      if (error instanceof IdempotencyKeyReusedError) throw new IdempotencyKeyReusedError(key);
      throw error;
    }
  }

  /** A record written by a version before 0011 in its own stream, if any. */
  private async legacyRecord(streamId: string): Promise<IdempotencyRecord | undefined> {
    const [event] = await collect(this.store.readStream(streamId, { maxCount: 1 }));
    return event ? (event.data as unknown as IdempotencyRecord) : undefined;
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
