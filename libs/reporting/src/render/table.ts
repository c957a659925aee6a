import { formatCell, formatParameters, type FormatOptions } from '../format/french';
import type { Column, Report, ReportTable, Row } from '../report';
import { displayWidth, padEnd, padStart, singleLine } from './text-width';

/**
 * A report as plain text for a terminal, in French: title, parameters, then each table with its
 * columns aligned (text left, numbers right), a separator before the totals row, and the notes as
 * « – » bullets. UTF-8, no ANSI colours; cell text is kept on one line and stripped of control
 * characters so that no data can break the layout or send escape codes to the terminal.
 */
export function renderTable(report: Report, options: FormatOptions = {}): string {
  const lines: string[] = [singleLine(report.title)];
  const parameters = formatParameters(report, options);
  if (parameters !== '') lines.push(singleLine(parameters));

  for (const table of report.tables) {
    lines.push('', ...renderOneTable(table, options));
  }

  const notes = report.notes ?? [];
  if (notes.length > 0) {
    lines.push('');
    for (const note of notes) lines.push(`– ${singleLine(note)}`);
  }
  return lines.map((line) => line.trimEnd()).join('\n') + '\n';
}

const COLUMN_GAP = '  ';

function isRightAligned(column: Column): boolean {
  return column.kind !== 'text';
}

function renderOneTable(table: ReportTable, options: FormatOptions): string[] {
  const { columns } = table;
  const cellsOf = (row: Row): string[] =>
    columns.map((column) => singleLine(formatCell(row[column.key] ?? null, column.kind, options)));

  const header = columns.map((column) => singleLine(column.label));
  const body = table.rows.map(cellsOf);
  const totals = table.totals === undefined ? undefined : cellsOf(table.totals);

  const widths = columns.map((_, i) =>
    Math.max(displayWidth(header[i] ?? ''), ...body.map((cells) => displayWidth(cells[i] ?? '')), displayWidth(totals?.[i] ?? '')),
  );
  const line = (cells: readonly string[]): string =>
    columns
      .map((column, i) => (isRightAligned(column) ? padStart : padEnd)(cells[i] ?? '', widths[i] ?? 0))
      .join(COLUMN_GAP);
  const fullWidth = widths.reduce((sum, width) => sum + width, 0) + COLUMN_GAP.length * Math.max(0, columns.length - 1);

  const lines = [singleLine(table.title), line(header), widths.map((width) => '-'.repeat(width)).join(COLUMN_GAP)];
  if (body.length === 0) lines.push('(aucune ligne)');
  for (const cells of body) lines.push(line(cells));
  if (totals !== undefined) {
    lines.push('='.repeat(fullWidth), line(totals));
  }
  return lines;
}
