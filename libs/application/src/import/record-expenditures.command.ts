import { batchDecider, budgetDecider, BudgetCommand, CommandBatch, fundingAgreementViewOf, FundingAgreementView, fundingDecider, streamIdOf } from '@jalon/domain';
import { defineCommand, StateLoader } from '../command-handling/command-definition';
import { RecordExpenditureInput } from '../commands/budget.commands';
import { loadAntennaContext, AntennaContext } from '../commands/antenna-context';
import { commandNamed } from '../commands/catalogue';
import { NestedList } from '../validation/nested.decorators';
import { IsSlug } from '../validation/text.decorators';
import { MAX_SHEET_ROWS } from './sheet-layouts';

/**
 * Expenditures recorded together, as a spreadsheet lists them: each item is a `RecordExpenditure`
 * input (the same class-validator declaration), decided by the budget decider on the state the
 * previous items left, and all their events are appended to the budget stream in ONE append, or
 * none is (docs/decisions/0016-spreadsheet-import.md). Its only entry point is the spreadsheet
 * import; it is not in the catalogue of single commands.
 */
export class RecordExpendituresInput {
  @IsSlug()
  antennaId!: string;
  @NestedList(() => RecordExpenditureInput, { min: 1, max: MAX_SHEET_ROWS })
  expenditures!: RecordExpenditureInput[];
}

interface ExpendituresContext extends AntennaContext {
  /** Each funding agreement an item is charged to, by id. */
  readonly agreements: ReadonlyMap<string, FundingAgreementView>;
}

async function loadExpendituresContext(input: RecordExpendituresInput, loader: StateLoader): Promise<ExpendituresContext> {
  const { antenna } = await loadAntennaContext(input, loader);
  const agreements = new Map<string, FundingAgreementView>();
  for (const item of input.expenditures) {
    const agreementId = item.fundingAgreementId;
    if (agreementId === undefined || agreements.has(agreementId)) continue;
    agreements.set(agreementId, fundingAgreementViewOf(await loader.state(fundingDecider, streamIdOf('funding', agreementId)), agreementId));
  }
  return { antenna, agreements };
}

export const recordExpenditures = defineCommand({
  name: 'RecordExpenditures',
  summary: 'Enregistrer les dépenses d’un tableur en une fois',
  input: RecordExpendituresInput,
  // Whoever may record one expenditure may record several: the same roles, read from the one command.
  roles: commandNamed('RecordExpenditure').roles,
  decider: batchDecider(budgetDecider),
  streamId: (input: RecordExpendituresInput) => streamIdOf('budget', input.antennaId),
  loadContext: loadExpendituresContext,
  toCommand: (input: RecordExpendituresInput, context: ExpendituresContext): CommandBatch<BudgetCommand> => ({
    type: 'CommandBatch',
    data: {
      field: 'expenditures',
      commands: input.expenditures.map((item) => {
        const agreement = item.fundingAgreementId === undefined ? undefined : context.agreements.get(item.fundingAgreementId);
        return { type: 'RecordExpenditure' as const, data: item, context: { antenna: context.antenna, ...(agreement ? { fundingAgreement: agreement } : {}) } };
      }),
    },
  }),
});
