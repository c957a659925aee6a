import { SqliteEventStore } from '@jalon/event-store';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { defineProjection } from '../projection';
import { KPIS_PROJECTION_NAME } from '../read-models/kpis/kpis.projection';
import { project, projected } from '../testing/projection-specification';
import { sqliteStorageUnderTest } from '../testing/sqlite-storage-under-test';
import { TimeTravelSnapshots } from './programme-snapshots';

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

  it('rule: a cut at every mark starts from that mark, and equals a replay to the cut, documents erased after the snapshot included; a mark that changed every document is used without the snapshot before it', async () => {
    const storage = open();
    const store = SqliteEventStore.open({ file: join(dirname(file()), 'events.sqlite') });
    try {
      await store.append(
        'notes',
        facts.map(([type, item], index) => ({
          id: randomUUID(),
          type,
          version: 1,
          data: { item, effectiveDate: dayOf(index) },
          metadata: { actor: 'test', role: 'programme-manager', correlationId: 'c', causationId: 'c', recordedAt: `${dayOf(index)}T10:00:00.000Z` },
        })),
        { expectedRevision: 'any' },
      );
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
});
