/**
 * The hash chain of a stream (docs/decisions/0011). Every event carries in its metadata the hash
 * of the previous event of its stream (`previousHash`) and its own `hash`: SHA-256 of the canonical
 * JSON of `{ id, streamId, revision, type, version, data, metadata }` with `metadata` stripped of
 * `hash` alone, so `previousHash` is covered and altering, removing or reordering one event breaks
 * the chain from there on. No store position enters the hash: it survives export, import, migrate.
 */
import { createHash } from 'node:crypto';
import type { EventMetadata, EventToAppend } from '../event-store.port';
import { canonicalJson } from '../transfer/canonical-json';

/** `previousHash` of a stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);

const HEX_HASH = /^[0-9a-f]{64}$/;

/** What an event's hash covers. */
export interface HashableEvent {
  readonly id: string;
  readonly streamId: string;
  readonly revision: number;
  readonly type: string;
  readonly version: number;
  readonly data: unknown;
  readonly metadata: EventMetadata | Readonly<Record<string, unknown>>;
}

/** The canonical text an event's hash is computed over. */
export function hashedContent(event: HashableEvent): string {
  const { hash: _hash, ...metadata } = event.metadata as Record<string, unknown>;
  const { id, streamId, revision, type, version, data } = event;
  return canonicalJson({ id, streamId, revision, type, version, data, metadata });
}

/** SHA-256 (64 lower-case hex digits) of the event's canonical content, its `previousHash` included. */
export function eventHash(event: HashableEvent): string {
  return createHash('sha256').update(hashedContent(event), 'utf8').digest('hex');
}

export function isEventHash(value: unknown): value is string {
  return typeof value === 'string' && HEX_HASH.test(value);
}

/** The last event of a stream as the chain needs it: absent for a stream that does not exist yet. */
export interface ChainTip {
  readonly revision: number;
  readonly hash: string;
}

/**
 * Links a batch to the end of its stream: the events get revisions `tip.revision + 1…` (0… for a
 * new stream), each its `previousHash` and `hash`. The batch must then be appended expecting
 * exactly `tip.revision` (`no_stream` without a tip), or the chain would not hold.
 */
export function chainEvents(streamId: string, tip: ChainTip | undefined, events: readonly EventToAppend[]): EventToAppend[] {
  let previousHash = tip?.hash ?? GENESIS_HASH;
  let revision = tip?.revision ?? -1;
  return events.map((event) => {
    revision += 1;
    const { hash: _hash, previousHash: _previous, ...rest } = event.metadata;
    const metadata: EventMetadata = { ...rest, previousHash };
    const hash = eventHash({ id: event.id, streamId, revision, type: event.type, version: event.version, data: event.data, metadata });
    previousHash = hash;
    return { ...event, metadata: { ...metadata, hash } };
  });
}

/**
 * The chain tip an event leaves behind: its `hash`, or, for an event stored before the chain
 * existed, the hash recomputed from its content (so the first chained event links to it).
 */
export function tipOf(event: HashableEvent): ChainTip {
  const stored = (event.metadata as Record<string, unknown>).hash;
  return { revision: event.revision, hash: isEventHash(stored) ? stored : eventHash(event) };
}
