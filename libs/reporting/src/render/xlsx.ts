import { isoDateOf, parseIsoDate, SPREADSHEET_SERIAL_OF_1970, spreadsheetSerialOf, wallClockOf } from '@jalon/domain';
import type ExcelJS from 'exceljs';

import { formatCell, formatParameters, formatReportContext, DEFAULT_TIME_ZONE, type FormatOptions } from '../format/french';
import type { CellValue, Column, ColumnKind, Report, ReportTable, Row } from '../report';
import { NOTES_SHEET_NAME, SHEET_NAMES } from '../wording/labels';
import { excelJs } from './libraries';
import { displayWidth, singleLine } from './text-width';

/** Euro amounts: Excel shows the group and decimal marks of the user's locale, `786 000,00 €` in French. */
export const XLSX_MONEY_FORMAT = '#,##0.00 "€";-#,##0.00 "€"';
/** A variation (money-change): its sign always shown, as formatSignedEuros reads it (`+99 333,33 €`). */
export const XLSX_MONEY_CHANGE_FORMAT = '+#,##0.00 "€";-#,##0.00 "€";0.00 "€"';
export const XLSX_PERCENT_FORMAT = '0.00 %';
export const XLSX_INTEGER_FORMAT = '#,##0';
export const XLSX_YEAR_FORMAT = '0';
export const XLSX_MONTH_FORMAT = 'mm/yyyy';
export const XLSX_DATE_FORMAT = 'dd/mm/yyyy';
export const XLSX_TIMESTAMP_FORMAT = 'dd/mm/yyyy hh:mm';

/** Name of the extra sheet holding the report's notes, when there are notes. */
export const XLSX_NOTES_SHEET = NOTES_SHEET_NAME;

/** Excel's limit on a worksheet name, in UTF-16 units. */
export const XLSX_SHEET_NAME_MAX = 31;

/** Every sheet starts with these rows: the title, the context line, an empty row; then the table's header. */
export const XLSX_HEADER_ROW = 4;

/** A sheet wider than this many columns is printed in landscape. */
export const XLSX_PORTRAIT_MAX_COLUMNS = 7;

/**
 * A report as an Excel workbook a funder can file as is, written by exceljs: one worksheet per
 * table, named by {@link SHEET_NAMES} (or its title shortened by whole words), each starting with
 * the report's title and table title, then what the figures cover (antenna or programme), the date
 * they are as of, the instant known at if asked, and when the file was generated; then the table:
 * header bold, frozen and with an autofilter, amounts and rates as numbers in a euro or percent
 * format, years as numbers, months and dates as real dates, totals bold. Sheets wider than
 * {@link XLSX_PORTRAIT_MAX_COLUMNS} columns print in landscape, one page wide, header repeated.
 * Notes go on a last sheet « Remarques ». Title and parameters are also in the workbook properties.
 */
export async function renderXlsx(report: Report, options: FormatOptions = {}): Promise<Buffer> {
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const generatedAt = options.generatedAt ?? new Date().toISOString();
  const context = formatReportContext(report, { timeZone, generatedAt });
  const workbook = new (excelJs().Workbook)();
  workbook.creator = 'Jalon';
  workbook.lastModifiedBy = 'Jalon';
  workbook.created = new Date(generatedAt);
  workbook.modified = workbook.created;
  workbook.title = singleLine(report.title);
  workbook.subject = report.kind;
  workbook.description = formatParameters(report, options);

  const names = new SheetNames();
  report.tables.forEach((table, index) => {
    const sheet = workbook.addWorksheet(names.take(sheetNameOf(table.title), `Tableau ${index + 1}`));
    addTitleRows(sheet, `${singleLine(report.title)} — ${singleLine(table.title)}`, context);
    addTable(sheet, table, timeZone);
  });

  const notes = report.notes ?? [];
  if (notes.length > 0 || report.tables.length === 0) {
    const sheet = workbook.addWorksheet(names.take(XLSX_NOTES_SHEET, XLSX_NOTES_SHEET));
    addTitleRows(sheet, singleLine(report.title), context);
    for (const note of notes) sheet.addRow([`– ${singleLine(note)}`]);
    sheet.getColumn(1).width = 100;
    sheet.pageSetup = { ...sheet.pageSetup, paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 };
  }

  const written = await workbook.xlsx.writeBuffer();
  return Buffer.from(written as ArrayBuffer);
}

/** Not merged: a long title simply runs over the empty cells to its right, as in any spreadsheet. */
function addTitleRows(sheet: ExcelJS.Worksheet, title: string, context: string): void {
  const titleRow = sheet.addRow([title]);
  titleRow.font = { bold: true, size: 13 };
  sheet.addRow([context]).font = { italic: true };
  sheet.addRow([]);
}

function addTable(sheet: ExcelJS.Worksheet, table: ReportTable, timeZone: string): void {
  const { columns } = table;
  const header = sheet.addRow(columns.map((column) => singleLine(column.label)));
  header.font = { bold: true };
  header.alignment = { vertical: 'middle' };
  columns.forEach((column, i) => {
    if (column.kind !== 'text') header.getCell(i + 1).alignment = { horizontal: 'right' };
  });

  const addValues = (values: Row): ExcelJS.Row => {
    const row = sheet.addRow(columns.map((column) => xlsxValue(values[column.key] ?? null, column.kind, timeZone)));
    columns.forEach((column, i) => {
      const format = numberFormatOf(column.kind);
      if (format !== undefined && typeof row.getCell(i + 1).value !== 'string') row.getCell(i + 1).numFmt = format;
    });
    return row;
  };
  for (const values of table.rows) addValues(values);
  const lastDataRow = XLSX_HEADER_ROW + table.rows.length;
  if (table.totals !== undefined) {
    const totals = addValues(table.totals);
    totals.font = { bold: true };
    totals.eachCell({ includeEmpty: true }, (cell) => {
      cell.border = { top: { style: 'thin' } };
    });
  }

  columns.forEach((column, i) => {
    sheet.getColumn(i + 1).width = fittedWidth(column, table, timeZone);
  });

  if (columns.length > 0) {
    // The filter covers the header and the rows, not the totals (sorting must not move them).
    sheet.autoFilter = { from: { row: XLSX_HEADER_ROW, column: 1 }, to: { row: lastDataRow, column: columns.length } };
  }
  sheet.views = [{ state: 'frozen', xSplit: 0, ySplit: XLSX_HEADER_ROW, topLeftCell: `A${XLSX_HEADER_ROW + 1}`, activeCell: `A${XLSX_HEADER_ROW + 1}` }];
  sheet.pageSetup = {
    ...sheet.pageSetup,
    paperSize: 9, // A4
    orientation: columns.length > XLSX_PORTRAIT_MAX_COLUMNS ? 'landscape' : 'portrait',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    printTitlesRow: `${XLSX_HEADER_ROW}:${XLSX_HEADER_ROW}`,
  };
}

function numberFormatOf(kind: ColumnKind): string | undefined {
  switch (kind) {
    case 'money':
      return XLSX_MONEY_FORMAT;
    case 'money-change':
      return XLSX_MONEY_CHANGE_FORMAT;
    case 'percent':
      return XLSX_PERCENT_FORMAT;
    case 'integer':
      return XLSX_INTEGER_FORMAT;
    case 'year':
      return XLSX_YEAR_FORMAT;
    case 'month':
      return XLSX_MONTH_FORMAT;
    case 'date':
      return XLSX_DATE_FORMAT;
    case 'timestamp':
      return XLSX_TIMESTAMP_FORMAT;
    case 'text':
      return undefined;
  }
}

/** The value a spreadsheet cell holds: numbers for amounts, rates, counts and years, Dates for dates and months. */
export function xlsxValue(value: CellValue, kind: ColumnKind, timeZone: string = DEFAULT_TIME_ZONE): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'text':
      // A string starting with `=` stays a string: exceljs writes formulas only from { formula }.
      return singleLine(String(value));
    case 'money':
    case 'money-change':
      // The ONE place a float appears: the spreadsheet stores euros as a binary float for display
      // and sums. Everywhere else amounts stay integers of cents.
      return requireInteger(value, kind) / 100;
    case 'percent':
      // Likewise a float for the spreadsheet only: 5000 basis points → 0.5, shown `50,00 %`.
      return requireInteger(value, kind) / 10000;
    case 'integer':
      return requireInteger(value, kind);
    case 'year':
      // A year is a number (sortable, filterable); a label in a totals row (« Total ») stays text.
      return typeof value === 'number' ? requireInteger(value, kind) : /^\d{4}$/.test(value) ? Number(value) : singleLine(value);
    case 'month': {
      const month = requireString(value, kind);
      if (!/^\d{4}-\d{2}$/.test(month)) return singleLine(month);
      return utcDate(parseIsoDate(`${month}-01`));
    }
    case 'date':
      return utcDate(parseIsoDate(requireString(value, kind)));
    case 'timestamp': {
      // A spreadsheet has no time zones: store the wall-clock time in `timeZone` (Paris), as a
      // Date whose UTC fields are that local time, since exceljs converts Dates via their UTC value.
      const t = wallClockOf(requireString(value, kind), timeZone);
      return utcDate(t, t.hour, t.minute, t.second);
    }
  }
}

/**
 * The Date exceljs writes as the serial a spreadsheet shows as that day and time. exceljs writes a
 * Date as `25569 + its milliseconds in days`, which misses Excel's fictitious 29/02/1900: the
 * calendar gives the spreadsheet's serial ({@link spreadsheetSerialOf}, one less before 01/03/1900)
 * and the Date is built back from it, so that 01/01/1900 is serial 1 and 28/02/1900 serial 59.
 */
function utcDate(day: { year: number; month: number; day: number }, hour = 0, minute = 0, second = 0): Date {
  const serial = spreadsheetSerialOf(isoDateOf(day.year, day.month, day.day));
  return new Date((serial - SPREADSHEET_SERIAL_OF_1970) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000);
}

const DAY_MS = 86_400_000;

function requireInteger(value: CellValue, kind: ColumnKind): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new RangeError(`A ${kind} cell must be an integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

function requireString(value: CellValue, kind: ColumnKind): string {
  if (typeof value !== 'string') throw new TypeError(`A ${kind} cell must be a string, got ${JSON.stringify(value)}`);
  return value;
}

/** Width from the longest French display of the column (label, cells, totals), within bounds. */
function fittedWidth(column: Column, table: ReportTable, timeZone: string): number {
  const rows = table.totals === undefined ? table.rows : [...table.rows, table.totals];
  const longest = Math.max(
    displayWidth(singleLine(column.label)),
    ...rows.map((row) => displayWidth(singleLine(formatCell(row[column.key] ?? null, column.kind, { timeZone })))),
  );
  return Math.min(60, Math.max(8, longest + 3)); // + 3: room for the autofilter's button
}

/**
 * The sheet name of a table: its declared short name ({@link SHEET_NAMES}), or for a title with a
 * variable part (« Antennes par statut — Au cœur des territoires ») the declared name of its fixed
 * part, or else its title.
 */
export function sheetNameOf(title: string): string {
  const declared = SHEET_NAMES[title] ?? SHEET_NAMES[title.split(' — ')[0] ?? ''];
  return declared ?? title;
}

/** Valid, unique (case-insensitively, as Excel compares them) worksheet names. */
class SheetNames {
  private readonly taken = new Set<string>();

  take(wanted: string, fallback: string): string {
    const base = validSheetName(wanted) || validSheetName(fallback) || 'Feuille';
    let candidate = base;
    for (let n = 2; this.taken.has(candidate.toLowerCase()); n += 1) {
      const suffix = ` (${n})`;
      candidate = shortenByWords(base, XLSX_SHEET_NAME_MAX - suffix.length) + suffix;
    }
    this.taken.add(candidate.toLowerCase());
    return candidate;
  }
}

/**
 * A valid worksheet name: at most 31 characters, cut between words (never inside one), none of
 * `[]:*?/\`, no control character, no apostrophe at either end, not `History` (reserved by Excel).
 */
export function validSheetName(wanted: string): string {
  const cleaned = wanted.replace(/[[\]:*?/\\]/g, '-').replace(/\p{Cc}/gu, ' ').replace(/\s+/g, ' ');
  const name = shortenByWords(trimSheetName(cleaned), XLSX_SHEET_NAME_MAX);
  return name.toLowerCase() === 'history' ? `${name} (1)` : name;
}

const DANGLING_WORDS = new Set(['à', 'au', 'aux', 'de', 'des', 'du', 'd’', 'en', 'et', 'la', 'le', 'les', 'l’', 'ou', 'par', 'pour', 'sur', '-', '—', '–']);

/** At most `max` UTF-16 units, dropping whole words from the end (and a dangling dash or comma). */
function shortenByWords(name: string, max: number): string {
  if (name.length <= max) return trimSheetName(name);
  const words = name.split(' ');
  const kept: string[] = [];
  for (const word of words) {
    if ([...kept, word].join(' ').length > max) break;
    kept.push(word);
  }
  // Nor end on a word that announces another (« Échéancier et rapprochement des »).
  while (kept.length > 1 && DANGLING_WORDS.has(kept.at(-1)!.toLocaleLowerCase('fr'))) kept.pop();
  let out = kept.join(' ');
  // A first word longer than the limit: nothing else to do than cut it (without splitting a surrogate pair).
  if (out === '') out = truncate(name, max);
  return trimSheetName(out.replace(/[\s,;:—–-]+$/u, ''));
}

function trimSheetName(name: string): string {
  return name.replace(/^[\s']+|[\s']+$/g, '');
}

/** Cut to `max` UTF-16 units (Excel's count) without splitting a surrogate pair. */
function truncate(name: string, max: number): string {
  let out = '';
  for (const char of name) {
    if (out.length + char.length > max) break;
    out += char;
  }
  return out;
}
