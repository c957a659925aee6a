import { createHash } from 'node:crypto';
import type { StoredEvent } from '../event-store.port';
import { canonicalJson } from './canonical-json';
import { canonicalEvent, HistoryChecksum, summarize } from './history-checksum';

function storedEvent(overrides: Partial<StoredEvent> = {}): StoredEvent {
  return {
    streamId: 'antenna-montbeliard',
    revision: 0,
    position: 1n,
    id: '2f1c7a64-3b4e-4a8f-9d3e-0c6b5a4f3e21',
    type: 'AntennaInaugurated',
    version: 1,
    data: { antennaId: 'montbeliard', effectiveDate: '2022-06-22' },
    metadata: {
      actor: 'claire-martin',
      role: 'programme-manager',
      correlationId: 'c1',
      causationId: 'c1',
      recordedAt: '2022-06-23T09:00:00.000Z',
    },
    ...overrides,
  };
}

describe('canonical JSON', () => {
  it('rule: one text per value, whatever the key order (keys sorted at every depth, no whitespace)', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: true, e: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"e":null,"f":true}]},"b":1}');
    expect(canonicalJson({ a: { c: 'x', d: [3, { e: null, f: true }] }, b: 1 })).toBe(canonicalJson({ b: 1, a: { d: [3, { f: true, e: null }], c: 'x' } }));
  });

  it('rule: strings and numbers are written as JSON.stringify writes them; undefined properties are left out', () => {
    expect(canonicalJson({ s: 'Au cœur des territoires « 786 000,00 € »\n', n: 78600000, f: 0.5, u: undefined })).toBe(
      '{"f":0.5,"n":78600000,"s":"Au cœur des territoires « 786 000,00 € »\\n"}',
    );
  });
});

describe('history checksum', () => {
  it('rule: SHA-256 over each event’s canonical JSON of (streamId, revision, id, type, version, data, metadata) plus a line feed, in order', () => {
    const events = [storedEvent(), storedEvent({ revision: 1, position: 7n, id: 'b6f1', type: 'AntennaPhaseStarted' })];
    const expected = createHash('sha256')
      .update(events.map((e) => `${canonicalEvent(e)}\n`).join(''), 'utf8')
      .digest('hex');
    const checksum = new HistoryChecksum();
    events.forEach((e) => checksum.add(e));
    expect(checksum.summary()).toEqual({ count: 2, checksum: expected });
    expect(canonicalEvent(events[0]!)).toBe(
      '{"data":{"antennaId":"montbeliard","effectiveDate":"2022-06-22"},"id":"2f1c7a64-3b4e-4a8f-9d3e-0c6b5a4f3e21",' +
        '"metadata":{"actor":"claire-martin","causationId":"c1","correlationId":"c1","recordedAt":"2022-06-23T09:00:00.000Z",' +
        '"role":"programme-manager"},"revision":0,"streamId":"antenna-montbeliard","type":"AntennaInaugurated","version":1}',
    );
  });

  it('rule: positions are not part of the checksum (they differ from one store to another)', async () => {
    const here = await summarize([storedEvent({ position: 1n }), storedEvent({ revision: 1, id: 'x', position: 2n })]);
    const there = await summarize([storedEvent({ position: 4242n }), storedEvent({ revision: 1, id: 'x', position: 9999n })]);
    expect(there).toEqual(here);
  });

  it('rule: any change of order, id, stream, revision, type, version, data or metadata changes the checksum', async () => {
    const a = storedEvent();
    const b = storedEvent({ streamId: 'budget-montbeliard', id: 'other' });
    const reference = (await summarize([a, b])).checksum;
    const variants = [
      [b, a],
      [{ ...a, id: 'changed' }, b],
      [{ ...a, streamId: 'antenna-autre' }, b],
      [{ ...a, revision: 1 }, b],
      [{ ...a, type: 'AntennaClosed' }, b],
      [{ ...a, version: 2 }, b],
      [{ ...a, data: { ...a.data, effectiveDate: '2022-06-21' } }, b],
      [{ ...a, metadata: { ...a.metadata, reason: 'correction' } }, b],
    ];
    for (const variant of variants) expect((await summarize(variant)).checksum).not.toBe(reference);
  });

  it('rule: the empty history has the checksum of no bytes', async () => {
    expect(await summarize([])).toEqual({ count: 0, checksum: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' });
  });

  it('rule: a running checksum can be read mid-way and goes on', () => {
    const checksum = new HistoryChecksum();
    checksum.add(storedEvent());
    const first = checksum.summary();
    checksum.add(storedEvent({ revision: 1, id: 'y' }));
    expect(checksum.summary().count).toBe(2);
    expect(checksum.summary().checksum).not.toBe(first.checksum);
  });
});
