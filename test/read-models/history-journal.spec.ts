import { SqliteEventStore } from '@jalon/event-store';
import { ProjectedEvent, ProjectionRunner, ReadModelView, replayInMemory } from '@jalon/projections';
import { historyAtCut } from '../../libs/projections/src/read-models/history/history-at-cut';
import {
  ALL_ENTRIES_PREFIXES,
  HISTORY_PROJECTION_NAME,
  HistoryDocument,
  historyProjection,
  JOURNAL_BLOCK_POSITIONS,
  JOURNAL_BLOCKS_PER_GROUP,
  JOURNAL_COUNTS_PREFIX,
  JOURNAL_PREFIX,
  JOURNAL_SUMMARY_PREFIX,
  programmeFacts,
} from '../../libs/projections/src/read-models/history/history.projection';
import { factMatches, type HistoryFact } from '../../libs/projections/src/read-models/history/history.projection';
import { buildHistoryReport, buildHistoryReportByWholeMerge, HistoryFilter, HistoryReportData } from '../../libs/projections/src/read-models/history/history.report';
import { demoEvents } from '../support/demo-history';
import { historyCutsOf as cutsOf, historyModelsOf as modelsOf, openSeededHistory, projectHistory as project, SeededHistory } from '../support/history-fixtures';

/**
 * A page of the whole programme's audit trail is read through the journal, the log-ordered index
 * the history projection keeps (decision 0026, amended), filtered or not: it must be, byte for
 * byte, the report the whole merge of the trail builds, for every page, page size, order and
 * combination of filters, live and at a cut.
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
  for (const filter of [{ antennaId: facts.find((fact) => fact.antennaId !== null)?.antennaId ?? undefined }])
    for (const order of ['asc', 'desc'] as const) sets.push({ referenceDate: REFERENCE_DATE, page: 1, pageSize: 50, order, ...filter });
  return [...sets, ...filteredParameterSets(facts)];
}

/**
 * Every combination of actor, kind of fact, `from` and `to` (values taken from the trail: a common
 * and a rare kind, a date range inside the trail's dates, one matching nothing), each over every
 * page of a few sizes (and one beyond the last), in both orders.
 */
function filteredParameterSets(facts: readonly HistoryFact[]): (HistoryFilter & { referenceDate: string })[] {
  const dates = facts.map((fact) => fact.effectiveDate).filter((date): date is string => date !== null).sort();
  const byType = new Map<string, number>();
  for (const fact of facts) byType.set(fact.type, (byType.get(fact.type) ?? 0) + 1);
  const types = [...byType.entries()].sort((a, b) => b[1] - a[1]);
  const sample = facts[Math.floor(facts.length / 2)]!;
  const actors = [sample.actor, 'personne-inconnue'];
  const kinds = [types[0]![0], types[types.length - 1]![0], sample.type];
  const froms = [dates[Math.floor(dates.length / 4)]!, '2100-01-01'];
  const tos = [dates[Math.floor((dates.length * 3) / 4)]!];
  const combinations: HistoryFilter[] = [];
  for (const actor of [undefined, ...actors])
    for (const eventType of [undefined, ...kinds])
      for (const from of [undefined, ...froms])
        for (const to of [undefined, ...tos]) {
          const filter = { ...(actor ? { actor } : {}), ...(eventType ? { eventType } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) };
          if (Object.keys(filter).length > 0) combinations.push(filter);
        }
  const sets: (HistoryFilter & { referenceDate: string })[] = [];
  for (const filter of combinations) {
    // Only to choose the pages to compare (the last, one beyond it): the reports are compared whole.
    const matching = facts.filter((fact) => factMatches(fact, filter)).length;
    for (const pageSize of [3, 50]) {
      const pages = Math.ceil(matching / pageSize) + 1;
      const chosen = pages <= 6 ? Array.from({ length: pages }, (_, index) => index + 1) : [1, 2, Math.ceil(pages / 2), pages - 1, pages];
      for (const page of chosen) for (const order of [undefined, 'desc'] as const) sets.push({ referenceDate: REFERENCE_DATE, page, pageSize, ...(order ? { order } : {}), ...filter });
    }
  }
  return sets;
}

/** Compares the journal's report with the whole merge's for every parameter set; returns how many unfiltered pages had entries. */
function expectJournalEqualsWholeMerge(view: ReadModelView<HistoryDocument>, label: string): number {
  let pagesWithEntries = 0;
  for (const parameters of parameterSets(view)) {
    const lists: string[] = [];
    const listing: ReadModelView<HistoryDocument> = { get: (key) => view.get(key), list: (prefix) => (lists.push(prefix), view.list(prefix)) };
    const journal = JSON.stringify(buildHistoryReport(modelsOf(listing), parameters));
    // A page of the programme's trail, filtered or not, went through the journal: no entries prefix was listed.
    const paged = parameters.antennaId === undefined && (parameters.page !== undefined || parameters.pageSize !== undefined);
    if (paged) expect({ label, parameters, lists: lists.filter((prefix) => ALL_ENTRIES_PREFIXES.some((entries) => prefix.startsWith(entries))) }).toEqual({ label, parameters, lists: [] });
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

  it('rule: a fact without an effective date never passes a date filter, in a block of its own or among dated ones', () => {
    // Every third event without an effective date; the first block keeps several, the spread model one per block.
    const undated = demo.map((event, index) => (index % 3 === 1 ? { ...event, data: Object.fromEntries(Object.entries(event.data).filter(([field]) => field !== 'effectiveDate')) } : event));
    for (const events of [undated, undated.map((event) => ({ ...event, position: event.position * BigInt(JOURNAL_BLOCK_POSITIONS) }))]) {
      const model = project(events);
      expect(programmeFacts(model).filter((fact) => fact.effectiveDate === null).length).toBeGreaterThan(10);
      const lists: string[] = [];
      const listing: ReadModelView<HistoryDocument> = { get: (key) => model.get(key), list: (prefix) => (lists.push(prefix), model.list(prefix)) };
      for (const filter of [{ from: '2019-01-01' }, { to: '2030-12-31' }, { from: '2021-01-01', to: '2022-12-31' }, { from: '2021-01-01', eventType: programmeFacts(model)[4]!.type }])
        for (const order of ['asc', 'desc'] as const) {
          const parameters = { referenceDate: REFERENCE_DATE, page: 1, pageSize: 500, order, ...filter };
          expect(JSON.stringify(buildHistoryReport(modelsOf(listing), parameters))).toBe(JSON.stringify(buildHistoryReportByWholeMerge(modelsOf(model), parameters)));
        }
      // Read through the journal: the journal agreed with the entries, no entries prefix was listed.
      expect([...new Set(lists)].sort()).toEqual([JOURNAL_SUMMARY_PREFIX, 'names:actor:', 'names:antenna:']);
    }
  });

  it('rule: an event applied again changes neither the journal nor its counts (replays stay idempotent)', () => {
    const again = project([...demo, ...demo.slice(30, 90)]);
    const once = project(demo);
    expect(again.list(JOURNAL_PREFIX)).toEqual(once.list(JOURNAL_PREFIX));
    expect(again.list(JOURNAL_COUNTS_PREFIX)).toEqual(once.list(JOURNAL_COUNTS_PREFIX));
    expect(again.list(JOURNAL_SUMMARY_PREFIX)).toEqual(once.list(JOURNAL_SUMMARY_PREFIX));
  });

  it('rule: at a cut, the journal seen through the cut gives the pages of the whole merge seen through it', () => {
    const live = project(demo);
    let compared = 0;
    for (const cut of cutsOf(demo)) {
      const seen = historyAtCut(live, cut);
      const sample = programmeFacts(live)[Math.floor(programmeFacts(live).length / 2)]!;
      for (const parameters of [
        { page: 1, pageSize: 50 },
        { page: 2, pageSize: 7, order: 'desc' as const },
        { page: 1, pageSize: 500, order: 'desc' as const },
        // Filtered pages: the journal's summaries seen through the cut.
        { page: 1, pageSize: 5, eventType: sample.type },
        { page: 2, pageSize: 3, order: 'desc' as const, actor: sample.actor },
        { page: 1, pageSize: 4, from: '2021-01-01', to: '2022-12-31' },
        { page: 2, pageSize: 2, order: 'desc' as const, actor: sample.actor, to: '2022-06-30' },
      ]) {
        const all = { referenceDate: REFERENCE_DATE, ...parameters };
        expect({ cut, parameters, report: JSON.stringify(buildHistoryReport(modelsOf(seen), all)) }).toEqual({ cut, parameters, report: JSON.stringify(buildHistoryReportByWholeMerge(modelsOf(seen), all)) });
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(40);
  });

  it('rule: a journal that disagrees with the entries is not trusted: the page is the whole merge’s', () => {
    const model = project(demo);
    const [firstBlock] = model.list(JOURNAL_PREFIX);
    const blockKey = model.entries().find(([, doc]) => doc === firstBlock)![0];
    for (const broken of [
      // A block holding fewer rows than counted.
      (doc: HistoryDocument) => (doc.kind === 'journal' ? { ...doc, rows: doc.rows.slice(1) } : doc),
      // A row pointing to an entries document that does not hold its fact.
      (doc: HistoryDocument) => (doc.kind === 'journal' ? { ...doc, rows: doc.rows.map(([position, , date, at, kind]) => [position, 'programme:none:entries:x', date, at, kind] as const) } : doc),
      // Rows claiming every fact is of the kind and by the actor filtered on: the facts do not bear them out.
      (doc: HistoryDocument) => (doc.kind === 'journal' ? { ...doc, kinds: doc.kinds.map(() => ['TrancheReceived', 'claire'] as const) } : doc),
    ]) {
      const view: ReadModelView<HistoryDocument> = { get: (key) => (key === blockKey ? broken(model.get(key)!) : model.get(key)), list: (prefix) => model.list(prefix) };
      for (const order of ['asc', 'desc'] as const) {
        for (const filter of [{}, { eventType: 'TrancheReceived' }, { from: '2021-01-01' }, { actor: 'claire', to: '2030-01-01' }]) {
          const parameters = { referenceDate: REFERENCE_DATE, page: 1, pageSize: 500, order, ...filter };
          expect(JSON.stringify(buildHistoryReport(modelsOf(view), parameters))).toBe(JSON.stringify(buildHistoryReportByWholeMerge(modelsOf(model), parameters)));
        }
      }
    }
  });

  it('rule: a journal whose summaries disagree with its blocks is not trusted: a filtered page is the whole merge’s', () => {
    const model = project(demo);
    const [summary] = model.list(JOURNAL_SUMMARY_PREFIX);
    const summaryKey = model.entries().find(([, doc]) => doc === summary)![0];
    for (const broken of [
      // A block summed up with one row more than it holds.
      (doc: HistoryDocument) => (doc.kind === 'journal-summary' ? { ...doc, blocks: doc.blocks.map(([block, rows, ...rest]) => [block, rows + 1, ...rest] as const) } : doc),
      // A block counting one more row of each (type, actor) pair than it holds.
      (doc: HistoryDocument) => (doc.kind === 'journal-summary' ? { ...doc, blocks: doc.blocks.map(([block, rows, first, last, undated, kinds]) => [block, rows, first, last, undated, kinds.map((n) => n + 1)] as const) } : doc),
    ]) {
      const view: ReadModelView<HistoryDocument> = { get: (key) => (key === summaryKey ? broken(model.get(key)!) : model.get(key)), list: (prefix) => (prefix === JOURNAL_SUMMARY_PREFIX ? model.list(prefix).map(broken) : model.list(prefix)) };
      const sample = programmeFacts(model)[10]!;
      for (const order of ['asc', 'desc'] as const) {
        for (const filter of [{ eventType: sample.type }, { actor: sample.actor }, { from: '2021-01-01', to: '2022-12-31' }]) {
          const parameters = { referenceDate: REFERENCE_DATE, page: 1, pageSize: 500, order, ...filter };
          expect(JSON.stringify(buildHistoryReport(modelsOf(view), parameters))).toBe(JSON.stringify(buildHistoryReportByWholeMerge(modelsOf(model), parameters)));
        }
      }
    }
  });

  it('rule: a filtered page reads the summaries, the blocks whose dates straddle the filter and those holding the page, never the whole trail', () => {
    // Each event in a journal block of its own.
    const spread = demo.map((event) => ({ ...event, position: event.position * BigInt(JOURNAL_BLOCK_POSITIONS) }));
    const model = project(spread);
    const facts = programmeFacts(model);
    const read: string[] = [];
    const counting: ReadModelView<HistoryDocument> = {
      get: (key) => (read.push(`get ${key}`), model.get(key)),
      list: (prefix) => (read.push(`list ${prefix}`), model.list(prefix)),
    };
    const readFor = (filter: HistoryFilter): { lists: string[]; blocks: number; entries: number } => {
      read.length = 0;
      buildHistoryReport(modelsOf(counting), { referenceDate: REFERENCE_DATE, page: 1, pageSize: 2, order: 'desc', ...filter });
      return {
        lists: read.filter((line) => line.startsWith('list ')).sort(),
        blocks: read.filter((line) => line.startsWith(`get ${JOURNAL_PREFIX}`)).length,
        entries: read.filter((line) => line.includes(':entries:')).length,
      };
    };
    const lists = [`list ${JOURNAL_SUMMARY_PREFIX}`, 'list names:actor:', 'list names:antenna:'];
    // One kind of fact, one actor: counted from the summaries; only the page's two blocks are read.
    const type = facts[facts.length - 1]!.type;
    expect(readFor({ eventType: type })).toEqual({ lists, blocks: 2, entries: expect.any(Number) });
    expect(readFor({ actor: facts[0]!.actor })).toEqual({ lists, blocks: 2, entries: expect.any(Number) });
    // A date range: a block of one fact never straddles it, so again only the page's blocks.
    expect(readFor({ from: '2021-01-01', to: '2022-12-31' })).toEqual({ lists, blocks: 2, entries: expect.any(Number) });
    expect(readFor({ eventType: type, from: '2021-01-01' }).entries).toBeLessThanOrEqual(2);
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
