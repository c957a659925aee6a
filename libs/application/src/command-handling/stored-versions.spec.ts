import { budgetDecider, EVENT_VERSIONS, fundingDecider, schemaVersionOf, streamIdOf } from '@jalon/domain';
import { collect, EventToAppend, LOG_SEALED, LOG_SEALED_VERSION, SqliteEventStore } from '@jalon/event-store';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../commands/run-command';
import { Actor } from '../identity/roles';
import { montbeliardOpened } from '../testing/montbeliard.fixture';
import { CommandExecutor } from './command-executor';

const clock = { now: () => new Date('2026-01-15T10:00:00Z') };
const finance: Actor = { id: 'finance', name: 'Service financier', role: 'finance' };
const metadata = { actor: 'finance', role: 'finance', correlationId: 'c', causationId: 'c', recordedAt: '2023-07-11T09:00:00.000Z' };
const stored = (type: string, version: number, data: Record<string, unknown>): EventToAppend => ({ id: randomUUID(), type, version, data, metadata });

const budgetStream = streamIdOf('budget', 'montbeliard');
const fundingStream = streamIdOf('funding', 'bdt-amorcage');
const forecast = stored('BudgetForecastSet', 1, {
  antennaId: 'montbeliard',
  lines: [{ year: 2022, category: 'communication', amountCents: 1_000_000 }],
  totalCents: 1_000_000,
  effectiveDate: '2021-03-01',
});
const expenditure = stored('ExpenditureRecorded', 1, {
  antennaId: 'montbeliard',
  expenditureId: 'inauguration-2022-doublon',
  category: 'communication',
  amountCents: 450_000,
  description: 'Inauguration (saisie en double)',
  fundingAgreementId: 'bdt-amorcage',
  effectiveDate: '2022-06-30',
});
/** As the release before commit 41c8fe2 wrote it: version 1, the amount only. */
const expenditureReversalV1 = stored('ExpenditureReversed', 1, {
  antennaId: 'montbeliard',
  expenditureId: 'inauguration-2022-doublon',
  amountCents: 450_000,
  reason: 'Saisie en double',
  effectiveDate: '2022-07-08',
});
const ids = { agreementId: 'bdt-amorcage', antennaId: 'montbeliard' };
const commitment = stored('FundingCommitted', 1, {
  ...ids,
  funder: 'Banque des Territoires',
  label: 'Enveloppe d’amorçage',
  amountCents: 3_000_000,
  tranches: [{ trancheId: 'tranche-3', amountCents: 3_000_000, dueOn: '2023-06-30' }],
  effectiveDate: '2021-06-01',
});
const release = stored('BudgetTrancheReleased', 1, { ...ids, trancheId: 'tranche-3', amountCents: 3_000_000, effectiveDate: '2023-07-03' });
/** As the release before commit 41c8fe2 wrote it: version 1, no `releasedOn`. */
const releaseReversalV1 = stored('TrancheReleaseReversed', 1, {
  ...ids,
  trancheId: 'tranche-3',
  amountCents: 3_000_000,
  reason: 'Condition non remplie',
  effectiveDate: '2023-07-10',
});

describe('the command path reads stored events at their current version', () => {
  let dir: string;
  let store: SqliteEventStore;
  let executor: CommandExecutor;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-versions-'));
    store = SqliteEventStore.open({ file: join(dir, 'jalon.sqlite') });
    executor = new CommandExecutor({ store, clock, ids: { uuid: () => randomUUID() }, timeZone: 'Europe/Paris' });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rule: a budget fold reads a version 1 ExpenditureReversed with the category, date and agreement of the expenditure it reverses', async () => {
    await store.append(budgetStream, [forecast, expenditure, expenditureReversalV1], { expectedRevision: 'no_stream' });
    const { state } = await executor.load(budgetDecider, budgetStream);
    expect(state.status === 'forecast-set' && state.expenditures.get('inauguration-2022-doublon')?.reversed).toEqual({
      antennaId: 'montbeliard',
      expenditureId: 'inauguration-2022-doublon',
      amountCents: 450_000,
      category: 'communication',
      expenditureDate: '2022-06-30',
      fundingAgreementId: 'bdt-amorcage',
      reason: 'Saisie en double',
      effectiveDate: '2022-07-08',
    });
    // What is stored stays as written: version 1, no details.
    const [, , reversal] = await collect(store.readStream(budgetStream));
    expect(reversal).toMatchObject({ version: 1, data: expenditureReversalV1.data });
  });

  it('rule: a fold that resumes from a cached state reads the stream’s earlier events to upcast a version 1 TrancheReleaseReversed', async () => {
    await store.append(fundingStream, [commitment, release], { expectedRevision: 'no_stream' });
    await executor.load(fundingDecider, fundingStream); // cached at revision 1
    await store.append(fundingStream, [releaseReversalV1], { expectedRevision: 1 });
    const { state, revision } = await executor.load(fundingDecider, fundingStream);
    expect(revision).toBe(2);
    expect(state.status === 'committed' && state.tranches.get('tranche-3')?.lastReversal).toEqual({
      ...ids,
      trancheId: 'tranche-3',
      amountCents: 3_000_000,
      releasedOn: '2023-07-03',
      reason: 'Condition non remplie',
      effectiveDate: '2023-07-10',
    });
  });

  it('rule: the command path writes the corrected types at their current version (2) and reads them back as they are', async () => {
    const opened = stored('AntennaOpened', 1, montbeliardOpened.data as unknown as Record<string, unknown>);
    await store.append(streamIdOf('antenna', 'montbeliard'), [opened], { expectedRevision: 'no_stream' });
    await store.append(budgetStream, [forecast, expenditure], { expectedRevision: 'no_stream' });
    const reverse = { antennaId: 'montbeliard', expenditureId: 'inauguration-2022-doublon', reason: 'Doublon', effectiveDate: '2022-07-08' };
    await runCommand(executor, 'ReverseExpenditure', reverse, finance);
    const [, , reversal] = await collect(store.readStream(budgetStream));
    expect(reversal).toMatchObject({ type: 'ExpenditureReversed', version: 2, data: { category: 'communication', expenditureDate: '2022-06-30' } });
    // A second, fresh executor folds it as stored: the repeat is recognised and writes nothing.
    const fresh = new CommandExecutor({ store, clock, ids: { uuid: () => randomUUID() }, timeZone: 'Europe/Paris' });
    expect(await runCommand(fresh, 'ReverseExpenditure', reverse, finance)).toMatchObject({ written: false });
  });

  it('rule: the log seal the store writes is at the version the domain’s registry declares', () => {
    expect(EVENT_VERSIONS).toHaveProperty(LOG_SEALED);
    expect(schemaVersionOf(LOG_SEALED)).toBe(LOG_SEALED_VERSION);
  });
});
