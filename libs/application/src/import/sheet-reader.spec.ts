import ExcelJS from 'exceljs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { parseAmountCell, parseDateCell, parseYearCell, categoryParser, shownCell } from './french-cells';
import { ImportFileError } from './import-problems';
import { BUDGET_CATEGORY_LABELS, renderXlsx } from '@jalon/reporting';
import { INVALID_DATE, parseCsv, readSheet } from './sheet-reader';

const csv = (text: string) => readSheet(Buffer.from(text, 'utf8'));

async function xlsx(rows: readonly (readonly ExcelJS.CellValue[])[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Feuille');
  for (const row of rows) sheet.addRow([...row]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The problems a read refused the file with; fails when the file was read. */
async function refusalOf(read: Promise<unknown>): Promise<ImportFileError['problems']> {
  try {
    await read;
  } catch (error) {
    if (error instanceof ImportFileError) return error.problems;
    throw error;
  }
  throw new Error('the file was read');
}

async function fileProblems(read: Promise<unknown>): Promise<string[]> {
  return (await refusalOf(read)).map((problem) => problem.message);
}

describe('French amounts in a sheet (integer cents, never through a float for text)', () => {
  it.each([
    ['30 000,00', 3_000_000],
    ['30\u00a0000,00', 3_000_000],
    ['30\u202f000,00', 3_000_000],
    ['30000', 3_000_000],
    ['1 234,5', 123_450],
    ['18 500,00 €', 1_850_000],
    ['0,07', 7],
  ])('rule: %j is read as %d cents', (typed, cents) => {
    expect(parseAmountCell(typed)).toEqual({ ok: true, value: cents });
  });

  it('rule: a space only separates groups of three digits from the units (1 234 567,89); any other space refuses the amount, never dropped', () => {
    for (const [typed, cents] of [
      ['1 234 567,89', 123_456_789],
      ['1\u00a0234\u202f567,89', 123_456_789],
      ['999 999', 99_999_900],
      ['12 345 €', 1_234_500],
    ] as const) {
      expect(parseAmountCell(typed)).toEqual({ ok: true, value: cents });
    }
    for (const typed of ['12 50', '1 23 4,50', '1 2345', '12 34,00', '1234 567', '1  234', '1\u00a023,00', '12\u202f50', '1 234,5 0']) {
      expect({ typed, parsed: parseAmountCell(typed) }).toEqual({
        typed,
        parsed: { ok: false, rule: 'isAmount', message: `${typed} n’est pas un montant en euros : une espace ne sépare que les milliers, par groupes de trois chiffres (ex. 1 234 567,89)` },
      });
    }
  });

  it('rule: a workbook number is euros with two decimals at most', () => {
    expect(parseAmountCell(18500.5)).toEqual({ ok: true, value: 1_850_050 });
    expect(parseAmountCell(0.1 + 0.2)).toEqual({ ok: true, value: 30 });
    expect(parseAmountCell(1.005)).toMatchObject({ ok: false, rule: 'isAmount' });
    expect(parseAmountCell(-5)).toMatchObject({ ok: false, rule: 'isAmount' });
  });

  it('rule: thousands with dots, decimal points, signs and words are refused with an example', () => {
    expect(parseAmountCell('30.000,00')).toEqual({ ok: false, rule: 'isAmount', message: '30.000,00 n’est pas un montant en euros (ex. 30 000,00)' });
    for (const typed of ['30,000.00', '1234.50', '-12,00', 'trente', '12,345']) expect(parseAmountCell(typed)).toMatchObject({ ok: false, rule: 'isAmount' });
    expect(parseAmountCell('99999999999999999')).toMatchObject({ ok: false, message: expect.stringContaining('trop grand') });
  });
});

describe('French dates in a sheet', () => {
  it('rule: JJ/MM/AAAA, ISO and workbook dates give the ISO date', () => {
    expect(parseDateCell('22/06/2022')).toEqual({ ok: true, value: '2022-06-22' });
    expect(parseDateCell('2/6/2022')).toEqual({ ok: true, value: '2022-06-02' });
    expect(parseDateCell('2022-06-22')).toEqual({ ok: true, value: '2022-06-22' });
    expect(parseDateCell(new Date(Date.UTC(2022, 5, 22)))).toEqual({ ok: true, value: '2022-06-22' });
    // A day count converted with a rounding error lands on the same day.
    expect(parseDateCell(new Date(Date.UTC(2022, 5, 22) - 1))).toEqual({ ok: true, value: '2022-06-22' });
  });

  it('rule: a date outside 01/01/1900 – 31/12/2100 is refused in the sheet’s format (JJ/MM/AAAA), never the commands’ ISO wording', () => {
    expect(parseDateCell('31/12/1899')).toEqual({ ok: false, rule: 'isDate', message: 'le 31/12/1899 est hors des dates que Jalon enregistre (JJ/MM/AAAA, du 01/01/1900 au 31/12/2100)' });
    expect(parseDateCell('2101-01-01')).toMatchObject({ ok: false, rule: 'isDate', message: expect.stringContaining('du 01/01/1900 au 31/12/2100') });
    expect(parseDateCell(new Date(Date.UTC(2101, 0, 1)))).toEqual({ ok: false, rule: 'isDate', message: 'le 01/01/2101 est hors des dates que Jalon enregistre (JJ/MM/AAAA, du 01/01/1900 au 31/12/2100)' });
    expect(parseDateCell('01/01/1900')).toEqual({ ok: true, value: '1900-01-01' });
    expect(parseDateCell('31/12/2100')).toEqual({ ok: true, value: '2100-12-31' });
  });

  it('rule: a workbook date cell is the day the spreadsheet shows, counting Excel’s fictitious 29/02/1900 (serial 1 is 01/01/1900, 59 is 28/02/1900, 61 is 01/03/1900); serial 60 is refused', async () => {
    const serials = [1, 15, 59, 60, 61, 44734];
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Feuille');
    sheet.addRow(['Date']);
    serials.forEach((serial, i) => {
      sheet.addRow([serial]);
      sheet.getCell(`A${i + 2}`).numFmt = 'dd/mm/yyyy';
    });
    const { rows } = await readSheet(Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(rows.map((row) => parseDateCell(row.cells[0]!))).toEqual([
      { ok: true, value: '1900-01-01' },
      { ok: true, value: '1900-01-15' },
      { ok: true, value: '1900-02-28' },
      { ok: false, rule: 'isDate', message: 'la cellule (29/02/1900) ne contient pas une date du calendrier (JJ/MM/AAAA, ex. 22/06/2022)' },
      { ok: true, value: '1900-03-01' },
      { ok: true, value: '2022-06-22' },
    ]);
  });

  it('rule: a date Jalon exports in XLSX is read back by the import as the same day (01/01/1900, 28/02/1900, 01/03/1900, 22/06/2022)', async () => {
    const dates = ['1900-01-01', '1900-02-28', '1900-03-01', '2022-06-22'];
    const exported = await renderXlsx({
      kind: 'history',
      title: 'Dates',
      parameters: { referenceDate: '2026-12-05' },
      tables: [{ title: 'Dates', columns: [{ key: 'on', label: 'Date', kind: 'date' }], rows: dates.map((on) => ({ on })) }],
      data: {},
    });
    const { rows } = await readSheet(exported);
    // The sheet opens with the title, the context line and the header (XLSX_HEADER_ROW): the dates are the last rows.
    expect(rows.slice(-dates.length).map((row) => parseDateCell(row.cells[0]!))).toEqual(dates.map((value) => ({ ok: true, value })));
  });

  it('rule: a day that does not exist, or another format, is refused', () => {
    expect(parseDateCell('31/02/2022')).toEqual({ ok: false, rule: 'isDate', message: 'le 31/02/2022 n’existe pas dans le calendrier' });
    expect(parseDateCell('06/22/22')).toMatchObject({ ok: false, rule: 'isDate' });
    expect(parseDateCell(44734)).toMatchObject({ ok: false, rule: 'isDate' });
  });

  it('rule: one wording of a date cell holding no real day: the reader gives such a heading as INVALID_DATE (#DATE!), and messages show such a cell the same', async () => {
    const table = await readSheet(await xlsx([[new Date(Number.NaN), 'Montant'], ['x', 1]]));
    expect(table.header).toEqual([INVALID_DATE, 'Montant']);
    expect(shownCell(new Date(Number.NaN))).toBe(INVALID_DATE);
    expect(INVALID_DATE).toBe('#DATE!');
  });

  it('rule: years are four digits or a whole number cell; categories by French label or code', () => {
    expect(parseYearCell('2021')).toEqual({ ok: true, value: 2021 });
    expect(parseYearCell(2021)).toEqual({ ok: true, value: 2021 });
    expect(parseYearCell('21')).toMatchObject({ ok: false, rule: 'isYear' });
    const category = categoryParser(BUDGET_CATEGORY_LABELS);
    expect(category('équipement')).toEqual({ ok: true, value: 'equipment' });
    expect(category(' LOCAUX ')).toEqual({ ok: true, value: 'premises' });
    expect(category('staff')).toEqual({ ok: true, value: 'staff' });
    expect(category('Fournitures')).toMatchObject({ ok: false, rule: 'isCategory', message: expect.stringContaining('Personnel, Locaux') });
  });
});

describe('CSV files (French spreadsheets: `;`, UTF-8 with or without BOM, quotes)', () => {
  it('rule: quoted cells hold separators, doubled quotes and line breaks; CRLF, LF and a missing last line break end records', () => {
    expect(parseCsv('a;"b;c";"dit ""oui"""\r\n"deux\nlignes";x\ny;z', ';')).toEqual([
      ['a', 'b;c', 'dit "oui"'],
      ['deux\nlignes', 'x'],
      ['y', 'z'],
    ]);
  });

  it('rule: the BOM is dropped, the header is the first filled line, empty lines are skipped but keep the numbering', async () => {
    const table = await csv('\ufeffAnnée;Catégorie;Montant\r\n2021;Personnel;70 000,00\r\n;;\r\n2022;Locaux;"30 000,00"\r\n');
    expect(table.format).toBe('csv');
    expect(table.header).toEqual(['Année', 'Catégorie', 'Montant']);
    expect(table.rows).toEqual([
      { line: 2, cells: ['2021', 'Personnel', '70 000,00'] },
      { line: 4, cells: ['2022', 'Locaux', '30 000,00'] },
    ]);
  });

  it('rule: a value beyond the 100th column is refused, naming its line and column, never dropped', async () => {
    const file = `Identifiant;Montant\nloyer-2021;1 200,00${';'.repeat(119)}reste\n`;
    expect(await fileProblems(csv(file))).toEqual([expect.stringContaining('colonne n° 121')]);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Feuille');
    sheet.addRow(['Identifiant', 'Montant']);
    sheet.addRow(['loyer-2021', 1200]);
    sheet.getCell(2, 121).value = 'reste';
    expect(await fileProblems(readSheet(Buffer.from(await workbook.xlsx.writeBuffer())))).toEqual([expect.stringContaining('colonne n° 121')]);
  });

  it('rule: a header line without `;` is read with the tab or the comma it has', async () => {
    expect((await csv('Année,Catégorie,Montant\n2021,Personnel,"70 000,00"\n')).rows[0]!.cells).toEqual(['2021', 'Personnel', '70 000,00']);
    expect((await csv('Année\tCatégorie\tMontant\n2021\tPersonnel\t70 000,00\n')).rows[0]!.cells).toEqual(['2021', 'Personnel', '70 000,00']);
  });

  it('rule: a file that is not UTF-8, an unclosed quote, an .xls workbook or an empty file is refused in French', async () => {
    expect(await fileProblems(readSheet(Buffer.from('Ann\xe9e;Montant\n', 'latin1')))).toEqual([expect.stringContaining('CSV UTF-8')]);
    expect(await fileProblems(csv('Année;Montant\n2021;"70 000,00\n'))).toEqual([expect.stringContaining('guillemet')]);
    expect(await fileProblems(readSheet(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])))).toEqual([expect.stringContaining('.xls')]);
    expect(await fileProblems(readSheet(Buffer.alloc(0)))).toEqual(['le fichier est vide']);
    expect(await fileProblems(readSheet(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])))).toEqual([expect.stringContaining('XLSX lisible')]);
  });
});

describe('XLSX workbooks', () => {
  it('rule: the first worksheet is read with numbers, dates, rich text and formula results as the cells show them', async () => {
    const file = await xlsx([
      ['Identifiant', 'Date', 'Montant', 'Description'],
      ['loyer-2022', new Date(Date.UTC(2022, 5, 22)), 1250.5, { richText: [{ text: 'Loyer ' }, { text: 'juin', font: { bold: true } }] }],
      [],
      ['total', '22/06/2022', { formula: '1+1', result: 2 }, 'x'],
    ]);
    const table = await readSheet(file);
    expect(table.format).toBe('xlsx');
    expect(table.header).toEqual(['Identifiant', 'Date', 'Montant', 'Description']);
    expect(table.rows).toEqual([
      { line: 2, cells: ['loyer-2022', new Date(Date.UTC(2022, 5, 22)), 1250.5, 'Loyer juin'] },
      { line: 4, cells: ['total', '22/06/2022', 2, 'x'] },
    ]);
  });

  it('rule: a linked cell whose text is formatted reads as that text', async () => {
    // What exceljs reads from a linked cell whose shared text is rich text (its typings say plain text only).
    const linked = { text: { richText: [{ text: 'Devis ' }, { text: 'signé', font: { bold: true } }] }, hyperlink: 'https://exemple.fr/devis' } as unknown as ExcelJS.CellValue;
    const table = await readSheet(await xlsx([['Description'], [linked]]));
    expect(table.rows[0]!.cells).toEqual(['Devis signé']);
  });

  it('rule: a workbook whose shared texts are missing is unreadable, never read as the texts’ numbers', async () => {
    const files = unzipSync(await xlsx([['Année', 'Catégorie', 'Montant'], [2021, 'Personnel', '70 000,00']]));
    delete files['xl/sharedStrings.xml'];
    expect(await fileProblems(readSheet(Buffer.from(zipSync(files))))).toEqual([expect.stringContaining('XLSX lisible')]);
  });

  it('rule: a date cell that holds no real day is refused as a date, never read as one', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Feuille');
    sheet.addRow(['Date']);
    sheet.addRow([45000]);
    sheet.getCell('A2').numFmt = 'dd/mm/yyyy';
    const files = unzipSync(Buffer.from(await workbook.xlsx.writeBuffer()));
    files['xl/worksheets/sheet1.xml'] = strToU8(strFromU8(files['xl/worksheets/sheet1.xml']!).replace('<v>45000</v>', '<v>1e20</v>'));
    const [row] = (await readSheet(Buffer.from(zipSync(files)))).rows;
    expect(parseDateCell(row!.cells[0]!)).toMatchObject({ ok: false, rule: 'isDate' });
  });

  it('rule: a workbook whose sheets other than the first hold values is unreadable, naming them; empty sheets and the template’s own instructions are no data', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Dépenses 2021').addRow(['Montant']);
    workbook.getWorksheet('Dépenses 2021')!.addRow([1200]);
    workbook.addWorksheet('Vide');
    workbook.addWorksheet('Mode d’emploi').getCell('A1').value = 'Lignes du budget prévisionnel';
    workbook.addWorksheet('Dépenses 2022').getCell('C7').value = 350;
    workbook.addWorksheet('Notes').getCell('A1').value = 'à revoir';
    const problems = async () => refusalOf(readSheet(Buffer.from(await workbook.xlsx.writeBuffer())));
    expect(await problems()).toEqual([
      {
        field: 'file',
        rule: 'isSingleSheet',
        message:
          'seule la première feuille du classeur, « Dépenses 2021 », est importée, mais les feuilles « Dépenses 2022 », « Notes » contiennent aussi des valeurs : importez chaque feuille dans son propre fichier, ou supprimez les autres feuilles',
      },
    ]);
    workbook.removeWorksheet(workbook.getWorksheet('Notes')!.id);
    expect(await problems()).toEqual([expect.objectContaining({ message: expect.stringContaining('mais la feuille « Dépenses 2022 » contient aussi des valeurs') })]);
    // Whatever is typed into the instructions sheet beside them is data too.
    workbook.removeWorksheet(workbook.getWorksheet('Dépenses 2022')!.id);
    workbook.getWorksheet('Mode d’emploi')!.getCell('B3').value = 'facture-9';
    expect(await problems()).toEqual([expect.objectContaining({ message: expect.stringContaining('« Mode d’emploi »') })]);
    workbook.getWorksheet('Mode d’emploi')!.getCell('B3').value = null;
    expect((await readSheet(Buffer.from(await workbook.xlsx.writeBuffer()))).rows).toEqual([{ line: 2, cells: [1200] }]);
  });

  it('rule: a hidden (or filtered out) row holding values is unreadable, naming the row; a hidden empty row is no matter', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Dépenses');
    sheet.addRow(['Identifiant', 'Montant']);
    sheet.addRow(['loyer-1', 1200]);
    sheet.addRow(['loyer-2', 1300]);
    sheet.addRow(['loyer-3', 1400]);
    sheet.getRow(3).hidden = true;
    sheet.getRow(8).hidden = true;
    const file = Buffer.from(await workbook.xlsx.writeBuffer());
    expect(await refusalOf(readSheet(file))).toEqual([
      { row: 3, field: 'file', rule: 'isVisibleRow', message: 'la ligne 3 est masquée (ou écartée par un filtre) mais contient des valeurs : affichez-la pour la vérifier, ou supprimez-la' },
    ]);
  });

  it('rule: a hidden column holding values is unreadable, naming the column and its first row with a value; a hidden empty column is no matter', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Dépenses');
    sheet.addRow(['Identifiant', 'Montant', '', 'Description']);
    sheet.addRow(['loyer-1', 1200]);
    sheet.addRow(['loyer-2', 1300, '', 'Loyer']);
    sheet.getColumn(3).hidden = true;
    sheet.getColumn(4).hidden = true;
    const file = Buffer.from(await workbook.xlsx.writeBuffer());
    expect(await refusalOf(readSheet(file))).toEqual([
      { row: 1, field: 'file', rule: 'isVisibleColumn', message: 'la colonne D est masquée mais contient des valeurs (dès la ligne 1) : affichez-la pour la vérifier, ou supprimez-la' },
    ]);
  });

  it('rule: a number cell formatted as a percentage reads as the percentage the sheet shows (50 %), which is no amount', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Budget');
    sheet.addRow(['Montant', 'Montant', 'Montant', 'Montant']);
    sheet.addRow([0.5, 0.125, 0.5, 1200]);
    sheet.getCell('A2').numFmt = '0%';
    sheet.getCell('B2').numFmt = '0.00 %';
    sheet.getCell('C2').numFmt = '0.00" %"';
    sheet.getCell('D2').numFmt = '#,##0.00 "€"';
    const [row] = (await readSheet(Buffer.from(await workbook.xlsx.writeBuffer()))).rows;
    expect(row!.cells).toEqual(['50,00\u00a0%', '12,50\u00a0%', 0.5, 1200]);
    expect(parseAmountCell(row!.cells[0]!)).toEqual({
      ok: false,
      rule: 'isAmount',
      message: '50,00\u00a0% est un pourcentage, pas un montant en euros : mettez la cellule au format nombre ou monétaire (ex. 30 000,00)',
    });
    expect(parseAmountCell('50 %')).toMatchObject({ ok: false, rule: 'isAmount', message: expect.stringContaining('est un pourcentage') });
  });

  it('rule: a formula saved without its result is named by its cell, never read as an empty cell', async () => {
    const file = await xlsx([['Année', 'Catégorie', 'Montant'], [2021, 'Personnel', { formula: '1000*70' } as ExcelJS.CellValue]]);
    expect(await fileProblems(readSheet(file))).toEqual([expect.stringMatching(/C2.*formule.*sans son résultat/)]);
  });
});
