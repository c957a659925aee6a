import { wallClockOf } from '@jalon/domain';
import { zipSync } from 'fflate';

import { formatDate, formatFixed2, formatReportContext, formatTimestamp, DEFAULT_TIME_ZONE, type FormatOptions } from '../format/french';
import type { CellValue, ColumnKind, Report, ReportTable, Row } from '../report';
import { singleLine } from './text-width';
import { sheetNameOf } from './xlsx';

/**
 * A report as CSV for a French spreadsheet (Excel, LibreOffice in French), ONE TABLE PER FILE so
 * that a spreadsheet or a program reads it as one table:
 * - a report with one table gives one CSV file: the header row of labels, the rows, the totals row
 *   last (nothing above the header, nothing below the totals);
 * - a report with several tables gives a ZIP archive ({@link isCsvBundle}): one such CSV per
 *   table, named `01-budget-par-annee.csv`… after its sheet name, and `LISEZMOI.txt` with the
 *   report's title, what it covers, its date, when it was generated, the list of files and the notes.
 * Each CSV is UTF-8 with a byte-order mark (or Excel reads the accents as Windows-1252), `;` as
 * separator since the comma is the decimal mark, CRLF line ends; amounts as decimal numbers with a
 * comma and nothing else (`786000,00`, no space, no €), percents likewise (`50,00`), counts and
 * years bare (`59000`, `2022`), so the spreadsheet reads numbers it can sum; dates `22/06/2022`,
 * months `06/2022`, timestamps `23/06/2022 11:00` (Paris time). Text that a spreadsheet would take
 * for a formula (`=`, `+`, `-`, `@`, tab, CR first) is prefixed with `'` (CSV injection guard).
 */
export function renderCsv(report: Report, options: FormatOptions = {}): Buffer {
  const [only] = report.tables;
  if (!isCsvBundle(report) && only !== undefined) return renderCsvTable(only, options);
  const generatedAt = options.generatedAt ?? new Date().toISOString();
  const files: Record<string, Uint8Array> = {};
  const names = csvFileNames(report);
  report.tables.forEach((table, i) => {
    files[names[i]!] = renderCsvTable(table, options);
  });
  files[CSV_README] = Buffer.from(readme(report, names, { ...options, generatedAt }), 'utf8');
  // The archive's entries carry the generation time, so the same report gives the same bytes.
  return Buffer.from(zipSync(files, { level: 6, mtime: zipEntryTime(generatedAt, options.timeZone ?? DEFAULT_TIME_ZONE) }));
}

/**
 * A ZIP entry's date and time (DOS fields) has no time zone: it is the programme's wall-clock time
 * of generation (`timeZone`, Paris), the one `LISEZMOI.txt` says, on any server. fflate writes them
 * from a Date's LOCAL fields (`getHours`…), those of the server's own zone: hence the Date whose
 * local fields are that wall-clock time. (On a server whose own zone skips that hour, a summer-time
 * gap of its own, no Date has those local fields and the entry says the hour after.)
 */
export function zipEntryTime(generatedAt: string, timeZone: string): Date {
  const t = wallClockOf(generatedAt, timeZone);
  return new Date(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
}

/** A report whose CSV is a ZIP of one CSV per table: any report but those of exactly one table. */
export function isCsvBundle(report: Report): boolean {
  return report.tables.length !== 1;
}

/** The text file that goes with the CSV files of a bundle. */
export const CSV_README = 'LISEZMOI.txt';

/** One table as a CSV file: header row, rows, totals row. */
export function renderCsvTable(table: ReportTable, options: FormatOptions = {}): Buffer {
  const body = tableLines(table, options)
    .map((line) => `${line}\r\n`)
    .join('');
  return Buffer.concat([UTF8_BOM, Buffer.from(body, 'utf8')]);
}

/** `01-budget-par-annee.csv`, … : numbered in the report's order, ASCII, after each table's sheet name. */
export function csvFileNames(report: Report): string[] {
  return report.tables.map((table, i) => {
    const slug = sheetNameOf(table.title)
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .replace(/-+$/, '');
    return `${String(i + 1).padStart(2, '0')}-${slug || 'tableau'}.csv`;
  });
}

function readme(report: Report, names: readonly string[], options: FormatOptions): string {
  const lines = [singleLine(report.title), formatReportContext(report, options), '', 'Fichiers (un tableau par fichier, séparateur « ; », UTF-8) :'];
  report.tables.forEach((table, i) => lines.push(`- ${names[i]} : ${singleLine(table.title)}`));
  const notes = report.notes ?? [];
  if (notes.length > 0) lines.push('', 'Remarques :', ...notes.map((note) => `- ${singleLine(note)}`));
  return `${lines.join('\r\n')}\r\n`;
}

export const CSV_SEPARATOR = ';';
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function tableLines(table: ReportTable, options: FormatOptions): string[] {
  const row = (values: Row): string =>
    record(table.columns.map((column) => csvCell(values[column.key] ?? null, column.kind, options)));
  const lines = [record(table.columns.map((column) => text(column.label)))];
  for (const values of table.rows) lines.push(row(values));
  if (table.totals !== undefined) lines.push(row(table.totals));
  return lines;
}

/** A cell as the spreadsheet should read it, before quoting. */
export function csvCell(value: CellValue, kind: ColumnKind, options: FormatOptions = {}): string {
  if (value === null || value === undefined) return '';
  if (kind === 'text') return text(String(value));
  if (kind === 'year') return typeof value === 'number' ? String(value) : text(value);
  if (kind === 'month') {
    const match = typeof value === 'string' ? /^(\d{4})-(\d{2})$/.exec(value) : null;
    return match ? `${match[2]}/${match[1]}` : text(String(value));
  }
  if (kind === 'date' || kind === 'timestamp') {
    if (typeof value !== 'string') throw new TypeError(`A ${kind} cell must be a string, got ${JSON.stringify(value)}`);
    return kind === 'date' ? formatDate(value) : formatTimestamp(value, options.timeZone ?? DEFAULT_TIME_ZONE);
  }
  if (typeof value !== 'number') throw new TypeError(`A ${kind} cell must be a number, got ${JSON.stringify(value)}`);
  if (kind === 'integer') {
    if (!Number.isInteger(value)) throw new RangeError(`An integer cell must be an integer, got ${value}`);
    return String(value);
  }
  // money and money-change (cents), percent (basis points): two decimals, comma. A change keeps no
  // « + »: the CSV is for a spreadsheet to read back as a number (and « + » opens a formula).
  return formatFixed2(value, false);
}

/** Free text, guarded against formula injection: `=1+1` → `'=1+1`. */
export function text(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function quote(field: string): string {
  return /[;"\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

function record(fields: readonly string[]): string {
  return fields.map(quote).join(CSV_SEPARATOR);
}
