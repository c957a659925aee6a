import { ReportService } from '@jalon/application';
import { streamIdOf } from '@jalon/domain';
import { EventStore, SqliteEventStore } from '@jalon/event-store';
import { PROJECTIONS, ProjectionRunner, replayInMemory, REPORT_BUILDERS, REPORT_READ_MODELS, SqliteProjectionStorage } from '@jalon/projections';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedStore } from '../../bench/generator/seed';
import { recordDemoHistory } from '../support/demo-history';

/**
 * Whole-programme reports are put together at each query from per-antenna parts, each kept with
 * the committed document it was derived from (libs/projections/src/read-models/report-parts.ts,
 * decision 0026); only the programme-wide audit trail read whole (not paginated) is still kept whole by ReportService, with
 * the committed state of its read model (ProjectionRunner.version). Nothing kept may outlive what
 * it was derived from: after writes, a report must be, byte for byte, the one built from read
 * models replayed afresh (new documents, so no part kept).
 */
const ASSEMBLED = ['budget', 'funding', 'phases'] as const;
const REFERENCE_DATE = '2026-01-15';

const expenditure = (antennaId: string, expenditureId: string, amountCents: number, fundingAgreementId?: string) => ({
  id: crypto.randomUUID(),
  type: 'ExpenditureRecorded',
  version: 1,
  data: { antennaId, expenditureId, category: 'other', amountCents, description: 'test', effectiveDate: '2024-02-01', ...(fundingAgreementId ? { fundingAgreementId } : {}) },
  metadata: { actor: 'test', role: 'finance', correlationId: 'c', causationId: 'c', recordedAt: '2024-02-02T09:00:00.000Z' },
});

/** The live report and the one from a fresh replay of the same log, as JSON. */
async function liveAndFresh(store: EventStore, runner: ProjectionRunner, kind: (typeof ASSEMBLED)[number], parameters: { referenceDate: string; receiptDelayDays?: number }) {
  const fresh = await replayInMemory(store, PROJECTIONS.filter((projection) => REPORT_READ_MODELS[kind].includes(projection.name)));
  return { live: JSON.stringify(REPORT_BUILDERS[kind](runner, parameters)), fresh: JSON.stringify(REPORT_BUILDERS[kind](fresh, parameters)) };
}

describe('whole-programme reports from per-antenna parts kept with each committed document', () => {
  describe.each([
    ['the demo history', async (dir: string) => {
      const store = SqliteEventStore.open({ file: join(dir, 'jalon.sqlite') });
      await recordDemoHistory(store);
      return { store };
    }],
    ['a seeded synthetic history', async (dir: string) => {
      const seeded = await seedStore(join(dir, 'seed'), { events: 2_000, antennas: 12, seed: 'report-parts' });
      return { store: SqliteEventStore.open({ file: seeded.file }) };
    }],
  ])('over %s', (_history, open) => {
    let dir: string;
    let store: SqliteEventStore;
    let storage: SqliteProjectionStorage;
    let runner: ProjectionRunner;
    let antennaId: string;
    let agreementId: string;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'jalon-report-parts-'));
      store = (await open(dir)).store;
      storage = SqliteProjectionStorage.open(join(dir, 'read-models.sqlite'));
      runner = new ProjectionRunner(store, storage, PROJECTIONS);
      await runner.catchUp();
      // An antenna with an agreement, so that a write changes its funding document too.
      const withAgreement = runner.view<{ antennaId: string; agreements: { agreementId: string }[] }>('funding').list('antenna-funding:').find((doc) => doc.agreements.length > 0)!;
      antennaId = withAgreement.antennaId;
      agreementId = withAgreement.agreements[0]!.agreementId;
    });
    afterAll(async () => {
      storage.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it.each(ASSEMBLED)('rule: the %s report after writes is, byte for byte, the one built from read models replayed afresh', async (kind) => {
      // Read a few times first, so that the documents are cached and their parts kept.
      for (let i = 0; i < 3; i++) REPORT_BUILDERS[kind](runner, { referenceDate: REFERENCE_DATE });
      const before = JSON.stringify(REPORT_BUILDERS[kind](runner, { referenceDate: REFERENCE_DATE }));
      await store.append(`budget-${antennaId}`, [expenditure(antennaId, `parts-${kind}-1`, 123_456, agreementId)], { expectedRevision: 'any' });
      await runner.catchUp();
      const after = await liveAndFresh(store, runner, kind, { referenceDate: REFERENCE_DATE });
      expect(after.live).toBe(after.fresh);
      // Another day and another delay: the parts judged on the reference date are derived again.
      for (const parameters of [{ referenceDate: '2027-03-01' }, { referenceDate: '2027-03-01', receiptDelayDays: 5 }]) {
        const later = await liveAndFresh(store, runner, kind, parameters);
        expect(later.live).toBe(later.fresh);
      }
      if (kind !== 'phases') expect(after.live).not.toBe(before); // the expenditure shows in budget and funding figures
    });

    it('rule: a part is derived again once another process committed the document (jalon replay beside the service)', async () => {
      for (let i = 0; i < 3; i++) REPORT_BUILDERS.funding(runner, { referenceDate: REFERENCE_DATE });
      const spentBefore = REPORT_BUILDERS.funding(runner, { referenceDate: REFERENCE_DATE }).data.totals.spentCents;
      await store.append(`budget-${antennaId}`, [expenditure(antennaId, 'parts-other-process', 77_700, agreementId)], { expectedRevision: 'any' });
      const otherProcess = SqliteProjectionStorage.open(join(dir, 'read-models.sqlite'));
      try {
        await new ProjectionRunner(store, otherProcess, PROJECTIONS).catchUp();
      } finally {
        otherProcess.close();
      }
      const { live, fresh } = await liveAndFresh(store, runner, 'funding', { referenceDate: REFERENCE_DATE });
      expect(live).toBe(fresh);
      expect((JSON.parse(live) as { data: { totals: { spentCents: number } } }).data.totals.spentCents).toBe(spentBefore + 77_700);
    });

    it('rule: the subventions export after writes is, byte for byte, the one built afresh, a missing public field included', async () => {
      type Agreement = { agreementId: string; antennaId: string; committedOn: string; publicData?: unknown };
      const outcome = (models: Parameters<typeof REPORT_BUILDERS.subventions>[0]) => {
        try {
          return JSON.stringify(REPORT_BUILDERS.subventions(models, { referenceDate: REFERENCE_DATE }));
        } catch (error) {
          return `${(error as { code?: string }).code}: ${(error as Error).message}`;
        }
      };
      const liveAndFreshExport = async () => ({ live: outcome(runner), fresh: outcome(await replayInMemory(store, PROJECTIONS.filter((projection) => projection.name === 'funding'))) });
      const publicDataRecorded = (agreement: Agreement, object: string) => ({
        id: crypto.randomUUID(),
        type: 'FundingPublicDataRecorded',
        version: 1,
        data: {
          antennaId: agreement.antennaId,
          agreementId: agreement.agreementId,
          effectiveDate: agreement.committedOn,
          publicData: { funderSiret: '99900000100019', decisionReference: `DEC-${agreement.agreementId}`, beneficiaryName: 'Cnam', beneficiarySiret: '99900000200017', object, nature: 'aide en numéraire', euNotified: false },
        },
        metadata: { actor: 'test', role: 'finance', correlationId: 'c', causationId: 'c', recordedAt: '2024-02-02T09:00:00.000Z' },
      });
      const agreements = () => runner.view<{ agreements: Agreement[] }>('funding').list('antenna-funding:').flatMap((doc) => doc.agreements);
      // Read a few times first, so that the documents are cached and their parts (rows, or the missing field) kept.
      for (let i = 0; i < 3; i++) outcome(runner);
      const first = await liveAndFreshExport();
      expect(first.live).toBe(first.fresh);
      // Every agreement gets its public data: an export that stopped on a missing field now succeeds.
      for (const agreement of agreements().filter((each) => each.publicData === undefined)) {
        await store.append(streamIdOf('funding', agreement.agreementId), [publicDataRecorded(agreement, `Objet de ${agreement.agreementId}`)], { expectedRevision: 'any' });
      }
      await runner.catchUp();
      for (let i = 0; i < 3; i++) outcome(runner);
      const complete = await liveAndFreshExport();
      expect(complete.live).toBe(complete.fresh);
      expect(complete.live.startsWith('{')).toBe(true);
      // One agreement's object changes: its antenna's rows are worded again, the others' kept.
      const changed = agreements()[0]!;
      await store.append(streamIdOf('funding', changed.agreementId), [publicDataRecorded(changed, 'Objet corrigé')], { expectedRevision: 'any' });
      await runner.catchUp();
      const after = await liveAndFreshExport();
      expect(after.live).toBe(after.fresh);
      expect(after.live).toContain('Objet corrigé');
      expect(after.live).not.toBe(complete.live);
    });
  });

  describe('the programme-wide audit trail, still kept whole when read whole', () => {
    let dir: string;
    let store: SqliteEventStore;
    let storage: SqliteProjectionStorage;
    let runner: ProjectionRunner;
    let reports: ReportService;
    const clock = { now: () => new Date(`${REFERENCE_DATE}T10:00:00Z`) };

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'jalon-kept-trail-'));
      store = SqliteEventStore.open({ file: join(dir, 'jalon.sqlite') });
      await recordDemoHistory(store);
      storage = SqliteProjectionStorage.open(join(dir, 'read-models.sqlite'));
      runner = new ProjectionRunner(store, storage, PROJECTIONS);
      await runner.catchUp();
      reports = new ReportService(store, runner, clock, 'Europe/Paris');
    });
    afterAll(async () => {
      storage.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('serves the same whole (unpaginated) filtered trail again while nothing was committed', async () => {
      const first = await reports.build({ kind: 'history', eventType: 'ExpenditureRecorded' });
      expect(await reports.build({ kind: 'history', eventType: 'ExpenditureRecorded' })).toBe(first);
    });

    it('rule: a page, unfiltered or filtered, is read through the journal, not kept (one cache per layer)', async () => {
      for (const query of [
        { kind: 'history', page: 1, pageSize: 10 },
        { kind: 'history', eventType: 'ExpenditureRecorded', page: 1, pageSize: 10 },
        { kind: 'history', actor: 'demo-service-financier', from: '2022-01-01', to: '2023-12-31', page: 2, pageSize: 3, order: 'desc' },
      ]) {
        const first = await reports.build(query);
        const again = await reports.build(query);
        expect(again).not.toBe(first);
        expect(JSON.stringify(again)).toBe(JSON.stringify(first));
      }
    });

    it('rule: a kept trail is built again once its read model has moved, and a filtered page shows the write', async () => {
      const page = async () => ((await reports.build({ kind: 'history', eventType: 'ExpenditureRecorded', page: 1, pageSize: 10 })).data as { total: number }).total;
      const whole = async () => ((await reports.build({ kind: 'history', eventType: 'ExpenditureRecorded' })).data as { total: number }).total;
      const total = async () => {
        const [paged, read] = [await page(), await whole()];
        expect(paged).toBe(read);
        return read;
      };
      const before = await total();
      await store.append('budget-montbeliard', [expenditure('montbeliard', 'kept-trail-1', 1_000)], { expectedRevision: 'any' });
      await runner.catchUp();
      expect(await total()).toBe(before + 1);
    });
  });
});
