import Database from 'better-sqlite3';
import { isAscii } from 'node:buffer';
import { deflateSync, inflateSync } from 'node:zlib';
import { sqliteStorageUnderTest } from '../testing/sqlite-storage-under-test';
import { encodeSnapshotDocs, SnapshotDocsEncoder, SnapshotMeta } from './snapshot-store';

/**
 * The time-travel snapshots' figures are decoded once and kept while the file says no snapshot was
 * written since (a count of writes in the file, kept by every writer): read again after a write
 * made here, through another connection, or by the read models' clean-up.
 */
describe('SqliteTimeTravelSnapshotStore: figures kept decoded', () => {
  const { open, file } = sqliteStorageUnderTest('jalon-snapshot-store-');
  const meta = (position: bigint, previous: bigint, projections = 'budget@1'): SnapshotMeta => ({
    position,
    previous,
    full: true,
    projections,
    storeId: 'store',
    lastEvent: `event-${position}`,
    events: Number(position),
    maxRecordedAt: Number(position),
    maxEffective: '2022-01-01',
    minRecordedAt: 1,
    minEffective: '2021-01-01',
  });
  const positions = (metas: readonly SnapshotMeta[]) => metas.map((m) => m.position);

  it('rule: with nothing written in between, the same decoded figures are served, each time in a new array', () => {
    const snapshots = open().timeTravelSnapshots();
    snapshots.save(meta(10n, 0n), new Map());
    const first = snapshots.metas();
    first.pop();
    const second = snapshots.metas();
    expect(positions(second)).toEqual([10n]);
    expect(second[0]).toBe(snapshots.metas()[0]);
  });

  it('rule: a snapshot written or dropped here is seen at once', () => {
    const snapshots = open().timeTravelSnapshots();
    snapshots.save(meta(10n, 0n), new Map());
    expect(positions(snapshots.metas())).toEqual([10n]);
    snapshots.save(meta(20n, 10n), new Map());
    expect(positions(snapshots.metas())).toEqual([10n, 20n]);
    snapshots.drop(20n);
    expect(positions(snapshots.metas())).toEqual([10n]);
  });

  it('rule: a snapshot written or dropped through another connection (the projection thread, another process) is seen by the next read', () => {
    const reader = open().timeTravelSnapshots();
    const writer = open().timeTravelSnapshots();
    writer.save(meta(10n, 0n), new Map());
    expect(positions(reader.metas())).toEqual([10n]);
    writer.save(meta(20n, 10n), new Map());
    expect(positions(reader.metas())).toEqual([10n, 20n]);
    writer.drop();
    expect(reader.metas()).toEqual([]);
  });

  it('rule: snapshots removed by the clean-up of superseded read models are no longer served', () => {
    const storage = open();
    const snapshots = storage.timeTravelSnapshots();
    snapshots.save(meta(10n, 0n, 'budget@1'), new Map());
    snapshots.save(meta(20n, 10n, 'budget@2'), new Map());
    expect(positions(snapshots.metas())).toEqual([10n, 20n]);
    storage.removeSuperseded({ projections: [], snapshots: 'budget@2' });
    expect(positions(snapshots.metas())).toEqual([20n]);
  });

  it('rule: a file written before the count of writes existed is read once, and again after its first write here', () => {
    const db = new Database(file());
    db.exec(`CREATE TABLE time_travel_snapshots (position TEXT PRIMARY KEY, meta TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE time_travel_snapshot_docs (position TEXT NOT NULL, projection TEXT NOT NULL, docs BLOB NOT NULL, PRIMARY KEY (position, projection));`);
    db.prepare('INSERT INTO time_travel_snapshots (position, meta) VALUES (?, ?)').run('10', JSON.stringify({ ...meta(10n, 0n), position: '10', previous: '0' }));
    db.close();
    const snapshots = open().timeTravelSnapshots();
    const first = snapshots.metas();
    expect(positions(first)).toEqual([10n]);
    expect(snapshots.metas()[0]).toBe(first[0]);
    snapshots.save(meta(20n, 10n), new Map());
    expect(positions(snapshots.metas())).toEqual([10n, 20n]);
  });
});

/** A cut decodes a snapshot's documents at each query: they are stored in ASCII, which V8 reads far faster than UTF-8 with accents (see encodeSnapshotDocs). */
describe('SqliteTimeTravelSnapshotStore: documents stored in ASCII', () => {
  const { open } = sqliteStorageUnderTest('jalon-snapshot-docs-');
  const entries: [string, unknown][] = [
    ['antenna:besancon', { antennaName: 'Antenne Cnam de Besançon', town: 'Besançon', note: 'Écart\u00a0: 786\u202f000,00 € — ok 😀', path: 'C:\\dépenses\\"2023"' }],
    ['antenna:lone', { text: 'a lone surrogate \ud800 kept' }],
  ];
  const meta: SnapshotMeta = { position: 10n, previous: 0n, full: true, projections: 'budget@1', storeId: 'store', lastEvent: 'e', events: 2, maxRecordedAt: 1, maxEffective: '2022-01-01', minRecordedAt: 1, minEffective: '2022-01-01' };

  it('rule: accents, spaces, the euro sign and characters beyond one UTF-16 unit are escaped in the stored JSON, and read back unchanged', async () => {
    const blob = await encodeSnapshotDocs(entries);
    const text = inflateSync(blob);
    expect(isAscii(text)).toBe(true);
    expect(text.toString('latin1')).toContain('Besan\\u00e7on');
    const snapshots = open().timeTravelSnapshots();
    snapshots.save(meta, new Map([['budget@1', blob]]));
    expect(snapshots.docs(10n, 'budget@1')).toEqual(entries);
  });

  it('rule: a snapshot written in UTF-8, before, is still read as it was written', () => {
    const snapshots = open().timeTravelSnapshots();
    snapshots.save(meta, new Map([['budget@1', deflateSync(Buffer.from(JSON.stringify(entries), 'utf8'))]]));
    expect(snapshots.docs(10n, 'budget@1')).toEqual(entries);
  });
});

/**
 * Snapshots of a large programme share most of their documents with the snapshot before: the
 * encoder reuses the text it wrote for an object it meets again. Whatever it reuses, it writes the
 * bytes `encodeSnapshotDocs` writes (JSON.stringify's text, in ASCII).
 */
describe('SnapshotDocsEncoder: the same bytes, texts reused', () => {
  class Figure {
    constructor(readonly cents: number) {}
  }
  const shared = { rows: [{ label: 'Dépenses de fonctionnement', cents: 786_000_00 }, { label: 'Investissement', cents: -0 }], note: undefined };
  const first: [string, unknown][] = [
    ['antenna:a', { name: 'Montbéliard', shared, deep: { one: { two: { three: { four: ['x', undefined, () => 1, null] } } } } }],
    ['antenna:b', { odd: { 2: 'two', 1: 'one', b: 'b', skip: undefined, symbol: Symbol('s') }, when: new Date(Date.UTC(2022, 5, 22)), numbers: [Number.NaN, Infinity, 1e21, 0.1] }],
    ['antenna:c', { figure: new Figure(12), withJson: { toJSON: () => ({ replaced: 'é' }) }, empty: {}, none: [] }],
    ['antenna:d', null],
    ['antenna:e', { text: 'a lone surrogate \ud800 kept', euro: '786\u202f000,00 €' }],
  ];
  const inflated = async (blob: Promise<Buffer>) => inflateSync(await blob).toString('latin1');

  it('rule: documents met for the first time, of every kind of value JSON.stringify writes, are written as encodeSnapshotDocs writes them', async () => {
    expect(await inflated(new SnapshotDocsEncoder().encode(first))).toBe(await inflated(encodeSnapshotDocs(first)));
  });

  it('rule: documents seen before, and new documents sharing members with them, are written as encodeSnapshotDocs writes them', async () => {
    const encoder = new SnapshotDocsEncoder();
    await encoder.encode(first);
    const [a, b, c] = first.map(([, doc]) => doc as Record<string, unknown>);
    const second: [string, unknown][] = [
      ['antenna:a', { ...a, name: 'Montbéliard (Doubs)' }],
      ['antenna:b', b],
      ['antenna:c', { ...c, empty: { now: 'filled' } }],
      ['antenna:f', { shared, copy: { ...shared, note: 'écart' } }],
    ];
    expect(await inflated(encoder.encode(second))).toBe(await inflated(encodeSnapshotDocs(second)));
    expect(await inflated(encoder.encode(first))).toBe(await inflated(encodeSnapshotDocs(first)));
  });
});
