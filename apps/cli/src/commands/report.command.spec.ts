import { loadConfig } from '@jalon/core';
import { SqliteEventStore } from '@jalon/event-store';
import { holderStarted, holderStopped, newInstanceId, PROJECTIONS, ProjectionRunner, SqliteProjectionStorage } from '@jalon/projections';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordDemoHistory } from '../../../../test/support/demo-history';
import { reportCommand } from './report.command';

/**
 * `jalon report` reads read models caught up to the log's head, and never writes them beside a
 * running service (docs/decisions/0019): it catches them up under the projection lease, or, while
 * a live service holds the lease, waits for that service to commit them.
 */
describe('jalon report and the projection lease', () => {
  let dataDir: string;
  let written: string;
  const errors: string[] = [];
  const expenditure = (expenditureId: string, amountCents: number) => ({
    id: crypto.randomUUID(),
    type: 'ExpenditureRecorded',
    version: 1,
    data: { antennaId: 'montbeliard', expenditureId, category: 'other', amountCents, description: 'test', effectiveDate: '2024-02-01' },
    metadata: { actor: 'test', role: 'finance', correlationId: 'c', causationId: 'c', recordedAt: '2024-02-02T09:00:00.000Z' },
  });
  const append = async (expenditureId: string, amountCents: number) => {
    const store = SqliteEventStore.open({ file: join(dataDir, 'jalon.sqlite') });
    try {
      return (await store.append('budget-montbeliard', [expenditure(expenditureId, amountCents)], { expectedRevision: 'any' })).position;
    } finally {
      await store.close();
    }
  };
  const budget = (serviceWaitMs?: number) =>
    reportCommand(() => loadConfig({ DATA_DIR: dataDir }), serviceWaitMs === undefined ? {} : { serviceWaitMs }).parseAsync(['budget', '--antenna', 'montbeliard', '--format', 'json'], { from: 'user' });
  const spent = () => (JSON.parse(written) as { data: { totals: { spentCents: number } } }).data.totals.spentCents;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'jalon-report-'));
    const store = SqliteEventStore.open({ file: join(dataDir, 'jalon.sqlite') });
    await recordDemoHistory(store);
    await store.close();
    written = '';
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((written += String(chunk)), true));
    jest.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    errors.length = 0;
    process.exitCode = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('rule: with no service running, the report catches the read models up under the projection lease and gives it up', async () => {
    await budget();
    const before = spent();
    const head = await append('report-lease-1', 12_345);

    written = '';
    await budget();

    expect(spent()).toBe(before + 12_345);
    const storage = SqliteProjectionStorage.open(join(dataDir, 'read-models.sqlite'));
    try {
      // Taken once per run, given up at the end of each (expired at once).
      expect(storage.lease()).toMatchObject({ term: 2 });
      expect(storage.lease()!.expiresAt).toBeLessThanOrEqual(Date.now());
      for (const checkpoint of storage.checkpoints()) expect(checkpoint.position).toBe(head);
    } finally {
      storage.close();
    }
  });

  describe('while a running service holds the lease', () => {
    let service: string;
    let storage: SqliteProjectionStorage;
    let store: SqliteEventStore;
    beforeEach(async () => {
      // The service's read models, caught up, and its lease, alive (neither expired nor its holder gone).
      store = SqliteEventStore.open({ file: join(dataDir, 'jalon.sqlite') });
      storage = SqliteProjectionStorage.open(join(dataDir, 'read-models.sqlite'));
      await new ProjectionRunner(store, storage, PROJECTIONS).catchUp();
      service = newInstanceId();
      holderStarted(service);
      expect(storage.takeLease(service, 60_000, Date.now()).holder).toBe(service);
    });
    afterEach(async () => {
      holderStopped(service);
      storage.close();
      await store.close();
    });

    it('rule: the report writes nothing and reads what the service commits, once it reaches the head', async () => {
      await budget();
      const before = spent();
      await append('report-lease-2', 54_321);
      const checkpointsBefore = JSON.stringify(storage.checkpoints(), (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));

      // The service commits the new event a little later, while the report waits for it.
      written = '';
      const report = budget();
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Nothing written meanwhile: the checkpoints are the service's, and the lease still its.
      expect(JSON.stringify(storage.checkpoints(), (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))).toBe(checkpointsBefore);
      await new ProjectionRunner(store, storage, PROJECTIONS).catchUp();
      await report;

      expect(process.exitCode).toBeUndefined();
      expect(spent()).toBe(before + 54_321);
      expect(storage.lease()).toMatchObject({ holder: service, term: 1 });
    });

    it('rule: read models the service leaves behind stop the report with a French error naming them, exit 1, nothing written', async () => {
      const head = await append('report-lease-3', 1_000);

      await budget(200);

      expect(process.exitCode).toBe(1);
      expect(written).toBe('');
      expect(errors).toEqual([expect.stringMatching(new RegExp(`^Rapport impossible : le service ${service} tient le bail des projections et n’a pas mis à jour .*budget.* jusqu’à la position ${head} du journal en 0 s : voyez son /health`))]);
      for (const checkpoint of storage.checkpoints()) expect(checkpoint.position).toBeLessThan(head);
      expect(storage.lease()).toMatchObject({ holder: service, term: 1 });
    });
  });
});
