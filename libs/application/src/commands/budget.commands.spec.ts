import { AntennaClosed, AntennaOpened, DomainError } from '@jalon/domain';
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
import { budgetCommands } from './budget.commands';
import { runCommand } from './run-command';
import { commandNamed, COMMANDS } from './index';
import { montbeliardOpened } from '../testing/montbeliard.fixture';

const clock = { now: () => new Date('2026-01-15T10:00:00Z') };
const admin: Actor = { id: 'admin-1', name: 'Alice Admin', role: 'admin' };
const manager: Actor = { id: 'pm-1', name: 'Paul Chef de programme', role: 'programme-manager' };
const finance: Actor = { id: 'fin-1', name: 'Fanny Finances', role: 'finance' };
const auditor: Actor = { id: 'aud-1', name: 'Aude Auditrice', role: 'auditor' };

const command = (name: string): CommandDefinition => {
  const definition = budgetCommands.find((candidate) => candidate.name === name);
  if (!definition) throw new Error(`no budget command ${name}`);
  return definition as CommandDefinition;
};
const setForecast = command('SetBudgetForecast');
const reviseForecast = command('ReviseBudgetForecast');
const recordExpenditure = command('RecordExpenditure');
const reverseExpenditure = command('ReverseExpenditure');

const antennaOpened = montbeliardOpened;

/** Lines given out of order: the stored forecast is sorted by year, then category. */
const forecastInput = () => ({
  antennaId: 'montbeliard',
  lines: [
    { year: 2022, category: 'staff', amountCents: 9_000_000 },
    { year: 2021, category: 'premises', amountCents: 1_500_000 },
    { year: 2021, category: 'staff', amountCents: 7_860_000 },
  ],
  effectiveDate: '2021-02-01',
});

const expenditureInput = () => ({
  antennaId: 'montbeliard',
  expenditureId: 'fact-2021-001',
  category: 'equipment',
  amountCents: 123_456,
  description: 'Écrans pour la salle de visioconférence',
  effectiveDate: '2021-03-10',
});

describe('budget command catalogue', () => {
  let dir: string;
  let store: SqliteEventStore;
  let executor: CommandExecutor;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-budget-commands-'));
    store = SqliteEventStore.open({ file: join(dir, 'events.db') });
    executor = new CommandExecutor({ store, clock, ids: timeOrderedIds, timeZone: 'Europe/Paris' });
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function appendAntennaEvent(event: AntennaOpened | AntennaClosed) {
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
  const budgetEvents = () => collect(store.readStream('budget-montbeliard'));

  /** Runs a command expected to be refused as invalid input; checks that nothing was written. */
  async function violationsOf(definition: CommandDefinition, input: unknown, actor: Actor = admin): Promise<readonly FieldViolation[]> {
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
    it('defines one command per domain budget command, named after it, with a French summary', () => {
      expect(budgetCommands.map((definition) => definition.name)).toEqual([
        'SetBudgetForecast',
        'ReviseBudgetForecast',
        'RecordExpenditure',
        'ReverseExpenditure',
      ]);
      for (const definition of budgetCommands) expect(definition.summary).toMatch(/\S/);
    });

    it('is part of the single catalogue the API, the CLI and the demo use', () => {
      for (const definition of budgetCommands) {
        expect(commandNamed(definition.name)).toBe(definition);
        expect(COMMANDS).toContain(definition);
      }
    });

    it('writes every budget command to the budget stream of its antenna', () => {
      const input = { antennaId: 'montbeliard' };
      for (const definition of budgetCommands) expect(definition.streamId(input as never)).toBe('budget-montbeliard');
    });
  });

  describe('SetBudgetForecast', () => {
    it('appends BudgetForecastSet to budget-<antennaId>, lines sorted, amounts and total in integer cents', async () => {
      await openAntenna();

      const result = await executor.execute(setForecast, forecastInput(), manager);

      expect(result).toMatchObject({ command: 'SetBudgetForecast', streamId: 'budget-montbeliard', written: true, nextExpectedRevision: 0 });
      const [event, ...rest] = await budgetEvents();
      expect(rest).toEqual([]);
      expect(event).toMatchObject({ type: 'BudgetForecastSet', metadata: { actor: 'pm-1', role: 'programme-manager' } });
      expect(event!.data).toEqual({
        antennaId: 'montbeliard',
        lines: [
          { year: 2021, category: 'staff', amountCents: 7_860_000 },
          { year: 2021, category: 'premises', amountCents: 1_500_000 },
          { year: 2022, category: 'staff', amountCents: 9_000_000 },
        ],
        totalCents: 18_360_000,
        effectiveDate: '2021-02-01',
      });
      expect(Number.isInteger(event!.data['totalCents'])).toBe(true);
    });

    it('idempotence: the same forecast set again writes nothing', async () => {
      await openAntenna();
      await executor.execute(setForecast, forecastInput(), manager);
      const head = await store.headPosition();

      const repeat = await executor.execute(setForecast, forecastInput(), finance);

      expect(repeat).toMatchObject({ written: false, events: [], nextExpectedRevision: 0 });
      expect(await store.headPosition()).toBe(head);
      expect(await budgetEvents()).toHaveLength(1);
    });

    it('look-up: the budget of an antenna never opened is refused with ANTENNA.NOT_FOUND, nothing written', async () => {
      await expect(executor.execute(setForecast, forecastInput(), admin)).rejects.toMatchObject({
        constructor: DomainError,
        code: 'ANTENNA.NOT_FOUND',
      });
      expect(await store.headPosition()).toBe(0n);
    });

    it('look-up: a closed antenna accepts no budget (ANTENNA.CLOSED)', async () => {
      await openAntenna();
      await appendAntennaEvent({ type: 'AntennaClosed', data: { antennaId: 'montbeliard', reason: 'Fin du programme', effectiveDate: '2024-12-31' } });

      await expect(executor.execute(setForecast, forecastInput(), admin)).rejects.toMatchObject({ code: 'ANTENNA.CLOSED' });
      expect(await budgetEvents()).toEqual([]);
    });

    it('money is integer cents: a float amount is refused by rule isCents on lines.0.amountCents', async () => {
      await openAntenna();
      const input = forecastInput();
      input.lines[0]!.amountCents = 1000.5;
      expect(await violationsOf(setForecast, input)).toEqual(violation('lines.0.amountCents', 'isCents'));
    });

    it('money is integer cents: an amount sent as a string is refused (no implicit conversion)', async () => {
      await openAntenna();
      const input = { ...forecastInput(), lines: [{ year: 2021, category: 'staff', amountCents: '7860000' }] };
      expect(await violationsOf(setForecast, input)).toEqual(violation('lines.0.amountCents', 'isCents'));
    });

    it('categories are the domain codes: an unknown category is refused by rule isIn', async () => {
      await openAntenna();
      const input = forecastInput();
      input.lines[1]!.category = 'catering';
      expect(await violationsOf(setForecast, input)).toEqual(violation('lines.1.category', 'isIn'));
    });

    it('years lie between 2000 and 2100 and are whole', async () => {
      await openAntenna();
      const input = forecastInput();
      input.lines[0]!.year = 1999;
      input.lines[1]!.year = 2021.5;
      const violations = await violationsOf(setForecast, input);
      expect(violations).toEqual(violation('lines.0.year', 'min'));
      expect(violations).toEqual(violation('lines.1.year', 'isInt'));
    });

    it('a forecast has at least one line', async () => {
      await openAntenna();
      expect(await violationsOf(setForecast, { ...forecastInput(), lines: [] })).toEqual(violation('lines', 'arrayMinSize'));
    });

    it('unknown fields are refused, top-level and nested, not silently dropped', async () => {
      await openAntenna();
      const input = { ...forecastInput(), totalCents: 18_360_000 };
      input.lines = [{ ...input.lines[0]!, note: 'x' } as never];
      const violations = await violationsOf(setForecast, input);
      expect(violations).toEqual(violation('totalCents', 'whitelistValidation'));
      expect(violations).toEqual(violation('lines.0.note', 'whitelistValidation'));
    });

    it('the antenna id (a path parameter) is a validated slug', async () => {
      expect(await violationsOf(setForecast, { ...forecastInput(), antennaId: 'Montbéliard' })).toEqual(violation('antennaId', 'isSlug'));
      const { antennaId: _omitted, ...withoutAntenna } = forecastInput();
      expect(await violationsOf(setForecast, withoutAntenna)).toEqual(violation('antennaId', 'isSlug'));
    });

    it('the effective date is an ISO date', async () => {
      expect(await violationsOf(setForecast, { ...forecastInput(), effectiveDate: '01/02/2021' })).toEqual(
        violation('effectiveDate', 'isIsoDate'),
      );
    });
  });

  describe('ReviseBudgetForecast', () => {
    it('appends BudgetForecastRevised with the previous total, and its reason goes into the metadata', async () => {
      await openAntenna();
      await executor.execute(setForecast, forecastInput(), manager);
      const revised = {
        antennaId: 'montbeliard',
        lines: [{ year: 2021, category: 'staff', amountCents: 8_000_000 }],
        reason: 'Recrutement d’un second conseiller',
        effectiveDate: '2021-06-01',
      };

      const result = await executor.execute(reviseForecast, revised, finance);

      expect(result).toMatchObject({ streamId: 'budget-montbeliard', written: true, nextExpectedRevision: 1 });
      const events = await budgetEvents();
      expect(events[1]).toMatchObject({
        type: 'BudgetForecastRevised',
        data: { revision: 1, totalCents: 8_000_000, previousTotalCents: 18_360_000, reason: 'Recrutement d’un second conseiller' },
        metadata: { reason: 'Recrutement d’un second conseiller', role: 'finance' },
      });
    });

    it('a revision gives a reason: a missing or blank reason is refused by rule isText', async () => {
      await openAntenna();
      await executor.execute(setForecast, forecastInput(), manager);
      const { antennaId, lines, effectiveDate } = forecastInput();
      expect(await violationsOf(reviseForecast, { antennaId, lines, effectiveDate })).toEqual(violation('reason', 'isText'));
      expect(await violationsOf(reviseForecast, { antennaId, lines, effectiveDate, reason: '   ' })).toEqual(violation('reason', 'isText'));
    });
  });

  describe('RecordExpenditure and ReverseExpenditure', () => {
    beforeEach(async () => {
      await openAntenna();
      await executor.execute(setForecast, forecastInput(), manager);
    });

    it('records an expenditure in integer cents; an absent funding agreement is not stored at all', async () => {
      const result = await executor.execute(recordExpenditure, expenditureInput(), finance);

      expect(result).toMatchObject({ streamId: 'budget-montbeliard', written: true });
      const recorded = (await budgetEvents())[1]!;
      expect(recorded.type).toBe('ExpenditureRecorded');
      expect(recorded.data).toEqual(expenditureInput());
      expect(recorded.data).not.toHaveProperty('fundingAgreementId');
    });

    /** Banque des Territoires' seed envelope, committed to the antenna through the funding catalogue (illustrative date). */
    const commitSeed = (antennaId = 'montbeliard') =>
      runCommand(
        executor,
        'CommitFunding',
        {
          antennaId,
          agreementId: 'bdt-seed',
          funder: 'Banque des Territoires',
          label: 'Enveloppe d’amorçage',
          amountCents: 10_000_000,
          tranches: [{ trancheId: 'unique', amountCents: 10_000_000, dueOn: '2021-03-01' }],
          effectiveDate: '2021-02-01',
        },
        finance,
      );

    it('records the funding agreement an expenditure was paid from, when given', async () => {
      await commitSeed();
      await executor.execute(recordExpenditure, { ...expenditureInput(), fundingAgreementId: 'bdt-seed' }, finance);
      expect((await budgetEvents())[1]!.data).toMatchObject({ fundingAgreementId: 'bdt-seed' });
    });

    it('look-up: an expenditure charged to an agreement never committed is refused (FUNDING.NOT_FOUND), nothing written', async () => {
      await expect(executor.execute(recordExpenditure, { ...expenditureInput(), fundingAgreementId: 'nope' }, finance)).rejects.toMatchObject({
        code: 'FUNDING.NOT_FOUND',
        kind: 'not-found',
        details: { field: 'fundingAgreementId' },
      });
      expect(await budgetEvents()).toHaveLength(1);
    });

    it('look-up: an expenditure dated before the commitment of its agreement is refused (EXPENDITURE.BEFORE_FUNDING_COMMITMENT)', async () => {
      await commitSeed();
      await expect(
        executor.execute(recordExpenditure, { ...expenditureInput(), fundingAgreementId: 'bdt-seed', effectiveDate: '2021-01-31' }, finance),
      ).rejects.toMatchObject({ code: 'EXPENDITURE.BEFORE_FUNDING_COMMITMENT', kind: 'rule' });
      expect(await budgetEvents()).toHaveLength(1);
    });

    it('rule: an expenditure is not dated before the antenna opened, however old the date (ANTENNA.DATE_BEFORE_OPENING)', async () => {
      await expect(executor.execute(recordExpenditure, { ...expenditureInput(), effectiveDate: '1900-01-01' }, finance)).rejects.toMatchObject({
        code: 'ANTENNA.DATE_BEFORE_OPENING',
      });
      expect(await violationsOf(recordExpenditure, { ...expenditureInput(), effectiveDate: '1899-12-31' })).toEqual(violation('effectiveDate', 'isIsoDate'));
    });

    it('an expenditure amount is at most 10^10 cents, so that every total stays exact (rule isCents)', async () => {
      expect(await violationsOf(recordExpenditure, { ...expenditureInput(), amountCents: 9_007_199_254_740_991 })).toEqual(violation('amountCents', 'isCents'));
      expect(await violationsOf(recordExpenditure, { ...expenditureInput(), amountCents: 10_000_000_001 })).toEqual(violation('amountCents', 'isCents'));
      await expect(executor.execute(recordExpenditure, { ...expenditureInput(), amountCents: 10_000_000_000 }, finance)).resolves.toMatchObject({ written: true });
    });

    it('idempotence: the same expenditure recorded twice is written once', async () => {
      await executor.execute(recordExpenditure, expenditureInput(), finance);
      const repeat = await executor.execute(recordExpenditure, expenditureInput(), finance);
      expect(repeat.written).toBe(false);
      expect(await budgetEvents()).toHaveLength(2);
    });

    it('an expenditure category must be a known code (rule isIn)', async () => {
      expect(await violationsOf(recordExpenditure, { ...expenditureInput(), category: 'travel' })).toEqual(violation('category', 'isIn'));
    });

    it('an expenditure amount is a positive integer of cents (rule isCents)', async () => {
      expect(await violationsOf(recordExpenditure, { ...expenditureInput(), amountCents: 1000.5 })).toEqual(violation('amountCents', 'isCents'));
      expect(await violationsOf(recordExpenditure, { ...expenditureInput(), amountCents: -500 })).toEqual(violation('amountCents', 'isCents'));
      expect(await violationsOf(recordExpenditure, { ...expenditureInput(), amountCents: 0 })).toEqual(violation('amountCents', 'isCents'));
    });

    it('an optional funding agreement id, when given, is a slug', async () => {
      expect(await violationsOf(recordExpenditure, { ...expenditureInput(), fundingAgreementId: 'BDT seed' })).toEqual(
        violation('fundingAgreementId', 'isSlug'),
      );
    });

    it('reverses an expenditure: the recorded amount is copied, the reason goes into the metadata; a repeat writes nothing', async () => {
      await executor.execute(recordExpenditure, expenditureInput(), finance);
      const reversal = { antennaId: 'montbeliard', expenditureId: 'fact-2021-001', reason: 'Facture en double', effectiveDate: '2021-03-20' };

      const first = await executor.execute(reverseExpenditure, reversal, finance);
      const repeat = await executor.execute(reverseExpenditure, reversal, finance);

      expect(first.written).toBe(true);
      expect(repeat.written).toBe(false);
      const events = await budgetEvents();
      expect(events).toHaveLength(3);
      expect(events[2]).toMatchObject({
        type: 'ExpenditureReversed',
        data: { expenditureId: 'fact-2021-001', amountCents: 123_456, reason: 'Facture en double' },
        metadata: { reason: 'Facture en double' },
      });
    });

    it('rule: a second reversal with another reason or date is a conflict (EXPENDITURE.ALREADY_REVERSED), nothing written', async () => {
      await executor.execute(recordExpenditure, expenditureInput(), finance);
      const reversal = { antennaId: 'montbeliard', expenditureId: 'fact-2021-001', reason: 'Facture en double', effectiveDate: '2021-03-20' };
      await executor.execute(reverseExpenditure, reversal, finance);
      await expect(executor.execute(reverseExpenditure, { ...reversal, reason: 'Autre motif', effectiveDate: '2021-03-25' }, finance)).rejects.toMatchObject({
        code: 'EXPENDITURE.ALREADY_REVERSED',
        kind: 'conflict',
      });
      expect(await budgetEvents()).toHaveLength(3);
    });

    it('a reversal gives a reason (rule isText) and names the expenditure (path parameter, rule isSlug)', async () => {
      const violations = await violationsOf(reverseExpenditure, { antennaId: 'montbeliard', effectiveDate: '2021-03-20' });
      expect(violations).toEqual(violation('reason', 'isText'));
      expect(violations).toEqual(violation('expenditureId', 'isSlug'));
    });
  });

  describe('roles', () => {
    it('a programme manager, a finance officer and an admin may write the budget', async () => {
      await openAntenna();
      await expect(executor.execute(setForecast, forecastInput(), manager)).resolves.toMatchObject({ written: true });
      await expect(executor.execute(recordExpenditure, expenditureInput(), finance)).resolves.toMatchObject({ written: true });
      await expect(
        executor.execute(recordExpenditure, { ...expenditureInput(), expenditureId: 'fact-2021-002' }, admin),
      ).resolves.toMatchObject({ written: true });
    });

    it('an auditor may run no budget command, and nothing is written', async () => {
      await openAntenna();
      const head = await store.headPosition();
      const inputs: Record<string, unknown> = {
        SetBudgetForecast: forecastInput(),
        ReviseBudgetForecast: { ...forecastInput(), reason: 'x' },
        RecordExpenditure: expenditureInput(),
        ReverseExpenditure: { antennaId: 'montbeliard', expenditureId: 'fact-2021-001', reason: 'x', effectiveDate: '2021-03-20' },
      };
      for (const definition of budgetCommands) {
        await expect(executor.execute(definition as CommandDefinition, inputs[definition.name], auditor)).rejects.toBeInstanceOf(ForbiddenError);
      }
      expect(await store.headPosition()).toBe(head);
    });
  });
});

