import type { FormatOptions } from '../format/french';
import type { Report } from '../report';
import { isCsvBundle, renderCsv } from './csv';
import { renderJson } from './json';
import { renderPdf } from './pdf';
import { renderScdlCsv } from './scdl-csv';
import { renderTable } from './table';
import { renderXlsx } from './xlsx';

export { CSV_README, csvFileNames, isCsvBundle, renderCsv, renderCsvTable } from './csv';
export { renderJson } from './json';
export { excelJs } from './libraries';
export { renderPdf, type PdfOptions } from './pdf';
export { renderScdlCsv } from './scdl-csv';
export { renderTable } from './table';
export {
  renderXlsx,
  sheetNameOf,
  validSheetName,
  XLSX_MONEY_FORMAT,
  XLSX_MONEY_CHANGE_FORMAT,
  XLSX_PERCENT_FORMAT,
  XLSX_INTEGER_FORMAT,
  XLSX_YEAR_FORMAT,
  XLSX_MONTH_FORMAT,
  XLSX_DATE_FORMAT,
  XLSX_TIMESTAMP_FORMAT,
  XLSX_NOTES_SHEET,
  XLSX_HEADER_ROW,
  XLSX_SHEET_NAME_MAX,
  XLSX_PORTRAIT_MAX_COLUMNS,
} from './xlsx';

export const REPORT_FORMATS = ['table', 'csv', 'json', 'xlsx', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function isReportFormat(value: unknown): value is ReportFormat {
  return typeof value === 'string' && (REPORT_FORMATS as readonly string[]).includes(value);
}

/** The report in `format`: a string for table and JSON, bytes for CSV (UTF-8 with BOM) and XLSX. */
export async function renderReport(report: Report, format: ReportFormat, options: FormatOptions = {}): Promise<Buffer | string> {
  switch (format) {
    case 'table':
      return renderTable(report, options);
    case 'csv':
      // The legal open-data export is written in the national format, not for a French spreadsheet.
      return report.kind === 'subventions' ? renderScdlCsv(report) : renderCsv(report, options);
    case 'json':
      return renderJson(report);
    case 'xlsx':
      return renderXlsx(report, options);
    case 'pdf':
      return renderPdf(report, options);
    default:
      throw new RangeError(`Unknown report format: ${String(format satisfies never)}`);
  }
}

const CONTENT_TYPES: Readonly<Record<ReportFormat, string>> = {
  table: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

const FILE_EXTENSIONS: Readonly<Record<ReportFormat, string>> = {
  table: 'txt',
  csv: 'csv',
  json: 'json',
  xlsx: 'xlsx',
  pdf: 'pdf',
};

/** A ZIP of one CSV per table: what `csv` gives for a report of several tables (see renderCsv). */
const ZIP_CONTENT_TYPE = 'application/zip';

/** The HTTP Content-Type of a report in `format`; given the report, `application/zip` for a CSV bundle. */
export function contentTypeOf(format: ReportFormat, report?: Report): string {
  return format === 'csv' && report !== undefined && isCsvBundle(report) && report.kind !== 'subventions' ? ZIP_CONTENT_TYPE : CONTENT_TYPES[format];
}

/** The file extension, without the dot, of a report in `format` (`txt` for the table; `zip` for a CSV bundle). */
export function fileExtensionOf(format: ReportFormat, report?: Report): string {
  return format === 'csv' && report !== undefined && isCsvBundle(report) && report.kind !== 'subventions' ? 'zip' : FILE_EXTENSIONS[format];
}
