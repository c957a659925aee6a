import { SqliteEventStore } from '@jalon/event-store';
import { ProjectedEvent, ProjectionRunner, ReadModelView, replayInMemory } from '@jalon/projections';
import { historyAtCut } from '../../libs/projections/src/read-models/history/history-at-cut';
import {
  HISTORY_PROJECTION_NAME,
  HistoryDocument,
  historyProjection,
  JOURNAL_BLOCK_POSITIONS,
  JOURNAL_BLOCKS_PER_GROUP,
  JOURNAL_COUNTS_PREFIX,
  JOURNAL_PREFIX,
  programmeFacts,
} from '../../libs/projections/src/read-models/history/history.projection';
import { buildHistoryReport, buildHistoryReportByWholeMerge, HistoryFilter, HistoryReportData } from '../../libs/projections/src/read-models/history/history.report';
import { demoEvents } from '../support/demo-history';
import { historyCutsOf as cutsOf, historyModelsOf as modelsOf, openSeededHistory, projectHistory as project, SeededHistory } from '../support/history-fixtures';

/**
 * A page of the whole programme's audit trail is read through the journal, the log-ordered index
 * the history projection keeps (decision 0026, amended): it must be, byte for byte, the report the
 * whole merge of the trail builds, for every page, page size, order and filter, live and at a cut.
 */

const REFERENCE_DATE = '2026-01-15';

/** Every page (and one beyond the last) of each size and order, unfiltered, and a few filtered reads. */
function parameterSets(view: ReadModelView<HistoryDocument>): (HistoryFilter & { referenceDate: string })[] {
  const facts = programmeFacts(view);
  const sets: (HistoryFilter & { referenceDate: string })[] = [];
  for (const pageSize of [1, 7, 50, 500]) {
    const pages = Math.ceil(facts.length / pageSize) + 1;
    const chosen = pageSize === 1 ? [1, 2, Math.ceil(pages / 2), pages - 1, pages] : Array.from({ length: pages }, (_, index) => index + 1);
    for (const page of chosen) for (const order of [undefined, 'asc', 'desc'] as const) sets.push({ referenceDate: REFERENCE_DATE, page, pageSize, ...(order ? { order } : {}) });
  }
  sets.push({ referenceDate: REFERENCE_DATE, page: 2 }, { referenceDate: REFERENCE_DATE, pageSize: 20 }, { referenceDate: REFERENCE_DATE }, { referenceDate: REFERENCE_DATE, order: 'desc' });
  const sample = facts[Math.floor(facts.length / 2)]!;
  for (const filter of [{ actor: sample.actor }, { eventType: sample.type }, { from: '2023-01-01', to: '2024-12-31' }, { antennaId: facts.find((fact) => fact.antennaId !== null)?.antennaId ?? undefined }])
    for (const order of ['asc', 'desc'] as const) sets.push({ referenceDate: REFERENCE_DATE, page: 1, pageSize: 50, order, ...filter });
  return sets;
}

/** Compares the journal's report with the whole merge's for every parameter set; returns how many unfiltered pages had entries. */
function expectJournalEqualsWholeMerge(view: ReadModelView<HistoryDocument>, label: string): number {
  let pagesWithEntries = 0;
  for (const parameters of parameterSets(view)) {
    const journal = JSON.stringify(buildHistoryReport(modelsOf(view), parameters));
    const whole = JSON.stringify(buildHistoryReportByWholeMerge(modelsOf(view), parameters));
    expect({ label, parameters, report: journal }).toEqual({ label, parameters, report: whole });
    if ((JSON.parse(journal) as { data: HistoryReportData }).data.entries.length > 0) pagesWithEntries++;
  }
  return pagesWithEntries;
}

/** Cuts around a sample of the events: by effective date, by recorded instant, and both. */

describe('the programme-wide audit trail read a page at a time through the journal', () => {
  let demo: ProjectedEvent[];
  beforeAll(async () => {
    demo = await demoEvents();
  });

  it('rule: over the demo history, every page, size, order and filter is, byte for byte, the report of the whole merge', () => {
    expect(expectJournalEqualsWholeMerge(project(demo), 'demo')).toBeGreaterThan(40);
  });

  it('rule: with positions spread over many journal blocks and count groups, the pages stay those of the whole merge', () => {
    // Each event in a block of its own, and a new count group every 4 positions of the log.
    const spread = demo.map((event) => ({ ...event, position: event.position * BigInt((JOURNAL_BLOCK_POSITIONS * JOURNAL_BLOCKS_PER_GROUP) / 4) + 3n }));
    const model = project(spread);
    expect(model.list(JOURNAL_COUNTS_PREFIX).length).toBeGreaterThan(5);
    expect(model.list(JOURNAL_PREFIX).length).toBe(programmeFacts(model).length);
    expect(expectJournalEqualsWholeMerge(model, 'spread')).toBeGreaterThan(40);
  });

  it('rule: an event applied again changes neither the journal nor its counts (replays stay idempotent)', () => {
    const again = project([...demo, ...demo.slice(30, 90)]);
    const once = project(demo);
    expect(again.list(JOURNAL_PREFIX)).toEqual(once.list(JOURNAL_PREFIX));
    expect(again.list(JOURNAL_COUNTS_PREFIX)).toEqual(once.list(JOURNAL_COUNTS_PREFIX));
  });

  it('rule: at a cut, the journal seen through the cut gives the pages of the whole merge seen through it', () => {
    const live = project(demo);
    let compared = 0;
    for (const cut of cutsOf(demo)) {
      const seen = historyAtCut(live, cut);
      for (const parameters of [{ page: 1, pageSize: 50 }, { page: 2, pageSize: 7, order: 'desc' as const }, { page: 1, pageSize: 500, order: 'desc' as const }]) {
        const all = { referenceDate: REFERENCE_DATE, ...parameters };
        expect({ cut, parameters, report: JSON.stringify(buildHistoryReport(modelsOf(seen), all)) }).toEqual({ cut, parameters, report: JSON.stringify(buildHistoryReportByWholeMerge(modelsOf(seen), all)) });
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(20);
  });

  it('rule: a journal that disagrees with the entries is not trusted: the page is the whole merge’s', () => {
    const model = project(demo);
    const [firstBlock] = model.list(JOURNAL_PREFIX);
    const blockKey = model.entries().find(([, doc]) => doc === firstBlock)![0];
    for (const broken of [
      // A block holding fewer rows than counted.
      (doc: HistoryDocument) => (doc.kind === 'journal' ? { ...doc, rows: doc.rows.slice(1) } : doc),
      // A row pointing to an entries document that does not hold its fact.
      (doc: HistoryDocument) => (doc.kind === 'journal' ? { ...doc, rows: doc.rows.map(([position, , date, at]) => [position, 'programme:none:entries:x', date, at] as const) } : doc),
    ]) {
      const view: ReadModelView<HistoryDocument> = { get: (key) => (key === blockKey ? broken(model.get(key)!) : model.get(key)), list: (prefix) => model.list(prefix) };
      for (const order of ['asc', 'desc'] as const) {
        const parameters = { referenceDate: REFERENCE_DATE, page: 1, pageSize: 500, order };
        expect(JSON.stringify(buildHistoryReport(modelsOf(view), parameters))).toBe(JSON.stringify(buildHistoryReportByWholeMerge(modelsOf(model), parameters)));
      }
    }
  });

  it('rule: an unfiltered page reads the counts, its journal blocks and the entries it points to, never the whole trail', () => {
    const spread = demo.map((event) => ({ ...event, position: event.position * BigInt(JOURNAL_BLOCK_POSITIONS) }));
    const model = project(spread);
    const read: string[] = [];
    const counting: ReadModelView<HistoryDocument> = {
      get: (key) => (read.push(`get ${key}`), model.get(key)),
      list: (prefix) => (read.push(`list ${prefix}`), model.list(prefix)),
    };
    const report = buildHistoryReport(modelsOf(counting), { referenceDate: REFERENCE_DATE, page: 2, pageSize: 5, order: 'desc' });
    expect((report.data as HistoryReportData).entries).toHaveLength(5);
    const lists = read.filter((line) => line.startsWith('list '));
    // The counts, and the choices of the filter form (antennas, actors): no entries prefix.
    expect(lists.sort()).toEqual([`list ${JOURNAL_COUNTS_PREFIX}`, 'list names:actor:', 'list names:antenna:']);
    expect(read.filter((line) => line.startsWith(`get ${JOURNAL_PREFIX}`))).toHaveLength(5);
  });
});

describe('the journal kept by the runner, over a seeded synthetic history, after a write', () => {
  let seeded: SeededHistory;
  let store: SqliteEventStore;
  let runner: ProjectionRunner;

  beforeAll(async () => {
    seeded = await openSeededHistory('history-journal');
    ({ store, runner } = seeded);
  });
  afterAll(() => seeded.close());

  it('rule: every page, size, order and filter of the live trail is the whole merge’s, before and after a write, and the one a fresh replay reads', async () => {
    const live = runner.view<HistoryDocument>(HISTORY_PROJECTION_NAME);
    expect(expectJournalEqualsWholeMerge(live, 'seeded')).toBeGreaterThan(50);
    const antennaId = programmeFacts(live).find((fact) => fact.antennaId !== null)!.antennaId!;
    await store.append(
      `budget-${antennaId}`,
      [
        {
          id: crypto.randomUUID(),
          type: 'ExpenditureRecorded',
          version: 1,
          data: { antennaId, expenditureId: 'journal-1', category: 'other', amountCents: 12_345, description: 'test', effectiveDate: '2024-02-01' },
          metadata: { actor: 'test', role: 'finance', correlationId: 'c', causationId: 'c', recordedAt: '2024-02-02T09:00:00.000Z' },
        },
      ],
      { expectedRevision: 'any' },
    );
    await runner.catchUp();
    expect(expectJournalEqualsWholeMerge(live, 'seeded after a write')).toBeGreaterThan(50);
    const first = buildHistoryReport(runner, { referenceDate: REFERENCE_DATE, page: 1, pageSize: 50, order: 'desc' });
    expect(((first.data as HistoryReportData).entries[0]!.values as { expenditureId: string }).expenditureId).toBe('journal-1');
    const fresh = await replayInMemory(store, [historyProjection]);
    for (const page of [1, 2, 40]) {
      const parameters = { referenceDate: REFERENCE_DATE, page, pageSize: 50, order: 'desc' as const };
      expect(JSON.stringify(buildHistoryReport(runner, parameters))).toBe(JSON.stringify(buildHistoryReport(fresh, parameters)));
    }
  });
});
