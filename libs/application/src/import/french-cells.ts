import {
  BUDGET_CATEGORIES,
  BudgetCategory,
  dateOfSpreadsheetSerial,
  EARLIEST_DATE,
  isDateInRange,
  isIsoDate,
  isoDateOf,
  IsoDate,
  LATEST_DATE,
  MAX_AMOUNT_CENTS,
  SPREADSHEET_SERIAL_OF_1970,
} from '@jalon/domain';
import { formatDate, formatEuros } from '@jalon/reporting';
import { INVALID_DATE, SheetCell } from './sheet-reader';

/**
 * Cells of a French spreadsheet turned into what the command catalogue expects, or a French
 * message naming the rule. Amounts are read by STRING manipulation into integer cents (never
 * through a float, but for a number cell of a workbook, which is one already): `30 000,00`, with
 * plain, no-break or narrow no-break spaces between thousands, `30000`, `30 000 €`. A space only
 * ever separates groups of three digits (`1 234 567,89`): `12 50` or `1 23 4,50` are refused, never
 * read with their spaces dropped. `30.000,00` or `30,000.00` are refused rather than guessed. Dates are `22/06/2022` or ISO `2022-06-22`, or a
 * date cell of a workbook.
 */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly rule: string; readonly message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const refused = (rule: string, message: string): Parsed<never> => ({ ok: false, rule, message });

/** Plain, no-break (U+00A0), narrow no-break (U+202F) and thin (U+2009) spaces: all that French software puts between thousands. */
const SPACES = ' \u00a0\u202f\u2009';
/** Digits, grouped by three from the units with one of those spaces or not grouped; a comma and the cents; a `€` at the end. */
const TYPED_AMOUNT = new RegExp(`^(\\d{1,3}(?:[${SPACES}]\\d{3})+|\\d+)(?:,(\\d+))?(?:[${SPACES}]*€)?$`);
/** Digits, spaces and a comma, a space between two digits: an amount whose spaces do not group thousands (`12 50`). */
const MISPLACED_SPACE = new RegExp(`^(?=.*\\d[${SPACES}]+\\d)[\\d,€${SPACES}]+$`);
const THOUSANDS_SPACE = new RegExp(`[${SPACES}]`, 'g');
const MONEY_EXAMPLE = '(ex. 30 000,00)';

/** A cell as the user typed or sees it, for messages. */
export function shownCell(cell: SheetCell): string {
  if (cell === null) return '';
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? INVALID_DATE : cell.toISOString().slice(0, 10);
  if (typeof cell === 'boolean') return cell ? 'VRAI' : 'FAUX';
  return String(cell).trim();
}

export function isEmptyCell(cell: SheetCell): boolean {
  return shownCell(cell) === '';
}

/**
 * The bounds of an amount (the commands' `isCents` rule), said of a « Montant » cell: in euros, as
 * the column is; the rule's own message speaks cents, as the API takes them, and its example
 * (78600000) typed in a sheet would be 78 600 000,00 €.
 */
export const AMOUNT_RANGE = `doit être un montant entre ${formatEuros(1)} et ${formatEuros(MAX_AMOUNT_CENTS)}`;

export function parseAmountCell(cell: SheetCell): Parsed<number> {
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell) || cell < 0) return refused('isAmount', `${String(cell)} n’est pas un montant positif en euros ${MONEY_EXAMPLE}`);
    const cents = Math.round(cell * 100);
    if (Math.abs(cell * 100 - cents) > 1e-6) return refused('isAmount', `${String(cell)} a plus de deux chiffres après la virgule (centimes)`);
    if (!Number.isSafeInteger(cents)) return refused('isAmount', `${String(cell)} est un montant trop grand`);
    return ok(cents);
  }
  const typed = shownCell(cell);
  const match = TYPED_AMOUNT.exec(typed);
  if (!match) {
    if (/\d\s*%$/.test(typed)) return refused('isAmount', `${typed} est un pourcentage, pas un montant en euros : mettez la cellule au format nombre ou monétaire ${MONEY_EXAMPLE}`);
    if (MISPLACED_SPACE.test(typed)) {
      return refused('isAmount', `${typed} n’est pas un montant en euros : une espace ne sépare que les milliers, par groupes de trois chiffres (ex. 1 234 567,89)`);
    }
    return refused('isAmount', `${typed} n’est pas un montant en euros ${MONEY_EXAMPLE}`);
  }
  if ((match[2] ?? '').length > 2) return refused('isAmount', `${typed} a plus de deux chiffres après la virgule (centimes)`);
  const digits = `${match[1]!.replace(THOUSANDS_SPACE, '')}${(match[2] ?? '').padEnd(2, '0')}`.replace(/^0+(?=\d)/, '');
  // Number.MAX_SAFE_INTEGER has 16 digits: compare as strings before converting.
  const max = String(Number.MAX_SAFE_INTEGER);
  if (digits.length > max.length || (digits.length === max.length && digits > max)) return refused('isAmount', `${typed} est un montant trop grand`);
  return ok(Number(digits));
}

export function parseDateCell(cell: SheetCell): Parsed<IsoDate> {
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) return refused('isDate', `la cellule (${INVALID_DATE}) ne contient pas une date du calendrier (JJ/MM/AAAA, ex. 22/06/2022)`);
    // A workbook's date is a day serial, its time of day the fraction: exceljs gives the instant
    // `(serial − 25569)` days after 1970, give or take a rounding. The day is the one the sheet
    // shows (« 15/10/2021 18:30 » is the 15th): the instant to the nearest second, its whole serial,
    // then the calendar's reading of that serial (which counts Excel's fictitious 29/02/1900).
    const serial = Math.floor(Math.round(cell.getTime() / 1000) / 86_400) + SPREADSHEET_SERIAL_OF_1970;
    const date = dateOfSpreadsheetSerial(serial);
    if (date === undefined) {
      return refused('isDate', `la cellule (${serial === 60 ? '29/02/1900' : INVALID_DATE}) ne contient pas une date du calendrier (JJ/MM/AAAA, ex. 22/06/2022)`);
    }
    return inRange(date, formatDate(date));
  }
  const typed = shownCell(cell);
  const french = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(typed);
  const iso = french ? isoDateOf(Number(french[3]), Number(french[2]), Number(french[1])) : typed;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return refused('isDate', `${typed} n’est pas une date (JJ/MM/AAAA, ex. 22/06/2022)`);
  if (!isIsoDate(iso)) return refused('isDate', `le ${typed} n’existe pas dans le calendrier`);
  return inRange(iso, typed);
}

/**
 * A day of the calendar within its bounds (what the commands accept), or refused in the sheet's
 * format: the commands' own rule (`isIsoDate`) speaks ISO to API clients, not to someone who typed
 * 31/12/1899.
 */
function inRange(date: IsoDate, typed: string): Parsed<IsoDate> {
  if (isDateInRange(date)) return ok(date);
  return refused('isDate', `le ${typed} est hors des dates que Jalon enregistre (JJ/MM/AAAA, du ${formatDate(EARLIEST_DATE)} au ${formatDate(LATEST_DATE)})`);
}

export function parseYearCell(cell: SheetCell): Parsed<number> {
  const typed = shownCell(cell);
  const year = typeof cell === 'number' ? cell : /^\d{4}$/.test(typed) ? Number(typed) : Number.NaN;
  if (!Number.isInteger(year)) return refused('isYear', `${typed} n’est pas une année (ex. 2022)`);
  return ok(year);
}

export function parseTextCell(cell: SheetCell): Parsed<string> {
  return ok(shownCell(cell));
}

/** Folds case, accents and typographic apostrophes, so that « équipement » finds « Équipement ». */
export function foldForMatch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’‘`]/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** A category by its French label (« Locaux ») or its code (`premises`). */
export function categoryParser(labels: Readonly<Record<BudgetCategory, string>>): (cell: SheetCell) => Parsed<BudgetCategory> {
  const known = new Map<string, BudgetCategory>();
  for (const category of BUDGET_CATEGORIES) {
    known.set(foldForMatch(category), category);
    known.set(foldForMatch(labels[category]), category);
  }
  const list = BUDGET_CATEGORIES.map((category) => labels[category]).join(', ');
  return (cell) => {
    const typed = shownCell(cell);
    const category = known.get(foldForMatch(typed));
    return category ? ok(category) : refused('isCategory', `${typed} n’est pas une catégorie budgétaire (${list})`);
  };
}
