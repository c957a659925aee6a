import { ruleBroken } from './domain-error';

/**
 * Money is an integer number of euro cents. No floating point is ever used on the money path:
 * amounts arrive as integers, are summed as integers and are checked to stay exact.
 */
export type Cents = number;

export function isCents(value: unknown): value is Cents {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/** Amounts recorded by the domain are strictly positive integers of cents. */
export function assertPositiveCents(value: Cents, field: string): void {
  if (!isCents(value) || value <= 0) {
    throw ruleBroken('MONEY.NOT_POSITIVE_CENTS', `${field} must be a positive integer number of cents`, { field, value });
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
