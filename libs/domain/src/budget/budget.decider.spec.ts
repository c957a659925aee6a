import { AntennaView, FundingAgreementView, fold, MAX_AMOUNT_CENTS } from '../shared';
import { specificationFor } from '../testing/decider-specification';
import { ReviseBudgetForecast, SetBudgetForecast } from './budget.commands';
import { budgetDecider, initialBudgetState, latestBudgetFactOn } from './budget.decider';
import {
  BUDGET_CATEGORIES,
  BudgetForecastRevised,
  BudgetForecastSet,
  BudgetLine,
  ExpenditureRecorded,
  ExpenditureReversed,
} from './budget.events';

const spec = specificationFor(budgetDecider);

const montbeliard: AntennaView = { antennaId: 'montbeliard', status: 'active', openedOn: '2021-01-11', candidacyId: 'ami-2--pays-de-montbeliard' };
/** Banque des Territoires' seed envelope, committed to the antenna on 1 July 2021 (illustrative date). */
const bdtSeed: FundingAgreementView = { agreementId: 'bdt-seed', status: 'committed', antennaId: 'montbeliard', committedOn: '2021-07-01' };
const context = { antenna: montbeliard, fundingAgreement: bdtSeed };

/**
 * Pays de Montbéliard: about 786,000 € over 2021–2024 (from the articles). The split per year and
 * category is illustrative: 120,000 € / 180,000 € / 236,000 € / 250,000 €.
 */
const forecastLines: readonly BudgetLine[] = [
  { year: 2021, category: 'staff', amountCents: 8_000_000 },
  { year: 2021, category: 'premises', amountCents: 2_000_000 },
  { year: 2021, category: 'communication', amountCents: 2_000_000 },
  { year: 2022, category: 'staff', amountCents: 12_000_000 },
  { year: 2022, category: 'equipment', amountCents: 4_000_000 },
  { year: 2022, category: 'operations', amountCents: 2_000_000 },
  { year: 2023, category: 'staff', amountCents: 15_000_000 },
  { year: 2023, category: 'premises', amountCents: 5_000_000 },
  { year: 2023, category: 'teaching', amountCents: 3_600_000 },
  { year: 2024, category: 'staff', amountCents: 16_000_000 },
  { year: 2024, category: 'premises', amountCents: 5_000_000 },
  { year: 2024, category: 'teaching', amountCents: 4_000_000 },
];

const setForecast: SetBudgetForecast = {
  type: 'SetBudgetForecast',
  data: { antennaId: 'montbeliard', lines: forecastLines, effectiveDate: '2021-03-15' },
  context,
};

const forecastSet: BudgetForecastSet = {
  type: 'BudgetForecastSet',
  data: { antennaId: 'montbeliard', lines: forecastLines, totalCents: 78_600_000, effectiveDate: '2021-03-15' },
};

/** Illustrative revision: works on the former Portes du Jura polyclinic cost more, 2024 teaching a little less. */
const revisedLines: readonly BudgetLine[] = forecastLines.map((line) =>
  line.year === 2023 && line.category === 'premises'
    ? { ...line, amountCents: 6_500_000 }
    : line.year === 2024 && line.category === 'teaching'
      ? { ...line, amountCents: 3_500_000 }
      : line,
);

const revise: ReviseBudgetForecast = {
  type: 'ReviseBudgetForecast',
  data: {
    antennaId: 'montbeliard',
    lines: revisedLines,
    reason: 'Travaux du site Portes du Jura réévalués après l’étude opérationnelle',
    effectiveDate: '2022-10-01',
  },
  context,
};

const revised: BudgetForecastRevised = {
  type: 'BudgetForecastRevised',
  data: {
    antennaId: 'montbeliard',
    revision: 1,
    lines: revisedLines,
    totalCents: 79_600_000,
    previousTotalCents: 78_600_000,
    previousLines: forecastLines,
    reason: revise.data.reason,
    effectiveDate: '2022-10-01',
  },
};

const recorded: ExpenditureRecorded = {
  type: 'ExpenditureRecorded',
  data: {
    antennaId: 'montbeliard',
    expenditureId: 'aioa-furniture-2021',
    category: 'equipment',
    amountCents: 1_234_567,
    description: 'Mobilier de l’espace d’accueil (AIOA) au Mattern Lab',
    fundingAgreementId: 'bdt-seed',
    effectiveDate: '2021-10-05',
  },
};

const reversed: ExpenditureReversed = {
  type: 'ExpenditureReversed',
  data: {
    antennaId: 'montbeliard',
    expenditureId: 'aioa-furniture-2021',
    amountCents: 1_234_567,
    category: 'equipment',
    expenditureDate: '2021-10-05',
    fundingAgreementId: 'bdt-seed',
    reason: 'Facture saisie deux fois',
    effectiveDate: '2021-11-02',
  },
};

describe('budget decider', () => {
  it('starts with no forecast', () => {
    expect(initialBudgetState()).toEqual({ status: 'no-forecast' });
  });

  it('knows the seven budget categories', () => {
    expect(BUDGET_CATEGORIES).toEqual(['staff', 'premises', 'equipment', 'teaching', 'communication', 'operations', 'other']);
  });

  describe('SetBudgetForecast', () => {
    it('records the forecast with its total computed in integer cents (786,000 € = 78,600,000 cents)', () => {
      spec.given([]).when(setForecast).then([forecastSet]);
    });

    it('stores the lines in a canonical order (year, then category) whatever order they came in', () => {
      spec
        .given([])
        .when({ ...setForecast, data: { ...setForecast.data, lines: [...forecastLines].reverse() } })
        .then([forecastSet]);
    });

    it('rule: setting the same lines again changes nothing, whatever their order', () => {
      spec.given([forecastSet]).when(setForecast).thenNothingHappens();
      spec
        .given([forecastSet])
        .when({ ...setForecast, data: { ...setForecast.data, lines: [...forecastLines].reverse() } })
        .thenNothingHappens();
    });

    it('rule: a forecast is set once, then revised (BUDGET.FORECAST_ALREADY_SET)', () => {
      spec
        .given([forecastSet])
        .when({ ...setForecast, data: { ...setForecast.data, lines: revisedLines } })
        .thenThrows('BUDGET.FORECAST_ALREADY_SET', 'conflict');
    });

    it('rule: the original forecast stays the reference after a revision (setting it again changes nothing)', () => {
      spec.given([forecastSet, revised]).when(setForecast).thenNothingHappens();
    });

    it('rule: a forecast has at least one line (BUDGET.EMPTY_FORECAST)', () => {
      spec
        .given([])
        .when({ ...setForecast, data: { ...setForecast.data, lines: [] } })
        .thenThrows('BUDGET.EMPTY_FORECAST', 'rule');
    });

    it('rule: one line per year and category (BUDGET.DUPLICATE_LINE)', () => {
      spec
        .given([])
        .when({
          ...setForecast,
          data: { ...setForecast.data, lines: [...forecastLines, { year: 2022, category: 'staff', amountCents: 100 }] },
        })
        .thenThrows('BUDGET.DUPLICATE_LINE', 'rule');
    });

    it.each([1999, 2101, 2021.5, Number.NaN])('rule: a forecast year is a whole year in 2000–2100, not %p (BUDGET.INVALID_YEAR)', (year) => {
      spec
        .given([])
        .when({ ...setForecast, data: { ...setForecast.data, lines: [{ year, category: 'staff', amountCents: 100 }] } })
        .thenThrows('BUDGET.INVALID_YEAR', 'rule');
    });

    it('rule: a forecast line uses a known category (BUDGET.UNKNOWN_CATEGORY)', () => {
      spec
        .given([])
        .when({ ...setForecast, data: { ...setForecast.data, lines: [{ year: 2021, category: 'travel', amountCents: 100 }] } })
        .thenThrows('BUDGET.UNKNOWN_CATEGORY', 'rule');
    });

    it.each([0, -100, 100.5])('rule: a forecast amount is a positive integer of cents, not %p (MONEY.NOT_POSITIVE_CENTS)', (amountCents) => {
      spec
        .given([])
        .when({ ...setForecast, data: { ...setForecast.data, lines: [{ year: 2021, category: 'staff', amountCents }] } })
        .thenThrows('MONEY.NOT_POSITIVE_CENTS', 'rule');
    });

    it('rule: a budget belongs to an opened antenna (ANTENNA.NOT_FOUND)', () => {
      spec
        .given([])
        .when({ ...setForecast, context: { antenna: { antennaId: 'montbeliard', status: 'not-opened' } } })
        .thenThrows('ANTENNA.NOT_FOUND', 'not-found');
    });

    it('rule: the antenna view must be the one the command names (ANTENNA.NOT_FOUND)', () => {
      spec
        .given([])
        .when({ ...setForecast, context: { antenna: { ...montbeliard, antennaId: 'chaumont' } } })
        .thenThrows('ANTENNA.NOT_FOUND', 'not-found');
    });

    it('rule: a closed antenna accepts nothing (ANTENNA.CLOSED)', () => {
      spec
        .given([])
        .when({ ...setForecast, context: { antenna: { ...montbeliard, status: 'closed' } } })
        .thenThrows('ANTENNA.CLOSED', 'conflict');
    });

    it('rule: a forecast is not set before the antenna opened (ANTENNA.DATE_BEFORE_OPENING)', () => {
      spec
        .given([])
        .when({ ...setForecast, data: { ...setForecast.data, effectiveDate: '2021-01-10' } })
        .thenThrows('ANTENNA.DATE_BEFORE_OPENING', 'rule');
    });
  });

  describe('ReviseBudgetForecast', () => {
    it('rule: a revision restates the whole forecast with a reason, numbered, beside the previous total', () => {
      spec.given([forecastSet]).when(revise).then([revised]);
    });

    it('carries the lines it replaces (previousLines), in the canonical order', () => {
      spec
        .given([forecastSet])
        .when({ ...revise, data: { ...revise.data, lines: [...revisedLines].reverse() } })
        .then([revised]);
    });

    it('numbers later revisions 2, 3… and compares with the current (not the original) total', () => {
      const secondLines = revisedLines.map((line) => (line.year === 2024 && line.category === 'staff' ? { ...line, amountCents: 15_000_000 } : line));
      spec
        .given([forecastSet, revised])
        .when({ ...revise, data: { ...revise.data, lines: secondLines, reason: 'Recrutement décalé', effectiveDate: '2023-09-01' } })
        .then([
          {
            type: 'BudgetForecastRevised',
            data: {
              antennaId: 'montbeliard',
              revision: 2,
              lines: secondLines,
              totalCents: 78_600_000,
              previousTotalCents: 79_600_000,
              previousLines: revisedLines,
              reason: 'Recrutement décalé',
              effectiveDate: '2023-09-01',
            },
          },
        ]);
    });

    it('may restate the original forecast as a new revision', () => {
      spec
        .given([forecastSet, revised])
        .when({ ...revise, data: { ...revise.data, lines: forecastLines, reason: 'Retour au budget initial' } })
        .then([
          {
            type: 'BudgetForecastRevised',
            data: {
              ...revised.data,
              revision: 2,
              lines: forecastLines,
              totalCents: 78_600_000,
              previousTotalCents: 79_600_000,
              previousLines: revisedLines,
              reason: 'Retour au budget initial',
            },
          },
        ]);
    });

    it('rule: restating the current forecast changes nothing (a repeated revision is a no-op)', () => {
      spec.given([forecastSet, revised]).when(revise).thenNothingHappens();
      spec
        .given([forecastSet])
        .when({ ...revise, data: { ...revise.data, lines: forecastLines } })
        .thenNothingHappens();
    });

    it('rule: only a forecast that was set can be revised (BUDGET.FORECAST_NOT_SET)', () => {
      spec.given([]).when(revise).thenThrows('BUDGET.FORECAST_NOT_SET', 'not-found');
    });

    it.each(['', '   '])('rule: a revision gives a reason, not %p (BUDGET.REVISION_REASON_REQUIRED)', (reason) => {
      spec
        .given([forecastSet])
        .when({ ...revise, data: { ...revise.data, reason } })
        .thenThrows('BUDGET.REVISION_REASON_REQUIRED', 'rule');
    });

    it('rule: a forecast is not revised before it was set (BUDGET.REVISED_BEFORE_FORECAST)', () => {
      spec
        .given([forecastSet])
        .when({ ...revise, data: { ...revise.data, effectiveDate: '2021-03-14' } })
        .thenThrows('BUDGET.REVISED_BEFORE_FORECAST', 'rule');
    });

    it('rule: a revision is not dated before the revision in force (BUDGET.REVISED_BEFORE_LAST_REVISION)', () => {
      const secondLines = revisedLines.map((line) => (line.year === 2024 && line.category === 'staff' ? { ...line, amountCents: 15_000_000 } : line));
      spec
        .given([forecastSet, revised])
        .when({ ...revise, data: { ...revise.data, lines: secondLines, effectiveDate: '2022-09-30' } })
        .thenThrows('BUDGET.REVISED_BEFORE_LAST_REVISION', 'rule');
    });

    it('rule: a revision follows the line rules (BUDGET.EMPTY_FORECAST, BUDGET.DUPLICATE_LINE, BUDGET.INVALID_YEAR, BUDGET.UNKNOWN_CATEGORY, MONEY.NOT_POSITIVE_CENTS)', () => {
      const withLines = (lines: ReviseBudgetForecast['data']['lines']) => ({ ...revise, data: { ...revise.data, lines } });
      spec.given([forecastSet]).when(withLines([])).thenThrows('BUDGET.EMPTY_FORECAST', 'rule');
      spec
        .given([forecastSet])
        .when(withLines([...revisedLines, { year: 2021, category: 'staff', amountCents: 1 }]))
        .thenThrows('BUDGET.DUPLICATE_LINE', 'rule');
      spec.given([forecastSet]).when(withLines([{ year: 1999, category: 'staff', amountCents: 1 }])).thenThrows('BUDGET.INVALID_YEAR', 'rule');
      spec
        .given([forecastSet])
        .when(withLines([{ year: 2021, category: 'salaries', amountCents: 1 }]))
        .thenThrows('BUDGET.UNKNOWN_CATEGORY', 'rule');
      spec
        .given([forecastSet])
        .when(withLines([{ year: 2021, category: 'staff', amountCents: 0 }]))
        .thenThrows('MONEY.NOT_POSITIVE_CENTS', 'rule');
    });

    it('rule: a closed antenna accepts nothing (ANTENNA.CLOSED)', () => {
      spec
        .given([forecastSet])
        .when({ ...revise, context: { antenna: { ...montbeliard, status: 'closed' } } })
        .thenThrows('ANTENNA.CLOSED', 'conflict');
    });

    it('rule: a budget belongs to an opened antenna (ANTENNA.NOT_FOUND)', () => {
      spec
        .given([forecastSet])
        .when({ ...revise, context: { antenna: { antennaId: 'montbeliard', status: 'not-opened' } } })
        .thenThrows('ANTENNA.NOT_FOUND', 'not-found');
    });
  });

  describe('RecordExpenditure', () => {
    const record = { type: 'RecordExpenditure' as const, data: recorded.data, context };

    it('records an expenditure against a category and a funding agreement', () => {
      spec.given([forecastSet]).when(record).then([recorded]);
    });

    it('records an expenditure with no funding agreement', () => {
      const { fundingAgreementId: _none, ...data } = recorded.data;
      spec
        .given([forecastSet])
        .when({ ...record, data })
        .then([{ type: 'ExpenditureRecorded', data }]);
    });

    it('rule: a suspended antenna still records its spending', () => {
      spec
        .given([forecastSet])
        .when({ ...record, context: { ...context, antenna: { ...montbeliard, status: 'suspended' } } })
        .then([recorded]);
    });

    it('rule: an expenditure is not dated before the antenna opened (ANTENNA.DATE_BEFORE_OPENING)', () => {
      const { fundingAgreementId: _none, ...unfunded } = recorded.data;
      spec
        .given([forecastSet])
        .when({ ...record, data: { ...unfunded, effectiveDate: '1899-12-31' } })
        .thenThrows('ANTENNA.DATE_BEFORE_OPENING', 'rule');
      spec
        .given([forecastSet])
        .when({ ...record, data: { ...unfunded, effectiveDate: '2021-01-10' } })
        .thenThrows('ANTENNA.DATE_BEFORE_OPENING', 'rule');
    });

    it('rule: an expenditure is charged only to an agreement that was committed (FUNDING.NOT_FOUND)', () => {
      spec
        .given([forecastSet])
        .when({ ...record, data: { ...recorded.data, fundingAgreementId: 'nope' }, context: { antenna: montbeliard, fundingAgreement: { agreementId: 'nope', status: 'not-committed' } } })
        .thenThrows('FUNDING.NOT_FOUND', 'not-found');
    });

    it('rule: an expenditure is charged only to an agreement of the same antenna (FUNDING.NOT_FOUND)', () => {
      spec
        .given([forecastSet])
        .when({ ...record, context: { antenna: montbeliard, fundingAgreement: { ...bdtSeed, antennaId: 'chaumont' } } })
        .thenThrows('FUNDING.NOT_FOUND', 'not-found');
    });

    it('rule: an expenditure charged to an agreement is not dated before its commitment (EXPENDITURE.BEFORE_FUNDING_COMMITMENT)', () => {
      spec
        .given([forecastSet])
        .when({ ...record, data: { ...recorded.data, effectiveDate: '2021-06-30' } })
        .thenThrows('EXPENDITURE.BEFORE_FUNDING_COMMITMENT', 'rule');
      spec
        .given([forecastSet])
        .when({ ...record, data: { ...recorded.data, effectiveDate: '2021-07-01' } })
        .then([{ type: 'ExpenditureRecorded', data: { ...recorded.data, effectiveDate: '2021-07-01' } }]);
    });

    it('rule: a closed agreement takes no expenditure dated after its closing, but one dated before it (FUNDING.CLOSED)', () => {
      const closedSeed = { context: { antenna: montbeliard, fundingAgreement: { ...bdtSeed, status: 'closed' as const, closedOn: '2023-12-31' } } };
      spec
        .given([forecastSet])
        .when({ ...record, ...closedSeed, data: { ...recorded.data, effectiveDate: '2024-01-02' } })
        .thenThrows('FUNDING.CLOSED', 'conflict');
      spec
        .given([forecastSet])
        .when({ ...record, ...closedSeed, data: { ...recorded.data, effectiveDate: '2023-12-31' } })
        .then([{ type: 'ExpenditureRecorded', data: { ...recorded.data, effectiveDate: '2023-12-31' } }]);
    });

    it('rule: a single amount is at most 10^10 cents, 100 000 000,00 € (MONEY.AMOUNT_TOO_LARGE)', () => {
      spec
        .given([forecastSet])
        .when({ ...record, data: { ...recorded.data, amountCents: 9_007_199_254_740_991 } })
        .thenThrows('MONEY.AMOUNT_TOO_LARGE', 'rule');
      spec
        .given([forecastSet])
        .when({ ...record, data: { ...recorded.data, amountCents: MAX_AMOUNT_CENTS + 1 } })
        .thenThrows('MONEY.AMOUNT_TOO_LARGE', 'rule');
      spec
        .given([forecastSet])
        .when({ ...record, data: { ...recorded.data, amountCents: MAX_AMOUNT_CENTS } })
        .then([{ type: 'ExpenditureRecorded', data: { ...recorded.data, amountCents: MAX_AMOUNT_CENTS } }]);
    });

    it('rule: recording the same expenditure twice changes nothing, even after its reversal', () => {
      spec.given([forecastSet, recorded]).when(record).thenNothingHappens();
      spec.given([forecastSet, recorded, reversed]).when(record).thenNothingHappens();
    });

    it('rule: an expenditure id is recorded once; a correction is a reversal, not an edit (EXPENDITURE.ALREADY_RECORDED)', () => {
      spec
        .given([forecastSet, recorded])
        .when({ ...record, data: { ...recorded.data, amountCents: 1_234_500 } })
        .thenThrows('EXPENDITURE.ALREADY_RECORDED', 'conflict');
    });

    it('rule: a repeat is recognised by every detail it records, the ones kept as a digest included (EXPENDITURE.ALREADY_RECORDED)', () => {
      const { fundingAgreementId: _none, ...unfunded } = recorded.data;
      const otherDetails: ExpenditureRecorded['data'][] = [
        { ...recorded.data, description: `${recorded.data.description}.` },
        { ...recorded.data, supplier: 'Menuiserie Peugeot' },
        { ...recorded.data, invoiceNumber: '' },
        { ...recorded.data, effectiveDate: '2021-10-06' },
        { ...recorded.data, category: 'premises' },
        unfunded,
      ];
      for (const data of otherDetails) {
        spec.given([forecastSet, recorded]).when({ ...record, data }).thenThrows('EXPENDITURE.ALREADY_RECORDED', 'conflict');
      }
      const supplied: ExpenditureRecorded = { type: 'ExpenditureRecorded', data: { ...recorded.data, supplier: 'A', invoiceNumber: 'B' } };
      spec
        .given([forecastSet, supplied])
        .when({ ...record, data: { ...supplied.data, supplier: 'B', invoiceNumber: 'A' } })
        .thenThrows('EXPENDITURE.ALREADY_RECORDED', 'conflict');
      // The same details in another key order, an absent field given as undefined: a repeat.
      const { description, ...others } = supplied.data;
      spec
        .given([forecastSet, supplied])
        .when({ ...record, data: { invoiceNumber: 'B', description, ...others } })
        .thenNothingHappens();
      spec
        .given([forecastSet, recorded])
        .when({ ...record, data: { ...recorded.data, supplier: undefined } })
        .thenNothingHappens();
    });

    it('rule: a cached budget keeps no expenditure description, only what reversals and documents read and a digest of the rest', () => {
      const state = fold(budgetDecider, [forecastSet, recorded]);
      if (state.status !== 'forecast-set') throw new Error('the forecast is set');
      const entry = state.expenditures.get(recorded.data.expenditureId);
      expect(entry).toEqual({
        category: 'equipment',
        amountCents: 1_234_567,
        fundingAgreementId: 'bdt-seed',
        effectiveDate: '2021-10-05',
        detailsDigest: expect.any(Number),
      });
      expect(JSON.stringify(entry)).not.toContain('Mobilier');
    });

    it('rule: an id that names an Object member is an ordinary new id', () => {
      const data = { ...recorded.data, expenditureId: 'constructor' };
      spec
        .given([forecastSet])
        .when({ ...record, data })
        .then([{ type: 'ExpenditureRecorded', data }]);
    });

    it('rule: spending is recorded against a forecast (BUDGET.FORECAST_NOT_SET)', () => {
      spec.given([]).when(record).thenThrows('BUDGET.FORECAST_NOT_SET', 'not-found');
    });

    it('rule: an expenditure uses a known category (BUDGET.UNKNOWN_CATEGORY)', () => {
      spec
        .given([forecastSet])
        .when({ ...record, data: { ...recorded.data, category: 'travel' } })
        .thenThrows('BUDGET.UNKNOWN_CATEGORY', 'rule');
    });

    it.each([0, -1_234_567, 12_345.67])('rule: an expenditure is a positive integer of cents, not %p (MONEY.NOT_POSITIVE_CENTS)', (amountCents) => {
      spec
        .given([forecastSet])
        .when({ ...record, data: { ...recorded.data, amountCents } })
        .thenThrows('MONEY.NOT_POSITIVE_CENTS', 'rule');
    });

    it('rule: a budget belongs to an opened antenna (ANTENNA.NOT_FOUND)', () => {
      spec
        .given([forecastSet])
        .when({ ...record, context: { antenna: { antennaId: 'montbeliard', status: 'not-opened' } } })
        .thenThrows('ANTENNA.NOT_FOUND', 'not-found');
    });

    it('rule: a closed antenna accepts nothing, not even a repeat (ANTENNA.CLOSED)', () => {
      spec
        .given([forecastSet, recorded])
        .when({ ...record, context: { antenna: { ...montbeliard, status: 'closed' } } })
        .thenThrows('ANTENNA.CLOSED', 'conflict');
    });
  });

  describe('ReverseExpenditure', () => {
    const reverse = {
      type: 'ReverseExpenditure' as const,
      data: {
        antennaId: 'montbeliard',
        expenditureId: 'aioa-furniture-2021',
        reason: 'Facture saisie deux fois',
        effectiveDate: '2021-11-02',
      },
      context,
    };

    it('rule: a correction is a reversing event with a reason, carrying the recorded amount in cents', () => {
      spec.given([forecastSet, recorded]).when(reverse).then([reversed]);
    });

    it('is self-contained: carries the recorded category, the expenditure date and, when it had one, the funding agreement', () => {
      const { fundingAgreementId: _none, ...unfunded } = recorded.data;
      const { fundingAgreementId: _agreement, ...reversedUnfunded } = reversed.data;
      spec
        .given([forecastSet, { type: 'ExpenditureRecorded', data: unfunded }])
        .when(reverse)
        .then([{ type: 'ExpenditureReversed', data: reversedUnfunded }]);
      const state = [forecastSet, { type: 'ExpenditureRecorded', data: unfunded } as ExpenditureRecorded].reduce(budgetDecider.evolve, initialBudgetState());
      const events = budgetDecider.decide(reverse, state);
      expect(Object.keys(events[0]!.data)).not.toContain('fundingAgreementId');
    });

    it('may reverse on the day the expenditure was recorded', () => {
      spec
        .given([forecastSet, recorded])
        .when({ ...reverse, data: { ...reverse.data, effectiveDate: '2021-10-05' } })
        .then([{ type: 'ExpenditureReversed', data: { ...reversed.data, effectiveDate: '2021-10-05' } }]);
    });

    it('rule: reversing an already reversed expenditure changes nothing', () => {
      spec.given([forecastSet, recorded, reversed]).when(reverse).thenNothingHappens();
    });

    it('rule: an expenditure is reversed once; another reversal, with another reason or date, is a conflict (EXPENDITURE.ALREADY_REVERSED)', () => {
      spec
        .given([forecastSet, recorded, reversed])
        .when({ ...reverse, data: { ...reverse.data, reason: 'Autre motif' } })
        .thenThrows('EXPENDITURE.ALREADY_REVERSED', 'conflict');
      spec
        .given([forecastSet, recorded, reversed])
        .when({ ...reverse, data: { ...reverse.data, effectiveDate: '2021-12-01' } })
        .thenThrows('EXPENDITURE.ALREADY_REVERSED', 'conflict');
    });

    it('rule: only a recorded expenditure can be reversed (EXPENDITURE.NOT_FOUND)', () => {
      spec.given([forecastSet]).when(reverse).thenThrows('EXPENDITURE.NOT_FOUND', 'not-found');
      spec
        .given([forecastSet, recorded])
        .when({ ...reverse, data: { ...reverse.data, expenditureId: 'toString' } })
        .thenThrows('EXPENDITURE.NOT_FOUND', 'not-found');
    });

    it('rule: only a budget with a forecast has expenditures (BUDGET.FORECAST_NOT_SET)', () => {
      spec.given([]).when(reverse).thenThrows('BUDGET.FORECAST_NOT_SET', 'not-found');
    });

    it.each(['', ' \t'])('rule: a reversal gives a reason, not %p (EXPENDITURE.REVERSAL_REASON_REQUIRED)', (reason) => {
      spec
        .given([forecastSet, recorded])
        .when({ ...reverse, data: { ...reverse.data, reason } })
        .thenThrows('EXPENDITURE.REVERSAL_REASON_REQUIRED', 'rule');
    });

    it('rule: an expenditure is not reversed before it was recorded (EXPENDITURE.REVERSED_BEFORE_RECORDED)', () => {
      spec
        .given([forecastSet, recorded])
        .when({ ...reverse, data: { ...reverse.data, effectiveDate: '2021-10-04' } })
        .thenThrows('EXPENDITURE.REVERSED_BEFORE_RECORDED', 'rule');
    });

    it('rule: a closed antenna accepts nothing (ANTENNA.CLOSED)', () => {
      spec
        .given([forecastSet, recorded])
        .when({ ...reverse, context: { antenna: { ...montbeliard, status: 'closed' } } })
        .thenThrows('ANTENNA.CLOSED', 'conflict');
    });

    it('rule: a budget belongs to an opened antenna (ANTENNA.NOT_FOUND)', () => {
      spec
        .given([forecastSet, recorded])
        .when({ ...reverse, context: { antenna: { antennaId: 'montbeliard', status: 'not-opened' } } })
        .thenThrows('ANTENNA.NOT_FOUND', 'not-found');
    });
  });

  describe('evolve', () => {
    it('rule: evolving a state leaves it unchanged, so a cached state may be evolved twice (after a lost race)', () => {
      const other: ExpenditureRecorded = { type: 'ExpenditureRecorded', data: { ...recorded.data, expenditureId: 'aioa-screens-2021' } };
      const recordOther = { type: 'RecordExpenditure' as const, data: other.data, context };
      const reverse = {
        type: 'ReverseExpenditure' as const,
        data: {
          antennaId: 'montbeliard',
          expenditureId: recorded.data.expenditureId,
          reason: reversed.data.reason,
          effectiveDate: reversed.data.effectiveDate,
        },
        context,
      };
      const { decide, evolve } = budgetDecider;
      const state = fold(budgetDecider, [forecastSet, recorded]);
      const withOther = evolve(state, other);
      const withReversal = evolve(state, reversed);
      expect([decide(recordOther, state), decide(reverse, state)]).toEqual([[other], [reversed]]);
      expect([decide(recordOther, withOther), decide(reverse, withOther)]).toEqual([[], [reversed]]);
      expect([decide(recordOther, withReversal), decide(reverse, withReversal)]).toEqual([[other], []]);
    });
  });

  describe('latestBudgetFactOn', () => {
    it('rule: the latest of the forecast, its revisions, the expenditures and their reversals; of an agreement, only the expenditures charged to it (a charge may be reversed after the agreement closed)', () => {
      expect(latestBudgetFactOn(initialBudgetState())).toBeUndefined();
      expect(latestBudgetFactOn(fold(budgetDecider, [forecastSet]))).toBe('2021-03-15');
      expect(latestBudgetFactOn(fold(budgetDecider, [forecastSet, recorded, revised]))).toBe(revised.data.effectiveDate);
      expect(latestBudgetFactOn(fold(budgetDecider, [forecastSet, recorded, reversed]))).toBe(reversed.data.effectiveDate);
      expect(latestBudgetFactOn(fold(budgetDecider, [forecastSet, recorded, reversed]), 'bdt-seed')).toBe(recorded.data.effectiveDate);
      expect(latestBudgetFactOn(fold(budgetDecider, [forecastSet, recorded]), 'bdt-seed')).toBe(recorded.data.effectiveDate);
      expect(latestBudgetFactOn(fold(budgetDecider, [forecastSet, recorded]), 'region-bfc')).toBeUndefined();
    });
  });
});
