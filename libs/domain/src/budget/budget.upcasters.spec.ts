import { upcastingSpecification } from '../testing/upcasting-specification';
import { BudgetLine } from './budget.events';
import { budgetForecastRevisedV1, expenditureRecordedV1, expenditureReversedV1 } from './budget.upcasters';

const spec = upcastingSpecification();

const v1 = (type: string, data: Record<string, unknown>) => ({ type, version: 1, data });
const v2 = (type: string, data: Record<string, unknown>) => ({ type, version: 2, data });

const forecastLines: BudgetLine[] = [
  { year: 2021, category: 'staff', amountCents: 7_000_000 },
  { year: 2021, category: 'premises', amountCents: 2_000_000 },
  { year: 2022, category: 'staff', amountCents: 10_000_000 },
  { year: 2022, category: 'equipment', amountCents: 1_000_000 },
];
const forecastSet = v1('BudgetForecastSet', { antennaId: 'montbeliard', lines: forecastLines, totalCents: 20_000_000, effectiveDate: '2021-03-01' });
const withAmount = (lines: readonly BudgetLine[], year: number, category: string, amountCents: number): BudgetLine[] =>
  lines.map((line) => (line.year === year && line.category === category ? { ...line, amountCents } : line));
const revisedLines = withAmount(forecastLines, 2022, 'staff', 11_000_000);
const secondLines = withAmount(revisedLines, 2021, 'premises', 1_500_000);

/** A revision as the release before commit 41c8fe2 stored it: no `previousLines`. */
const firstRevisionV1 = v1('BudgetForecastRevised', {
  antennaId: 'montbeliard',
  revision: 1,
  lines: revisedLines,
  totalCents: 21_000_000,
  previousTotalCents: 20_000_000,
  reason: 'Recrutement',
  effectiveDate: '2022-01-10',
});
const secondRevisionV1 = v1('BudgetForecastRevised', {
  antennaId: 'montbeliard',
  revision: 2,
  lines: secondLines,
  totalCents: 20_500_000,
  previousTotalCents: 21_000_000,
  reason: 'Loyer renégocié',
  effectiveDate: '2022-03-01',
});

const funded = v1('ExpenditureRecorded', {
  antennaId: 'montbeliard',
  expenditureId: 'inauguration-2022-doublon',
  category: 'communication',
  amountCents: 450_000,
  description: 'Inauguration (saisie en double)',
  fundingAgreementId: 'bdt-amorcage',
  effectiveDate: '2022-06-30',
});
const unfunded = v1('ExpenditureRecorded', {
  antennaId: 'montbeliard',
  expenditureId: 'coordination-2021',
  category: 'staff',
  amountCents: 3_200_000,
  description: 'Coordination',
  effectiveDate: '2021-12-31',
});
/** A reversal as the release before commit 41c8fe2 stored it: the amount only. */
const reversalV1 = (expenditureId: string, amountCents: number) =>
  v1('ExpenditureReversed', { antennaId: 'montbeliard', expenditureId, amountCents, reason: 'Saisie en double', effectiveDate: '2022-07-08' });

describe('budget upcasters', () => {
  it('upcast ExpenditureReversed and BudgetForecastRevised from version 1', () => {
    const steps = [expenditureReversedV1, budgetForecastRevisedV1].map((u) => `${u.type}@${u.from}`);
    expect(steps).toEqual(['ExpenditureReversed@1', 'BudgetForecastRevised@1']);
  });

  describe('ExpenditureReversed v1 → v2', () => {
    it('rule: a reversal stored without details is read with the category, date and agreement of the expenditure it reverses', () => {
      spec
        .given([forecastSet, unfunded, funded])
        .when(reversalV1('inauguration-2022-doublon', 450_000))
        .then(
          v2('ExpenditureReversed', {
            antennaId: 'montbeliard',
            expenditureId: 'inauguration-2022-doublon',
            amountCents: 450_000,
            category: 'communication',
            expenditureDate: '2022-06-30',
            fundingAgreementId: 'bdt-amorcage',
            reason: 'Saisie en double',
            effectiveDate: '2022-07-08',
          }),
        );
    });

    it('rule: the reversal of an expenditure charged to no agreement is read without fundingAgreementId', () => {
      spec
        .given([forecastSet, unfunded, funded])
        .when(reversalV1('coordination-2021', 3_200_000))
        .then(
          v2('ExpenditureReversed', {
            antennaId: 'montbeliard',
            expenditureId: 'coordination-2021',
            amountCents: 3_200_000,
            category: 'staff',
            expenditureDate: '2021-12-31',
            reason: 'Saisie en double',
            effectiveDate: '2022-07-08',
          }),
        );
    });

    it('rule: a version 1 reversal that already carries its details (written after 41c8fe2) is read as it is, at version 2', () => {
      const complete = {
        antennaId: 'montbeliard',
        expenditureId: 'inauguration-2022-doublon',
        amountCents: 450_000,
        category: 'communication',
        expenditureDate: '2022-06-30',
        fundingAgreementId: 'bdt-amorcage',
        reason: 'Saisie en double',
        effectiveDate: '2022-07-08',
      };
      // No history at all: a complete event needs none.
      spec.given([]).when(v1('ExpenditureReversed', complete)).then(v2('ExpenditureReversed', complete));
      expect(expenditureReversedV1.needsHistory(complete as never)).toBe(false);
      expect(expenditureReversedV1.needsHistory(reversalV1('x', 1).data as never)).toBe(true);
    });

    it('rule: a reversal whose stream records no expenditure of its id cannot be read (EVENT.CANNOT_UPCAST)', () => {
      spec.given([forecastSet, unfunded]).when(reversalV1('inauguration-2022-doublon', 450_000)).thenCannotBeRead(/no recorded expenditure/);
    });

    it('rule: a reversal whose amount is not the recorded one cannot be read (the history is not the one it was written on)', () => {
      spec.given([forecastSet, funded]).when(reversalV1('inauguration-2022-doublon', 400_000)).thenCannotBeRead(/copies 400000 cents/);
    });
  });

  describe('BudgetForecastRevised v1 → v2', () => {
    it('rule: a first revision stored without previousLines is read with the lines of the original forecast', () => {
      spec
        .given([forecastSet, unfunded])
        .when(firstRevisionV1)
        .then(v2('BudgetForecastRevised', { ...firstRevisionV1.data, previousLines: forecastLines }));
    });

    it('rule: a later revision is read with the lines of the revision before it, itself stored at version 1', () => {
      spec
        .given([forecastSet, firstRevisionV1, funded])
        .when(secondRevisionV1)
        .then(v2('BudgetForecastRevised', { ...secondRevisionV1.data, previousLines: revisedLines }));
    });

    it('rule: previousLines come in the forecast order (year, then category), as the decider writes them', () => {
      const unordered = v1('BudgetForecastSet', { ...forecastSet.data, lines: [...forecastLines].reverse() });
      spec
        .given([unordered])
        .when(firstRevisionV1)
        .then(v2('BudgetForecastRevised', { ...firstRevisionV1.data, previousLines: forecastLines }));
    });

    it('rule: a version 1 revision that already carries previousLines (written after 41c8fe2) is read as it is, at version 2', () => {
      const complete = { ...secondRevisionV1.data, previousLines: revisedLines };
      spec.given([]).when(v1('BudgetForecastRevised', complete)).then(v2('BudgetForecastRevised', complete));
    });

    it('rule: a revision whose stream sets no forecast before it cannot be read (EVENT.CANNOT_UPCAST)', () => {
      spec.given([unfunded]).when(firstRevisionV1).thenCannotBeRead(/finds no forecast before it/);
    });

    it('rule: a revision whose previous total is not that of the forecast before it cannot be read', () => {
      spec.given([forecastSet]).when(secondRevisionV1).thenCannotBeRead(/replaces 21000000 cents, the forecast before it totals 20000000/);
    });
  });
});

describe('ExpenditureRecorded v1 → v2 (supplier and invoice number)', () => {
  const recordedV1 = v1('ExpenditureRecorded', {
    antennaId: 'montbeliard',
    expenditureId: 'dep-2022-003',
    category: 'equipment',
    amountCents: 420_000,
    description: 'Postes de visioconférence',
    effectiveDate: '2022-05-12',
  });

  it('rule: an expenditure stored at version 1 is read at version 2 as one that named no supplier and no invoice number, without reading its stream', () => {
    spec.given([]).when(recordedV1).then(v2('ExpenditureRecorded', { ...recordedV1.data }));
    expect(expenditureRecordedV1.needsHistory(recordedV1.data as never)).toBe(false);
  });

  it('rule: a version 2 expenditure with its supplier and invoice number is read as it is', () => {
    const recordedV2 = v2('ExpenditureRecorded', { ...recordedV1.data, supplier: 'Bureau Vallée Montbéliard', invoiceNumber: 'FA-22-0512' });
    spec.given([]).when(recordedV2).then(recordedV2);
  });
});
