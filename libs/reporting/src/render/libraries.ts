import type ExcelJS from 'exceljs';

/**
 * The two large document libraries, loaded at their first use rather than when Jalon starts.
 * Requiring them costs about 0.3 s (exceljs) and 0.15 s (pdfmake) on these machines, which every
 * CLI command and every start of the service would otherwise pay, most of which never write a
 * workbook or a PDF. Node keeps a module once loaded; these functions only spare the lookup.
 */
let excel: typeof ExcelJS | undefined;

/** exceljs: the reports' workbooks, the import templates, the sheets read by the import. */
export function excelJs(): typeof ExcelJS {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  excel ??= require('exceljs') as typeof ExcelJS;
  return excel;
}

let pdf: unknown;

/** pdfmake's printer class (pdfmake has no type-safe CommonJS entry: the caller names its type). */
export function pdfMake<T>(): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  pdf ??= require('pdfmake');
  return pdf as T;
}
