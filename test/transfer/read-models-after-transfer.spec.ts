/**
 * Read models belong to the store they were read from (issue 13): a read-models file kept beside
 * another store (after `migrate` or `import`), or beside a store restored from an older backup,
 * is rebuilt from that store's history, never served. On the embedded store and, over real gRPC,
 * on the EventStoreDB adapter against its test double. Each `it` names the rule it protects.
 */
import { ReportService } from '@jalon/application';
import { connectEventStoreDb, exportHistoryToFile, importHistoryFile, migrateHistory, SqliteEventStore, type EventStore } from '@jalon/event-store';
import { PROJECTIONS, ProjectionRunner, SqliteProjectionStorage, type SourceMismatch } from '@jalon/projections';
import { renderJson } from '@jalon/reporting';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MONTBELIARD_HISTORY } from '../../apps/cli/src/demo/montbeliard-history';
import { startEventStoreDbTestDouble, type EventStoreDbTestDouble } from '../doubles/eventstoredb/eventstoredb-test-double';
import { recordDemoHistory } from '../support/demo-history';
import { testEvent } from '../support/events';

const clock = { now: () => new Date('2026-01-15T10:00:00Z') };
/** The reports the issue names; each for the programme and for Montbéliard. */
const KINDS = ['budget', 'funding', 'phases', 'kpis', 'history'] as const;
/** A prefix of the demo: its figures differ from the whole demo's (the budget and funding steps come last). */
const PART = MONTBELIARD_HISTORY.length - 6;

async function reportsOf(store: EventStore, runner: ProjectionRunner): Promise<Record<string, string>> {
  const service = new ReportService(store, runner, clock, 'Europe/Paris');
  const out: Record<string, string> = {};
  for (const kind of KINDS) {
    for (const antennaId of kind === 'history' ? ['montbeliard'] : kind === 'kpis' ? [undefined] : [undefined, 'montbeliard']) {
      out[`${kind}/${antennaId ?? 'programme'}`] = renderJson(await service.build({ kind, ...(antennaId ? { antennaId } : {}) }));
    }
  }
  return out;
}

/** Starts the service's runner on `store` beside `readModels`, waits until it has caught up, and returns its reports and what it said. */
async function serveBeside(store: EventStore, readModels: string) {
  const storage = SqliteProjectionStorage.open(readModels);
  const runner = new ProjectionRunner(store, storage, PROJECTIONS, { flushIntervalMs: 5 });
  const said: SourceMismatch[] = [];
  runner.onSourceMismatch((mismatch) => said.push(mismatch));
  try {
    await runner.start();
    expect(await runner.waitForPosition(await store.headPosition(), 20_000)).toBe(true);
    const reports = await reportsOf(store, runner);
    return { reports, said, status: runner.status() };
  } finally {
    await runner.stop();
    storage.close();
  }
}

/** Read models built by the service's runner on `store`, closed, and copied to `to` (as a file kept beside another store). */
async function buildReadModels(store: EventStore, to: string): Promise<Record<string, string>> {
  const file = `${to}.building`;
  const storage = SqliteProjectionStorage.open(file);
  const runner = new ProjectionRunner(store, storage, PROJECTIONS);
  try {
    await runner.catchUp();
    return await reportsOf(store, runner);
  } finally {
    storage.close();
    copyFileSync(file, to);
  }
}

/** Reports as JSON with every store position blanked: positions are a store's own, the rest is the history's. */
function withoutPositions(reports: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(reports).map(([key, json]) => [key, json.replace(/"position": "\d+"/g, '"position": "…"')]));
}

/** A store that names itself as another one: the same store, restored from a backup of it. */
function namedAs(store: EventStore, storeId: string): EventStore {
  return {
    append: (streamId, events, options) => store.append(streamId, events, options),
    readStream: (streamId, options) => store.readStream(streamId, options),
    readAll: ((options?: Parameters<EventStore['readAll']>[0]) => store.readAll(options as never)) as EventStore['readAll'],
    subscribeToAll: (options) => store.subscribeToAll(options),
    headPosition: () => store.headPosition(),
    storeId: async () => storeId,
    eventAt: (position) => store.eventAt(position),
    close: async () => undefined,
  };
}

describe('read models kept beside another store are rebuilt, never served', () => {
  let dir: string;
  let source: SqliteEventStore;
  let sourceReports: Record<string, string>;
  /** Read models of the whole demo, built on the embedded source store. */
  let oldReadModels: string;
  const doubles: EventStoreDbTestDouble[] = [];
  const stores: EventStore[] = [];

  const embedded = (name: string) => {
    mkdirSync(join(dir, name), { recursive: true });
    const store = SqliteEventStore.open({ file: join(dir, name, 'jalon.sqlite'), livePollMs: 10 });
    stores.push(store);
    return store;
  };
  const onDouble = async () => {
    const double = await startEventStoreDbTestDouble();
    doubles.push(double);
    const store = connectEventStoreDb(double.connectionString);
    stores.push(store);
    return store;
  };
  /** A copy of the old read-models file, as `$DATA_DIR/read-models.sqlite` of another data directory. */
  const oldFileIn = (name: string) => {
    mkdirSync(join(dir, name), { recursive: true });
    const file = join(dir, name, 'read-models.sqlite');
    copyFileSync(oldReadModels, file);
    return file;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-read-models-transfer-'));
    source = embedded('source');
    await recordDemoHistory(source);
    oldReadModels = join(dir, 'source', 'read-models.sqlite');
    sourceReports = await buildReadModels(source, oldReadModels);
    expect(sourceReports['budget/montbeliard']).toContain('786');
  });

  afterAll(async () => {
    for (const store of stores) await store.close();
    for (const double of doubles) await double.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rule: after `migrate` to EventStoreDB, the service started beside the old read-models file gives the same reports as the source (they are rebuilt: another store)', async () => {
    const target = await onDouble();
    await migrateHistory(source, target);

    const { reports, said, status } = await serveBeside(target, oldFileIn('migrated'));

    // The same figures; only the audit trail's positions are the target's own.
    expect(withoutPositions(reports)).toEqual(withoutPositions(sourceReports));
    expect(reports['history/montbeliard']).not.toEqual(sourceReports['history/montbeliard']);
    expect(said.map((m) => m.code)).toEqual(PROJECTIONS.map(() => 'READ_MODEL.OTHER_STORE'));
    expect(said[0]!.reason).toContain('autre magasin d’événements');
    expect(status.every((s) => s.rebuiltBecause?.code === 'READ_MODEL.OTHER_STORE' && s.caughtUp && s.state === 'running')).toBe(true);
  });

  it('rule: after `import` into a fresh embedded store, the service started beside an old read-models file gives the reports of the history imported, not the old ones', async () => {
    // The history imported is a part of the demo; the read-models file kept there holds the whole demo.
    const partial = embedded('partial');
    await recordDemoHistory(partial, MONTBELIARD_HISTORY.slice(0, PART));
    const expected = await buildReadModels(partial, join(dir, 'partial', 'read-models.sqlite'));
    expect(expected).not.toEqual(sourceReports);
    await exportHistoryToFile(partial, join(dir, 'partial.ndjson'));
    const fresh = embedded('imported');
    await importHistoryFile(join(dir, 'partial.ndjson'), fresh);

    const { reports, said } = await serveBeside(fresh, oldFileIn('imported'));

    expect(reports).toEqual(expected);
    expect(new Set(said.map((m) => m.code))).toEqual(new Set(['READ_MODEL.OTHER_STORE']));
  });

  it('rule: the same history imported into a fresh embedded store (same events at the same positions) still has its read models rebuilt: they name another store', async () => {
    await exportHistoryToFile(source, join(dir, 'whole.ndjson'));
    const fresh = embedded('same-history');
    await importHistoryFile(join(dir, 'whole.ndjson'), fresh);
    expect(await fresh.headPosition()).toBe(await source.headPosition());

    const { reports, said } = await serveBeside(fresh, oldFileIn('same-history'));

    expect(reports).toEqual(sourceReports);
    expect(said).toHaveLength(PROJECTIONS.length);
    expect(said.every((m) => m.code === 'READ_MODEL.OTHER_STORE')).toBe(true);
  });

  it('rule: the service started again beside its own read models serves them as they are, rebuilding nothing', async () => {
    const file = oldFileIn('own');
    const { reports, said, status } = await serveBeside(source, file);

    expect(reports).toEqual(sourceReports);
    expect(said).toEqual([]);
    expect(status.every((s) => s.rebuiltBecause === undefined)).toBe(true);
  });

  for (const kind of ['embedded', 'EventStoreDB'] as const) {
    it(`rule (${kind}): a store restored from an older backup (same store id, shorter history, head before the checkpoint) is detected and its read models rebuilt`, async () => {
      const built = kind === 'embedded' ? embedded(`whole-${kind}`) : await onDouble();
      await recordDemoHistory(built);
      const readModels = join(dir, `backup-${kind}.sqlite`);
      await buildReadModels(built, readModels);
      // The backup: the same store as it was before the last steps.
      const older = kind === 'embedded' ? embedded(`older-${kind}`) : await onDouble();
      await recordDemoHistory(older, MONTBELIARD_HISTORY.slice(0, PART));
      const restored = namedAs(older, await built.storeId());
      const expected = await buildReadModels(older, join(dir, `older-${kind}.sqlite`));

      const { reports, said } = await serveBeside(restored, readModels);

      expect(reports).toEqual(expected);
      expect(said.length).toBe(PROJECTIONS.length);
      for (const mismatch of said) {
        // On EventStoreDB a position inside the shorter log may start no event at all.
        expect(['READ_MODEL.HISTORY_SHORTER', 'READ_MODEL.HISTORY_CHANGED']).toContain(mismatch.code);
      }
      expect(said.some((m) => m.code === 'READ_MODEL.HISTORY_SHORTER')).toBe(true);
      expect(said.find((m) => m.code === 'READ_MODEL.HISTORY_SHORTER')!.reason).toContain('sauvegarde plus ancienne');
    });
  }

  it('rule: a store whose event at the checkpoint is another one (restored from a backup, then written again) is detected: READ_MODEL.HISTORY_CHANGED', async () => {
    const readModels = oldFileIn('rewritten');
    // The same store id, a log as long as the source's, but other events after the backup's end.
    const other = embedded('rewritten');
    await recordDemoHistory(other, MONTBELIARD_HISTORY.slice(0, PART));
    const missing = Number((await source.headPosition()) - (await other.headPosition()));
    for (let n = 0; n < missing; n++) await other.append(`other-${n}`, [testEvent()], { expectedRevision: 'no_stream' });
    expect(await other.headPosition()).toBe(await source.headPosition());
    const expected = await buildReadModels(other, join(dir, 'rewritten', 'expected.sqlite'));
    const rewritten = namedAs(other, await source.storeId());

    const { reports, said } = await serveBeside(rewritten, readModels);

    expect(reports).toEqual(expected);
    expect(said.map((m) => m.code)).toEqual(PROJECTIONS.map(() => 'READ_MODEL.HISTORY_CHANGED'));
  });
});
