import { AntennaClosed, AntennaOpened, AntennaSuspended, DomainError } from '@jalon/domain';
import { collect } from '@jalon/event-store';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../../event-store/src/sqlite';
import { CommandDefinition } from '../command-handling/command-definition';
import { CommandExecutor } from '../command-handling/command-executor';
import { FieldViolation, ForbiddenError, InputValidationError } from '../errors';
import { Actor } from '../identity/roles';
import { timeOrderedIds } from '../ports';
import { attachFundingAgreement, fundingCommands, RecordFundingPublicDataInput } from './funding.commands';
import { runCommand } from './run-command';
import { validateInput } from '../validation/validate-input';
import { commandNamed, COMMANDS } from './index';
import { montbeliardOpened } from '../testing/montbeliard.fixture';

const clock = { now: () => new Date('2026-01-15T10:00:00Z') };
const admin: Actor = { id: 'admin-1', name: 'Alice Admin', role: 'admin' };
const manager: Actor = { id: 'pm-1', name: 'Paul Chef de programme', role: 'programme-manager' };
const finance: Actor = { id: 'fin-1', name: 'Fanny Finances', role: 'finance' };
const auditor: Actor = { id: 'aud-1', name: 'Aude Auditrice', role: 'auditor' };

const command = (name: string): CommandDefinition => {
  const definition = fundingCommands.find((candidate) => candidate.name === name);
  if (!definition) throw new Error(`no funding command ${name}`);
  return definition as CommandDefinition;
};
const commitFunding = command('CommitFunding');
const releaseTranche = command('ReleaseTranche');
const recordReceipt = command('RecordTrancheReceipt');
const reverseRelease = command('ReverseTrancheRelease');
const closeAgreement = command('CloseFundingAgreement');

const antennaOpened = montbeliardOpened;

/** Banque des Territoires' seed envelope of 100,000 € in three tranches (tranches illustrative). */
const commitmentInput = () => ({
  antennaId: 'montbeliard',
  agreementId: 'bdt-seed',
  funder: 'Banque des Territoires',
  label: 'Enveloppe d’amorçage',
  amountCents: 10_000_000,
  tranches: [
    { trancheId: 'signature', label: 'À la signature', amountCents: 4_000_000, dueOn: '2021-09-30' },
    { trancheId: 'aioa-opening', amountCents: 4_000_000, dueOn: '2022-06-30', conditions: 'Espace d’accueil ouvert au Mattern Lab' },
    { trancheId: 'balance', amountCents: 2_000_000, dueOn: '2027-12-31' },
  ],
  effectiveDate: '2021-07-01',
});

const tranche = { antennaId: 'montbeliard', agreementId: 'bdt-seed', trancheId: 'signature' };
const releaseInput = () => ({ ...tranche, effectiveDate: '2021-09-15' });
const receiptInput = () => ({ ...tranche, amountCents: 4_000_000, bankReference: 'VIR-BDT-2021-0917', effectiveDate: '2021-09-17' });
const reversalInput = () => ({ ...tranche, reason: 'Versement émis par erreur', effectiveDate: '2021-09-16' });
const closingInput = () => ({ antennaId: 'montbeliard', agreementId: 'bdt-seed', effectiveDate: '2024-12-31' });

describe('funding command catalogue', () => {
  let dir: string;
  let store: SqliteEventStore;
  let executor: CommandExecutor;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-funding-commands-'));
    store = SqliteEventStore.open({ file: join(dir, 'events.db') });
    executor = new CommandExecutor({ store, clock, ids: timeOrderedIds, timeZone: 'Europe/Paris' });
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function appendAntennaEvent(event: AntennaOpened | AntennaSuspended | AntennaClosed) {
    await store.append(
      'antenna-montbeliard',
      [
        {
          id: randomUUID(),
          type: event.type,
          version: 1,
          data: event.data as unknown as Record<string, unknown>,
          metadata: { actor: 'admin-1', role: 'admin', correlationId: 'c', causationId: 'c', recordedAt: '2021-01-11T09:00:00Z' },
        },
      ],
      { expectedRevision: 'any' },
    );
  }
  const openAntenna = () => appendAntennaEvent(antennaOpened);
  const fundingEvents = () => collect(store.readStream('funding-bdt-seed'));

  /** Runs a command expected to be refused as invalid input; checks that nothing was written. */
  async function violationsOf(definition: CommandDefinition, input: unknown, actor: Actor = finance): Promise<readonly FieldViolation[]> {
    const head = await store.headPosition();
    const error = await executor.execute(definition, input, actor).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputValidationError);
    expect(await store.headPosition()).toBe(head);
    return (error as InputValidationError).violations;
  }
  const violation = (field: string, rule: string) => expect.arrayContaining([expect.objectContaining({ field, rule })]);

  describe('the catalogue', () => {
    it('defines one command per domain funding command, named after it, with a French summary', () => {
      expect(fundingCommands.map((definition) => definition.name)).toEqual([
        'CommitFunding',
        'RecordFundingPublicData',
        'ReleaseTranche',
        'RecordTrancheReceipt',
        'ReverseTrancheRelease',
        'CloseFundingAgreement',
      ]);
      for (const definition of fundingCommands) expect(definition.summary).toMatch(/\S/);
    });

    it('is part of the single catalogue the API, the CLI and the demo use', () => {
      for (const definition of fundingCommands) {
        expect(commandNamed(definition.name)).toBe(definition);
        expect(COMMANDS).toContain(definition);
      }
    });

    it('writes every funding command to the stream of its agreement, funding-<agreementId>', () => {
      const input = { antennaId: 'montbeliard', agreementId: 'bdt-seed' };
      for (const definition of fundingCommands) expect(definition.streamId(input as never)).toBe('funding-bdt-seed');
    });

    it('path parameters are input fields: each route parameter missing is named in the refusal', async () => {
      const pathParameters: Record<string, [unknown, string[]]> = {
        CommitFunding: [commitmentInput(), ['antennaId']],
        ReleaseTranche: [releaseInput(), ['antennaId', 'agreementId', 'trancheId']],
        RecordTrancheReceipt: [receiptInput(), ['antennaId', 'agreementId', 'trancheId']],
        ReverseTrancheRelease: [reversalInput(), ['antennaId', 'agreementId', 'trancheId']],
        CloseFundingAgreement: [closingInput(), ['antennaId', 'agreementId']],
        RecordFundingPublicData: [publicDataInput(), ['antennaId', 'agreementId']],
      };
      for (const definition of fundingCommands) {
        const [input, parameters] = pathParameters[definition.name]!;
        for (const parameter of parameters) {
          const { [parameter]: _dropped, ...rest } = input as Record<string, unknown>;
          expect(await violationsOf(definition as CommandDefinition, rest)).toEqual(violation(parameter, 'isSlug'));
        }
      }
    });
  });

  const publicDataInput = (publicData: Record<string, unknown> = {}) => ({
    antennaId: 'montbeliard',
    agreementId: 'bdt-seed',
    publicData: {
      funderSiret: '99900000100019',
      decisionReference: 'BDT-2021-017',
      beneficiaryName: 'Conservatoire national des arts et métiers',
      beneficiarySiret: '99900000200017',
      object: 'Amorçage de l’antenne',
      nature: 'aide en numéraire',
      euNotified: false,
      ...publicData,
    },
    effectiveDate: '2021-07-01',
  });

  describe('RecordFundingPublicData input', () => {
    const definition = () => commandNamed('RecordFundingPublicData') as CommandDefinition;
    it('accepts the public data the national format needs, as plain data', () => {
      expect(validateInput(RecordFundingPublicDataInput, publicDataInput())).toEqual(publicDataInput());
    });
    it('refuses, in French naming field and rule, a SIRET of 14 digits whose Luhn key is wrong, or not of 14 digits', async () => {
      const wrongKey = await violationsOf(definition(), publicDataInput({ funderSiret: '99900000100018' }));
      expect(wrongKey).toEqual(violation('publicData.funderSiret', 'isSiret'));
      expect(JSON.stringify(wrongKey)).toContain('funderSiret doit être un numéro SIRET : 14 chiffres sans espace, dont la clé de contrôle (Luhn) est juste');
      expect(await violationsOf(definition(), publicDataInput({ beneficiarySiret: '999 000 002 00017' }))).toEqual(violation('publicData.beneficiarySiret', 'isSiret'));
    });
    it('refuses a nature outside the format’s list, an RNA number of another shape, an object over 256 characters, an idRAE of 5, a date that does not exist, a non-boolean notification', async () => {
      const violations = await violationsOf(
        definition(),
        publicDataInput({ nature: 'subvention', beneficiaryRna: 'W12345', object: 'x'.repeat(257), raeId: '12345', agreementDate: '2021-02-30', euNotified: 'non' }),
      );
      for (const [field, rule] of [
        ['publicData.nature', 'isAidNature'],
        ['publicData.beneficiaryRna', 'isRna'],
        ['publicData.object', 'isText'],
        ['publicData.raeId', 'isText'],
        ['publicData.agreementDate', 'isIsoDate'],
        ['publicData.euNotified', 'isBoolean'],
      ] as const) {
        expect(violations).toEqual(violation(field, rule));
      }
    });
  });

  describe('CommitFunding', () => {
    it('appends FundingCommitted to funding-<agreementId> with its schedule in integer cents; absent optional fields stay absent', async () => {
      await openAntenna();

      const result = await runCommand(executor, 'CommitFunding', commitmentInput(), finance);

      expect(result).toMatchObject({ command: 'CommitFunding', streamId: 'funding-bdt-seed', written: true, nextExpectedRevision: 0 });
      const [event, ...rest] = await fundingEvents();
      expect(rest).toEqual([]);
      expect(event).toMatchObject({ type: 'FundingCommitted', metadata: { actor: 'fin-1', role: 'finance' } });
      expect(event!.data).toEqual(commitmentInput());
      const tranches = event!.data['tranches'] as Record<string, unknown>[];
      expect(tranches[0]).not.toHaveProperty('conditions');
      expect(tranches[1]).not.toHaveProperty('label');
    });

    it('attaches the agreement to its antenna first (FundingAgreementAttached on the antenna’s stream), in the same correlation as the commitment (0060)', async () => {
      await openAntenna();
      await runCommand(executor, 'CommitFunding', commitmentInput(), finance);
      const [, claim, ...rest] = await collect(store.readStream('antenna-montbeliard'));
      expect(rest).toEqual([]);
      expect(claim).toMatchObject({ type: 'FundingAgreementAttached', data: { antennaId: 'montbeliard', agreementId: 'bdt-seed', effectiveDate: '2021-07-01' } });
      const [commitment] = await fundingEvents();
      expect(commitment?.metadata.correlationId).toBe(claim?.metadata.correlationId);
    });

    it('rule: the commitment step alone, never attached by its antenna, is refused (FUNDING.COMMITMENT_NOT_CLAIMED), nothing written', async () => {
      await openAntenna();
      await expect(executor.execute(commitFunding, commitmentInput(), finance)).rejects.toMatchObject({ code: 'FUNDING.COMMITMENT_NOT_CLAIMED', kind: 'conflict' });
      expect(await fundingEvents()).toEqual([]);
    });

    it('rule: an interrupted commitment (attached, not committed) is completed by the same command again; another date is refused (ANTENNA.FUNDING_ALREADY_ATTACHED)', async () => {
      await openAntenna();
      await executor.execute(attachFundingAgreement, commitmentInput(), finance);
      expect(await fundingEvents()).toEqual([]);
      await expect(runCommand(executor, 'CommitFunding', { ...commitmentInput(), effectiveDate: '2021-07-02' }, finance)).rejects.toMatchObject({
        code: 'ANTENNA.FUNDING_ALREADY_ATTACHED',
        kind: 'conflict',
      });
      expect(await runCommand(executor, 'CommitFunding', commitmentInput(), finance)).toMatchObject({ written: true, events: [{ type: 'FundingCommitted', revision: 0 }] });
      expect((await collect(store.readStream('antenna-montbeliard'))).map((event) => event.type)).toEqual(['AntennaOpened', 'FundingAgreementAttached']);
    });

    it('rule: a commitment dated after today is refused naming the commitment (EVENT.EFFECTIVE_DATE_IN_FUTURE, eventType FundingCommitted), not the attachment that checks it first; nothing written', async () => {
      await openAntenna();
      const input = commitmentInput();
      const future = { ...input, effectiveDate: '2026-01-16', tranches: input.tranches.map((each) => ({ ...each, dueOn: '2027-12-31' })) };
      const head = await store.headPosition();
      await expect(runCommand(executor, 'CommitFunding', future, finance)).rejects.toMatchObject({
        code: 'EVENT.EFFECTIVE_DATE_IN_FUTURE',
        kind: 'rule',
        details: { field: 'effectiveDate', eventType: 'FundingCommitted', effectiveDate: '2026-01-16', today: '2026-01-15' },
      });
      expect(await store.headPosition()).toBe(head);
    });

    it('rule: a commitment refused for its own schedule attaches nothing to its antenna (FUNDING.SCHEDULE_MISMATCH, FUNDING.TRANCHE_DUE_BEFORE_COMMITMENT), so the corrected one may take any date', async () => {
      await openAntenna();
      const input = commitmentInput();
      await expect(runCommand(executor, 'CommitFunding', { ...input, amountCents: input.amountCents + 1 }, finance)).rejects.toMatchObject({
        code: 'FUNDING.SCHEDULE_MISMATCH',
      });
      const [first, ...others] = input.tranches;
      await expect(runCommand(executor, 'CommitFunding', { ...input, tranches: [{ ...first!, dueOn: '2021-06-30' }, ...others] }, finance)).rejects.toMatchObject({
        code: 'FUNDING.TRANCHE_DUE_BEFORE_COMMITMENT',
      });
      expect((await collect(store.readStream('antenna-montbeliard'))).map((event) => event.type)).toEqual(['AntennaOpened']);
      await expect(runCommand(executor, 'CommitFunding', { ...input, effectiveDate: '2021-07-02' }, finance)).resolves.toMatchObject({ written: true });
    });

    it('Idempotency-Key: the same keyed commitment again replays both steps, the claim seeded apart (<seed>:claim)', async () => {
      await openAntenna();
      const keyed = { idempotency: { key: 'k-commit', request: 'h-commit' }, eventIdSeed: 'seed-commit' };
      const first = await runCommand(executor, 'CommitFunding', commitmentInput(), finance, keyed);
      const again = await runCommand(executor, 'CommitFunding', commitmentInput(), finance, keyed);
      expect(again).toMatchObject({ written: true, position: first.position, events: first.events });
      expect((await collect(store.readStream('antenna-montbeliard'))).map((event) => event.type)).toEqual(['AntennaOpened', 'FundingAgreementAttached']);
      expect(await fundingEvents()).toHaveLength(1);
    });

    it('rule: an agreement committed to another antenna is not attached to this one (FUNDING.ALREADY_COMMITTED), nothing written', async () => {
      await openAntenna();
      await runCommand(executor, 'CommitFunding', commitmentInput(), finance);
      await store.append(
        'antenna-chaumont',
        [{ id: randomUUID(), type: 'AntennaOpened', version: 1, data: { ...antennaOpened.data, antennaId: 'chaumont' } as unknown as Record<string, unknown>, metadata: { actor: 'admin-1', role: 'admin', correlationId: 'c', causationId: 'c', recordedAt: '2021-01-11T09:00:00Z' } }],
        { expectedRevision: 'any' },
      );
      await expect(runCommand(executor, 'CommitFunding', { ...commitmentInput(), antennaId: 'chaumont' }, finance)).rejects.toMatchObject({ code: 'FUNDING.ALREADY_COMMITTED' });
      expect((await collect(store.readStream('antenna-chaumont'))).map((event) => event.type)).toEqual(['AntennaOpened']);
    });

    it('idempotence: the same commitment again writes nothing', async () => {
      await openAntenna();
      await runCommand(executor, 'CommitFunding', commitmentInput(), finance);
      const head = await store.headPosition();

      const repeat = await runCommand(executor, 'CommitFunding', commitmentInput(), admin);

      expect(repeat).toMatchObject({ written: false, events: [], nextExpectedRevision: 0 });
      expect(await store.headPosition()).toBe(head);
    });

    it('look-up: funding for an antenna never opened is refused with ANTENNA.NOT_FOUND, nothing written', async () => {
      await expect(runCommand(executor, 'CommitFunding', commitmentInput(), finance)).rejects.toMatchObject({
        constructor: DomainError,
        code: 'ANTENNA.NOT_FOUND',
      });
      expect(await store.headPosition()).toBe(0n);
    });

    it('look-up: a suspended antenna still receives funding', async () => {
      await openAntenna();
      await appendAntennaEvent({ type: 'AntennaSuspended', data: { antennaId: 'montbeliard', reason: 'Travaux', effectiveDate: '2021-05-01' } });
      await expect(runCommand(executor, 'CommitFunding', commitmentInput(), finance)).resolves.toMatchObject({ written: true });
    });

    it('rule: once the antenna is closed, only the agreement’s public data may still be recorded (docs/decisions/0035); a release is refused, nothing written', async () => {
      await openAntenna();
      await runCommand(executor, 'CommitFunding', commitmentInput(), finance);
      await appendAntennaEvent({ type: 'AntennaClosed', data: { antennaId: 'montbeliard', reason: 'Fin du projet', effectiveDate: '2025-06-30' } });
      const head = await store.headPosition();
      await expect(executor.execute(releaseTranche, releaseInput(), finance)).rejects.toMatchObject({ code: 'ANTENNA.CLOSED' });
      expect(await store.headPosition()).toBe(head);
      await expect(executor.execute(command('RecordFundingPublicData'), { ...publicDataInput(), effectiveDate: '2025-09-01' }, finance)).resolves.toMatchObject({ written: true });
      expect((await fundingEvents()).map((event) => event.type)).toEqual(['FundingCommitted', 'FundingPublicDataRecorded']);
    });

    it('money is integer cents: a float amount is refused by rule isCents', async () => {
      await openAntenna();
      expect(await violationsOf(commitFunding, { ...commitmentInput(), amountCents: 1000.5 })).toEqual(violation('amountCents', 'isCents'));
    });

    it('money is integer cents, in every tranche too (tranches.0.amountCents)', async () => {
      await openAntenna();
      const input = commitmentInput();
      input.tranches[0]!.amountCents = 4_000_000.01;
      expect(await violationsOf(commitFunding, input)).toEqual(violation('tranches.0.amountCents', 'isCents'));
    });

    it('a tranche is due on an ISO date (tranches.1.dueOn)', async () => {
      await openAntenna();
      const input = commitmentInput();
      input.tranches[1]!.dueOn = '2022-02-30';
      expect(await violationsOf(commitFunding, input)).toEqual(violation('tranches.1.dueOn', 'isIsoDate'));
    });

    it('a commitment is paid in at least one tranche', async () => {
      expect(await violationsOf(commitFunding, { ...commitmentInput(), tranches: [] })).toEqual(violation('tranches', 'arrayMinSize'));
      expect(await violationsOf(commitFunding, { ...commitmentInput(), tranches: 'all at once' })).toEqual(violation('tranches', 'isArray'));
    });

    it('unknown fields are refused, top-level and inside a tranche', async () => {
      const input = { ...commitmentInput(), currency: 'EUR' };
      input.tranches = [{ ...input.tranches[0]!, paid: true } as never, ...input.tranches.slice(1)];
      const violations = await violationsOf(commitFunding, input);
      expect(violations).toEqual(violation('currency', 'whitelistValidation'));
      expect(violations).toEqual(violation('tranches.0.paid', 'whitelistValidation'));
    });

    it('funder and label are required text', async () => {
      const { funder: _funder, ...withoutFunder } = commitmentInput();
      expect(await violationsOf(commitFunding, { ...withoutFunder, label: '' })).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'funder', rule: 'isText' }), expect.objectContaining({ field: 'label', rule: 'isText' })]),
      );
    });
  });

  describe('tranches', () => {
    beforeEach(async () => {
      await openAntenna();
      await runCommand(executor, 'CommitFunding', commitmentInput(), finance);
    });

    it('a release without an amount releases the scheduled amount', async () => {
      const result = await executor.execute(releaseTranche, releaseInput(), finance);

      expect(result).toMatchObject({ streamId: 'funding-bdt-seed', written: true, nextExpectedRevision: 1 });
      expect((await fundingEvents())[1]).toMatchObject({
        type: 'BudgetTrancheReleased',
        data: { ...tranche, amountCents: 4_000_000, effectiveDate: '2021-09-15' },
      });
    });

    it('idempotence: the same release twice is written once', async () => {
      await executor.execute(releaseTranche, releaseInput(), finance);
      const repeat = await executor.execute(releaseTranche, releaseInput(), finance);
      expect(repeat.written).toBe(false);
      expect(await fundingEvents()).toHaveLength(2);
    });

    it('a released amount, when given, is integer cents (rule isCents)', async () => {
      expect(await violationsOf(releaseTranche, { ...releaseInput(), amountCents: 3_999_999.5 })).toEqual(violation('amountCents', 'isCents'));
    });

    it('records the receipt of a released tranche with its bank reference', async () => {
      await executor.execute(releaseTranche, releaseInput(), finance);
      await executor.execute(recordReceipt, receiptInput(), finance);
      expect((await fundingEvents())[2]).toMatchObject({ type: 'TrancheReceived', data: receiptInput() });
    });

    it('a receipt names its bank reference (rule isText) and an integer amount (rule isCents)', async () => {
      const { bankReference: _reference, ...withoutReference } = receiptInput();
      const violations = await violationsOf(recordReceipt, { ...withoutReference, amountCents: 1000.5 });
      expect(violations).toEqual(violation('bankReference', 'isText'));
      expect(violations).toEqual(violation('amountCents', 'isCents'));
    });

    it('reverses a release, copying its amount; the reason goes into the metadata', async () => {
      await executor.execute(releaseTranche, releaseInput(), finance);
      await executor.execute(reverseRelease, reversalInput(), admin);
      expect((await fundingEvents())[2]).toMatchObject({
        type: 'TrancheReleaseReversed',
        data: { ...tranche, amountCents: 4_000_000, reason: 'Versement émis par erreur' },
        metadata: { reason: 'Versement émis par erreur', role: 'admin' },
      });
    });

    it('rule: a tranche released again is not dated before the reversal it follows (TRANCHE.RELEASED_BEFORE_REVERSAL), nothing written', async () => {
      await executor.execute(releaseTranche, releaseInput(), finance);
      await executor.execute(reverseRelease, { ...reversalInput(), effectiveDate: '2021-09-20' }, finance);
      await expect(executor.execute(releaseTranche, { ...releaseInput(), amountCents: 5_599_999, effectiveDate: '2021-09-10' }, finance)).rejects.toMatchObject({
        code: 'TRANCHE.RELEASED_BEFORE_REVERSAL',
        kind: 'rule',
        details: { field: 'effectiveDate' },
      });
      expect(await fundingEvents()).toHaveLength(3);
    });

    it('a reversal gives a reason (rule isText)', async () => {
      const { reason: _reason, ...withoutReason } = reversalInput();
      expect(await violationsOf(reverseRelease, withoutReason)).toEqual(violation('reason', 'isText'));
    });

    it('closes the agreement, with or without a reason; a repeat writes nothing', async () => {
      const first = await executor.execute(closeAgreement, closingInput(), finance);
      const repeat = await executor.execute(closeAgreement, closingInput(), finance);
      expect(first.written).toBe(true);
      expect(repeat.written).toBe(false);
      const closing = (await fundingEvents())[1]!;
      expect(closing.type).toBe('FundingAgreementClosed');
      expect(closing.data).toEqual(closingInput());
    });

    it('an optional closing reason, when given, is text', async () => {
      expect(await violationsOf(closeAgreement, { ...closingInput(), reason: '' })).toEqual(violation('reason', 'isText'));
    });

    it('a tranche due date lies between 1900-01-01 and 2100-12-31 (rule isIsoDate)', async () => {
      const input = commitmentInput();
      const tranches = input.tranches.map((t) => (t.trancheId === 'balance' ? { ...t, dueOn: '9999-12-31' } : t));
      expect(await violationsOf(commitFunding, { ...input, agreementId: 'region-bfc', tranches })).toEqual(violation('tranches.2.dueOn', 'isIsoDate'));
    });

    it('facts are recorded once they happened: a release dated after today (Europe/Paris) is refused', async () => {
      await expect(executor.execute(releaseTranche, { ...releaseInput(), effectiveDate: '2026-01-16' }, finance)).rejects.toMatchObject({
        code: 'EVENT.EFFECTIVE_DATE_IN_FUTURE',
      });
      await expect(executor.execute(releaseTranche, { ...releaseInput(), effectiveDate: '2026-01-15' }, finance)).resolves.toMatchObject({
        written: true,
      });
    });
  });

  describe('closing the antenna follows its agreements (docs/decisions/0060)', () => {
    const closeAntenna = (effectiveDate: string) => executor.execute(commandNamed('CloseAntenna'), { antennaId: 'montbeliard', reason: 'Fin du projet', effectiveDate }, admin);
    const antennaTypes = async () => (await collect(store.readStream('antenna-montbeliard'))).map((event) => event.type);

    it('rule: an antenna does not close before a release, receipt or reversal of one of its agreements (ANTENNA.CLOSED_BEFORE_LAST_FACT), naming the fact and its date; nothing written', async () => {
      await openAntenna();
      await runCommand(executor, 'CommitFunding', commitmentInput(), finance);
      await executor.execute(releaseTranche, releaseInput(), finance);
      await executor.execute(recordReceipt, receiptInput(), finance);
      const refused = await closeAntenna('2021-09-16').then(() => undefined, (error: unknown) => error);
      expect(refused).toMatchObject({ code: 'ANTENNA.CLOSED_BEFORE_LAST_FACT', kind: 'rule', details: { field: 'effectiveDate', latestFactOn: '2021-09-17' } });
      expect((refused as Error).message).toContain('avant la réception de la tranche signature de sa convention de financement bdt-seed (2021-09-17)');
      expect(await antennaTypes()).toEqual(['AntennaOpened', 'FundingAgreementAttached']);
      await expect(closeAntenna('2021-09-17')).resolves.toMatchObject({ written: true });
    });

    it('rule: a closed antenna’s agreement still accepts its closing and its public data (0035, 0054); its commitment again is refused (ANTENNA.CLOSED)', async () => {
      await openAntenna();
      await runCommand(executor, 'CommitFunding', commitmentInput(), finance);
      await closeAntenna('2024-06-30');
      await expect(executor.execute(command('RecordFundingPublicData'), { ...publicDataInput(), effectiveDate: '2024-09-01' }, finance)).resolves.toMatchObject({ written: true });
      await expect(executor.execute(closeAgreement, closingInput(), finance)).resolves.toMatchObject({ written: true });
      await expect(runCommand(executor, 'CommitFunding', commitmentInput(), finance)).rejects.toMatchObject({ code: 'ANTENNA.CLOSED' });
    });

    it('rule: an agreement committed before antennas listed theirs is attached by the same commitment again, and the closing then follows it', async () => {
      await openAntenna();
      // A history recorded before 0060: the commitment alone, without its claim on the antenna's stream.
      await store.append(
        'funding-bdt-seed',
        [{ id: randomUUID(), type: 'FundingCommitted', version: 2, data: commitmentInput() as unknown as Record<string, unknown>, metadata: { actor: 'fin-1', role: 'finance', correlationId: 'c', causationId: 'c', recordedAt: '2021-07-01T09:00:00Z' } }],
        { expectedRevision: 'no_stream' },
      );
      await executor.execute(releaseTranche, releaseInput(), finance);
      expect(await runCommand(executor, 'CommitFunding', commitmentInput(), finance)).toMatchObject({ written: true, streamId: 'funding-bdt-seed' });
      expect(await antennaTypes()).toEqual(['AntennaOpened', 'FundingAgreementAttached']);
      expect(await fundingEvents()).toHaveLength(2);
      await expect(closeAntenna('2021-09-14')).rejects.toMatchObject({ code: 'ANTENNA.CLOSED_BEFORE_LAST_FACT' });
    });
  });

  describe('a history recorded before antennas listed their agreements (docs/decisions/0064)', () => {
    const antennaEvents = () => collect(store.readStream('antenna-montbeliard'));
    // The commitment alone, as recorded before 0060 (FundingCommitted v2): no claim on the antenna's stream.
    const legacyCommitment = async () => {
      await openAntenna();
      await store.append(
        'funding-bdt-seed',
        [{ id: randomUUID(), type: 'FundingCommitted', version: 2, data: commitmentInput() as unknown as Record<string, unknown>, metadata: { actor: 'fin-1', role: 'finance', correlationId: 'c', causationId: 'c', recordedAt: '2021-07-01T09:00:00Z' } }],
        { expectedRevision: 'no_stream' },
      );
      await executor.execute(releaseTranche, releaseInput(), finance);
    };

    it('rule: the same commitment sent again attaches the agreement at its commitment’s date, and nothing else', async () => {
      await legacyCommitment();
      const head = await store.headPosition();
      expect(await runCommand(executor, 'CommitFunding', commitmentInput(), finance)).toMatchObject({ written: true });
      const written = await collect(store.readAll({ after: head }));
      expect(written.map(({ streamId, type, data }) => ({ streamId, type, data }))).toEqual([
        { streamId: 'antenna-montbeliard', type: 'FundingAgreementAttached', data: { antennaId: 'montbeliard', agreementId: 'bdt-seed', effectiveDate: '2021-07-01' } },
      ]);
    });

    it('rule: sent once more, the same commitment writes nothing (the attachment is recorded once)', async () => {
      await legacyCommitment();
      await runCommand(executor, 'CommitFunding', commitmentInput(), finance);
      const head = await store.headPosition();
      expect(await runCommand(executor, 'CommitFunding', commitmentInput(), finance)).toMatchObject({ written: false });
      expect(await store.headPosition()).toBe(head);
      expect((await antennaEvents()).map((event) => event.type)).toEqual(['AntennaOpened', 'FundingAgreementAttached']);
    });

    it('rule: a commitment with other details is refused (FUNDING.ALREADY_COMMITTED) and attaches nothing', async () => {
      await legacyCommitment();
      const head = await store.headPosition();
      await expect(runCommand(executor, 'CommitFunding', { ...commitmentInput(), effectiveDate: '2021-07-02' }, finance)).rejects.toMatchObject({ code: 'FUNDING.ALREADY_COMMITTED' });
      await expect(runCommand(executor, 'CommitFunding', { ...commitmentInput(), label: 'Autre libellé' }, finance)).rejects.toMatchObject({ code: 'FUNDING.ALREADY_COMMITTED' });
      expect(await store.headPosition()).toBe(head);
      // The unchanged commitment still attaches it afterwards.
      await expect(runCommand(executor, 'CommitFunding', commitmentInput(), finance)).resolves.toMatchObject({ written: true });
    });
  });

  describe('roles', () => {
    it('a programme manager may not release a tranche (ForbiddenError), and nothing is written', async () => {
      await openAntenna();
      await runCommand(executor, 'CommitFunding', commitmentInput(), finance);
      const head = await store.headPosition();

      await expect(executor.execute(releaseTranche, releaseInput(), manager)).rejects.toBeInstanceOf(ForbiddenError);
      expect(await store.headPosition()).toBe(head);
    });

    it('a programme manager may run no funding command; an admin and a finance officer may', async () => {
      await openAntenna();
      for (const definition of fundingCommands) {
        await expect(executor.execute(definition as CommandDefinition, {}, manager)).rejects.toBeInstanceOf(ForbiddenError);
      }
      await expect(runCommand(executor, 'CommitFunding', commitmentInput(), admin)).resolves.toMatchObject({ written: true });
      await expect(executor.execute(releaseTranche, releaseInput(), finance)).resolves.toMatchObject({ written: true });
    });

    it('an auditor may run no funding command, and nothing is written', async () => {
      await openAntenna();
      const head = await store.headPosition();
      const inputs: Record<string, unknown> = {
        CommitFunding: commitmentInput(),
        ReleaseTranche: releaseInput(),
        RecordTrancheReceipt: receiptInput(),
        ReverseTrancheRelease: reversalInput(),
        CloseFundingAgreement: closingInput(),
      };
      for (const definition of fundingCommands) {
        await expect(executor.execute(definition as CommandDefinition, inputs[definition.name], auditor)).rejects.toBeInstanceOf(ForbiddenError);
      }
      expect(await store.headPosition()).toBe(head);
    });
  });
});
