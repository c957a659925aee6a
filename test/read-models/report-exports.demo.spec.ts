import { InMemoryReadModel, PROJECTIONS, ProjectedEvent, ReadModels, ReadModelView, REPORT_BUILDERS } from '@jalon/projections';
import {
  NOTES_SHEET_NAME,
  renderCsv,
  renderXlsx,
  Report,
  REPORT_KINDS,
  ReportParameterError,
  SHEET_NAMES,
  XLSX_HEADER_ROW,
  XLSX_PORTRAIT_MAX_COLUMNS,
  XLSX_SHEET_NAME_MAX,
} from '@jalon/reporting';
import ExcelJS from 'exceljs';
import { unzipSync } from 'fflate';
import { demoEvents } from '../support/demo-history';

/**
 * The exports a funder receives, for EVERY report kind, for the programme and for the Montbéliard
 * antenna, on the demo history: each XLSX is read back with exceljs and each CSV unpacked.
 */

const GENERATED_AT = '2026-01-15T09:30:00Z';
const DECLARED_SHEET_NAMES = new Set([...Object.values(SHEET_NAMES), NOTES_SHEET_NAME]);

let reports: Report[];

beforeAll(async () => {
  const events: ProjectedEvent[] = await demoEvents();
  const models = PROJECTIONS.map((projection) => new InMemoryReadModel(projection));
  for (const event of events) for (const model of models) model.apply(event);
  const readModels: ReadModels = {
    view<Doc>(name: string): ReadModelView<Doc> {
      const model = models.find((m) => m.projection.name === name)!;
      return { get: (key) => model.get(key) as Doc | undefined, list: (prefix) => model.list(prefix) as Doc[] };
    },
  };
  reports = [];
  for (const kind of REPORT_KINDS) {
    for (const antennaId of [undefined, 'montbeliard']) {
      try {
        reports.push(REPORT_BUILDERS[kind](readModels, { ...(antennaId ? { antennaId } : {}), referenceDate: '2026-01-15' }));
      } catch (error) {
        // A report that needs an antenna (or more) is exported in the cases it can be built.
        if (!(error instanceof ReportParameterError)) throw error;
      }
    }
  }
});

async function workbookOf(report: Report): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await renderXlsx(report, { generatedAt: GENERATED_AT })) as unknown as ExcelJS.Buffer);
  return workbook;
}

describe('exports of every report kind (demo history)', () => {
  it('covers every report kind', () => {
    expect(new Set(reports.map((report) => report.kind))).toEqual(new Set(REPORT_KINDS));
  });

  it('rule: every sheet name is at most 31 characters and one of the declared names (never a title cut mid-word)', async () => {
    for (const report of reports) {
      for (const sheet of (await workbookOf(report)).worksheets) {
        expect(sheet.name.length).toBeLessThanOrEqual(XLSX_SHEET_NAME_MAX);
        expect({ kind: report.kind, sheet: sheet.name, declared: DECLARED_SHEET_NAMES.has(sheet.name) }).toEqual({ kind: report.kind, sheet: sheet.name, declared: true });
      }
    }
  });

  it('rule: every sheet has its title row, the scope (the antenna by its name, or « Programme »), the date and the generation time', async () => {
    for (const report of reports) {
      for (const sheet of (await workbookOf(report)).worksheets) {
        expect(String(sheet.getCell('A1').value)).toContain(report.title);
        const context = String(sheet.getCell('A2').value);
        expect({ kind: report.kind, context }).toEqual({ kind: report.kind, context: expect.stringMatching(report.parameters.antennaId ? /^Antenne : Cnam Montbéliard — Au cœur des territoires · / : /^Programme · /) });
        expect(context).toContain('Situation au 15/01/2026');
        expect(context).toContain('Généré le 15/01/2026 10:30');
      }
    }
  });

  it('rule: each table sheet has a frozen header with an autofilter, landscape when wider than 7 columns', async () => {
    for (const report of reports) {
      const workbook = await workbookOf(report);
      report.tables.forEach((table, i) => {
        const sheet = workbook.worksheets[i]!;
        expect(sheet.getRow(XLSX_HEADER_ROW).getCell(1).value).toBe(table.columns[0]!.label);
        expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: XLSX_HEADER_ROW });
        expect(String(sheet.autoFilter)).toMatch(new RegExp(`^A${XLSX_HEADER_ROW}:[A-Z]+\\d+$`));
        expect(sheet.pageSetup.orientation).toBe(table.columns.length > XLSX_PORTRAIT_MAX_COLUMNS ? 'landscape' : 'portrait');
      });
    }
  });

  it('rule: years are stored as numbers and months as dates, never as text', async () => {
    let seen = 0;
    for (const report of reports) {
      const workbook = await workbookOf(report);
      report.tables.forEach((table, i) => {
        const sheet = workbook.worksheets[i]!;
        table.columns.forEach((column, c) => {
          if (column.kind !== 'year' && column.kind !== 'month') return;
          table.rows.forEach((row, r) => {
            if (row[column.key] === null || row[column.key] === undefined) return;
            const value = sheet.getRow(XLSX_HEADER_ROW + 1 + r).getCell(c + 1).value;
            expect(column.kind === 'year' ? typeof value : value instanceof Date).toBe(column.kind === 'year' ? 'number' : true);
            seen += 1;
          });
        });
      });
    }
    expect(seen).toBeGreaterThan(0); // the budget's years and the learners' months are there
  });

  it('rule: a CSV holds one table; a report of several tables gives a ZIP of one CSV per table', () => {
    for (const report of reports.filter((r) => r.kind !== 'subventions')) {
      const bytes = renderCsv(report, { generatedAt: GENERATED_AT });
      const csvs =
        report.tables.length === 1
          ? [bytes]
          : Object.entries(unzipSync(bytes))
              .filter(([name]) => name.endsWith('.csv'))
              .map(([, data]) => Buffer.from(data));
      expect(csvs).toHaveLength(report.tables.length);
      csvs.forEach((csv, i) => {
        const header = report.tables[i]!.columns.map((column) => column.label).join(';');
        const lines = csv.subarray(3).toString('utf8').split('\r\n');
        expect(lines.filter((line) => line === header || line.startsWith(`${header};`)).length).toBeLessThanOrEqual(1);
        expect(lines[0]!.split(';')[0]).toBe(report.tables[i]!.columns[0]!.label.replace(/"/g, '""'));
      });
    }
  });
});
