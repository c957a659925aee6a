import ExcelJS from 'exceljs';

import {
  formatCell,
  formatParameters,
  parseIsoDate,
  wallClockOf,
  DEFAULT_TIME_ZONE,
  type FormatOptions,
} from '../format/french';
import type { CellValue, Column, ColumnKind, Report, ReportTable, Row } from '../report';
import { displayWidth, singleLine } from './text-width';

/** Euro amounts: Excel shows the group and decimal marks of the user's locale, `786 000,00 €` in French. */
export const XLSX_MONEY_FORMAT = '#,##0.00 "€";-#,##0.00 "€"';
export const XLSX_PERCENT_FORMAT = '0.00 %';
export const XLSX_INTEGER_FORMAT = '#,##0';
export const XLSX_DATE_FORMAT = 'dd/mm/yyyy';
export const XLSX_TIMESTAMP_FORMAT = 'dd/mm/yyyy hh:mm';

/** Name of the extra sheet holding the report title, its parameters and its notes, when there are notes. */
export const XLSX_NOTES_SHEET = 'Remarques';

/**
 * A report as an Excel workbook, written by exceljs: one worksheet per table (named after its
 * title, made valid and unique), header row bold and frozen, amounts and rates as numbers with a
 * euro or percent format, dates as real dates, totals row bold. When the report has notes, a last
 * sheet « Remarques » lists the title, parameters and notes. The report title and parameters are
 * also in the workbook properties.
 */
export async function renderXlsx(report: Report, options: FormatOptions = {}): Promise<Buffer> {
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Jalon';
  workbook.lastModifiedBy = 'Jalon';
  workbook.created = new Date();
  workbook.modified = workbook.created;
  workbook.title = singleLine(report.title);
  workbook.subject = report.kind;
  const parameters = formatParameters(report.parameters, options);
  workbook.description = parameters;

  const names = new SheetNames();
  report.tables.forEach((table, index) => {
    addTableSheet(workbook, names.take(table.title, `Tableau ${index + 1}`), table, timeZone);
  });

  const notes = report.notes ?? [];
  if (notes.length > 0 || report.tables.length === 0) {
    const sheet = workbook.addWorksheet(names.take(XLSX_NOTES_SHEET, XLSX_NOTES_SHEET));
    sheet.addRow([singleLine(report.title)]).font = { bold: true };
    if (parameters !== '') sheet.addRow([parameters]);
    sheet.addRow([]);
    for (const note of notes) sheet.addRow([`– ${singleLine(note)}`]);
    sheet.getColumn(1).width = 100;
  }

  const written = await workbook.xlsx.writeBuffer();
  return Buffer.from(written as ArrayBuffer);
}

function addTableSheet(workbook: ExcelJS.Workbook, name: string, table: ReportTable, timeZone: string): void {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
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
      if (format !== undefined) row.getCell(i + 1).numFmt = format;
    });
    return row;
  };
  for (const values of table.rows) addValues(values);
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
}

function numberFormatOf(kind: ColumnKind): string | undefined {
  switch (kind) {
    case 'money':
      return XLSX_MONEY_FORMAT;
    case 'percent':
      return XLSX_PERCENT_FORMAT;
    case 'integer':
      return XLSX_INTEGER_FORMAT;
    case 'date':
      return XLSX_DATE_FORMAT;
    case 'timestamp':
      return XLSX_TIMESTAMP_FORMAT;
    case 'text':
      return undefined;
  }
}

/** The value a spreadsheet cell holds: numbers for amounts, rates and counts, Dates for dates. */
export function xlsxValue(value: CellValue, kind: ColumnKind, timeZone: string = DEFAULT_TIME_ZONE): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'text':
      // A string starting with `=` stays a string: exceljs writes formulas only from { formula }.
      return singleLine(String(value));
    case 'money':
      // The ONE place a float appears: the spreadsheet stores euros as a binary float for display
      // and sums. Everywhere else amounts stay integers of cents.
      return requireInteger(value, kind) / 100;
    case 'percent':
      // Likewise a float for the spreadsheet only: 5000 basis points → 0.5, shown `50,00 %`.
      return requireInteger(value, kind) / 10000;
    case 'integer':
      return requireInteger(value, kind);
    case 'date': {
      const { year, month, day } = parseIsoDate(requireString(value, kind));
      return new Date(Date.UTC(year, month - 1, day));
    }
    case 'timestamp': {
      // A spreadsheet has no time zones: store the wall-clock time in `timeZone` (Paris), as a
      // Date whose UTC fields are that local time, since exceljs converts Dates via their UTC value.
      const t = wallClockOf(requireString(value, kind), timeZone);
      return new Date(Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second));
    }
  }
}

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
  return Math.min(60, Math.max(8, longest + 2));
}

/** Valid, unique (case-insensitively, as Excel compares them) worksheet names. */
class SheetNames {
  private readonly taken = new Set<string>();

  take(wanted: string, fallback: string): string {
    const base = validSheetName(wanted) || validSheetName(fallback) || 'Feuille';
    let candidate = base;
    for (let n = 2; this.taken.has(candidate.toLowerCase()); n += 1) {
      const suffix = ` (${n})`;
      candidate = trimSheetName(truncate(base, 31 - suffix.length)) + suffix;
    }
    this.taken.add(candidate.toLowerCase());
    return candidate;
  }
}

/** At most 31 characters, none of `[]:*?/\`, no control character, no apostrophe at either end, not `History`. */
export function validSheetName(wanted: string): string {
  const cleaned = wanted.replace(/[[\]:*?/\\]/g, '-').replace(/\p{Cc}/gu, ' ').replace(/\s+/g, ' ');
  const name = trimSheetName(truncate(trimSheetName(cleaned), 31));
  return name.toLowerCase() === 'history' ? `${name} (1)` : name;
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
