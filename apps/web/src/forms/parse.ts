import { EARLIEST_DATE, isAcceptedDate, isIsoDate, LATEST_DATE } from '@jalon/domain';
import { formatDate } from '@jalon/reporting';

/**
 * What people type in the dashboard's forms, turned into what the command catalogue expects.
 * Amounts are parsed by STRING manipulation into integer cents (never through a float):
 * `30 000,00`, `30000`, `30 000 €`, `1234,5` and `1234.50` are accepted; anything else is an error
 * in French.
 */

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

const SPACES = /[\s\u00a0\u202f]/g;
const MONEY_HINT = 'saisissez un montant en euros, par exemple 30 000,00 ou 30000';

export function parseEurosToCents(typed: string): Parsed<number> {
  const compact = typed.replace(SPACES, '').replace(/€$/, '');
  if (compact === '') return { ok: false, message: `montant manquant : ${MONEY_HINT}` };
  if (compact.startsWith('-')) return { ok: false, message: 'le montant doit être positif' };
  const match = /^(\d+)(?:[,.](\d{1,2}))?$/.exec(compact);
  if (!match) {
    if (/^\d+[,.]\d{3,}$/.test(compact)) return { ok: false, message: 'pas plus de deux chiffres après la virgule (centimes)' };
    return { ok: false, message: `« ${typed.trim()} » n’est pas un montant : ${MONEY_HINT}` };
  }
  const whole = match[1]!.replace(/^0+(?=\d)/, '');
  const cents = (match[2] ?? '').padEnd(2, '0');
  const digits = `${whole}${cents}`.replace(/^0+(?=\d)/, '');
  // Number.MAX_SAFE_INTEGER has 16 digits: compare as strings before converting.
  const max = String(Number.MAX_SAFE_INTEGER);
  if (digits.length > max.length || (digits.length === max.length && digits > max)) return { ok: false, message: 'montant trop grand' };
  return { ok: true, value: Number(digits) };
}

/** A whole number (`59 000`), by string manipulation too. */
export function parseWholeNumber(typed: string): Parsed<number> {
  const compact = typed.replace(SPACES, '');
  if (!/^\d{1,15}$/.test(compact)) return { ok: false, message: `« ${typed.trim()} » n’est pas un nombre entier (ex. 59000)` };
  return { ok: true, value: Number(compact) };
}

/**
 * What the dashboard says beside a date field whose day lies outside the calendar's bounds
 * (01/01/1900 – 31/12/2100): the command forms, « État au », « Connu au » and the journal's « Du » /
 * « Au » alike.
 */
export const DATE_OUT_OF_RANGE = `Saisissez une date valide (JJ/MM/AAAA), du ${formatDate(EARLIEST_DATE)} au ${formatDate(LATEST_DATE)}.`;

/** A date typed in the dashboard: refused, and why (`outOfRange`: a day of the calendar, outside its bounds). */
export type ParsedDate = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly message: string; readonly outOfRange?: true };

/**
 * `2022-06-22` (what a date field sends) or `22/06/2022` (typed by hand) → `2022-06-22`, a day of
 * the calendar within its bounds ({@link isAcceptedDate}, what the API accepts).
 */
export function parseDate(typed: string): ParsedDate {
  const text = typed.trim();
  const french = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  const iso = french ? `${french[3]}-${french[2]!.padStart(2, '0')}-${french[1]!.padStart(2, '0')}` : text;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return { ok: false, message: text === '' ? 'date manquante (JJ/MM/AAAA)' : `« ${text} » n’est pas une date (JJ/MM/AAAA)` };
  if (!isIsoDate(iso)) return { ok: false, message: `le ${text} n’existe pas dans le calendrier` };
  if (!isAcceptedDate(iso)) return { ok: false, outOfRange: true, message: `le ${text} est hors des dates que Jalon enregistre, du ${formatDate(EARLIEST_DATE)} au ${formatDate(LATEST_DATE)}` };
  return { ok: true, value: iso };
}

/** A number that may have decimals (`12,5`, `30`), for a percentage: never an amount of money. */
export function parseDecimal(typed: string): Parsed<number> {
  const compact = typed.replace(SPACES, '').replace(/%$/, '');
  if (!/^\d{1,9}(?:[,.]\d{1,6})?$/.test(compact)) return { ok: false, message: `« ${typed.trim()} » n’est pas un nombre (ex. 12,5)` };
  return { ok: true, value: Number(compact.replace(',', '.')) };
}
