import ExcelJS from 'exceljs';

import { montbeliardBudgetReport } from './sample-report.fixtures';
import { renderXlsx, validSheetName, XLSX_DATE_FORMAT, XLSX_MONEY_FORMAT, XLSX_PERCENT_FORMAT, XLSX_TIMESTAMP_FORMAT } from './xlsx';
import type { Report } from '../report';

async function readBack(report: Report): Promise<ExcelJS.Workbook> {
  const buffer = await renderXlsx(report);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  return workbook;
}

describe('renderXlsx', () => {
  let workbook: ExcelJS.Workbook;
  let budget: ExcelJS.Worksheet;

  beforeAll(async () => {
    workbook = await readBack(montbeliardBudgetReport());
    const sheet = workbook.getWorksheet('Budget par exercice');
    if (sheet === undefined) throw new Error('no sheet « Budget par exercice »');
    budget = sheet;
  });

  it('writes a real XLSX file (a ZIP) with creator Jalon', async () => {
    const buffer = await renderXlsx(montbeliardBudgetReport());
    expect(Buffer.isBuffer(buffer)).toBe(true);
    expect(buffer.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(workbook.creator).toBe('Jalon');
  });

  it('makes one worksheet per table, plus « Remarques » for the notes, with valid names', () => {
    const names = workbook.worksheets.map((sheet) => sheet.name);
    expect(names).toEqual(['Budget par exercice', 'Conventions - financeurs -2022-', 'Remarques']);
    for (const name of names) {
      expect(name.length).toBeLessThanOrEqual(31);
      expect(name).not.toMatch(/[[\]:*?/\\]/);
    }
  });

  it('writes amounts as numbers equal to cents / 100 with a euro format', () => {
    const cell = budget.getCell('B2');
    expect(cell.value).toBe(120_000);
    expect(typeof cell.value).toBe('number');
    expect(cell.numFmt).toBe(XLSX_MONEY_FORMAT);
    expect(cell.numFmt).toContain('€');
    expect(budget.getCell('C3').value).toBe(-1234.5);
    expect(workbook.getWorksheet('Conventions - financeurs -2022-')?.getCell('B4').value).toBe(1_000_000_000);
  });

  it('writes percents as fractions with a percent format (5000 basis points → 0.5)', () => {
    expect(budget.getCell('D2').value).toBe(0.5);
    expect(budget.getCell('D2').numFmt).toBe(XLSX_PERCENT_FORMAT);
    expect(budget.getCell('D3').value).toBeNull();
  });

  it('writes counts as numbers', () => {
    expect(budget.getCell('E2').value).toBe(59_000);
  });

  it('writes dates as real dates shown dd/mm/yyyy', () => {
    const cell = budget.getCell('F3');
    expect(cell.value).toBeInstanceOf(Date);
    expect((cell.value as Date).toISOString()).toBe('2022-06-22T00:00:00.000Z');
    expect(cell.numFmt).toBe(XLSX_DATE_FORMAT);
  });

  it('writes timestamps as dates holding the Paris wall-clock time, shown dd/mm/yyyy hh:mm', () => {
    const summer = budget.getCell('G3');
    expect(summer.value).toBeInstanceOf(Date);
    expect((summer.value as Date).toISOString()).toBe('2022-06-23T11:00:00.000Z');
    expect(summer.numFmt).toBe(XLSX_TIMESTAMP_FORMAT);
    expect((budget.getCell('G2').value as Date).toISOString()).toBe('2021-01-15T16:30:00.000Z');
  });

  it('has a bold, frozen header row of labels', () => {
    expect(budget.getRow(1).values).toEqual([
      undefined,
      'Exercice',
      'Prévu',
      'Réalisé',
      'Taux de réalisation',
      'Heures stagiaires',
      'Voté le',
      'Enregistré le',
    ]);
    expect(budget.getCell('A1').font?.bold).toBe(true);
    expect(budget.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  });

  it('puts the totals row last, in bold', () => {
    expect(budget.rowCount).toBe(4);
    expect(budget.getCell('A4').value).toBe('Total');
    expect(budget.getCell('B4').value).toBe(906_000);
    expect(budget.getCell('B4').font?.bold).toBe(true);
  });

  it('fits column widths to their content', () => {
    const label = budget.getColumn(4).width ?? 0;
    expect(label).toBeGreaterThanOrEqual('Taux de réalisation'.length);
    expect(budget.getColumn(2).width ?? 0).toBeGreaterThanOrEqual('786 000,00 €'.length);
  });

  it('keeps text starting with = as text, never a formula', () => {
    const cell = workbook.getWorksheet('Conventions - financeurs -2022-')?.getCell('A3');
    expect(cell?.value).toBe('=HYPERLINK("http://example.com";"x")');
    expect(cell?.formula).toBeUndefined();
  });

  it('lists the title, parameters and notes on the « Remarques » sheet', () => {
    const notes = workbook.getWorksheet('Remarques');
    expect(notes?.getCell('A1').value).toBe('Budget de l’antenne de Montbéliard');
    expect(notes?.getCell('A2').value).toBe('Antenne : montbeliard · À la date du 22/06/2022 · Connu au 23/06/2022 11:00');
    expect(notes?.getCell('A4').value).toBe('– Le réalisé 2022 est négatif : un avoir a été reçu.');
  });

  it('makes sheet names unique (case-insensitively) and at most 31 characters', async () => {
    const table = { columns: [{ key: 'a', label: 'A', kind: 'integer' as const }], rows: [{ a: 1 }] };
    const long = 'Suivi des phases de l’antenne de Montbéliard, exercice 2022';
    const read = await readBack(
      montbeliardBudgetReport({
        notes: [],
        tables: [
          { ...table, title: long },
          { ...table, title: long },
          { ...table, title: 'budget' },
          { ...table, title: 'BUDGET' },
          { ...table, title: '' },
          { ...table, title: "'History'" },
        ],
      }),
    );
    const names = read.worksheets.map((sheet) => sheet.name);
    expect(names).toHaveLength(6);
    expect(new Set(names.map((name) => name.toLowerCase())).size).toBe(6);
    for (const name of names) {
      expect(name.length).toBeLessThanOrEqual(31);
      expect(name).not.toMatch(/^'|'$/);
    }
    expect(names[4]).toBe('Tableau 5');
  });

  it('cleans forbidden characters out of sheet names', () => {
    expect(validSheetName('a[b]c:d*e?f/g\\h')).toBe('a-b-c-d-e-f-g-h');
    expect(validSheetName("'quoted'")).toBe('quoted');
    expect(validSheetName('x'.repeat(40))).toHaveLength(31);
  });

  it('still writes a valid workbook for a report without tables', async () => {
    const read = await readBack(montbeliardBudgetReport({ tables: [], notes: [] }));
    expect(read.worksheets.map((sheet) => sheet.name)).toEqual(['Remarques']);
  });
});
