import type { Report } from '../report';

/**
 * A report as JSON, for scripts: the typed tables as they are (amounts in integer cents, rates in
 * basis points, dates `YYYY-MM-DD`, timestamps ISO 8601, no French formatting) plus the report's
 * own `data`, and the antenna's name (`antennaName`) when the report is about one. No conversion is
 * made, so cents stay integers.
 */
export function renderJson(report: Report): string {
  const { kind, title, parameters, antennaName, tables, data } = report;
  return JSON.stringify({ kind, title, parameters, ...(antennaName !== undefined ? { antennaName } : {}), tables, notes: report.notes ?? [], data }, null, 2);
}
