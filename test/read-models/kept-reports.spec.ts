import { ReportService } from '@jalon/application';
import { SqliteEventStore } from '@jalon/event-store';
import { PROJECTIONS, ProjectionRunner, SqliteProjectionStorage } from '@jalon/projections';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordDemoHistory } from '../support/demo-history';

/**
 * ReportService keeps the programme-wide reports it built, each with the committed state of the
 * read model it read (ProjectionRunner.version): a kept report must never outlive that state.
 */
describe('programme-wide reports kept between queries', () => {
  let dir: string;
  let store: SqliteEventStore;
  let storage: SqliteProjectionStorage;
  let runner: ProjectionRunner;
  let reports: ReportService;
  let today: Date;
  const clock = { now: () => today };

  const spend = (amountCents: number, expenditureId: string) =>
    store.append(
      'budget-montbeliard',
      [
        {
          id: crypto.randomUUID(),
          type: 'ExpenditureRecorded',
          version: 1,
          data: { antennaId: 'montbeliard', expenditureId, category: 'other', amountCents, description: 'test', effectiveDate: '2024-02-01' },
          metadata: { actor: 'test', role: 'finance', correlationId: 'c', causationId: 'c', recordedAt: '2024-02-02T09:00:00.000Z' },
        },
      ],
      { expectedRevision: 'any' },
    );
  const spent = async () => ((await reports.build({ kind: 'budget' })).data as { totals: { spentCents: number } }).totals.spentCents;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-kept-reports-'));
    store = SqliteEventStore.open({ file: join(dir, 'jalon.sqlite') });
    await recordDemoHistory(store);
  });
  beforeEach(async () => {
    today = new Date('2026-01-15T10:00:00Z');
    storage = SqliteProjectionStorage.open(join(dir, 'read-models.sqlite'));
    runner = new ProjectionRunner(store, storage, PROJECTIONS);
    await runner.catchUp();
    reports = new ReportService(store, runner, clock, 'Europe/Paris');
  });
  afterEach(() => storage.close());
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the same report again while nothing was committed', async () => {
    const first = await reports.build({ kind: 'funding' });
    expect(await reports.build({ kind: 'funding' })).toBe(first);
  });

  it('rule: a kept report is rebuilt once its read model has moved (a commit of this runner)', async () => {
    const before = await spent();
    await spend(1_000, 'kept-1');
    await runner.catchUp();
    expect(await spent()).toBe(before + 1_000);
  });

  it('rule: a kept report is rebuilt once another process committed its read model (jalon replay beside the service)', async () => {
    const before = await spent();
    await spend(2_000, 'kept-2');
    const otherProcess = SqliteProjectionStorage.open(join(dir, 'read-models.sqlite'));
    try {
      await new ProjectionRunner(store, otherProcess, PROJECTIONS).catchUp();
    } finally {
      otherProcess.close();
    }
    expect(await spent()).toBe(before + 2_000);
  });

  it('rule: a kept report is not served on another day (lateness and overdue receipts are judged on the reference date) nor with other options', async () => {
    const first = await reports.build({ kind: 'funding' });
    expect(await reports.build({ kind: 'funding', receiptDelayDays: 10 })).not.toBe(first);
    today = new Date('2026-01-16T10:00:00Z');
    const nextDay = await reports.build({ kind: 'funding' });
    expect(nextDay).not.toBe(first);
    expect(nextDay.parameters.referenceDate).toBe('2026-01-16');
  });
});
