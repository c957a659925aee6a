import { formatDate, formatFixed2, formatInteger, formatParameters, formatTimestamp, DEFAULT_TIME_ZONE, type FormatOptions } from '../format/french';
import type { CellValue, ColumnKind, Report, ReportTable, Row } from '../report';

/**
 * A report as CSV for a French spreadsheet (Excel, LibreOffice in French):
 * - UTF-8 with a byte-order mark, or Excel reads the accents as Windows-1252;
 * - `;` as separator, since the comma is the decimal mark; CRLF line ends;
 * - amounts as decimal numbers with a comma and nothing else (`786000,00`, no space, no €), percents
 *   likewise (`50,00`), counts bare (`59000`), so the spreadsheet reads numbers it can sum;
 * - dates `22/06/2022`, timestamps `23/06/2022 11:00` (Paris time);
 * - the report title and its parameters first, then each table preceded by its title line and
 *   followed by an empty line (header row of labels, rows, totals row last), then the notes.
 * Text that a spreadsheet would take for a formula (`=`, `+`, `-`, `@`, tab, CR first) is prefixed
 * with `'` (CSV injection guard).
 */
export function renderCsv(report: Report, options: FormatOptions = {}): Buffer {
  const lines: string[] = [record([text(report.title)])];
  const parameters = formatParameters(report.parameters, options);
  if (parameters !== '') lines.push(record([text(parameters)]));
  lines.push('');

  for (const table of report.tables) lines.push(...tableLines(table, options), '');

  for (const note of report.notes ?? []) lines.push(record([text(note)]));

  const body = lines.map((line) => `${line}\r\n`).join('');
  return Buffer.concat([UTF8_BOM, Buffer.from(body, 'utf8')]);
}

export const CSV_SEPARATOR = ';';
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function tableLines(table: ReportTable, options: FormatOptions): string[] {
  const row = (values: Row): string =>
    record(table.columns.map((column) => csvCell(values[column.key] ?? null, column.kind, options)));
  const lines = [record([text(table.title)]), record(table.columns.map((column) => text(column.label)))];
  for (const values of table.rows) lines.push(row(values));
  if (table.totals !== undefined) lines.push(row(table.totals));
  return lines;
}

/** A cell as the spreadsheet should read it, before quoting. */
export function csvCell(value: CellValue, kind: ColumnKind, options: FormatOptions = {}): string {
  if (value === null || value === undefined) return '';
  if (kind === 'text') return text(String(value));
  if (kind === 'date' || kind === 'timestamp') {
    if (typeof value !== 'string') throw new TypeError(`A ${kind} cell must be a string, got ${JSON.stringify(value)}`);
    return kind === 'date' ? formatDate(value) : formatTimestamp(value, options.timeZone ?? DEFAULT_TIME_ZONE);
  }
  if (typeof value !== 'number') throw new TypeError(`A ${kind} cell must be a number, got ${JSON.stringify(value)}`);
  if (kind === 'integer') return formatInteger(value).replace(/ /g, '');
  return formatFixed2(value, false); // money (cents) and percent (basis points): two decimals, comma
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
