import { BUDGET_CATEGORIES, budgetDecider, BudgetCategory, streamIdOf } from '@jalon/domain';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { asData, defineCommand } from '../command-handling/command-definition';
import { BUDGET_WRITERS } from '../identity/roles';
import { IsCents, IsIsoDate, IsSlug, IsText } from '../validation/text.decorators';
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
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => BudgetForecastLineInput)
  lines!: BudgetForecastLineInput[];
  @IsIsoDate()
  effectiveDate!: string;
}

export class ReviseBudgetForecastInput {
  @IsSlug()
  antennaId!: string;
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => BudgetForecastLineInput)
  lines!: BudgetForecastLineInput[];
  @IsText(1000)
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
  @IsText(1000)
  description!: string;
  /** The funding agreement the money was spent against, if any. */
  @IsOptional()
  @IsSlug()
  fundingAgreementId?: string;
  @IsIsoDate()
  effectiveDate!: string;
}

export class ReverseExpenditureInput {
  @IsSlug()
  antennaId!: string;
  @IsSlug()
  expenditureId!: string;
  @IsText(1000)
  reason!: string;
  @IsIsoDate()
  effectiveDate!: string;
}

const budgetStream = (input: { antennaId: string }) => streamIdOf('budget', input.antennaId);

export const budgetCommands = [
  defineCommand({
    name: 'SetBudgetForecast',
    summary: 'Établir le budget prévisionnel d’une antenne (par année et par catégorie)',
    input: SetBudgetForecastInput,
    roles: BUDGET_WRITERS,
    decider: budgetDecider,
    streamId: budgetStream,
    loadContext: loadAntennaContext,
    toCommand: (input, context) => ({ type: 'SetBudgetForecast' as const, data: asData(input), context }),
  }),
  defineCommand({
    name: 'ReviseBudgetForecast',
    summary: 'Réviser le budget prévisionnel d’une antenne (avec un motif)',
    input: ReviseBudgetForecastInput,
    roles: BUDGET_WRITERS,
    decider: budgetDecider,
    streamId: budgetStream,
    loadContext: loadAntennaContext,
    toCommand: (input, context) => ({ type: 'ReviseBudgetForecast' as const, data: asData(input), context }),
  }),
  defineCommand({
    name: 'RecordExpenditure',
    summary: 'Enregistrer une dépense d’une antenne',
    input: RecordExpenditureInput,
    roles: BUDGET_WRITERS,
    decider: budgetDecider,
    streamId: budgetStream,
    loadContext: loadAntennaContext,
    toCommand: (input, context) => ({ type: 'RecordExpenditure' as const, data: asData(input), context }),
  }),
  defineCommand({
    name: 'ReverseExpenditure',
    summary: 'Annuler une dépense enregistrée (avec un motif)',
    input: ReverseExpenditureInput,
    roles: BUDGET_WRITERS,
    decider: budgetDecider,
    streamId: budgetStream,
    loadContext: loadAntennaContext,
    toCommand: (input, context) => ({ type: 'ReverseExpenditure' as const, data: asData(input), context }),
  }),
];
