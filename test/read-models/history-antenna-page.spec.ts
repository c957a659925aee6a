import { SqliteEventStore } from '@jalon/event-store';
import { ProjectedEvent, ProjectionRunner, ReadModelView, replayInMemory } from '@jalon/projections';
import { historyAtCut } from '../../libs/projections/src/read-models/history/history-at-cut';
import {
  ANTENNA_ORDER_POSITIONS,
  ANTENNA_ORDER_PREFIX,
  antennaEntriesPrefix,
  antennaFacts,
  antennaOrderPrefix,
  antennaTrailIndex,
  HISTORY_PROJECTION_NAME,
  HistoryDocument,
  historyAntennas,
  historyProjection,
} from '../../libs/projections/src/read-models/history/history.projection';
import { buildHistoryReport, buildHistoryReportByWholeMerge, HistoryFilter, HistoryReportData } from '../../libs/projections/src/read-models/history/history.report';
import { demoEvents } from '../support/demo-history';
import { historyCutsOf as cutsOf, historyModelsOf as modelsOf, openSeededHistory, projectHistory as project, SeededHistory } from '../support/history-fixtures';

/**
 * A page of one antenna's audit trail is read through the antenna's order, the index of its own
 * facts in log order kept by the history projection (decision 0021, amended): it must be, byte for
 * byte, the report the whole merge of the antenna's trail builds, for every page, page size, order
 * and filter, for every antenna, live, after a write and at a cut.
 */

type Parameters = HistoryFilter & { referenceDate: string };
const REFERENCE_DATE = '2026-01-15';

/** Every page (and one beyond the last) of each size and order, unfiltered and filtered, and the trail read whole. */
function parameterSets(view: ReadModelView<HistoryDocument>, antennaId: string): Parameters[] {
  const facts = antennaFacts(view, antennaId) ?? [];
  const sets: Parameters[] = [];
  for (const pageSize of [1, 7, 50, 500]) {
    const pages = Math.ceil(facts.length / pageSize) + 1;
    const chosen = pageSize === 1 ? [...new Set([1, 2, Math.ceil(pages / 2), pages - 1, pages])] : Array.from({ length: pages }, (_, index) => index + 1);
    for (const page of chosen) for (const order of [undefined, 'asc', 'desc'] as const) sets.push({ referenceDate: REFERENCE_DATE, antennaId, page, pageSize, ...(order ? { order } : {}) });
  }
  sets.push({ referenceDate: REFERENCE_DATE, antennaId, page: 2 }, { referenceDate: REFERENCE_DATE, antennaId, pageSize: 20 }, { referenceDate: REFERENCE_DATE, antennaId });
  const sample = facts[Math.floor(facts.length / 2)];
  if (sample !== undefined) {
    for (const filter of [{ actor: sample.actor }, { eventType: sample.type }, { from: '2023-01-01', to: '2024-12-31' }, { from: '2099-01-01' }])
      for (const order of ['asc', 'desc'] as const) for (const page of [1, 2]) sets.push({ referenceDate: REFERENCE_DATE, antennaId, page, pageSize: 50, order, ...filter });
  }
  return sets;
}

/** The report, or the error it throws, as text. */
function outcome(build: () => unknown): string {
  try {
    return JSON.stringify(build());
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}

/** Compares the order's report with the whole merge's for every antenna and parameter set; returns how many unfiltered pages had entries. */
function expectOrderEqualsWholeMerge(view: ReadModelView<HistoryDocument>, label: string, antennaIds = historyAntennas(view).map((doc) => doc.antennaId)): number {
  let pagesWithEntries = 0;
  for (const antennaId of antennaIds) {
    for (const parameters of parameterSets(view, antennaId)) {
      const paged = outcome(() => buildHistoryReport(modelsOf(view), parameters));
      const whole = outcome(() => buildHistoryReportByWholeMerge(modelsOf(view), parameters));
      expect({ label, parameters, report: paged }).toEqual({ label, parameters, report: whole });
      if (parameters.page !== undefined && parameters.actor === undefined && paged.startsWith('{') && (JSON.parse(paged) as { data: HistoryReportData }).data.entries.length > 0) pagesWithEntries++;
    }
  }
  return pagesWithEntries;
}

/** Cuts around a sample of the events: by effective date, by recorded instant, and both. */

/** The events with positions 1, 2, 3… again, in their order. */
const renumbered = (events: readonly ProjectedEvent[]): ProjectedEvent[] => events.map((event, index) => ({ ...event, position: BigInt(index + 1) }));

describe('a page of one antenna’s audit trail read through its order', () => {
  let demo: ProjectedEvent[];
  let antennaId: string;
  beforeAll(async () => {
    demo = await demoEvents();
    antennaId = demo.find((event) => event.type === 'AntennaOpened')!.data.antennaId as string;
  });

  it('rule: over the demo history, every page, size, order and filter of every antenna is, byte for byte, the report of the whole merge', () => {
    const model = project(demo);
    expect(model.list(antennaOrderPrefix(antennaId)).length).toBeGreaterThan(0);
    expect(expectOrderEqualsWholeMerge(model, 'demo')).toBeGreaterThan(30);
  });

  it('rule: with positions spread over many order documents, the pages stay those of the whole merge', () => {
    // A new order document every 3 positions of the log.
    const spread = demo.map((event) => ({ ...event, position: event.position * BigInt(Math.floor(ANTENNA_ORDER_POSITIONS / 3)) + 1n }));
    const model = project(spread);
    expect(model.list(antennaOrderPrefix(antennaId)).length).toBeGreaterThan(5);
    expect(expectOrderEqualsWholeMerge(model, 'spread')).toBeGreaterThan(30);
  });

  it('rule: a candidacy fact recorded among the antenna’s own facts takes its place in log order on every page', () => {
    // Candidacy facts carry no antenna id: the page puts them in their places by position, here inside an order document.
    const own = demo.filter((event) => event.data.antennaId === antennaId && !String(event.streamId).startsWith('candidacy-'));
    const candidacyEvent = demo.find((event) => String(event.streamId).startsWith('candidacy-') && event.type === 'CandidacyPartnerAdded')!;
    const middle = demo.indexOf(own[Math.floor(own.length / 2)]!);
    const late = { ...candidacyEvent, id: 'late-partner', revision: candidacyEvent.revision + 100 };
    const events = renumbered([...demo.slice(0, middle), late, ...demo.slice(middle), { ...late, revision: late.revision + 1 }]);
    const model = project(events);
    const orders = model.list(antennaOrderPrefix(antennaId));
    expect(orders).toHaveLength(1);
    expect(expectOrderEqualsWholeMerge(model, 'candidacy among own facts', [antennaId])).toBeGreaterThan(30);
  });

  it('rule: an antenna with its opening alone, and an unknown antenna, read as the whole merge reads them (one fact; the same refusal)', () => {
    const opening = demo.findIndex((event) => event.type === 'AntennaOpened');
    const model = project(demo.slice(0, opening + 1));
    expect(expectOrderEqualsWholeMerge(model, 'opening alone', [antennaId, 'inconnue'])).toBeGreaterThan(3);
    const unknown = { referenceDate: REFERENCE_DATE, antennaId: 'inconnue', page: 1, pageSize: 50 };
    expect(outcome(() => buildHistoryReport(modelsOf(model), unknown))).toMatch(/Antenne inconnue/);
  });

  it('rule: an event applied again changes no order document (replays stay idempotent)', () => {
    const again = project([...demo, ...demo.slice(30, 90)]);
    const once = project(demo);
    expect(again.list(ANTENNA_ORDER_PREFIX)).toEqual(once.list(ANTENNA_ORDER_PREFIX));
  });

  it('rule: at a cut, an antenna’s pages are those of the whole merge seen through the cut, and its order seen there gives the same facts', () => {
    const live = project(demo);
    let compared = 0;
    let ordersSeen = 0;
    for (const cut of cutsOf(demo)) {
      const seen = historyAtCut(live, cut);
      const order = antennaTrailIndex(seen, antennaId);
      if (order !== undefined) {
        ordersSeen++;
        expect({ cut, facts: order.slice(0, order.total) }).toEqual({ cut, facts: antennaFacts(seen, antennaId) });
      }
      for (const parameters of [{ page: 1, pageSize: 50 }, { page: 2, pageSize: 7, order: 'desc' as const }, { page: 1, pageSize: 500, order: 'desc' as const }]) {
        const all = { referenceDate: REFERENCE_DATE, antennaId, ...parameters };
        expect({ cut, parameters, report: outcome(() => buildHistoryReport(modelsOf(seen), all)) }).toEqual({
          cut,
          parameters,
          report: outcome(() => buildHistoryReportByWholeMerge(modelsOf(seen), all)),
        });
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(20);
    expect(ordersSeen).toBeGreaterThan(5);
  });

  it('rule: an order that disagrees with the entries is not trusted: the page is the whole merge’s', () => {
    const model = project(demo);
    const [order] = model.list(antennaOrderPrefix(antennaId));
    const orderKey = model.entries().find(([, doc]) => doc === order)![0];
    for (const broken of [
      // A revision the entries do not hold.
      (doc: HistoryDocument) => (doc.kind === 'antenna-order' ? { ...doc, streams: doc.streams.map(([streamId, runs]) => [streamId, runs.map(([first, count]) => [first + 1000, count] as const)] as const) } : doc),
      // A character naming a stream the document does not list.
      (doc: HistoryDocument) => (doc.kind === 'antenna-order' ? { ...doc, order: `${doc.order}z` } : doc),
    ]) {
      const view: ReadModelView<HistoryDocument> = {
        get: (key) => (key === orderKey ? broken(model.get(key)!) : model.get(key)),
        list: (prefix) => model.list(prefix).map((doc) => (doc === order ? broken(doc) : doc)),
      };
      for (const order of ['asc', 'desc'] as const) {
        const parameters = { referenceDate: REFERENCE_DATE, antennaId, page: 1, pageSize: 500, order };
        expect(JSON.stringify(buildHistoryReport(modelsOf(view), parameters))).toBe(JSON.stringify(buildHistoryReportByWholeMerge(modelsOf(model), parameters)));
      }
    }
  });
});

describe('the antennas’ orders kept by the runner, over a seeded synthetic history, after a write', () => {
  let seeded: SeededHistory;
  let store: SqliteEventStore;
  let runner: ProjectionRunner;

  beforeAll(async () => {
    seeded = await openSeededHistory('history-antenna-order');
    ({ store, runner } = seeded);
  });
  afterAll(() => seeded.close());

  it('rule: every page, size, order and filter of every antenna is the whole merge’s, before and after a write, and the one a fresh replay reads', async () => {
    const live = runner.view<HistoryDocument>(HISTORY_PROJECTION_NAME);
    const antennas = historyAntennas(live).map((doc) => doc.antennaId);
    expect(antennas.length).toBeGreaterThan(3);
    expect(expectOrderEqualsWholeMerge(live, 'seeded', antennas.slice(0, 4))).toBeGreaterThan(40);
    const antennaId = antennas[1]!;
    await store.append(
      `budget-${antennaId}`,
      [
        {
          id: crypto.randomUUID(),
          type: 'ExpenditureRecorded',
          version: 1,
          data: { antennaId, expenditureId: 'order-1', category: 'other', amountCents: 12_345, description: 'test', effectiveDate: '2024-02-01' },
          metadata: { actor: 'test', role: 'finance', correlationId: 'c', causationId: 'c', recordedAt: '2024-02-02T09:00:00.000Z' },
        },
      ],
      { expectedRevision: 'any' },
    );
    await runner.catchUp();
    // The first query after the write: the newest fact of the antenna first, as the whole merge has it.
    const newest = { referenceDate: REFERENCE_DATE, antennaId, page: 1, pageSize: 50, order: 'desc' as const };
    const first = buildHistoryReport(runner, newest);
    expect(((first.data as HistoryReportData).entries[0]!.values as { expenditureId: string }).expenditureId).toBe('order-1');
    expect(JSON.stringify(first)).toBe(JSON.stringify(buildHistoryReportByWholeMerge(runner, newest)));
    expect(expectOrderEqualsWholeMerge(live, 'seeded after a write', [antennaId, antennas[0]!])).toBeGreaterThan(20);
    const fresh = await replayInMemory(store, [historyProjection]);
    const total = (first.data as HistoryReportData).pageCount;
    for (const page of [1, 2, total]) {
      for (const order of ['asc', 'desc'] as const) {
        const parameters = { referenceDate: REFERENCE_DATE, antennaId, page, pageSize: 50, order };
        expect(JSON.stringify(buildHistoryReport(runner, parameters))).toBe(JSON.stringify(buildHistoryReport(fresh, parameters)));
      }
    }
  });

  it('rule: an unfiltered page reads the antenna’s order and the entries documents of its facts, never the antenna’s whole trail', () => {
    const model = runner.view<HistoryDocument>(HISTORY_PROJECTION_NAME);
    const antennaId = historyAntennas(model)[0]!.antennaId;
    const read: string[] = [];
    const counting: ReadModelView<HistoryDocument> = {
      get: (key) => (read.push(`get ${key}`), model.get(key)),
      list: (prefix) => (read.push(`list ${prefix}`), model.list(prefix)),
    };
    const report = buildHistoryReport(modelsOf(counting), { referenceDate: REFERENCE_DATE, antennaId, page: 1, pageSize: 5, order: 'desc' });
    expect((report.data as HistoryReportData).entries).toHaveLength(5);
    expect(read).not.toContain(`list ${antennaEntriesPrefix(antennaId)}`);
    // The page's five facts lie in at most five entries documents, the latest ones of the antenna's streams.
    const entriesRead = new Set(read.filter((line) => line.startsWith(`get ${antennaEntriesPrefix(antennaId)}`)));
    expect(entriesRead.size).toBeGreaterThan(0);
    expect(entriesRead.size).toBeLessThanOrEqual(5);
    expect(model.list(antennaEntriesPrefix(antennaId)).length).toBeGreaterThan(entriesRead.size);
  });
});
