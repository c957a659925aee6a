import { BudgetDocumentSubject, DocumentAttached } from '../documents/document.events';
import { AntennaView, Cents, FundingAgreementView, Message } from '../shared';
import { BudgetForecastRevised, BudgetForecastSet, ExpenditureRecorded, ExpenditureReversed } from './budget.events';

/** `context.antenna` is the antenna the budget belongs to, as its own stream knows it. */
export interface BudgetContext {
  readonly antenna: AntennaView;
  /** The funding agreement an expenditure is charged to, as its own stream knows it (only when it names one). */
  readonly fundingAgreement?: FundingAgreementView;
}

/** A forecast line as submitted: the category is a plain string until the decider has checked it. */
export interface BudgetLineInput {
  readonly year: number;
  readonly category: string;
  readonly amountCents: Cents;
}

export interface SetBudgetForecast
  extends Message<
    'SetBudgetForecast',
    Omit<BudgetForecastSet['data'], 'lines' | 'totalCents'> & { readonly lines: readonly BudgetLineInput[] }
  > {
  readonly context: BudgetContext;
}

export interface ReviseBudgetForecast
  extends Message<
    'ReviseBudgetForecast',
    Omit<BudgetForecastRevised['data'], 'revision' | 'lines' | 'totalCents' | 'previousTotalCents' | 'previousLines'> & {
      readonly lines: readonly BudgetLineInput[];
    }
  > {
  readonly context: BudgetContext;
}

export interface RecordExpenditure
  extends Message<'RecordExpenditure', Omit<ExpenditureRecorded['data'], 'category'> & { readonly category: string }> {
  readonly context: BudgetContext;
}

export interface ReverseExpenditure extends Message<
    'ReverseExpenditure',
    Omit<ExpenditureReversed['data'], 'amountCents' | 'category' | 'expenditureDate' | 'fundingAgreementId'>
  > {
  readonly context: BudgetContext;
}

/** Attaches a stored document to an expenditure or a revision of the antenna's budget. */
export interface AttachBudgetDocument
  extends Message<'AttachBudgetDocument', Omit<DocumentAttached['data'], 'subject'> & { readonly subject: BudgetDocumentSubject }> {
  readonly context: BudgetContext;
}

export type BudgetCommand = SetBudgetForecast | ReviseBudgetForecast | RecordExpenditure | ReverseExpenditure | AttachBudgetDocument;
