import { ruleBroken } from './domain-error';

/**
 * Money is an integer number of euro cents. No floating point is ever used on the money path:
 * amounts arrive as integers, are summed as integers and are checked to stay exact.
 */
export type Cents = number;

export function isCents(value: unknown): value is Cents {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/**
 * The largest single amount the domain records: 10^10 cents, 100 000 000,00 €, more than the
 * whole programme's budget (about 100 antennas × 786 000 €). The bound is what keeps every sum
 * exact: the read side adds amounts across antennas, years and agreements as plain numbers, and
 * 2^53 cents hold about 900 000 amounts at this maximum (100 antennas × 9 000 maximal amounts
 * each), far beyond any real history.
 */
export const MAX_AMOUNT_CENTS = 10_000_000_000;

/** Amounts recorded by the domain are strictly positive integers of cents, at most {@link MAX_AMOUNT_CENTS}. */
export function assertPositiveCents(value: Cents, field: string): void {
  if (!isCents(value) || value <= 0) {
    throw ruleBroken('MONEY.NOT_POSITIVE_CENTS', `${field} must be a positive integer number of cents`, { field, value });
  }
  if (value > MAX_AMOUNT_CENTS) {
    throw ruleBroken(
      'MONEY.AMOUNT_TOO_LARGE',
      `${field} dépasse le montant maximal admis (${MAX_AMOUNT_CENTS} centimes, soit 100 000 000,00 €)`,
      { field, value, maxCents: MAX_AMOUNT_CENTS },
    );
  }
}

export function sumCents(values: Iterable<Cents>): Cents {
  let total = 0;
  for (const value of values) {
    total += value;
    if (!Number.isSafeInteger(total)) throw ruleBroken('MONEY.OVERFLOW', 'amount total exceeds the exact integer range');
  }
  return total;
}
