import type { Report } from '../report';

/**
 * The national open-data CSV (SCDL, e.g. « subventions »), not Jalon's French-spreadsheet CSV:
 * UTF-8 without byte-order mark, `,` as separator, one header row of the table's column keys
 * (the format's field names, in its order), one line per row, CRLF line ends (RFC 4180), no title,
 * parameters, totals or notes. Cells are written as the builder formatted them (`47800.20`,
 * `2021-06-01`); a missing value is an empty string; a cell holding `,`, `"` or a line break is
 * quoted with `"` doubled. No spreadsheet-formula guard: it would change the published value; the
 * texts it publishes are refused at input when they start as a formula (rule `isNotFormula`).
 */
export function renderScdlCsv(report: Report): Buffer {
  const table = report.tables[0];
  if (table === undefined) throw new RangeError(`the ${report.kind} report has no table to write`);
  const keys = table.columns.map((column) => column.key);
  const lines = [keys.map(field).join(','), ...table.rows.map((row) => keys.map((key) => field(row[key] === null || row[key] === undefined ? '' : String(row[key]))).join(','))];
  return Buffer.from(lines.map((line) => `${line}\r\n`).join(''), 'utf8');
}

function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
