import { fr } from '../../libs/reporting/src/testing/french-spaces';
import { ReportService } from '@jalon/application';
import { SqliteEventStore } from '@jalon/event-store';
import { collect } from '@jalon/event-store';
import { InMemoryReadModel, isInCut, PROJECTIONS, ProjectionRunner, ReadModelView, REPORT_BUILDERS, REPORT_READ_MODELS, replayInMemory, SqliteProjectionStorage } from '@jalon/projections';
import { REPORT_KINDS, renderJson, renderTable } from '@jalon/reporting';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordDemoHistory } from '../support/demo-history';

/** Every report of the demo history, as rendered for users, for a given way of obtaining the read models. */
async function allReports(service: ReportService): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const kind of REPORT_KINDS) {
    for (const antennaId of [undefined, 'montbeliard']) {
      if (kind === 'kpis' && antennaId) continue;
      if (kind === 'etat-depenses' && !antennaId) continue; // about one antenna's agreement only
      const report = await service.build({ kind, ...(antennaId ? { antennaId } : {}) });
      out[`${kind}/${antennaId ?? 'programme'}`] = `${renderTable(report)}\n${renderJson(report)}`;
    }
  }
  return out;
}

describe('reports from the live read models and from a replay', () => {
  let dir: string;
  let store: SqliteEventStore;
  let storage: SqliteProjectionStorage;
  const clock = { now: () => new Date('2026-01-15T10:00:00Z') };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-live-replay-'));
    store = SqliteEventStore.open({ file: join(dir, 'jalon.sqlite'), livePollMs: 20 });
    storage = SqliteProjectionStorage.open(join(dir, 'read-models.sqlite'));
  });
  afterAll(async () => {
    storage.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rule: every report gives the same output from the live read models, from `jalon replay` and from an in-memory replay', async () => {
    // Live: the runner follows the log while the history is being recorded, committing in small batches.
    const live = new ProjectionRunner(store, storage, PROJECTIONS, { batchSize: 3, flushIntervalMs: 5 });
    await live.start();
    await recordDemoHistory(store);
    expect(await live.waitForPosition(await store.headPosition(), 10_000)).toBe(true);
    await live.stop();
    const fromLive = await allReports(new ReportService(store, live, clock, 'Europe/Paris'));

    // `jalon replay`: every projection rebuilt from the first event.
    const rebuilt = new ProjectionRunner(store, storage, PROJECTIONS);
    await rebuilt.rebuild();
    const fromRebuild = await allReports(new ReportService(store, rebuilt, clock, 'Europe/Paris'));

    // In memory, as time travel does (with no cut).
    const replayed = await replayInMemory(store, PROJECTIONS);
    const fromMemory: Record<string, string> = {};
    for (const key of Object.keys(fromLive)) {
      const [kind, subject] = key.split('/') as [keyof typeof REPORT_BUILDERS, string];
      const report = REPORT_BUILDERS[kind](replayed, { ...(subject === 'programme' ? {} : { antennaId: subject }), referenceDate: '2026-01-15' });
      fromMemory[key] = `${renderTable(report)}\n${renderJson(report)}`;
    }

    // 13 before the statement of expenditure: the history covers the whole programme as well as an antenna.
    expect(Object.keys(fromLive)).toHaveLength(14);
    expect(fromRebuild).toEqual(fromLive);
    expect(fromMemory).toEqual(fromLive);
    expect(fromLive['budget/montbeliard']).toContain(fr('786 000,00 €'));
    expect(fromLive['subventions/programme']).toContain('99900000100019');
  });

  it('rule: a replay up to a cut, which reads from the store only the types and the days it needs, folds exactly the events inside the cut', async () => {
    const log = await collect(store.readAll()); // the demo history, recorded by the test above
    expect(log.length).toBeGreaterThan(30);
    for (const cut of [{ asOf: '2021-09-30' }, { asOf: '2022-06-22' }, { knownAt: '2022-07-10T00:00:00Z' }, { asOf: '2023-07-05', knownAt: '2023-07-11T12:00:00+02:00' }]) {
      for (const projection of PROJECTIONS) {
        const replayed = await replayInMemory(store, [projection], cut);
        const folded = new InMemoryReadModel(projection);
        for (const event of log) if (isInCut(event, cut)) folded.apply(event);
        const build = (REPORT_BUILDERS as Partial<Record<string, (typeof REPORT_BUILDERS)[keyof typeof REPORT_BUILDERS]>>)[projection.name];
        // A read model no report is named after (the lists of calls and candidacies, the agreement ledger): its documents, whole.
        if (!build) expect(replayed.view(projection.name).list('')).toEqual(folded.list(''));
        // A report named after this read model may read others too (REPORT_READ_MODELS: the funding report reads phases): all replayed to the cut, and all folded by hand.
        const reads = (REPORT_READ_MODELS as Partial<Record<string, readonly string[]>>)[projection.name] ?? [projection.name];
        const forReport = build ? await replayInMemory(store, PROJECTIONS.filter((each) => reads.includes(each.name)), cut) : replayed;
        const byHandModels = new Map(
          PROJECTIONS.filter((each) => reads.includes(each.name)).map((each) => {
            const model = new InMemoryReadModel(each);
            for (const event of log) if (isInCut(event, cut)) model.apply(event);
            return [each.name, model] as const;
          }),
        );
        const byHand = { view: <Doc>(name: string) => byHandModels.get(name) as unknown as ReadModelView<Doc> };
        for (const antennaId of build ? [undefined, 'montbeliard'] : []) {
          const parameters = { ...(antennaId ? { antennaId } : {}), ...cut, referenceDate: cut.asOf ?? '2026-01-15' };
          expect(renderJson(build!(forReport, parameters))).toBe(renderJson(build!(byHand, parameters)));
        }
        expect(replayed.events).toBe(log.filter((event) => projection.handles.includes(event.type) && isInCut(event, cut)).length);
      }
    }
  });
});
