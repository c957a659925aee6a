import { EventUpcastError, sumCents, Upcaster } from '../shared';
import { BUDGET_CATEGORIES, BudgetForecastRevised, BudgetLine, ExpenditureRecorded, ExpenditureReversed } from './budget.events';

/**
 * `ExpenditureReversed` at version 1: without the reversed expenditure's category, date and
 * agreement when written before commit 41c8fe2, with them when written after it (the fields came
 * before the version did).
 */
export type ExpenditureReversedV1Data = Omit<ExpenditureReversed['data'], 'category' | 'expenditureDate'> &
  Partial<Pick<ExpenditureReversed['data'], 'category' | 'expenditureDate'>>;

/** `BudgetForecastRevised` at version 1: without `previousLines` before commit 41c8fe2, with them after. */
export type BudgetForecastRevisedV1Data = Omit<BudgetForecastRevised['data'], 'previousLines'> &
  Partial<Pick<BudgetForecastRevised['data'], 'previousLines'>>;

/** `ExpenditureRecorded` at version 1: no supplier, no invoice number. */
export type ExpenditureRecordedV1Data = Omit<ExpenditureRecorded['data'], 'supplier' | 'invoiceNumber'>;

/** v1 → v2: the supplier and the invoice number are optional, so a version 1 expenditure is read as one that gave neither. */
export const expenditureRecordedV1: Upcaster<'ExpenditureRecorded', ExpenditureRecordedV1Data, ExpenditureRecorded['data'], undefined> = {
  type: 'ExpenditureRecorded',
  from: 1,
  needsHistory: () => false,
  upcast: (data) => data,
};

/** What a reversal needs of the expenditure it reverses. */
export type RecordedExpenditure = Pick<
  ExpenditureRecorded['data'],
  'expenditureId' | 'category' | 'amountCents' | 'fundingAgreementId' | 'effectiveDate'
>;

/**
 * v1 → v2: a reversal carries what it reverses. The history is the `ExpenditureRecorded` of the
 * same id in the stream (an id is recorded once, even after a reversal).
 */
export const expenditureReversedV1: Upcaster<
  'ExpenditureReversed',
  ExpenditureReversedV1Data,
  ExpenditureReversed['data'],
  RecordedExpenditure | undefined
> = {
  type: 'ExpenditureReversed',
  from: 1,
  needsHistory: (data) => !hasExpenditureDetails(data),
  upcast(data, recorded) {
    if (hasExpenditureDetails(data)) return data;
    if (!recorded || recorded.expenditureId !== data.expenditureId) {
      throw new EventUpcastError(`the reversal of expenditure ${data.expenditureId} finds no recorded expenditure of that id before it`);
    }
    if (recorded.amountCents !== data.amountCents) {
      throw new EventUpcastError(
        `the reversal of expenditure ${data.expenditureId} copies ${data.amountCents} cents, ` +
          `the expenditure before it records ${recorded.amountCents}`,
      );
    }
    const { antennaId, expenditureId, amountCents, reason, effectiveDate } = data;
    return {
      antennaId,
      expenditureId,
      amountCents,
      category: recorded.category,
      expenditureDate: recorded.effectiveDate,
      ...(typeof recorded.fundingAgreementId === 'string' ? { fundingAgreementId: recorded.fundingAgreementId } : {}),
      reason,
      effectiveDate,
    };
  },
};

/**
 * v1 → v2: a revision carries the lines it replaces, in the forecast's order (year, then
 * category). The history is the forecast in force before it: the lines of the stream's last
 * `BudgetForecastSet` or `BudgetForecastRevised`.
 */
export const budgetForecastRevisedV1: Upcaster<
  'BudgetForecastRevised',
  BudgetForecastRevisedV1Data,
  BudgetForecastRevised['data'],
  readonly BudgetLine[] | undefined
> = {
  type: 'BudgetForecastRevised',
  from: 1,
  needsHistory: (data) => data.previousLines === undefined,
  upcast(data, linesInForce) {
    if (data.previousLines !== undefined) return data as BudgetForecastRevised['data'];
    if (!linesInForce) throw new EventUpcastError(`revision ${data.revision} of the budget of antenna ${data.antennaId} finds no forecast before it`);
    const total = sumCents(linesInForce.map((line) => line.amountCents));
    if (total !== data.previousTotalCents) {
      throw new EventUpcastError(
        `revision ${data.revision} of the budget of antenna ${data.antennaId} replaces ${data.previousTotalCents} cents, ` +
          `the forecast before it totals ${total}`,
      );
    }
    const { antennaId, revision, lines, totalCents, previousTotalCents, reason, effectiveDate } = data;
    return { antennaId, revision, lines, totalCents, previousTotalCents, previousLines: inForecastOrder(linesInForce), reason, effectiveDate };
  },
};

function hasExpenditureDetails(data: ExpenditureReversedV1Data): data is ExpenditureReversed['data'] {
  return data.category !== undefined && data.expenditureDate !== undefined;
}

/** The order the decider stores lines in: by year, then by category. */
function inForecastOrder(lines: readonly BudgetLine[]): BudgetLine[] {
  return [...lines].sort((a, b) => a.year - b.year || BUDGET_CATEGORIES.indexOf(a.category) - BUDGET_CATEGORIES.indexOf(b.category));
}
