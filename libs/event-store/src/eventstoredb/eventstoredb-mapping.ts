/**
 * Port ↔ EventStoreDB client mapping: events, metadata, positions, errors. Pure functions.
 */
import {
  AccessDeniedError,
  CancelledError,
  convertToCommandError,
  InvalidArgumentError,
  jsonEvent,
  START,
  UnavailableError,
  UnsupportedError,
  type AllStreamResolvedEvent,
  type EventData,
  type ReadPosition,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { EventStoreError, UnreadableEventError, type EventMetadata, type EventToAppend, type StoredEvent } from '../event-store.port';

/**
 * The JSON metadata of every event Jalon writes. `$correlationId` and `$causationId` are
 * EventStoreDB's own names (its `$by_correlation_id` projection reads them); the schema version
 * of `data` travels here because EventStoreDB has no field for it.
 */
export interface EventStoreDbMetadata {
  readonly $correlationId: string;
  readonly $causationId: string;
  readonly actor: string;
  readonly actorName?: string;
  readonly role: string;
  readonly recordedAt: string;
  readonly reason?: string;
  readonly schemaVersion: number;
  /** Every other field of Jalon's metadata (hash chain, idempotency…), kept as it is: hashes cover it. */
  readonly [field: string]: unknown;
}

/** The event id is kept: EventStoreDB deduplicates appends by it. */
export function toEventData(event: EventToAppend): EventData {
  const { correlationId, causationId, ...rest } = event.metadata;
  const stored: EventStoreDbMetadata = {
    $correlationId: correlationId,
    $causationId: causationId,
    ...rest,
    schemaVersion: event.version,
  };
  return jsonEvent({ id: event.id, type: event.type, data: { ...event.data }, metadata: { ...stored } });
}

/**
 * EventStoreDB's own events: those of its `$` streams (`SystemStreams.IsSystemStream`: statistics,
 * settings, users, projections, persistent subscriptions…), whatever their type — a persistent
 * subscription's checkpoint was `SubscriptionCheckpoint` before 24.10, a user projection's result
 * is `Result` — and `$`-typed events wherever they are (links `$>`, `$metadata`, tombstones).
 * Jalon's streams are `<category>-<id>`: never `$…`. The store's identity stream
 * ({@link STORE_IDENTITY_STREAM}) is passed over the same way.
 */
export function isSystemEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): boolean {
  return (
    resolved.event === undefined ||
    resolved.event.type.startsWith('$') ||
    resolved.event.streamId.startsWith('$') ||
    resolved.event.streamId === STORE_IDENTITY_STREAM
  );
}

/**
 * The adapter's own stream: one event holding the store's random id (`EventStore.storeId`),
 * written on first need. Like EventStoreDB's own events, it never leaves the adapter through
 * `readAll`, subscriptions or `headPosition`, so that `export` and `migrate` never copy it.
 */
export const STORE_IDENTITY_STREAM = 'jalon-store';

/** What EventStoreDB sends for "no position" in a uint64 field (ulong.MaxValue). */
const NO_POSITION = 2n ** 64n - 1n;

/**
 * An event as the port gives it. One that Jalon cannot decode (data that is not a JSON object,
 * metadata that is not Jalon's) throws an {@link UnreadableEventError} naming its stream, revision
 * and position.
 */
export function toStoredEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): StoredEvent {
  const recorded = resolved.event;
  if (!recorded) throw unreadable('a read returned a link to a deleted event', resolved);
  const where = `${recorded.streamId}@${recorded.revision} (${recorded.id})`;
  const position = recorded.position?.commit ?? resolved.commitPosition;
  if (position === undefined || position === NO_POSITION) {
    throw new EventStoreError(
      'EVENT_STORE.POSITION_UNAVAILABLE',
      `EventStoreDB gave no $all position for event ${where}; stream reads carry it from EventStoreDB 22.6 on`,
    );
  }
  const undecodable = (reason: string) =>
    new UnreadableEventError({ unreadable: true, streamId: recorded.streamId, revision: Number(recorded.revision), position, type: recorded.type, reason });
  const data = recorded.data as unknown;
  if (!recorded.isJson) throw undecodable('data : ce n’est pas du JSON (type de contenu binaire)');
  // The client hands JSON it could not parse over as the raw text.
  if (!isObject(data)) throw undecodable(typeof data === 'string' ? 'data : JSON illisible' : 'data : ce n’est pas un objet JSON');
  const metadata = toEventMetadata(recorded.metadata as unknown);
  if (!metadata) throw undecodable('metadata : ce ne sont pas les métadonnées de Jalon');

  return {
    id: recorded.id,
    type: recorded.type,
    version: metadata.version,
    data: data as StoredEvent['data'],
    metadata: metadata.metadata,
    streamId: recorded.streamId,
    revision: Number(recorded.revision),
    position,
  };
}

function toEventMetadata(raw: unknown): { metadata: EventMetadata; version: number } | undefined {
  if (!isObject(raw)) return undefined;
  const { $correlationId, $causationId, actor, actorName, role, recordedAt, reason, schemaVersion, ...others } = raw;
  const strings = [$correlationId, $causationId, actor, role, recordedAt];
  if (!strings.every((value) => typeof value === 'string') || typeof schemaVersion !== 'number') return undefined;
  if ((actorName !== undefined && typeof actorName !== 'string') || (reason !== undefined && typeof reason !== 'string')) {
    return undefined;
  }
  // Optional fields appear only when they were written, so events round-trip key for key.
  const metadata: EventMetadata = {
    ...others,
    actor: actor as string,
    ...(actorName === undefined ? {} : { actorName }),
    role: role as string,
    correlationId: $correlationId as string,
    causationId: $causationId as string,
    recordedAt: recordedAt as string,
    ...(reason === undefined ? {} : { reason }),
  };
  return { metadata, version: schemaVersion };
}

/**
 * A port position (a commit position) as a client read position. Events appended over gRPC have
 * commit position = prepare position, so `{ commit: p, prepare: p }` names exactly the event at
 * `p`. 0n (the head of an empty store) means the start: no event sits at 0, the log opens with an
 * epoch record.
 */
export function toReadPosition(position: bigint | undefined): ReadPosition {
  return position === undefined || position === 0n ? START : { commit: position, prepare: position };
}

/**
 * The connection went away (or the server cut the call): the operation may be retried. Raw gRPC
 * errors are classified too, in case a client path hands one over unconverted.
 */
export function isConnectionError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  try {
    const converted: unknown = convertToCommandError(error as Error);
    return converted instanceof UnavailableError || converted instanceof CancelledError;
  } catch {
    return false;
  }
}

/** Errors that no resubscription can cure: a subscription fails with them instead of retrying. */
export function isPermanentError(error: unknown): boolean {
  return (
    error instanceof AccessDeniedError ||
    error instanceof InvalidArgumentError ||
    error instanceof UnsupportedError ||
    error instanceof EventStoreError
  );
}

function unreadable(message: string, resolved: ResolvedEvent | AllStreamResolvedEvent): EventStoreError {
  const position = resolved.commitPosition === undefined ? '' : ` at position ${resolved.commitPosition}`;
  return new EventStoreError('EVENT_STORE.UNREADABLE_EVENT', `${message}${position}: it was not written by Jalon`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}
