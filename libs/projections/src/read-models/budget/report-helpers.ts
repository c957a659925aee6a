import type { Cents } from '@jalon/domain';
import { ReportSubjectNotFoundError } from '@jalon/reporting';

export type { ReadModels } from '../../runner/replay';
export { formatDate, formatEuros } from '@jalon/reporting';

/** The report asks for an antenna no read model knows (the HTTP layer answers 404). */
export class UnknownAntennaError extends ReportSubjectNotFoundError {
  override readonly name = 'UnknownAntennaError';

  constructor(readonly antennaId: string) {
    super(`Antenne inconnue : « ${antennaId} ». Aucune antenne portant cet identifiant n’a été ouverte.`);
  }
}

/**
 * A share in basis points (10 000 = 100,00 %), ROUNDED DOWN, by integer arithmetic only (BigInt:
 * exact whatever the amounts); null when the whole is 0 (no rate to speak of).
 */
export function rateBasisPoints(part: Cents, whole: Cents): number | null {
  if (whole === 0) return null;
  const numerator = BigInt(part) * 10_000n;
  const denominator = BigInt(whole);
  let quotient = numerator / denominator; // BigInt division truncates toward zero
  if (quotient * denominator !== numerator && numerator < 0n !== denominator < 0n) quotient -= 1n; // floor for negatives
  return Number(quotient);
}

// The French labels of budget categories live in the one label table (@jalon/reporting, wording/labels.ts).
export { BUDGET_CATEGORY_LABELS, budgetCategoryLabel as categoryLabel } from '@jalon/reporting';

const FRENCH = new Intl.Collator('fr');

/** French collation for names (funders, antennas): `localeCompare(b, 'fr')`, with the collator made once. */
export function compareFrench(a: string, b: string): number {
  return FRENCH.compare(a, b);
}
