import { ruleBroken } from './domain-error';

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

/** `date` must not be before `notBefore`; the error names both fields. */
export function assertNotBefore(date: IsoDate, notBefore: IsoDate, code: string, message: string): void {
  if (date < notBefore) throw ruleBroken(code, message, { date, notBefore });
}
