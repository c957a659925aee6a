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
    await expect(renderReport(montbeliardBudgetReport(), 'pdf' as never)).rejects.toThrow(RangeError);
    expect(isReportFormat('pdf')).toBe(false);
    expect(REPORT_FORMATS.every(isReportFormat)).toBe(true);
  });

  it('gives the HTTP content type and file extension of each format', () => {
    expect(contentTypeOf('csv')).toBe('text/csv; charset=utf-8');
    expect(contentTypeOf('xlsx')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(contentTypeOf('json')).toBe('application/json; charset=utf-8');
    expect(contentTypeOf('table')).toBe('text/plain; charset=utf-8');
    expect(REPORT_FORMATS.map(fileExtensionOf)).toEqual(['txt', 'csv', 'json', 'xlsx']);
  });
});
