import { DomainErrorCode, ruleBroken } from './domain-error';

/** A calendar date in ISO 8601 form, `YYYY-MM-DD`. Compared as strings, which orders them. */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function yearOf(date: IsoDate): number {
  return Number(date.slice(0, 4));
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  const ms = Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`);
  return Math.round(ms / 86_400_000);
}

/**
 * No date the domain records lies outside these bounds: nothing of Jalon happened before 1900,
 * and no plan or due date reaches beyond 2100 (the last year a budget forecast may cover). A date
 * outside them is a typing slip (`1899`, `9999`), not a fact.
 */
export const EARLIEST_DATE: IsoDate = '1900-01-01';
export const LATEST_DATE: IsoDate = '2100-12-31';

export function isDateInRange(date: IsoDate): boolean {
  return date >= EARLIEST_DATE && date <= LATEST_DATE;
}

/** `date` lies between {@link EARLIEST_DATE} and {@link LATEST_DATE}; the error names `field`. */
export function assertDateInRange(date: IsoDate, field: string): void {
  if (!isDateInRange(date)) {
    throw ruleBroken('DATE.OUT_OF_RANGE', `${field} (${date}) doit être comprise entre le ${EARLIEST_DATE} et le ${LATEST_DATE}`, {
      field,
      date,
      earliest: EARLIEST_DATE,
      latest: LATEST_DATE,
    });
  }
}

/** The calendar month of a date, `YYYY-MM`. */
export function monthOf(date: IsoDate): string {
  return date.slice(0, 7);
}

/** `date` must not be before `notBefore`; the error names both fields. */
export function assertNotBefore(date: IsoDate, notBefore: IsoDate, code: DomainErrorCode, message: string): void {
  if (date < notBefore) throw ruleBroken(code, message, { date, notBefore });
}
