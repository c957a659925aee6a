/**
 * The hash chain of a stream (docs/decisions/0011). Every event carries in its metadata the hash
 * of the previous event of its stream (`previousHash`) and its own `hash`: SHA-256 of the canonical
 * JSON of `{ id, streamId, revision, type, version, data, metadata }` with `metadata` stripped of
 * `hash` alone, so `previousHash` is covered and altering, removing or reordering one event breaks
 * the chain from there on. No store position enters the hash: it survives export, import, migrate.
 */
import * as crypto from 'node:crypto';
import type { EventMetadata, EventToAppend } from '../event-store.port';
import { canonicalJson, canonicalJsonWithout, faithfulCanonicalJson } from '../transfer/canonical-json';

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

/**
 * The canonical text an event's hash is computed over: `canonicalJson` of
 * `{ id, streamId, revision, type, version, data, metadata }` with `metadata` without `hash`.
 * Written member by member in that object's key order, without building it or copying the metadata.
 */
export function hashedContent(event: HashableEvent): string {
  const metadata = event.metadata as Record<string, unknown>;
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    // Not an object (never so in a readable store): the definition as written, whatever it gives.
    const { hash: _hash, ...rest } = metadata;
    const { id, streamId, revision, type, version, data } = event;
    return canonicalJson({ id, streamId, revision, type, version, data, metadata: rest });
  }
  const dataText = event.data === undefined ? undefined : canonicalJson(event.data);
  return contentText(event.id, event.streamId, event.revision, event.type, event.version, dataText, canonicalJsonWithout(metadata, 'hash'));
}

/**
 * `canonicalJson({ id, streamId, revision, type, version, data, metadata })` given the data's
 * canonical text (`undefined` for no data) and the metadata's: the members in sorted key order,
 * those `undefined` left out.
 */
function contentText(id: unknown, streamId: unknown, revision: unknown, type: unknown, version: unknown, dataText: string | undefined, metadataText: string): string {
  // `metadata` is always there: the members before it end with a comma, those after it start with
  // one, and the text is never cut (a slice of the text built so far would copy it once more
  // before it is hashed).
  let text = '{';
  if (dataText !== undefined) text += `"data":${dataText},`;
  if (id !== undefined) text += `"id":${canonicalJson(id)},`;
  text += `"metadata":${metadataText}`;
  if (revision !== undefined) text += `,"revision":${canonicalJson(revision)}`;
  if (streamId !== undefined) text += `,"streamId":${canonicalJson(streamId)}`;
  if (type !== undefined) text += `,"type":${canonicalJson(type)}`;
  if (version !== undefined) text += `,"version":${canonicalJson(version)}`;
  return `${text}}`;
}

/** SHA-256 (64 lower-case hex digits) of the event's canonical content, its `previousHash` included. */
export function eventHash(event: HashableEvent): string {
  return sha256Hex(hashedContent(event));
}

/** One-shot hashing where Node has it (20.12+): no Hash object per event. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;
const sha256Hex: (text: string) => string = oneShot
  ? (text) => oneShot('sha256', text, 'hex')
  : (text) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

export function isEventHash(value: unknown): value is string {
  return typeof value === 'string' && HEX_HASH.test(value);
}

/** The last event of a stream as the chain needs it: absent for a stream that does not exist yet. */
export interface ChainTip {
  readonly revision: number;
  readonly hash: string;
}

/**
 * The JSON texts of a linked event's data and metadata, written while hashing them (docs/decisions/0055):
 * a store keeps them rather than serialising the same values a second time.
 */
export interface LinkedTexts {
  /** The data's canonical JSON. */
  readonly data: string;
  /** The metadata's canonical JSON without `hash`, then `hash` as its last member. */
  readonly metadata: string;
}

/**
 * An event {@link chainEvents} linked. Its texts are in a private field: a copy of it (a spread)
 * is a plain event without them, and comparisons and serialisations of it see only the event.
 */
class LinkedEvent implements EventToAppend {
  readonly #texts: LinkedTexts | undefined;

  constructor(
    readonly id: string,
    readonly type: string,
    readonly version: number,
    readonly data: Readonly<Record<string, unknown>>,
    readonly metadata: EventMetadata,
    texts: LinkedTexts | undefined,
  ) {
    this.#texts = texts;
  }

  static textsOf(event: EventToAppend): LinkedTexts | undefined {
    return event instanceof LinkedEvent ? event.#texts : undefined;
  }
}

/** The texts {@link chainEvents} wrote for this event, if it linked it and its values are plain JSON. */
export function textsLinkedWith(event: EventToAppend): LinkedTexts | undefined {
  return LinkedEvent.textsOf(event);
}

/**
 * Links a batch to the end of its stream: the events get revisions `tip.revision + 1…` (0… for a
 * new stream), each its `previousHash` and `hash`. The batch must then be appended expecting
 * exactly `tip.revision` (`no_stream` without a tip), or the chain would not hold. The texts it
 * hashed are kept for the store ({@link textsLinkedWith}) when they read back as the values.
 */
export function chainEvents(streamId: string, tip: ChainTip | undefined, events: readonly EventToAppend[]): EventToAppend[] {
  let previousHash = tip?.hash ?? GENESIS_HASH;
  let revision = tip?.revision ?? -1;
  return events.map((event) => {
    revision += 1;
    const source = event.metadata;
    let metadata: Record<string, unknown>;
    if (Object.hasOwn(source, 'hash') || Object.hasOwn(source, 'previousHash') || Object.hasOwn(source, '__proto__')) {
      // Linked anew (a copy's own links dropped): the two fields go last, in this order.
      const { hash: _hash, previousHash: _previous, ...rest } = source;
      metadata = { ...rest, previousHash };
    } else {
      // The command path's case: the same members in the same order, `previousHash` then `hash`
      // added last, copied with Object.assign (many times cheaper than a spread here; a member
      // named `__proto__` would set the prototype instead, hence the case above).
      metadata = Object.assign({} as Record<string, unknown>, source);
      metadata.previousHash = previousHash;
    }
    // Written once each, for the hash and for the store: what would not read back as the value (a
    // NaN, a Date…) is written as the hash defines it, and left to the store to refuse.
    const dataText = event.data === undefined ? undefined : faithfulCanonicalJson(event.data);
    const metadataText = faithfulCanonicalJson(metadata);
    const faithful = dataText !== undefined && metadataText !== undefined;
    const hashedData = event.data === undefined || dataText !== undefined ? dataText : canonicalJson(event.data);
    const hash = sha256Hex(contentText(event.id, streamId, revision, event.type, event.version, hashedData, metadataText ?? canonicalJson(metadata)));
    metadata.hash = hash;
    previousHash = hash;
    // The metadata holds `previousHash`, so its text is never `{}`: `hash` is added as its last member.
    const texts = faithful ? { data: dataText, metadata: `${metadataText.slice(0, -1)},"hash":"${hash}"}` } : undefined;
    return new LinkedEvent(event.id, event.type, event.version, event.data, metadata as unknown as EventMetadata, texts);
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
