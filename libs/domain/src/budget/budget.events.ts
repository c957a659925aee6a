import { DocumentAttached, DOCUMENT_EVENT_VERSIONS } from '../documents/document.events';
import { Cents, IsoDate, Message } from '../shared';

/**
 * Budget categories are stable codes stored in events (the read side adds French labels).
 * Adding a category is safe; renaming or removing one would orphan stored history.
 */
export const BUDGET_CATEGORIES = ['staff', 'premises', 'equipment', 'teaching', 'communication', 'operations', 'other'] as const;
export type BudgetCategory = (typeof BUDGET_CATEGORIES)[number];

export function isBudgetCategory(value: unknown): value is BudgetCategory {
  return typeof value === 'string' && (BUDGET_CATEGORIES as readonly string[]).includes(value);
}

/** One cell of a forecast: what the antenna expects to spend in one year on one category. */
export interface BudgetLine {
  readonly year: number;
  readonly category: BudgetCategory;
  readonly amountCents: Cents;
}

/** The original forecast (IATI budget type 1). Lines are stored sorted by year, then category. */
export type BudgetForecastSet = Message<
  'BudgetForecastSet',
  {
    readonly antennaId: string;
    readonly lines: readonly BudgetLine[];
    readonly totalCents: Cents;
    readonly effectiveDate: IsoDate;
  }
>;

/** A revised forecast (IATI budget type 2): the whole forecast restated, never a delta. */
export type BudgetForecastRevised = Message<
  'BudgetForecastRevised',
  {
    readonly antennaId: string;
    /** 1 for the first revision, then 2, 3… */
    readonly revision: number;
    readonly lines: readonly BudgetLine[];
    readonly totalCents: Cents;
    readonly previousTotalCents: Cents;
    /** The forecast lines this revision replaces (sorted like `lines`), so that projections need not remember them. */
    readonly previousLines: readonly BudgetLine[];
    readonly reason: string;
    readonly effectiveDate: IsoDate;
  }
>;

/** Money spent by the antenna (IATI transaction type 4), optionally against a funding agreement. */
export type ExpenditureRecorded = Message<
  'ExpenditureRecorded',
  {
    readonly antennaId: string;
    readonly expenditureId: string;
    readonly category: BudgetCategory;
    readonly amountCents: Cents;
    readonly description: string;
    readonly fundingAgreementId?: string;
    /** Version 2: who was paid, as the invoice names them (absent when not given, and in version 1). */
    readonly supplier?: string;
    /** Version 2: the supplier's invoice number (absent when not given, and in version 1). */
    readonly invoiceNumber?: string;
    readonly effectiveDate: IsoDate;
  }
>;

/** Cancels a recorded expenditure in full; the original stays in history. */
export type ExpenditureReversed = Message<
  'ExpenditureReversed',
  {
    readonly antennaId: string;
    readonly expenditureId: string;
    /** The recorded amount, copied so that projections need not look it up. */
    readonly amountCents: Cents;
    /** The recorded category, copied likewise. */
    readonly category: BudgetCategory;
    /** The effective date of the reversed expenditure: the reversal is attributed to its year. */
    readonly expenditureDate: IsoDate;
    /** The agreement the reversed expenditure was charged to; absent when it was charged to none. */
    readonly fundingAgreementId?: string;
    readonly reason: string;
    readonly effectiveDate: IsoDate;
  }
>;

/** A budget stream also carries the documents attached to its expenditures and revisions (documents/). */
export type BudgetEvent = BudgetForecastSet | BudgetForecastRevised | ExpenditureRecorded | ExpenditureReversed | DocumentAttached;

/** Schema version of each budget event type's data (docs/decisions/0011); a type left out fails to compile. */
export const BUDGET_EVENT_VERSIONS = {
  BudgetForecastSet: 1,
  /** 2: carries `previousLines` (budget.upcasters.ts reads version 1). */
  BudgetForecastRevised: 2,
  /** 2: may carry `supplier` and `invoiceNumber` (budget.upcasters.ts reads version 1, which never does). */
  ExpenditureRecorded: 2,
  /** 2: carries the reversed expenditure's `category`, `expenditureDate` and `fundingAgreementId` (budget.upcasters.ts reads version 1). */
  ExpenditureReversed: 2,
  ...DOCUMENT_EVENT_VERSIONS,
} as const satisfies Record<BudgetEvent['type'], number>;
