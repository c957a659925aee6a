import { DomainErrorCode, ruleBroken } from './domain-error';

/**
 * THE calendar of Jalon: every validation, comparison and arithmetic of calendar dates goes through
 * this module (domain deciders, projections, reports, input validation, dashboard, CLI), so that a
 * date means one thing everywhere.
 *
 * A date is a local calendar day, `YYYY-MM-DD` (ISO 8601), in the programme's time zone
 * (`JALON_TIMEZONE`, Europe/Paris by default). Day arithmetic is done on UTC midnights, where every
 * day lasts exactly 24 hours: no summer-time shift can add or lose a day.
 */

/** A calendar date in ISO 8601 form, `YYYY-MM-DD`. Valid dates of four-digit years order as strings. */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/**
 * No date the domain records lies outside these bounds: nothing of Jalon happened before 1900,
 * and no plan or due date reaches beyond 2100 (the last year a budget forecast may cover). A date
 * outside them is a typing slip (`1899`, `9999`), not a fact. The API documents this range.
 */
export const EARLIEST_DATE: IsoDate = '1900-01-01';
export const LATEST_DATE: IsoDate = '2100-12-31';

export interface CalendarDay {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

function calendarDayOf(value: unknown): CalendarDay | undefined {
  if (typeof value !== 'string') return undefined;
  const match = ISO_DATE.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC maps years 0-99 to 1900-1999: set the year explicitly before checking.
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return { year, month, day };
}

/** `YYYY-MM-DD` naming a day that exists (no 30 February), whatever the year. */
export function isIsoDate(value: unknown): value is IsoDate {
  return calendarDayOf(value) !== undefined;
}

/** Between {@link EARLIEST_DATE} and {@link LATEST_DATE} (a date already known to be valid). */
export function isDateInRange(date: IsoDate): boolean {
  return date >= EARLIEST_DATE && date <= LATEST_DATE;
}

/** What the API accepts as a date: an existing day between 1900-01-01 and 2100-12-31. */
export function isAcceptedDate(value: unknown): value is IsoDate {
  return isIsoDate(value) && isDateInRange(value);
}

/** The parts of `YYYY-MM-DD`; a RangeError for anything else or a day that does not exist. */
export function parseIsoDate(iso: IsoDate): CalendarDay {
  const parts = calendarDayOf(iso);
  if (parts === undefined) {
    throw new RangeError(ISO_DATE.test(String(iso)) ? `No such date: ${iso}` : `A date must be YYYY-MM-DD, got ${String(iso)}`);
  }
  return parts;
}

/** The ISO date of a year, month (1-12) and day. */
export function isoDateOf(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Negative, zero or positive as `a` is before, on or after `b` (a comparator for `sort`). */
export function compareDates(a: IsoDate, b: IsoDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isBefore(a: IsoDate, b: IsoDate): boolean {
  return compareDates(a, b) < 0;
}

export function isAfter(a: IsoDate, b: IsoDate): boolean {
  return compareDates(a, b) > 0;
}

/** The later of two dates. */
export function laterOf(a: IsoDate, b: IsoDate): IsoDate {
  return isAfter(b, a) ? b : a;
}

/** Days since 1970-01-01 of a valid date (the unit of all day arithmetic here). */
export function dayNumber(date: IsoDate): number {
  const { year, month, day } = parseIsoDate(date);
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  return Math.round(utc.getTime() / DAY_MS);
}

/** The date `n` days after 1970-01-01 (the inverse of {@link dayNumber}). */
export function dateOfDayNumber(n: number): IsoDate {
  const utc = new Date(n * DAY_MS);
  return isoDateOf(utc.getUTCFullYear(), utc.getUTCMonth() + 1, utc.getUTCDate());
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(to) - dayNumber(from);
}

/** `date` plus `days` (negative to go back). */
export function addDays(date: IsoDate, days: number): IsoDate {
  if (!Number.isInteger(days)) throw new RangeError(`A number of days must be an integer, got ${String(days)}`);
  return dateOfDayNumber(dayNumber(date) + days);
}

export function yearOf(date: IsoDate): number {
  return Number(date.slice(0, 4));
}

/** The calendar month of a date, `YYYY-MM`. */
export function monthOf(date: IsoDate): string {
  return date.slice(0, 7);
}

/** The first day of a year. */
export function firstDayOfYear(year: number): IsoDate {
  return isoDateOf(year, 1, 1);
}

// ——— Spreadsheet day serials (the 1900 date system of Excel and of XLSX files) ———

/**
 * The serial of 1970-01-01 in a spreadsheet's 1900 date system. A library that converts with it
 * alone (exceljs: `25569 + milliseconds / 86 400 000`, both ways) is right only from 01/03/1900 on:
 * see {@link spreadsheetSerialOf}.
 */
export const SPREADSHEET_SERIAL_OF_1970 = 25_569;

/** The serial of the 29/02/1900 that spreadsheets count and the calendar never had. */
const FICTITIOUS_29_FEBRUARY_1900 = 60;

/**
 * The day serial a spreadsheet shows as `date`: Excel's 1900 date system counts a 29/02/1900 that
 * never was (serial 60, kept from Lotus 1-2-3), so serial 1 is 01/01/1900, 59 is 28/02/1900 and 61
 * is 01/03/1900. A plain day count from 1970 gives every date before 01/03/1900 one serial too
 * many: 28/02/1900 would show as « 29/02/1900 ».
 */
export function spreadsheetSerialOf(date: IsoDate): number {
  const serial = dayNumber(date) + SPREADSHEET_SERIAL_OF_1970;
  return serial <= FICTITIOUS_29_FEBRUARY_1900 ? serial - 1 : serial;
}

/**
 * The date a spreadsheet shows for the whole day serial `serial` (the inverse of
 * {@link spreadsheetSerialOf}); `undefined` for a serial naming no day of the calendar: 60 (the
 * fictitious 29/02/1900), 0 and below (« 00/01/1900 »), or not a whole number.
 */
export function dateOfSpreadsheetSerial(serial: number): IsoDate | undefined {
  if (!Number.isSafeInteger(serial) || serial < 1 || serial === FICTITIOUS_29_FEBRUARY_1900) return undefined;
  return dateOfDayNumber(serial - SPREADSHEET_SERIAL_OF_1970 + (serial < FICTITIOUS_29_FEBRUARY_1900 ? 1 : 0));
}

// ——— Time zones: the local date of an instant, the last instant of a local date ———

export interface WallClock extends CalendarDay {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/** ISO 8601 date-time with an explicit offset: without one, the instant would be ambiguous. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * An ISO 8601 instant carrying its offset (`2023-07-12T00:00:00Z`, `…+02:00`) that names a real
 * time: a day of the calendar and a time from 00:00 to 23:59 (`Date.parse` alone takes
 * `2023-02-30T00:00:00Z` for 2 March and `T24:00` for the next day).
 */
export function isIsoInstant(value: unknown): value is string {
  if (typeof value !== 'string' || !INSTANT.test(value) || Number.isNaN(Date.parse(value))) return false;
  const [date, hour, minute] = [value.slice(0, 10), Number(value.slice(11, 13)), Number(value.slice(14, 16))];
  return isIsoDate(date) && hour <= 23 && minute <= 59;
}

// Building a DateTimeFormat costs far more than formatting with one (it loads the zone's data).
const wallClockFormats = new Map<string, Intl.DateTimeFormat>();

function wallClockFormat(timeZone: string): Intl.DateTimeFormat {
  let format = wallClockFormats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    wallClockFormats.set(timeZone, format);
  }
  return format;
}

function wallClockAt(millis: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const part of wallClockFormat(timeZone).formatToParts(millis)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** The local date and time, in `timeZone`, of an ISO 8601 instant (which must carry its offset). */
export function wallClockOf(instant: string, timeZone: string): WallClock {
  if (!isIsoInstant(instant)) {
    throw new RangeError(`A timestamp must be ISO 8601 with an offset (e.g. 2022-06-23T09:00:00Z), got ${String(instant)}`);
  }
  return wallClockAt(Date.parse(instant), timeZone);
}

const todayCache = new Map<string, { second: number; date: IsoDate }>();

/**
 * The calendar date of `now` in `timeZone` (`JALON_TIMEZONE`): the "today" effective dates are
 * judged against. Formatting costs, so the date of the last second asked is kept per zone (zone
 * offsets are whole seconds, so a local date never changes within one).
 */
export function todayIn(now: Date, timeZone: string): IsoDate {
  const second = Math.floor(now.getTime() / 1000);
  const cached = todayCache.get(timeZone);
  if (cached !== undefined && cached.second === second) return cached.date;
  const t = wallClockAt(now.getTime(), timeZone);
  const date = isoDateOf(t.year, t.month, t.day);
  todayCache.set(timeZone, { second, date });
  return date;
}

/** Milliseconds `timeZone` is ahead of UTC at `millis`. */
function offsetAt(millis: number, timeZone: string): number {
  const t = wallClockAt(millis, timeZone);
  const local = new Date(0);
  local.setUTCFullYear(t.year, t.month - 1, t.day);
  local.setUTCHours(t.hour, t.minute, t.second, 0);
  return local.getTime() - (millis - (((millis % 1000) + 1000) % 1000));
}

/**
 * The last instant (to the millisecond, ISO 8601 in UTC) of `date` in `timeZone`: "as of
 * 2023-07-31" means everything up to `endOfDay('2023-07-31', 'Europe/Paris')` =
 * `2023-07-31T21:59:59.999Z`. Correct across summer-time changes.
 */
export function endOfDay(date: IsoDate, timeZone: string): string {
  return new Date(localMillis(addDays(date, 1), 0, 0, timeZone) - 1).toISOString();
}

/**
 * The last instant (to the millisecond, ISO 8601 in UTC) of the minute `hour:minute` of `date` in
 * `timeZone`: « connu au 05/12/2026 02:11 » includes what was recorded at 02:11:59. Correct across
 * summer-time changes: a time the clocks skip (02:30 on 26/03/2023 in Paris) names no instant and is
 * a RangeError (ask {@link skippedTimeAt} first); a time they show twice (02:30 on 29/10/2023) is
 * its later reading, which includes both.
 */
export function endOfMinute(date: IsoDate, hour: number, minute: number, timeZone: string): string {
  if (skippedTimeAt(date, hour, minute, timeZone) !== undefined) {
    throw new RangeError(`${date} ${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')} does not exist in ${timeZone} (summer-time change)`);
  }
  return new Date(localMillis(date, hour, minute, timeZone) + 59_999).toISOString();
}

/** A wall-clock time of day. */
export interface TimeOfDay {
  readonly hour: number;
  readonly minute: number;
}

/**
 * When `hour:minute` of `date` is a time the clocks of `timeZone` skip (summer time starts: in
 * Paris on 26/03/2023 they go from 02:00 straight to 03:00, so 02:30 never happened), the skipped
 * span: `{ from: 02:00, to: 03:00 }`. `undefined` for a time that exists (once or, when summer time
 * ends, twice).
 */
export function skippedTimeAt(date: IsoDate, hour: number, minute: number, timeZone: string): { readonly from: TimeOfDay; readonly to: TimeOfDay } | undefined {
  const asUtc = dayNumber(date) * DAY_MS + (hour * 60 + minute) * 60_000;
  const shown = wallClockAt(localMillis(date, hour, minute, timeZone), timeZone);
  if (isoDateOf(shown.year, shown.month, shown.day) === date && shown.hour === hour && shown.minute === minute) return undefined;
  // Skipped: the zone's offset grows from `before` to `after` at an instant between the two
  // readings of this wall-clock time; found to the second, the span is that instant read with each.
  const before = offsetAt(asUtc - DAY_MS, timeZone);
  const after = offsetAt(asUtc + DAY_MS, timeZone);
  let [unchanged, changed] = [asUtc - after, asUtc - before];
  while (changed - unchanged > 1000) {
    const middle = unchanged + Math.floor((changed - unchanged) / 2000) * 1000;
    if (offsetAt(middle, timeZone) === before) unchanged = middle;
    else changed = middle;
  }
  const timeOf = (millis: number): TimeOfDay => {
    const t = new Date(millis);
    return { hour: t.getUTCHours(), minute: t.getUTCMinutes() };
  };
  return { from: timeOf(changed + before), to: timeOf(changed + after) };
}

/**
 * The UTC milliseconds of the wall-clock time `hour:minute` of `date` in `timeZone`: the offset
 * guessed with the offset at the same reading as UTC, then corrected once (a summer-time change
 * never happens twice within hours).
 */
function localMillis(date: IsoDate, hour: number, minute: number, timeZone: string): number {
  const asUtc = dayNumber(date) * DAY_MS + (hour * 60 + minute) * 60_000;
  const guessed = asUtc - offsetAt(asUtc, timeZone);
  return asUtc - offsetAt(guessed, timeZone);
}

// ——— Domain rules on dates ———

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

/** `date` must not be before `notBefore`; the error names both fields. */
export function assertNotBefore(date: IsoDate, notBefore: IsoDate, code: DomainErrorCode, message: string): void {
  if (isBefore(date, notBefore)) throw ruleBroken(code, message, { date, notBefore });
}
