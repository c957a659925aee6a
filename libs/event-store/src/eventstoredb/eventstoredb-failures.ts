/**
 * What a failed EventStoreDB call means for Jalon, read from how the server answers
 * (`RpcExceptions.cs`, `Streams.Append.cs`, `Streams.BatchAppend.cs`, `Streams.Read.cs`) and how
 * `@eventstore/db-client` raises it (`convertToCommandError`, `unpackToCommandError`). Pure functions.
 */
import { status } from '@grpc/grpc-js';
import {
  CancelledError,
  convertToCommandError,
  DeadlineExceededError,
  NotLeaderError,
  TimeoutError,
  UnavailableError,
  UnknownError,
  type ReadPosition,
} from '@eventstore/db-client';
import { EventStoreError } from '../event-store.port';

/**
 * - `not-leader`: a follower refused the call (`NotHandled(NotLeader)`): nothing was done, and the
 *   client has already switched its connection to the leader the follower named.
 * - `not-ready`: the node refused it before doing anything ("Server Is Not Ready" during an
 *   election or a catch-up, "Server Is Too Busy", no leader known yet).
 * - `no-answer`: the call ended without an answer (a commit or prepare timeout, a deadline, a cut
 *   or unreachable connection): a write may or may not have happened.
 * - `other`: anything else (a refusal with a meaning of its own, a bug).
 */
export type CallFailure = 'not-leader' | 'not-ready' | 'no-answer' | 'other';

/**
 * The node did not handle the request. Unary calls carry it as UNAVAILABLE ("Server Is Not
 * Ready", "Server Is Too Busy") or UNKNOWN ("No leader info available in response"); BatchAppend
 * answers it in band as a status packing an empty message, which the client raises as an
 * `UnknownError` "Could not recognize Server Is Not Ready".
 */
const NOT_HANDLED = /Server Is (Not Ready|Too Busy|Busy)|No leader info available/i;

export function callFailureOf(error: unknown): CallFailure {
  const converted = toCommandError(error);
  if (converted === undefined) return 'other';
  if (converted instanceof NotLeaderError) return 'not-leader';
  const message = (converted as Error).message ?? '';
  if ((converted instanceof UnavailableError || converted instanceof UnknownError) && NOT_HANDLED.test(message)) return 'not-ready';
  // TimeoutError: ABORTED "Operation timed out" (unary Append); DeadlineExceededError: the
  // client's deadline, or BatchAppend's in-band `Timeout`.
  if (
    converted instanceof TimeoutError ||
    converted instanceof DeadlineExceededError ||
    converted instanceof UnavailableError ||
    converted instanceof CancelledError
  ) {
    return 'no-answer';
  }
  return 'other';
}

/**
 * The client's failure said for people, in French: its message is English prose (« 14
 * UNAVAILABLE: No connection established. Last error: Error: connect ECONNREFUSED … Resolution
 * note: »). What it means comes first; the system's own code and the address it names
 * (`ECONNREFUSED 127.0.0.1:2113`, `ENOTFOUND esdb`) are kept, for the administrator.
 */
export function describeCallFailure(error: unknown): string {
  const converted = toCommandError(error) ?? error;
  const code = (converted as { code?: unknown } | undefined)?.code;
  const text = String((converted as { message?: unknown } | undefined)?.message ?? '');
  let what: string;
  if (converted instanceof TimeoutError || converted instanceof DeadlineExceededError || code === status.DEADLINE_EXCEEDED) what = 'pas de réponse dans le délai';
  else if (converted instanceof CancelledError || code === status.CANCELLED) what = 'appel interrompu';
  else if (converted instanceof UnavailableError || code === status.UNAVAILABLE) what = 'connexion impossible ou interrompue';
  else what = 'échec de l’appel';
  const system = /\b(E[A-Z]{4,})\b(?: ([0-9A-Za-z.:[\]-]*[0-9A-Za-z\]]))?/.exec(text);
  return system ? `${what} (${system[1]}${system[2] ? ` ${system[2]}` : ''})` : what;
}

/**
 * A read or subscription of `$all` from a position where no record starts: the server's chunk
 * reader fails (`InvalidReadException` → `ReadAllResult.InvalidPosition`). A read answers UNKNOWN
 * "Unexpected ReadAllResult: InvalidPosition", a subscription INVALID_ARGUMENT "Trying to read
 * from an invalid position."; the client raises both as an `UnknownError`.
 */
export function isInvalidPosition(error: unknown): boolean {
  const converted = toCommandError(error);
  if (converted === undefined) return false;
  const code = (converted as { code?: number }).code;
  return (code === status.UNKNOWN || code === status.INVALID_ARGUMENT) && /invalid ?position/i.test((converted as Error).message ?? '');
}

/** The port's error for {@link isInvalidPosition}: the position came from another store. */
export function invalidPositionError(position: ReadPosition | bigint | undefined): EventStoreError {
  const at = typeof position === 'bigint' ? position : typeof position === 'object' ? position.commit : position;
  return new EventStoreError(
    'EVENT_STORE.INVALID_POSITION',
    `EventStoreDB refuse de lire à partir de la position ${String(at)} : aucun événement de cette base n’y commence. ` +
      'Elle vient sans doute d’une autre base (point de reprise d’une projection gardé d’une autre base, base restaurée ' +
      'd’une sauvegarde plus ancienne) : reconstruisez ce qui la gardait à partir de cette base',
  );
}

function toCommandError(error: unknown): Error | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  try {
    return convertToCommandError(error as Error);
  } catch {
    return undefined;
  }
}
