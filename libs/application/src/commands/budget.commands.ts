import { BUDGET_CATEGORIES, budgetDecider, BudgetCategory, fundingAgreementViewOf, fundingDecider, streamIdOf } from '@jalon/domain';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { defineCommand, StateLoader } from '../command-handling/command-definition';
import { BUDGET_WRITERS } from '../identity/roles';
import { NestedList } from '../validation/nested.decorators';
import { IsCents, IsIsoDate, IsParagraph, IsSlug, IsText } from '../validation/text.decorators';
import { loadAntennaContext } from './antenna-context';

/** One cell of a forecast: what the antenna expects to spend in one year on one category. */
export class BudgetForecastLineInput {
  @IsInt()
  @Min(2000)
  @Max(2100)
  year!: number;
  @IsIn(BUDGET_CATEGORIES)
  category!: BudgetCategory;
  /** Integer euro cents. */
  @IsCents()
  amountCents!: number;
}

export class SetBudgetForecastInput {
  @IsSlug()
  antennaId!: string;
  @NestedList(() => BudgetForecastLineInput, { min: 1, max: 500 })
  lines!: BudgetForecastLineInput[];
  @IsIsoDate()
  effectiveDate!: string;
}

export class ReviseBudgetForecastInput {
  @IsSlug()
  antennaId!: string;
  @NestedList(() => BudgetForecastLineInput, { min: 1, max: 500 })
  lines!: BudgetForecastLineInput[];
  @IsParagraph(1000)
  reason!: string;
  @IsIsoDate()
  effectiveDate!: string;
}

export class RecordExpenditureInput {
  @IsSlug()
  antennaId!: string;
  @IsSlug()
  expenditureId!: string;
  @IsIn(BUDGET_CATEGORIES)
  category!: BudgetCategory;
  @IsCents()
  amountCents!: number;
  @IsParagraph(1000)
  description!: string;
  /** The funding agreement the money was spent against, if any. */
  @IsOptional()
  @IsSlug()
  fundingAgreementId?: string;
  /** Who was paid, as the invoice names them. */
  @IsOptional()
  @IsText(200)
  supplier?: string;
  /** The supplier's invoice number. */
  @IsOptional()
  @IsText(100)
  invoiceNumber?: string;
  @IsIsoDate()
  effectiveDate!: string;
}

export class ReverseExpenditureInput {
  @IsSlug()
  antennaId!: string;
  @IsSlug()
  expenditureId!: string;
  @IsParagraph(1000)
  reason!: string;
  @IsIsoDate()
  effectiveDate!: string;
}

const budgetStream = (input: { antennaId: string }) => streamIdOf('budget', input.antennaId);

/** The antenna, and the funding agreement the expenditure is charged to when it names one. */
async function loadExpenditureContext(input: RecordExpenditureInput, loader: StateLoader) {
  const { antenna } = await loadAntennaContext(input, loader);
  const agreementId = input.fundingAgreementId;
  if (agreementId === undefined) return { antenna };
  const agreement = await loader.state(fundingDecider, streamIdOf('funding', agreementId));
  return { antenna, fundingAgreement: fundingAgreementViewOf(agreement, agreementId) };
}

export const budgetCommands = [
  defineCommand({
    name: 'SetBudgetForecast',
    summary: 'Établir le budget prévisionnel d’une antenne (par année et par catégorie)',
    input: SetBudgetForecastInput,
    roles: BUDGET_WRITERS,
    decider: budgetDecider,
    streamId: budgetStream,
    loadContext: loadAntennaContext,
    toCommand: (input, context) => ({ type: 'SetBudgetForecast' as const, data: input, context }),
  }),
  defineCommand({
    name: 'ReviseBudgetForecast',
    summary: 'Réviser le budget prévisionnel d’une antenne (avec un motif)',
    input: ReviseBudgetForecastInput,
    roles: BUDGET_WRITERS,
    decider: budgetDecider,
    streamId: budgetStream,
    loadContext: loadAntennaContext,
    toCommand: (input, context) => ({ type: 'ReviseBudgetForecast' as const, data: input, context }),
  }),
  defineCommand({
    name: 'RecordExpenditure',
    summary: 'Enregistrer une dépense d’une antenne',
    input: RecordExpenditureInput,
    roles: BUDGET_WRITERS,
    decider: budgetDecider,
    streamId: budgetStream,
    loadContext: loadExpenditureContext,
    toCommand: (input, context) => ({ type: 'RecordExpenditure' as const, data: input, context }),
  }),
  defineCommand({
    name: 'ReverseExpenditure',
    summary: 'Annuler une dépense enregistrée (avec un motif)',
    input: ReverseExpenditureInput,
    roles: BUDGET_WRITERS,
    decider: budgetDecider,
    streamId: budgetStream,
    loadContext: loadAntennaContext,
    toCommand: (input, context) => ({ type: 'ReverseExpenditure' as const, data: input, context }),
  }),
];
