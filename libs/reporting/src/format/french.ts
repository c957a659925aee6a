import { isIsoInstant, parseIsoDate } from '@jalon/domain';

import type { CellValue, ColumnKind, Report } from '../report';
import { PROGRAMME_SCOPE_LABEL } from '../wording/labels';

/**
 * THE French display of numbers, dates and instants, for people reading a terminal, a page or a
 * document; every report, renderer and dashboard view formats through here.
 *
 * Numbers go through `Intl.NumberFormat('fr-FR')`, which separates thousands with a NARROW NO-BREAK
 * SPACE (U+202F) and puts a NO-BREAK SPACE (U+00A0) before `€`, `%` and units: `786 000,00 €` never
 * breaks across two lines. Amounts are integers of cents and rates integers of basis points; they
 * are turned into exact decimal strings with integer (BigInt) arithmetic and handed to Intl as
 * strings, which it formats exactly (no float), even beyond `Number.MAX_SAFE_INTEGER`.
 * Machine-readable forms (CSV) use {@link formatFixed2} ungrouped instead.
 */

export const DEFAULT_TIME_ZONE = 'Europe/Paris';

const EUROS = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const PERCENT = new Intl.NumberFormat('fr-FR', { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const FIXED2 = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const INTEGER = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
const DAYS = new Intl.NumberFormat('fr-FR', { style: 'unit', unit: 'day', unitDisplay: 'long', maximumFractionDigits: 0 });
const DATE = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', day: '2-digit', month: '2-digit', year: 'numeric' });

function requireInteger(value: number, what: string): bigint {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new RangeError(`${what} must be an integer, got ${String(value)}`);
  }
  return BigInt(value);
}

/** An integer scaled by 10^`decimals` as an exact decimal string: (-123450, 2) → "-1234.50". */
function decimalString(scaled: bigint, decimals: number): string {
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(decimals + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

/**
 * Intl formats a decimal STRING exactly (ECMA-402 Intl.NumberFormat v3, Node 19+): no float is made.
 * The TypeScript library types `format` for numbers and bigints only.
 */
function formatExact(format: Intl.NumberFormat, decimal: string): string {
  return (format.format as unknown as (value: string) => string)(decimal);
}

/**
 * An integer with two implied decimals (cents, basis points) as `-1 234,50` (grouped with U+202F).
 * `grouped` false gives `-1234,50`, the form a French spreadsheet reads back as a number.
 */
export function formatFixed2(hundredths: number, grouped = true): string {
  const n = requireInteger(hundredths, 'A value in hundredths');
  const exact = decimalString(n, 2);
  return grouped ? formatExact(FIXED2, exact) : exact.replace('.', ',');
}

/**
 * The minus sign of French typography (U+2212), which screen readers read « moins »; Intl's fr-FR
 * gives the hyphen-minus (U+002D), read « tiret ». For reading only: machine-readable forms (CSV,
 * {@link formatFixed2} ungrouped; XLSX numbers) keep the hyphen-minus a spreadsheet reads back.
 */
const MINUS_SIGN = '\u2212';

/** 78600000 → "786 000,00 €"; -123450 → "−1 234,50 €" (minus sign U+2212, no-break spaces). */
export function formatEuros(cents: number): string {
  const n = requireInteger(cents, 'An amount in cents');
  return formatExact(EUROS, decimalString(n, 2)).replace(/^-/, MINUS_SIGN);
}

/** A variation, its sign always shown: 1000000 → "+10 000,00 €", -1000000 → "−10 000,00 €", 0 → "0,00 €". */
export function formatSignedEuros(cents: number): string {
  return cents > 0 ? `+${formatEuros(cents)}` : formatEuros(cents);
}

const WHOLE_EUROS = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', minimumFractionDigits: 0, maximumFractionDigits: 0 });

/** A whole number of euros (a chart's axis, not an amount of the accounts): 125000 → "125 000 €". */
export function formatWholeEuros(euros: number): string {
  return WHOLE_EUROS.format(requireInteger(euros, 'A whole number of euros'));
}

/**
 * `part / whole` as a rate in basis points (10 000 = 100,00 %), the ONE rounding of every rate and
 * share an output shows (the budget's execution rate, the key figures' shares and attainments, the
 * phases' attainment): to the nearest hundredth of a point, a half away from zero (2/3 → 6 667, read
 * « 66,67 % »; −1/3 → −3 333), so that a controller comparing two documents reads the same figure.
 * By integer arithmetic only (BigInt: exact whatever the amounts); null when the whole is 0 (no
 * rate to speak of). Shown by {@link formatPercent}.
 */
export function rateBasisPoints(part: number, whole: number): number | null {
  const p = requireInteger(part, 'A rate’s part');
  const w = requireInteger(whole, 'A rate’s whole');
  if (w === 0n) return null;
  const numerator = (p < 0n ? -p : p) * 10_000n;
  const denominator = w < 0n ? -w : w;
  // Nearest, a half up on the magnitude: ⌊(2n + d) / 2d⌋ (BigInt division truncates; all positive here).
  const magnitude = Number((2n * numerator + denominator) / (2n * denominator));
  return magnitude !== 0 && p < 0n !== w < 0n ? -magnitude : magnitude;
}

/** 5000 (basis points) → "50,00 %" (no-break space); -250 → "−2,50 %", with the minus sign of every negative amount. */
export function formatPercent(basisPoints: number): string {
  const n = requireInteger(basisPoints, 'A rate in basis points');
  return formatExact(PERCENT, decimalString(n, 4)).replace(/^-/, MINUS_SIGN);
}

/** 59000 → "59 000" (narrow no-break space). */
export function formatInteger(n: number): string {
  return INTEGER.format(requireInteger(n, 'A count'));
}

/** A duration in seconds with its unit, in French: 0.0134 → "0,01 s", 12.5 → "12,5 s" (`fractionDigits`: 1 by default). */
export function formatSeconds(seconds: number, fractionDigits = 1): string {
  return `${seconds.toLocaleString('fr-FR', { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }).replace(/\s/g, '\u202f')} s`;
}

/** A count with its noun, in French: `2 000 documents`, `1 événement ignoré` (`plural` when it is not the noun with an s). */
export function formatCount(n: number, noun: string, plural = `${noun}s`): string {
  return `${formatInteger(n)} ${n > 1 ? plural : noun}`;
}

/** A number of days with its unit: 1185 → "1 185 jours", 1 → "1 jour", 0 → "0 jour". */
export function formatDays(days: number): string {
  return DAYS.format(requireInteger(days, 'A number of days'));
}

/** "2022-06-22" → "22/06/2022"; a RangeError for anything but an existing `YYYY-MM-DD` day. */
export function formatDate(iso: string): string {
  const { year, month, day } = parseIsoDate(iso);
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  return DATE.format(utc);
}

const MONTH = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', month: 'long', year: 'numeric' });
const MONTH_PATTERN = /^(\d{4})-(\d{2})$/;

/** "2022-06" → "juin 2022"; a RangeError for anything but `YYYY-MM`. */
export function formatYearMonth(yearMonth: string): string {
  const match = typeof yearMonth === 'string' ? MONTH_PATTERN.exec(yearMonth) : null;
  const month = match ? Number(match[2]) : 0;
  if (match === null || month < 1 || month > 12) throw new RangeError(`A month must be YYYY-MM, got ${String(yearMonth)}`);
  const utc = new Date(0);
  utc.setUTCFullYear(Number(match[1]), month - 1, 1);
  return MONTH.format(utc);
}

const TIMESTAMP_FORMATS = new Map<string, Intl.DateTimeFormat>();

/** "2022-06-23T09:00:00Z" → "23/06/2022 11:00" (local time in `timeZone`, Paris by default). */
export function formatTimestamp(iso: string, timeZone: string = DEFAULT_TIME_ZONE): string {
  if (!isIsoInstant(iso)) {
    throw new RangeError(`A timestamp must be ISO 8601 with an offset (e.g. 2022-06-23T09:00:00Z), got ${String(iso)}`);
  }
  let format = TIMESTAMP_FORMATS.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('fr-FR', {
      timeZone,
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    TIMESTAMP_FORMATS.set(timeZone, format);
  }
  return format.format(Date.parse(iso));
}

const SECOND_FORMATS = new Map<string, Intl.DateTimeFormat>();

/**
 * A known-at cut (« Connu au »), as precise as it is: to the minute when it is the end of a minute
 * (what a time typed to the minute, or a date alone, means: « 05/12/2026 12:13 »), otherwise to the
 * second, and the millisecond when it has one (« 05/12/2026 12:13:02 », « … 12:13:02,013 »): two cuts
 * a few seconds apart, which show different figures, no longer read the same.
 */
export function formatKnownAt(iso: string, timeZone: string = DEFAULT_TIME_ZONE): string {
  const instant = Date.parse(iso);
  const milliseconds = ((instant % 60_000) + 60_000) % 60_000;
  if (!isIsoInstant(iso) || milliseconds === 59_999) return formatTimestamp(iso, timeZone);
  let format = SECOND_FORMATS.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('fr-FR', { timeZone, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    SECOND_FORMATS.set(timeZone, format);
  }
  const fraction = milliseconds % 1000;
  return `${format.format(instant)}${fraction === 0 ? '' : `,${String(fraction).padStart(3, '0')}`}`;
}

export interface FormatOptions {
  /** Zone in which timestamps are shown; Europe/Paris by default. */
  readonly timeZone?: string;
  /** When the document is produced (ISO 8601 instant); now by default. Shown in XLSX title rows. */
  readonly generatedAt?: string;
}

function requireNumber(value: CellValue, kind: ColumnKind): number {
  if (typeof value !== 'number') throw new TypeError(`A ${kind} cell must be a number, got ${JSON.stringify(value)}`);
  return value;
}

function requireString(value: CellValue, kind: ColumnKind): string {
  if (typeof value !== 'string') throw new TypeError(`A ${kind} cell must be a string, got ${JSON.stringify(value)}`);
  return value;
}

/** A cell as French text for reading; null is the empty string. Throws on a value of the wrong type. */
export function formatCell(value: CellValue, kind: ColumnKind, options: FormatOptions = {}): string {
  if (value === null || value === undefined) return '';
  switch (kind) {
    case 'text':
      return typeof value === 'number' ? String(value) : value;
    case 'money':
      return formatEuros(requireNumber(value, kind));
    case 'money-change':
      return formatSignedEuros(requireNumber(value, kind));
    case 'percent':
      return formatPercent(requireNumber(value, kind));
    case 'integer':
      return formatInteger(requireNumber(value, kind));
    case 'date':
      return formatDate(requireString(value, kind));
    case 'timestamp':
      return formatTimestamp(requireString(value, kind), options.timeZone ?? DEFAULT_TIME_ZONE);
    case 'year':
      return String(value);
    case 'month':
      return formatYearMonth(requireString(value, kind));
  }
}

/**
 * The parameters of a report as one French line, only for those given; '' when none is. The
 * antenna is named by its name when the report knows it (`antennaName`), by its id otherwise.
 */
export function formatParameters(
  { parameters, antennaName }: { readonly parameters: { readonly antennaId?: string; readonly asOf?: string; readonly knownAt?: string }; readonly antennaName?: string },
  options: FormatOptions = {},
): string {
  const parts: string[] = [];
  if (parameters.antennaId != null && parameters.antennaId !== '') parts.push(antennaScope(parameters.antennaId, antennaName));
  if (parameters.asOf != null) parts.push(`À la date du ${formatDate(parameters.asOf)}`);
  if (parameters.knownAt != null) {
    parts.push(`Connu au ${formatKnownAt(parameters.knownAt, options.timeZone ?? DEFAULT_TIME_ZONE)}`);
  }
  return parts.join(' · ');
}

/**
 * What a document that leaves Jalon must say under its title: what it covers (an antenna, by its
 * name when the report knows it, or the programme), the date its figures are as of, the instant it
 * reflects what was known (if asked), and when it was produced.
 * « Antenne : Montbéliard · Situation au 31/07/2023 · Généré le 03/12/2026 10:15 ».
 */
export function formatReportContext({ parameters, antennaName }: Pick<Report, 'parameters' | 'antennaName'>, options: FormatOptions = {}): string {
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const parts = [
    parameters.antennaId != null && parameters.antennaId !== '' ? antennaScope(parameters.antennaId, antennaName) : PROGRAMME_SCOPE_LABEL,
    `Situation au ${formatDate(parameters.asOf ?? parameters.referenceDate)}`,
  ];
  if (parameters.knownAt != null) parts.push(`Connu au ${formatKnownAt(parameters.knownAt, timeZone)}`);
  parts.push(`Généré le ${formatTimestamp(options.generatedAt ?? new Date().toISOString(), timeZone)}`);
  return parts.join(' · ');
}

/** An antenna as the line under a report's title names it: « Antenne : Montbéliard », or by its id when its name is not known. */
function antennaScope(antennaId: string, antennaName: string | undefined): string {
  return `Antenne : ${antennaName ?? antennaId}`;
}
