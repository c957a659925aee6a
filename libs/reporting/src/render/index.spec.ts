import { contentTypeOf, fileExtensionOf, isReportFormat, renderReport, REPORT_FORMATS } from './index';
import { montbeliardBudgetReport } from './sample-report.fixtures';

describe('renderReport', () => {
  it('renders every format: strings for table and JSON, bytes for CSV and XLSX', async () => {
    const report = montbeliardBudgetReport();
    expect(typeof (await renderReport(report, 'table'))).toBe('string');
    expect(typeof (await renderReport(report, 'json'))).toBe('string');
    expect(Buffer.isBuffer(await renderReport(report, 'csv'))).toBe(true);
    expect(Buffer.isBuffer(await renderReport(report, 'xlsx'))).toBe(true);
  });

  it('refuses an unknown format', async () => {
    await expect(renderReport(montbeliardBudgetReport(), 'ods' as never)).rejects.toThrow(RangeError);
    expect(isReportFormat('ods')).toBe(false);
    expect(REPORT_FORMATS.every(isReportFormat)).toBe(true);
  });

  it('gives the HTTP content type and file extension of each format', () => {
    expect(contentTypeOf('csv')).toBe('text/csv; charset=utf-8');
    expect(contentTypeOf('xlsx')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(contentTypeOf('json')).toBe('application/json; charset=utf-8');
    expect(contentTypeOf('table')).toBe('text/plain; charset=utf-8');
    expect(REPORT_FORMATS.map((format) => fileExtensionOf(format))).toEqual(REPORT_FORMATS.map((format) => (format === 'table' ? 'txt' : format)));
  });

  it('rule: a CSV of several tables is a ZIP archive, served as application/zip with a .zip name; one table stays a .csv', async () => {
    const several = montbeliardBudgetReport();
    const one = montbeliardBudgetReport({ tables: several.tables.slice(0, 1) });
    expect(contentTypeOf('csv', several)).toBe('application/zip');
    expect(fileExtensionOf('csv', several)).toBe('zip');
    expect(((await renderReport(several, 'csv')) as Buffer).subarray(0, 2).toString('latin1')).toBe('PK');
    expect(contentTypeOf('csv', one)).toBe('text/csv; charset=utf-8');
    expect(fileExtensionOf('csv', one)).toBe('csv');
    expect([...((await renderReport(one, 'csv')) as Buffer).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });
});
