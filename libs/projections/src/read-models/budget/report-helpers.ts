import { ReportSubjectNotFoundError, unknownAntennaMessage } from '@jalon/reporting';

export type { ReadModels } from '../../runner/replay';
export { formatDate, formatEuros } from '@jalon/reporting';

/**
 * The report asks for an antenna no read model knows, at the report's cut if it has one (the HTTP
 * layer answers 404). Every report says it in the wording module's one message.
 */
export class UnknownAntennaError extends ReportSubjectNotFoundError {
  override readonly name = 'UnknownAntennaError';

  constructor(
    readonly antennaId: string,
    cut: { readonly asOf?: string | undefined; readonly knownAt?: string | undefined } = {},
  ) {
    super(unknownAntennaMessage(antennaId, cut));
  }
}

// Rates round once, the same way in every output: the formatter module's rateBasisPoints (to the nearest).
export { rateBasisPoints } from '@jalon/reporting';

// The French labels of budget categories live in the one label table (@jalon/reporting, wording/labels.ts).
export { BUDGET_CATEGORY_LABELS, budgetCategoryLabel as categoryLabel } from '@jalon/reporting';

const FRENCH = new Intl.Collator('fr');

/** French collation for names (funders, antennas): `localeCompare(b, 'fr')`, with the collator made once. */
export function compareFrench(a: string, b: string): number {
  return FRENCH.compare(a, b);
}
