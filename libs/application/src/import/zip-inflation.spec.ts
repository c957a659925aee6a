import ExcelJS from 'exceljs';
import { zipOf } from '../../../../test/support/zip-archive';
import { ImportFileError } from './import-problems';
import { readSheet } from './sheet-reader';
import { checkZipInflation, MAX_XLSX_INFLATED_BYTES } from './zip-inflation';

async function problemsOf(bytes: Buffer): Promise<string[]> {
  try {
    await readSheet(bytes);
  } catch (error) {
    if (error instanceof ImportFileError) return error.problems.map((problem) => problem.message);
    throw error;
  }
  throw new Error('the file was read');
}

describe('XLSX imports: the inflated size of a workbook is bounded before it is read', () => {
  const bomb = (declaredSize?: number) =>
    zipOf([{ name: 'xl/worksheets/sheet1.xml', content: Buffer.alloc(MAX_XLSX_INFLATED_BYTES + 1, 0x20), ...(declaredSize === undefined ? {} : { declaredSize }) }]);

  it('accepts a workbook as a spreadsheet writes it', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Dépenses');
    for (let row = 0; row < 500; row++) sheet.addRow([`depense-${row}`, 'Équipement', '30 000,00', '22/06/2022']);
    expect(checkZipInflation(Buffer.from(await workbook.xlsx.writeBuffer()))).toEqual({ ok: true });
  });

  it(`rule: a workbook inflating past ${MAX_XLSX_INFLATED_BYTES / (1024 * 1024)} MiB is refused before it is read (a 1 MiB "zip bomb" once ended the process), even when it declares a small size`, async () => {
    const honest = bomb();
    expect(honest.length).toBeLessThan(64 * 1024);
    expect(checkZipInflation(honest)).toEqual({ ok: false, why: 'too-large' });
    expect(checkZipInflation(bomb(10))).toEqual({ ok: false, why: 'too-large' });
    expect(await problemsOf(bomb(10))).toEqual([expect.stringMatching(/^le classeur décompressé dépasse 16 Mio/)]);
  });

  it('rule: the budget is for the whole archive: many files each under it but over it together are refused', () => {
    const quarter = Buffer.alloc(MAX_XLSX_INFLATED_BYTES / 4 + 1, 0x20);
    const files = [0, 1, 2, 3].map((index) => ({ name: `xl/worksheets/sheet${index}.xml`, content: quarter }));
    expect(checkZipInflation(zipOf(files.slice(0, 3)))).toEqual({ ok: true });
    expect(checkZipInflation(zipOf(files))).toEqual({ ok: false, why: 'too-large' });
  });

  it('refuses an archive whose directory points outside it as unreadable, never as read', async () => {
    const archive = zipOf([{ name: 'a.xml', content: Buffer.from('<a/>') }]);
    archive.writeUInt32LE(0x7fffffff, archive.length - 22 + 16);
    expect(checkZipInflation(archive)).toEqual({ ok: false, why: 'unreadable' });
    expect(await problemsOf(archive)).toEqual([expect.stringMatching(/^le fichier n’est pas un classeur XLSX lisible/)]);
  });
});
