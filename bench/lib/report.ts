/** The results of a run: one row per figure, with its target when it has one, and the plain-text table. */

export type Status = 'PASS' | 'MISS' | 'info' | 'n/a';

export type Unit = 'tx/s' | 'events/s' | 'commands/s' | 'ops/s' | 'ms' | 's' | 'MiB' | '%' | 'x' | 'events' | 'requests/s' | 'commands' | 'bytes' | 'documents';

export interface Row {
  readonly section: string;
  readonly metric: string;
  /** null when the figure could not be measured (see `note`). */
  readonly value: number | null;
  readonly unit: Unit;
  /** e.g. `>= 60 %`, `< 5 ms`. */
  readonly target?: string;
  readonly status: Status;
  readonly note?: string;
}

export function info(section: string, metric: string, value: number | null, unit: Unit, note?: string): Row {
  return { section, metric, value, unit, status: value === null ? 'n/a' : 'info', ...(note ? { note } : {}) };
}

/** A figure checked against a threshold: `at least` (>=) or `below` (<). */
export function checked(
  section: string,
  metric: string,
  value: number | null,
  unit: Unit,
  rule: { readonly atLeast?: number; readonly below?: number },
  note?: string,
): Row {
  const target = rule.atLeast !== undefined ? `>= ${format(rule.atLeast, unit)}` : `< ${format(rule.below!, unit)}`;
  const status: Status =
    value === null || !Number.isFinite(value) ? 'n/a' : rule.atLeast !== undefined ? (value >= rule.atLeast ? 'PASS' : 'MISS') : value < rule.below! ? 'PASS' : 'MISS';
  return { section, metric, value, unit, target, status, ...(note ? { note } : {}) };
}

export function format(value: number | null, unit: Unit): string {
  if (value === null || !Number.isFinite(value)) return '-';
  switch (unit) {
    case 'ms':
      return `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US')} ms`;
    case 's':
      return `${value < 10 ? value.toFixed(2) : value.toFixed(1)} s`;
    case '%':
      return `${value < 10 ? value.toFixed(1) : Math.round(value)} %`;
    case 'x':
      return `${value < 10 ? value.toFixed(2) : value.toFixed(1)}x`;
    case 'MiB':
      return `${Math.round(value).toLocaleString('en-US')} MiB`;
    default:
      return `${(value < 100 ? Math.round(value * 10) / 10 : Math.round(value)).toLocaleString('en-US')} ${unit}`;
  }
}

export function renderTable(rows: readonly Row[]): string {
  const header = ['section', 'metric', 'value', 'target', 'status'];
  const lines = rows.map((row) => [row.section, row.metric, format(row.value, row.unit), row.target ?? '', row.status]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const render = (cells: string[]) => cells.map((cell, i) => (i === 2 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  const separator = widths.map((w) => '-'.repeat(w)).join('  ');
  const notes = rows.filter((row) => row.note).map((row) => `  * ${row.section} / ${row.metric}: ${row.note}`);
  return [render(header), separator, ...lines.map(render), ...(notes.length ? ['', 'Notes:', ...notes] : [])].join('\n');
}

/** The same rows as a Markdown table (for BENCHMARKS.md). */
export function renderMarkdown(rows: readonly Row[]): string {
  const lines = ['| section | metric | value | target | status |', '| --- | --- | ---: | --- | --- |'];
  for (const row of rows) lines.push(`| ${row.section} | ${row.metric} | ${format(row.value, row.unit)} | ${row.target ?? ''} | ${row.status} |`);
  return lines.join('\n');
}
