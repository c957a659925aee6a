import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';

import { montbeliardBudgetReport } from './sample-report.fixtures';
import { renderXlsx, validSheetName, XLSX_DATE_FORMAT, XLSX_HEADER_ROW, XLSX_MONEY_FORMAT, XLSX_MONTH_FORMAT, XLSX_PERCENT_FORMAT, XLSX_TIMESTAMP_FORMAT, XLSX_YEAR_FORMAT } from './xlsx';
import type { Report } from '../report';

const GENERATED_AT = '2026-12-02T09:00:00Z';

async function readBack(report: Report): Promise<ExcelJS.Workbook> {
  const buffer = await renderXlsx(report, { generatedAt: GENERATED_AT });
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
    const cell = budget.getCell('B5');
    expect(cell.value).toBe(120_000);
    expect(typeof cell.value).toBe('number');
    expect(cell.numFmt).toBe(XLSX_MONEY_FORMAT);
    expect(cell.numFmt).toContain('€');
    expect(budget.getCell('C6').value).toBe(-1234.5);
    expect(workbook.getWorksheet('Conventions - financeurs -2022-')?.getCell('B7').value).toBe(1_000_000_000);
  });

  it('writes percents as fractions with a percent format (5000 basis points → 0.5)', () => {
    expect(budget.getCell('D5').value).toBe(0.5);
    expect(budget.getCell('D5').numFmt).toBe(XLSX_PERCENT_FORMAT);
    expect(budget.getCell('D6').value).toBeNull();
  });

  it('writes counts as numbers', () => {
    expect(budget.getCell('E5').value).toBe(59_000);
  });

  it('writes dates as real dates shown dd/mm/yyyy', () => {
    const cell = budget.getCell('F6');
    expect(cell.value).toBeInstanceOf(Date);
    expect((cell.value as Date).toISOString()).toBe('2022-06-22T00:00:00.000Z');
    expect(cell.numFmt).toBe(XLSX_DATE_FORMAT);
  });

  it('writes timestamps as dates holding the Paris wall-clock time, shown dd/mm/yyyy hh:mm', () => {
    const summer = budget.getCell('G6');
    expect(summer.value).toBeInstanceOf(Date);
    expect((summer.value as Date).toISOString()).toBe('2022-06-23T11:00:00.000Z');
    expect(summer.numFmt).toBe(XLSX_TIMESTAMP_FORMAT);
    expect((budget.getCell('G5').value as Date).toISOString()).toBe('2021-01-15T16:30:00.000Z');
  });

  it('has a bold, frozen header row of labels under the title rows', () => {
    expect(budget.getRow(XLSX_HEADER_ROW).values).toEqual([
      undefined,
      'Exercice',
      'Prévu',
      'Réalisé',
      'Taux de réalisation',
      'Heures stagiaires',
      'Voté le',
      'Enregistré le',
    ]);
    expect(budget.getCell('A4').font?.bold).toBe(true);
    expect(budget.views[0]).toMatchObject({ state: 'frozen', ySplit: XLSX_HEADER_ROW });
  });

  it('puts the totals row last, in bold', () => {
    expect(budget.rowCount).toBe(7);
    expect(budget.getCell('A7').value).toBe('Total');
    expect(budget.getCell('B7').value).toBe(906_000);
    expect(budget.getCell('B7').font?.bold).toBe(true);
  });

  it('fits column widths to their content', () => {
    const label = budget.getColumn(4).width ?? 0;
    expect(label).toBeGreaterThanOrEqual('Taux de réalisation'.length);
    expect(budget.getColumn(2).width ?? 0).toBeGreaterThanOrEqual('786 000,00 €'.length);
  });

  it('keeps text starting with = as text, never a formula', () => {
    const cell = workbook.getWorksheet('Conventions - financeurs -2022-')?.getCell('A6');
    expect(cell?.value).toBe('=HYPERLINK("http://example.com";"x")');
    expect(cell?.formula).toBeUndefined();
  });

  it('lists the title, parameters and notes on the « Remarques » sheet', () => {
    const notes = workbook.getWorksheet('Remarques');
    expect(notes?.getCell('A1').value).toBe('Budget de l’antenne de Montbéliard');
    expect(notes?.getCell('A2').value).toBe('Antenne : montbeliard · Situation au 22/06/2022 · Connu au 23/06/2022 11:00:00 · Généré le 02/12/2026 10:00');
    expect(notes?.getCell('A4').value).toBe('– Le réalisé 2022 est négatif : un avoir a été reçu.');
  });

  it('rule: every sheet opens with the report and table title, then scope, as-of date, known-at and generation time', () => {
    for (const sheet of workbook.worksheets) {
      expect(String(sheet.getCell('A1').value)).toMatch(/^Budget de l’antenne de Montbéliard/);
      expect(sheet.getCell('A1').font?.bold).toBe(true);
      expect(sheet.getCell('A2').value).toBe('Antenne : montbeliard · Situation au 22/06/2022 · Connu au 23/06/2022 11:00:00 · Généré le 02/12/2026 10:00');
    }
    expect(budget.getCell('A1').value).toBe('Budget de l’antenne de Montbéliard — Budget par exercice');
  });

  it('says « Programme » and the reference date when the report covers the programme as of today', async () => {
    const read = await readBack(montbeliardBudgetReport({ parameters: { referenceDate: '2026-12-02' } }));
    expect(read.worksheets[0]!.getCell('A2').value).toBe('Programme · Situation au 02/12/2026 · Généré le 02/12/2026 10:00');
  });

  it('rule: each table’s header carries an autofilter over its rows (not the totals)', () => {
    expect(budget.autoFilter).toBe('A4:G6');
    expect(workbook.getWorksheet('Conventions - financeurs -2022-')?.autoFilter).toBe('A4:B7');
  });

  it('rule: a sheet wider than 7 columns prints in landscape, one page wide, header repeated; narrower ones in portrait', async () => {
    expect(budget.pageSetup).toMatchObject({ orientation: 'portrait', fitToWidth: 1, printTitlesRow: '4:4' });
    const wide = montbeliardBudgetReport({
      tables: [{ title: 'Large', columns: 'abcdefgh'.split('').map((key) => ({ key, label: key, kind: 'integer' as const })), rows: [{ a: 1 }] }],
    });
    expect((await readBack(wide)).worksheets[0]!.pageSetup).toMatchObject({ orientation: 'landscape', fitToWidth: 1 });
  });

  it('rule: a date is written with the serial Excel shows as that day, counting Excel’s fictitious 29/02/1900 (01/01/1900 is 1, 28/02/1900 is 59, 01/03/1900 is 61)', async () => {
    const serialsOf = async (kind: 'date' | 'month' | 'timestamp', values: readonly string[]): Promise<number[]> => {
      const report = montbeliardBudgetReport({ tables: [{ title: 'Dates', columns: [{ key: 'on', label: 'Date', kind }], rows: values.map((on) => ({ on })) }] });
      const files = unzipSync(new Uint8Array(await renderXlsx(report, { generatedAt: GENERATED_AT })));
      const sheet = strFromU8(files['xl/worksheets/sheet1.xml']!);
      // The cells under the title, context and header rows, as stored (Excel reads these numbers).
      return values.map((_, i) => Number(new RegExp(`<c r="A${XLSX_HEADER_ROW + 1 + i}"[^>]*><v>([^<]*)</v>`).exec(sheet)![1]));
    };
    expect(await serialsOf('date', ['1900-01-01', '1900-01-15', '1900-02-28', '1900-03-01', '2022-06-22'])).toEqual([1, 15, 59, 61, 44734]);
    expect(await serialsOf('month', ['1900-01', '1900-02', '1900-03'])).toEqual([1, 32, 61]);
    // 12:00 in Paris on 01/01/1900 (UTC+00:09:21 then): half a day after serial 1.
    expect(await serialsOf('timestamp', ['1900-01-01T11:50:39Z'])).toEqual([1.5]);
  });

  it('rule: years are numbers and months are dates, not text', async () => {
    const read = await readBack(
      montbeliardBudgetReport({
        tables: [
          {
            title: 'Apprenants',
            columns: [
              { key: 'year', label: 'Année', kind: 'year' },
              { key: 'month', label: 'Mois', kind: 'month' },
            ],
            rows: [{ year: 2022, month: '2022-06' }, { year: '2023', month: '2023-01' }],
            totals: { year: 'Total', month: null },
          },
        ],
      }),
    );
    const sheet = read.worksheets[0]!;
    expect(sheet.getCell('A5').value).toBe(2022);
    expect(sheet.getCell('A5').numFmt).toBe(XLSX_YEAR_FORMAT);
    expect(sheet.getCell('A6').value).toBe(2023);
    expect((sheet.getCell('B5').value as Date).toISOString()).toBe('2022-06-01T00:00:00.000Z');
    expect(sheet.getCell('B5').numFmt).toBe(XLSX_MONTH_FORMAT);
    expect(sheet.getCell('A7').value).toBe('Total');
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

  it('rule: a long sheet name is shortened between words, never inside one', () => {
    const name = validSheetName('Suivi des phases de l’antenne de Montbéliard, exercice 2022');
    expect(name).toBe('Suivi des phases de l’antenne');
    expect(name.length).toBeLessThanOrEqual(31);
    expect(validSheetName('Échéancier et rapprochement des tranches')).toBe('Échéancier et rapprochement');
  });

  it('still writes a valid workbook for a report without tables', async () => {
    const read = await readBack(montbeliardBudgetReport({ tables: [], notes: [] }));
    expect(read.worksheets.map((sheet) => sheet.name)).toEqual(['Remarques']);
  });
});
