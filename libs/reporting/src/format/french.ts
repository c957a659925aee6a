import type { CellValue, ColumnKind } from '../report';

/**
 * French display of report cells, for people reading a terminal or a document.
 *
 * Thousands are separated by a PLAIN space (U+0020), as is the euro sign, rather than the narrow
 * no-break space `Intl` would produce: users and tests can type and grep `786 000,00 €`.
 * Amounts are integers of cents and rates integers of basis points; they are split into whole and
 * fractional parts with integer (BigInt) arithmetic only, so no float rounding can creep in, even
 * for amounts beyond `Number.MAX_SAFE_INTEGER`.
 */

export const DEFAULT_TIME_ZONE = 'Europe/Paris';

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
/** ISO 8601 date-time with an explicit offset: without one, the instant would be ambiguous. */
const TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

function requireInteger(value: number, what: string): bigint {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new RangeError(`${what} must be an integer, got ${String(value)}`);
  }
  return BigInt(value);
}

/** "1234567" → "1 234 567" (digits only, no sign). */
function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

/**
 * An integer with two implied decimals (cents, basis points) as `-1 234,50`.
 * `grouped` false gives `-1234,50`, the form a spreadsheet reads back as a number.
 */
export function formatFixed2(hundredths: number, grouped = true): string {
  const n = requireInteger(hundredths, 'A value in hundredths');
  const negative = n < 0n;
  const abs = negative ? -n : n;
  const whole = (abs / 100n).toString();
  const fraction = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${grouped ? groupThousands(whole) : whole},${fraction}`;
}

/** 78600000 → "786 000,00 €"; -123450 → "-1 234,50 €". */
export function formatEuros(cents: number): string {
  requireInteger(cents, 'An amount in cents');
  return `${formatFixed2(cents)} €`;
}

/** 5000 → "50,00 %". */
export function formatPercent(basisPoints: number): string {
  requireInteger(basisPoints, 'A rate in basis points');
  return `${formatFixed2(basisPoints)} %`;
}

/** 59000 → "59 000". */
export function formatInteger(n: number): string {
  const value = requireInteger(n, 'A count');
  const negative = value < 0n;
  return `${negative ? '-' : ''}${groupThousands((negative ? -value : value).toString())}`;
}

/** Parses `YYYY-MM-DD`, checking the day exists. */
export function parseIsoDate(iso: string): { year: number; month: number; day: number } {
  const match = typeof iso === 'string' ? DATE_PATTERN.exec(iso) : null;
  if (match === null) throw new RangeError(`A date must be YYYY-MM-DD, got ${String(iso)}`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`No such date: ${iso}`);
  }
  return { year, month, day };
}

/** "2022-06-22" → "22/06/2022". */
export function formatDate(iso: string): string {
  const { year, month, day } = parseIsoDate(iso);
  return `${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/${String(year).padStart(4, '0')}`;
}

export interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const wallClockFormats = new Map<string, Intl.DateTimeFormat>();

/** The local date and time, in `timeZone`, of an ISO 8601 instant (which must carry its offset). */
export function wallClockOf(iso: string, timeZone: string = DEFAULT_TIME_ZONE): WallClock {
  const millis = typeof iso === 'string' && TIMESTAMP_PATTERN.test(iso) ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(millis)) {
    throw new RangeError(`A timestamp must be ISO 8601 with an offset (e.g. 2022-06-23T09:00:00Z), got ${String(iso)}`);
  }
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
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(millis)) {
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

/** "2022-06-23T09:00:00Z" → "23/06/2022 11:00" (local time in `timeZone`, Paris by default). */
export function formatTimestamp(iso: string, timeZone: string = DEFAULT_TIME_ZONE): string {
  const t = wallClockOf(iso, timeZone);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(t.day)}/${two(t.month)}/${String(t.year).padStart(4, '0')} ${two(t.hour)}:${two(t.minute)}`;
}

export interface FormatOptions {
  /** Zone in which timestamps are shown; Europe/Paris by default. */
  readonly timeZone?: string;
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
    case 'percent':
      return formatPercent(requireNumber(value, kind));
    case 'integer':
      return formatInteger(requireNumber(value, kind));
    case 'date':
      return formatDate(requireString(value, kind));
    case 'timestamp':
      return formatTimestamp(requireString(value, kind), options.timeZone ?? DEFAULT_TIME_ZONE);
  }
}

/** The parameters of a report as one French line, only for those given; '' when none is. */
export function formatParameters(
  parameters: { readonly antennaId?: string; readonly asOf?: string; readonly knownAt?: string },
  options: FormatOptions = {},
): string {
  const parts: string[] = [];
  if (parameters.antennaId != null && parameters.antennaId !== '') parts.push(`Antenne : ${parameters.antennaId}`);
  if (parameters.asOf != null) parts.push(`À la date du ${formatDate(parameters.asOf)}`);
  if (parameters.knownAt != null) {
    parts.push(`Connu au ${formatTimestamp(parameters.knownAt, options.timeZone ?? DEFAULT_TIME_ZONE)}`);
  }
  return parts.join(' · ');
}
