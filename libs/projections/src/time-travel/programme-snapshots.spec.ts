import { SqliteEventStore } from '@jalon/event-store';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { defineProjection } from '../projection';
import { KPIS_PROJECTION_NAME } from '../read-models/kpis/kpis.projection';
import { project, projected } from '../testing/projection-specification';
import { sqliteStorageUnderTest } from '../testing/sqlite-storage-under-test';
import { TimeTravelSnapshots } from './programme-snapshots';
import { SnapshotDocsEncoder, TimeTravelSnapshotStore } from './snapshot-store';

/**
 * The marks between snapshots keep the documents changed since the mark or snapshot before
 * (docs/decisions/0028): a cut starts from the last mark it holds whole. A document gone (`evolve`
 * returned null) is kept as gone: the cut does not find it again from the snapshot before.
 */
describe('time-travel marks keep their changes', () => {
  const { open, file } = sqliteStorageUnderTest('jalon-programme-snapshots-');
  // A projection under the name of one that keeps snapshots, whose documents can be deleted.
  const counted = defineProjection<{ readonly count: number }>({
    name: KPIS_PROJECTION_NAME,
    version: 99,
    handles: ['Noted', 'Erased'],
    keysOf: (event) => [`programme:${String(event.data.item)}`],
    evolve: (doc, event) => (event.type === 'Erased' ? null : { count: (doc?.count ?? 0) + 1 }),
  });
  const facts: readonly (readonly [string, string])[] = [
    ['Noted', 'a'], ['Noted', 'b'], ['Noted', 'a'], ['Noted', 'c'], ['Noted', 'd'], ['Noted', 'e'], ['Noted', 'f'],
    ['Noted', 'g'], ['Noted', 'h'], ['Noted', 'i'], ['Noted', 'j'], ['Erased', 'a'], ['Noted', 'b'], ['Erased', 'c'], ['Noted', 'k'],
  ];
  const dayOf = (index: number) => `2024-01-${String(index + 1).padStart(2, '0')}`;
  /** At each fact's day, the cut starts from the mark at that fact (nothing left to fold) and equals a replay of the facts up to it. */
  const expectEveryCutFromItsMark = async (snapshots: TimeTravelSnapshots) => {
    for (let index = 0; index < facts.length; index++) {
      const cut = await snapshots.modelsAtCut(KPIS_PROJECTION_NAME, { asOf: dayOf(index) });
      const expected = project(counted, facts.slice(0, index + 1).map(([type, item]) => projected(type, { item })));
      expect([index, cut!.events, cut!.view<{ count: number }>(KPIS_PROJECTION_NAME).list('programme:')]).toEqual([index, 0, expected.list('programme:')]);
    }
  };
  /** Each fact on a day of its own, in order, in one stream. */
  const appendFacts = (store: SqliteEventStore, list: readonly (readonly [string, string])[]) =>
    store.append(
      'notes',
      list.map(([type, item], index) => ({
        id: randomUUID(),
        type,
        version: 1,
        data: { item, effectiveDate: dayOf(index) },
        metadata: { actor: 'test', role: 'programme-manager', correlationId: 'c', causationId: 'c', recordedAt: `${dayOf(index)}T10:00:00.000Z` },
      })),
      { expectedRevision: 'any' },
    );

  it('rule: a cut at every mark starts from that mark, and equals a replay to the cut, documents erased after the snapshot included; a mark that changed every document is used without the snapshot before it', async () => {
    const storage = open();
    const store = SqliteEventStore.open({ file: join(dirname(file()), 'events.sqlite') });
    try {
      await appendFacts(store, facts);
      // A snapshot every 10 events, a mark after each.
      const snapshots = new TimeTravelSnapshots(store, storage.timeTravelSnapshots(), [counted], { everyEvents: 10 });
      await snapshots.catchUp();
      const metas = storage.timeTravelSnapshots().metas();
      expect(metas.filter((meta) => meta.full).map((meta) => meta.position)).toEqual([10n]);
      expect(metas.filter((meta) => !meta.full).every((meta) => meta.changes === true)).toBe(true);
      // The first mark changed its only document (a mark as good as a snapshot for it); the second, one of two.
      expect(metas.slice(0, 2).map((meta) => meta.complete)).toEqual([['kpis@99'], []]);

      for (let index = 0; index < facts.length; index++) {
        const cut = await snapshots.modelsAtCut(KPIS_PROJECTION_NAME, { asOf: dayOf(index) });
        const expected = project(counted, facts.slice(0, index + 1).map(([type, item]) => projected(type, { item })));
        expect([index, cut!.events, cut!.from]).toEqual([index, 0, BigInt(index + 1)]);
        expect([index, cut!.view<{ count: number }>(KPIS_PROJECTION_NAME).list('programme:')]).toEqual([index, expected.list('programme:')]);
      }
    } finally {
      await store.close();
    }
  });

  it('rule: a build stopped while it writes a mark loses nothing: built again, every mark holds its changes and every cut equals a replay to it', async () => {
    const storage = open();
    const store = SqliteEventStore.open({ file: join(dirname(file()), 'events-stopped.sqlite') });
    const original = SnapshotDocsEncoder.prototype.encode;
    const encode = jest.spyOn(SnapshotDocsEncoder.prototype, 'encode');
    try {
      await appendFacts(store, facts);
      const snapshots = new TimeTravelSnapshots(store, storage.timeTravelSnapshots(), [counted], { everyEvents: 10 });
      // Stopped as it encodes its twelfth write (the mark at event 12, after the snapshot at 10).
      let stopped: Promise<void> | undefined;
      encode.mockImplementation(function (this: SnapshotDocsEncoder, ...args) {
        if (encode.mock.calls.length === 12) stopped = snapshots.stop();
        return original.apply(this, args);
      });
      await snapshots.catchUp();
      await stopped;
      expect(storage.timeTravelSnapshots().metas().map((meta) => meta.position)).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n, 10n, 11n]);
      await snapshots.catchUp();
      expect(storage.timeTravelSnapshots().metas().map((meta) => meta.position)).toEqual(facts.map((_, index) => BigInt(index + 1)));
      await expectEveryCutFromItsMark(snapshots);
    } finally {
      encode.mockRestore();
      await store.close();
    }
  });

  it('rule: a snapshot that cannot be stored (the disk full) is reported and stops the build, nothing after it is written; built again once the disk has room, every cut equals a replay to it', async () => {
    const storage = open();
    const store = SqliteEventStore.open({ file: join(dirname(file()), 'events-full-disk.sqlite') });
    const kept = storage.timeTravelSnapshots();
    let writes = 0;
    let diskFull = true;
    const failing: TimeTravelSnapshotStore = {
      metas: () => kept.metas(),
      docs: (position, projection) => kept.docs(position, projection),
      drop: (from) => kept.drop(from),
      save: (meta, blobs) => {
        if (++writes === 6 && diskFull) throw new Error('SQLITE_FULL: database or disk is full');
        kept.save(meta, blobs);
      },
    };
    try {
      await appendFacts(store, facts);
      const snapshots = new TimeTravelSnapshots(store, failing, [counted], { everyEvents: 10 });
      await snapshots.catchUp();
      expect(kept.metas().map((meta) => meta.position)).toEqual([1n, 2n, 3n, 4n, 5n]);
      expect(snapshots.status()).toMatchObject({ building: false, fault: { reason: expect.stringContaining('SQLITE_FULL') } });
      expect(snapshots.status().fault?.mendedAt).toBeUndefined();

      diskFull = false;
      await snapshots.catchUp();
      expect(kept.metas().map((meta) => meta.position)).toEqual(facts.map((_, index) => BigInt(index + 1)));
      expect(snapshots.status().fault?.mendedAt).toEqual(expect.any(String));
      await expectEveryCutFromItsMark(snapshots);
    } finally {
      await store.close();
    }
  });

  it('rule: a mark keeps only the documents changed since the mark before: not one an event left as it was, nor one made and erased in between; one erased is kept as gone', async () => {
    const storage = open();
    const store = SqliteEventStore.open({ file: join(dirname(file()), 'events-changes.sqlite') });
    // `Touched` leaves a document as it was (the same object), and makes none where there is none.
    const touched = defineProjection<{ readonly count: number }>({ ...counted, handles: ['Noted', 'Erased', 'Touched'], evolve: (doc, event) => (event.type === 'Touched' ? doc : counted.evolve(doc, event, '')) });
    const steps: readonly (readonly [string, string])[] = [['Noted', 'a'], ['Noted', 'b'], ['Touched', 'a'], ['Touched', 'z'], ['Noted', 'c'], ['Erased', 'c'], ['Noted', 'a'], ['Erased', 'b']];
    try {
      await appendFacts(store, steps);
      // A snapshot every 20 events: a mark every 2.
      const snapshots = new TimeTravelSnapshots(store, storage.timeTravelSnapshots(), [touched], { everyEvents: 20 });
      await snapshots.catchUp();
      const marks = storage.timeTravelSnapshots().metas();
      expect(marks.map((meta) => [meta.position, meta.full])).toEqual([[2n, false], [4n, false], [6n, false], [8n, false]]);
      expect(storage.timeTravelSnapshots().docs(2n, 'kpis@99')).toEqual([['programme:a', { count: 1 }], ['programme:b', { count: 1 }]]);
      expect(storage.timeTravelSnapshots().docs(4n, 'kpis@99')).toEqual([]);
      expect(storage.timeTravelSnapshots().docs(6n, 'kpis@99')).toEqual([]);
      expect(storage.timeTravelSnapshots().docs(8n, 'kpis@99')).toEqual([['programme:a', { count: 2 }], ['programme:b', null]]);
    } finally {
      await store.close();
    }
  });
});
