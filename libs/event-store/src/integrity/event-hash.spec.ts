import { createHash } from 'node:crypto';
import type { EventMetadata, EventToAppend } from '../event-store.port';
import { canonicalJson, canonicalJsonWithout } from '../transfer/canonical-json';
import { chainEvents, eventHash, GENESIS_HASH, hashedContent, textsLinkedWith, type HashableEvent } from './event-hash';

/** Decision 0011 written as plainly as possible: what the fast versions must match, byte for byte. */
function referenceContent(event: HashableEvent): string {
  const { hash: _hash, ...metadata } = event.metadata as Record<string, unknown>;
  const { id, streamId, revision, type, version, data } = event;
  return canonicalJson({ id, streamId, revision, type, version, data, metadata });
}

function referenceChain(streamId: string, tip: { revision: number; hash: string } | undefined, events: readonly EventToAppend[]): EventToAppend[] {
  let previousHash = tip?.hash ?? GENESIS_HASH;
  let revision = tip?.revision ?? -1;
  return events.map((event) => {
    revision += 1;
    const { hash: _hash, previousHash: _previous, ...rest } = event.metadata;
    const metadata: EventMetadata = { ...rest, previousHash };
    const hash = createHash('sha256').update(referenceContent({ ...event, streamId, revision, metadata }), 'utf8').digest('hex');
    previousHash = hash;
    return { ...event, metadata: { ...metadata, hash } };
  });
}

function randomEvent(seed: { n: number }, index: number): EventToAppend {
  // The high bits: the low bits of this generator repeat every few draws.
  const next = () => (seed.n = (seed.n * 1103515245 + 12345) % 2147483648) >>> 12;
  const words = ['', 'é', '« 786 000,00 € »', 'line\nbreak', '"quoted"', '\u2028', 'Z', 'a', '22/06/2022'];
  const data: Record<string, unknown> = {};
  for (const key of ['zeta', 'amountCents', 'Alpha', '10', '9', 'lines', 'reason', 'effectiveDate', 'absent']) {
    switch (next() % 6) {
      case 0: data[key] = next() % 1_000_000_00; break;
      case 1: data[key] = words[next() % words.length]; break;
      case 2: data[key] = [next() % 7, words[next() % words.length], { b: 1, a: [null, true] }]; break;
      case 3: data[key] = { category: 'personnel', amountCents: next() % 1000, nested: { y: null, x: false } }; break;
      case 4: data[key] = undefined; break;
      default: break;
    }
  }
  const metadata: Record<string, unknown> = {
    actor: `user-${next() % 5}`,
    actorName: words[next() % words.length],
    role: 'finance',
    correlationId: 'c0ffee00-1111-4222-8333-444455556666',
    causationId: 'c0ffee00-1111-4222-8333-444455556666',
    recordedAt: '2026-12-03T04:20:00.000Z',
  };
  // A copy of an event already chained (the seal writer, a re-chained batch): its own links are
  // replaced, and go last whatever their place in the copy.
  if (next() % 4 === 0) metadata.previousHash = 'd'.repeat(64);
  if (next() % 3 === 0) metadata.reason = words[next() % words.length];
  if (next() % 3 === 0) metadata.idempotency = { key: 'k'.repeat(64), request: 'r'.repeat(64) };
  if (next() % 4 === 0) metadata.hash = 'f'.repeat(64);
  if (next() % 4 === 0) metadata.previousHash = 'e'.repeat(64);
  if (next() % 5 === 0) metadata.optional = undefined;
  return { id: `event-${index}`, type: next() % 2 ? 'ExpenditureRecorded' : 'LogSealed', version: 1 + (next() % 3), data, metadata: metadata as unknown as EventMetadata };
}

describe('event hash: one text per event, however fast it is built (decision 0011)', () => {
  it('rule: the hashed text is the canonical JSON of { id, streamId, revision, type, version, data, metadata without hash }, for 2 000 random events', () => {
    const seed = { n: 7 };
    for (let i = 0; i < 2_000; i++) {
      const event = { ...randomEvent(seed, i), streamId: `budget-${i % 13}`, revision: i % 50 };
      expect(hashedContent(event)).toBe(referenceContent(event));
      expect(eventHash(event)).toBe(createHash('sha256').update(referenceContent(event), 'utf8').digest('hex'));
    }
  });

  it('rule: chaining gives exactly the events and hashes of the definition (metadata key order included: previousHash then hash, last)', () => {
    const seed = { n: 11 };
    for (let batch = 0; batch < 300; batch++) {
      const events = Array.from({ length: 1 + (batch % 4) }, (_, i) => randomEvent(seed, batch * 10 + i));
      const tip = batch % 3 === 0 ? undefined : { revision: batch, hash: eventHash({ ...events[0]!, streamId: 's', revision: batch }) };
      const before = JSON.stringify(events);
      const chained = chainEvents(`budget-${batch}`, tip, events);
      expect(JSON.stringify(chained)).toBe(JSON.stringify(referenceChain(`budget-${batch}`, tip, events)));
      // Pure: the batch handed in is left as it was.
      expect(JSON.stringify(events)).toBe(before);
    }
  });

  it('rule: a metadata member named __proto__ (as JSON.parse makes it) stays a member, hashed and stored as the definition gives it', () => {
    const metadata = JSON.parse('{"actor":"u","__proto__":{"x":1},"role":"finance"}') as EventMetadata;
    const events: EventToAppend[] = [{ id: 'e', type: 't', version: 1, data: {}, metadata }];
    const [chained] = chainEvents('s', undefined, events);
    expect(JSON.stringify(chained)).toBe(JSON.stringify(referenceChain('s', undefined, events)[0]));
    expect(JSON.stringify(chained!.metadata)).toContain('"__proto__":{"x":1}');
  });

  it('rule: an event whose metadata is not an object is hashed as the definition gives it, not refused', () => {
    const event = { id: 'e', streamId: 's', revision: 0, type: 't', version: 1, data: {}, metadata: ['a'] as unknown as EventMetadata };
    expect(hashedContent(event)).toBe(referenceContent(event));
  });

  it('rule: the canonical JSON of an object without one member is that of its copy without it', () => {
    const record = { b: 1, hash: 'x', a: { hash: 'kept inside' }, c: undefined };
    const { hash: _hash, ...rest } = record;
    expect(canonicalJsonWithout(record, 'hash')).toBe(canonicalJson(rest));
  });

  it('rule: a linked event comes with the texts it was hashed from, for the store to keep: they read back as its data and metadata and give its hash again (decision 0055)', () => {
    const seed = { n: 19 };
    for (let batch = 0; batch < 300; batch++) {
      const events = Array.from({ length: 1 + (batch % 3) }, (_, i) => randomEvent(seed, batch * 10 + i));
      chainEvents(`budget-${batch}`, undefined, events).forEach((linked, revision) => {
        const texts = textsLinkedWith(linked)!;
        expect(texts.data).toBe(canonicalJson(linked.data));
        const data = JSON.parse(texts.data) as Record<string, unknown>;
        const metadata = JSON.parse(texts.metadata) as Record<string, unknown>;
        expect(data).toEqual(JSON.parse(JSON.stringify(linked.data)));
        expect(metadata).toEqual(JSON.parse(JSON.stringify(linked.metadata)));
        expect(Object.keys(metadata).at(-1)).toBe('hash');
        expect(eventHash({ ...linked, streamId: `budget-${batch}`, revision, data, metadata })).toBe(linked.metadata.hash);
      });
    }
  });

  it('rule: no texts come with an event whose values would not read back as they are (NaN, a Date, a Map, undefined or a hole in an array): the store serialises, and refuses, it itself', () => {
    const metadata = { actor: 'u', role: 'finance' } as unknown as EventMetadata;
    const odd: Record<string, unknown>[] = [{ amountCents: Number.NaN }, { at: new Date(0) }, { lines: new Map() }, { lines: [1, undefined] }, { lines: [1, , 2] }, { deep: { amountCents: Infinity } }];
    for (const data of odd) {
      const [linked, next] = chainEvents('s', undefined, [
        { id: 'odd', type: 't', version: 1, data, metadata },
        { id: 'plain', type: 't', version: 1, data: { amountCents: 1 }, metadata },
      ]);
      expect(textsLinkedWith(linked!)).toBeUndefined();
      // The next event of the batch has its texts: one odd value spoils only its own event.
      expect(textsLinkedWith(next!)?.data).toBe('{"amountCents":1}');
    }
    const [oddMetadata] = chainEvents('s', undefined, [{ id: 'e', type: 't', version: 1, data: {}, metadata: { ...metadata, at: new Date(0) } as unknown as EventMetadata }]);
    expect(textsLinkedWith(oddMetadata!)).toBeUndefined();
  });

  it('rule: a copy of a linked event carries no texts (it may hold other values): only the event the chain returned does', () => {
    const [linked] = chainEvents('s', undefined, [{ id: 'e', type: 't', version: 1, data: { a: 1 }, metadata: { actor: 'u' } as unknown as EventMetadata }]);
    expect(textsLinkedWith(linked!)).toBeDefined();
    expect(textsLinkedWith({ ...linked!, data: { a: 2 } })).toBeUndefined();
    expect(textsLinkedWith({ ...linked! })).toBeUndefined();
  });
});
