import { budgetDecider } from '@jalon/domain';
import ExcelJS from 'exceljs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { collect } from '@jalon/event-store';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../../event-store/src/sqlite';
import { CommandExecutor } from '../command-handling/command-executor';
import { runCommand } from '../commands/run-command';
import { ForbiddenError, InputValidationError } from '../errors';
import { Actor } from '../identity/roles';
import { timeOrderedIds } from '../ports';
import { montbeliardOpened } from '../testing/montbeliard.fixture';
import { ImportFileError, ImportProblem, ImportRejectedError } from './import-problems';
import { SheetImportRequest, SheetImportService } from './sheet-import.service';
import { readSheet } from './sheet-reader';
import { sheetTemplate } from './sheet-template';

const clock = { now: () => new Date('2024-03-15T10:00:00Z') };
const finance: Actor = { id: 'fin-1', name: 'Fanny Finances', role: 'finance' };
const auditor: Actor = { id: 'aud-1', name: 'Aude Auditrice', role: 'auditor' };

const csv = (...lines: string[]) => Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
const FORECAST = csv('Année;Catégorie;Montant', '2021;Personnel;70 000,00', '2021;Locaux;20 000,00', '2022;Enseignement;36\u202f000,00');
const EXPENDITURES = csv(
  'Identifiant;Date;Catégorie;Montant;Description;Accord de financement',
  'amenagement-aioa-2021;15/10/2021;Locaux;18 500,00;"Aménagement de l’espace AIOA; Mattern Lab";',
  'coordination-2021;31/12/2021;Personnel;32 000,00;Coordination de l’antenne;',
);

describe('spreadsheet import through the command path', () => {
  let dir: string;
  let store: SqliteEventStore;
  let executor: CommandExecutor;
  let imports: SheetImportService;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-sheet-import-'));
    store = SqliteEventStore.open({ file: join(dir, 'events.db') });
    executor = new CommandExecutor({ store, clock, ids: timeOrderedIds, timeZone: 'Europe/Paris' });
    imports = new SheetImportService(executor, clock, 'Europe/Paris');
    await store.append(
      'antenna-montbeliard',
      [
        {
          id: randomUUID(),
          type: montbeliardOpened.type,
          version: 1,
          data: montbeliardOpened.data as unknown as Record<string, unknown>,
          metadata: { actor: 'admin-1', role: 'admin', correlationId: 'c', causationId: 'c', recordedAt: '2021-01-11T09:00:00Z' },
        },
      ],
      { expectedRevision: 'any' },
    );
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const budgetEvents = () => collect(store.readStream('budget-montbeliard'));
  const run = (request: Partial<SheetImportRequest>, actor: Actor = finance) =>
    imports.importSheet({ kind: 'expenditures', antennaId: 'montbeliard', file: EXPENDITURES, ...request }, actor);
  async function problemsOf(request: Partial<SheetImportRequest>): Promise<readonly ImportProblem[]> {
    const head = await store.headPosition();
    const error = await run(request).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof ImportRejectedError || error instanceof ImportFileError)) throw new Error(`expected a refusal, got ${String(error)}`);
    expect(await store.headPosition()).toBe(head);
    return error.problems;
  }
  const setForecast = () => run({ kind: 'budget', file: FORECAST, effectiveDate: '01/03/2021' });

  it('rule: a forecast sheet sets the forecast in one command, lines in cents by year and category', async () => {
    const outcome = await setForecast();
    expect(outcome).toMatchObject({ command: 'SetBudgetForecast', rows: 3, events: 1, written: true, alreadyRecorded: 0, format: 'csv' });
    const [event] = await budgetEvents();
    expect(event).toMatchObject({
      type: 'BudgetForecastSet',
      data: {
        effectiveDate: '2021-03-01',
        totalCents: 12_600_000,
        lines: [
          { year: 2021, category: 'staff', amountCents: 7_000_000 },
          { year: 2021, category: 'premises', amountCents: 2_000_000 },
          { year: 2022, category: 'teaching', amountCents: 3_600_000 },
        ],
      },
      metadata: { actor: 'fin-1', role: 'finance' },
    });
  });

  it('rule: the same forecast sheet imported again writes nothing; another one is a revision, which needs a reason', async () => {
    await setForecast();
    expect(await setForecast()).toMatchObject({ command: 'SetBudgetForecast', events: 0, written: false, alreadyRecorded: 3 });
    const revised = csv('Année;Catégorie;Montant', '2021;Personnel;60 000,00', '2021;Locaux;30 000,00', '2022;Enseignement;36 000,00');
    expect(await problemsOf({ kind: 'budget', file: revised, effectiveDate: '2022-11-15' })).toEqual([
      expect.objectContaining({ column: 'Motif de la révision', field: 'reason', message: expect.stringContaining('motif de révision est obligatoire') }),
    ]);
    const revision = { kind: 'budget' as const, file: revised, effectiveDate: '15/11/2022', reason: 'Étude opérationnelle' };
    expect(await run(revision)).toMatchObject({ command: 'ReviseBudgetForecast', events: 1, written: true });
    expect(await run(revision)).toMatchObject({ command: 'ReviseBudgetForecast', events: 0, written: false });
    expect((await budgetEvents()).map((event) => event.type)).toEqual(['BudgetForecastSet', 'BudgetForecastRevised']);
  });

  it('rule: expenditures are decided row by row and appended in ONE append; importing the file again writes nothing', async () => {
    await setForecast();
    const dry = await run({ dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, command: 'RecordExpenditures', rows: 2, events: 2, written: false });
    expect(await budgetEvents()).toHaveLength(1);
    const outcome = await run({});
    expect(outcome).toMatchObject({ written: true, events: 2 });
    const events = await budgetEvents();
    expect(events.slice(1).map((event) => [event.type, event.data.expenditureId, event.data.amountCents, event.data.description])).toEqual([
      ['ExpenditureRecorded', 'amenagement-aioa-2021', 1_850_000, 'Aménagement de l’espace AIOA; Mattern Lab'],
      ['ExpenditureRecorded', 'coordination-2021', 3_200_000, 'Coordination de l’antenne'],
    ]);
    // One append: both events at consecutive positions, one correlation.
    expect(new Set(events.slice(1).map((event) => event.metadata.correlationId)).size).toBe(1);
    expect(await run({})).toMatchObject({ written: false, events: 0, alreadyRecorded: 2 });
    expect(await budgetEvents()).toHaveLength(3);
  });

  it('rule: the optional supplier and invoice number columns reach the recorded expenditure', async () => {
    await setForecast();
    const file = csv('Identifiant;Date;Catégorie;Montant;Description;Fournisseur;N° de facture', 'equipement-1;15/10/2021;Équipement;1 200,00;Écrans;Mattern Lab;F-2021-118', 'equipement-2;16/10/2021;Équipement;300,00;Câbles;;');
    await run({ file });
    const events = await budgetEvents();
    expect(events.slice(1).map((event) => event.data)).toEqual([
      expect.objectContaining({ expenditureId: 'equipement-1', supplier: 'Mattern Lab', invoiceNumber: 'F-2021-118' }),
      expect.not.objectContaining({ supplier: expect.anything() }),
    ]);
  });

  it('rule: a workbook row is recorded as the sheet shows it (a date and time cell is its day; a cell merged over its neighbour leaves that neighbour empty)', async () => {
    await setForecast();
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Dépenses');
    sheet.addRow(['Identifiant', 'Date', 'Catégorie', 'Montant', 'Description', 'Fournisseur']);
    sheet.addRow(['equipement-1', new Date(Date.UTC(2021, 9, 15, 18, 30)), 'Équipement', 1200, 'Écrans pour la salle de formation', null]);
    sheet.getCell('B2').numFmt = 'dd/mm/yyyy hh:mm';
    // The description spans the supplier's column too: the sheet shows no supplier.
    sheet.mergeCells('E2:F2');
    await run({ file: Buffer.from(await workbook.xlsx.writeBuffer()) });
    const [, recorded] = await budgetEvents();
    expect(recorded!.data).toMatchObject({ expenditureId: 'equipement-1', effectiveDate: '2021-10-15', description: 'Écrans pour la salle de formation' });
    expect(recorded!.data).not.toHaveProperty('supplier');
  });

  it('rule: an amount cell formatted as a percentage (shown « 50 % ») is a problem of its row and column, never imported as 0,50 €', async () => {
    await setForecast();
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Dépenses');
    sheet.addRow(['Identifiant', 'Date', 'Catégorie', 'Montant', 'Description']);
    sheet.addRow(['equipement-1', '15/10/2021', 'Équipement', 0.5, 'Écrans']);
    sheet.getCell('D2').numFmt = '0%';
    expect(await problemsOf({ file: Buffer.from(await workbook.xlsx.writeBuffer()) })).toEqual([
      { row: 2, column: 'Montant', field: 'amountCents', rule: 'isAmount', message: expect.stringMatching(/^50,00\u00a0% est un pourcentage, pas un montant en euros/) },
    ]);
    expect(await budgetEvents()).toHaveLength(1);
  });

  it('rule: a date cell that holds no real day (a damaged serial) is a problem of its row and column, never a crash', async () => {
    await setForecast();
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Dépenses');
    sheet.addRow(['Identifiant', 'Date', 'Catégorie', 'Montant', 'Description']);
    sheet.addRow(['equipement-1', 45000, 'Équipement', 1200, 'Écrans']);
    sheet.getCell('B2').numFmt = 'dd/mm/yyyy';
    const files = unzipSync(Buffer.from(await workbook.xlsx.writeBuffer()));
    files['xl/worksheets/sheet1.xml'] = strToU8(strFromU8(files['xl/worksheets/sheet1.xml']!).replace('<v>45000</v>', '<v>1e20</v>'));
    expect(await problemsOf({ file: Buffer.from(zipSync(files)) })).toEqual([expect.objectContaining({ row: 2, column: 'Date', field: 'effectiveDate', rule: 'isDate' })]);
  });

  it('rule: a value right of the last titled column (an unquoted « ; » in the last column) is a problem, never dropped', async () => {
    await setForecast();
    const file = csv('Identifiant;Date;Catégorie;Montant;Description', 'loyer-2021;15/10/2021;Locaux;1 200,00;Loyer; charges comprises');
    expect(await problemsOf({ file })).toEqual([expect.objectContaining({ field: 'file', rule: 'hasHeading', message: expect.stringContaining('n° 6') })]);
  });

  it('rule: a file with three bad rows lists the three rows by line, column and rule, and writes nothing', async () => {
    await setForecast();
    const file = csv(
      'Identifiant;Date;Catégorie;Montant;Description',
      'loyer-2021-t1;31/03/2021;Locaux;4 500,00;Loyer',
      'loyer-2021-t2;30/06/2021;Locaux;30.000,00;Loyer',
      'Loyer 2021 T3;30/09/2021;Locaux;4 500,00;Loyer',
      'loyer-2021-t4;31/12/2021;Fournitures;4 500,00;Loyer',
      'loyer-2022-t1;31/03/2022;Locaux;4 500,00;Loyer',
    );
    const problems = await problemsOf({ file });
    expect(problems.map(({ row, column, rule }) => ({ row, column, rule }))).toEqual([
      { row: 3, column: 'Montant', rule: 'isAmount' },
      { row: 4, column: 'Identifiant', rule: 'isSlug' },
      { row: 5, column: 'Catégorie', rule: 'isCategory' },
    ]);
    expect(problems[0]!.message).toBe('30.000,00 n’est pas un montant en euros (ex. 30 000,00)');
    expect(problems[1]!.message).toMatch(/^« Loyer 2021 T3 » doit être un identifiant/);
    // Even the dry run writes nothing and says the same.
    expect(await problemsOf({ file, dryRun: true })).toEqual(problems);
    expect(await budgetEvents()).toHaveLength(1);
  });

  it('rule: an amount whose spaces do not group thousands (12 50) is a problem of its row and column, never read as 1 250,00 €', async () => {
    await setForecast();
    const file = csv('Identifiant;Date;Catégorie;Montant;Description', 'cafe-1;01/02/2021;Fonctionnement;12 50;Café', 'cafe-2;01/02/2021;Fonctionnement;1 23 4,50;Café');
    expect(await problemsOf({ file })).toEqual([
      { row: 2, column: 'Montant', field: 'amountCents', rule: 'isAmount', message: expect.stringMatching(/^12 50 n’est pas un montant en euros : une espace ne sépare que les milliers/) },
      { row: 3, column: 'Montant', field: 'amountCents', rule: 'isAmount', message: expect.stringContaining('(ex. 1 234 567,89)') },
    ]);
  });

  it('rule: a date outside 01/01/1900 – 31/12/2100 is a problem of its row and column worded in JJ/MM/AAAA, never the commands’ ISO rule', async () => {
    await setForecast();
    const file = csv('Identifiant;Date;Catégorie;Montant;Description', 'cafe-1;31/12/1899;Fonctionnement;1,00;Café', 'cafe-2;01/01/2101;Fonctionnement;1,00;Café');
    const problems = await problemsOf({ file, dryRun: true });
    expect(problems).toEqual([
      { row: 2, column: 'Date', field: 'effectiveDate', rule: 'isDate', message: 'le 31/12/1899 est hors des dates que Jalon enregistre (JJ/MM/AAAA, du 01/01/1900 au 31/12/2100)' },
      { row: 3, column: 'Date', field: 'effectiveDate', rule: 'isDate', message: 'le 01/01/2101 est hors des dates que Jalon enregistre (JJ/MM/AAAA, du 01/01/1900 au 31/12/2100)' },
    ]);
    expect(problems.map((problem) => problem.message).join(' ')).not.toMatch(/ISO|AAAA-MM-JJ|1899-12-31/);
  });

  it('rule: an amount of zero or above the maximum is refused in euros, as the « Montant » column is, with no example in cents', async () => {
    await setForecast();
    const range = 'doit être un montant entre 0,01\u00a0€ et 100\u202f000\u202f000,00\u00a0€';
    const expenditures = csv('Identifiant;Date;Catégorie;Montant;Description', 'cafe-1;01/02/2021;Fonctionnement;0,00;Café', 'cafe-2;01/02/2021;Fonctionnement;100 000 000,01;Café');
    expect(await problemsOf({ file: expenditures })).toEqual([
      { row: 2, column: 'Montant', field: 'amountCents', rule: 'isCents', message: `« 0,00 » ${range}` },
      { row: 3, column: 'Montant', field: 'amountCents', rule: 'isCents', message: `« 100 000 000,01 » ${range}` },
    ]);
    const budget = csv('Année;Catégorie;Montant', '2021;Personnel;0', '2022;Personnel;200000000');
    const problems = await problemsOf({ kind: 'budget', file: budget, effectiveDate: '01/03/2021', reason: 'Révision' });
    expect(problems).toEqual([
      { row: 2, column: 'Montant', field: 'amountCents', rule: 'isCents', message: `« 0 » ${range}` },
      { row: 3, column: 'Montant', field: 'amountCents', rule: 'isCents', message: `« 200000000 » ${range}` },
    ]);
    expect(problems.map((problem) => problem.message).join(' ')).not.toMatch(/centime|78600000/);
  });

  it('rule: two rows of one file with the same id refuse the file, the second naming the first, whether their details agree or not; nothing is written', async () => {
    await setForecast();
    const file = csv(
      'Identifiant;Date;Catégorie;Montant;Description',
      'facture-1;10/02/2021;Locaux;100,00;Loyer',
      'facture-2;10/02/2021;Locaux;100,00;Charges',
      'facture-1;10/02/2021;Locaux;100,00;Loyer',
      'facture-2;11/02/2021;Locaux;250,00;Charges',
      'facture-1;10/02/2021;Locaux;1 00,00;Loyer',
    );
    const repeated = (row: number, first: number) => ({
      row,
      column: 'Identifiant',
      field: 'expenditureId',
      rule: 'isUniqueInFile',
      message: `même identifiant que la ligne ${first} : chaque ligne du fichier porte un identifiant différent`,
    });
    for (const dryRun of [true, false]) {
      expect(await problemsOf({ file, dryRun })).toEqual([repeated(4, 2), repeated(5, 3), expect.objectContaining({ row: 6, column: 'Montant', rule: 'isAmount' }), repeated(6, 2)]);
    }
    expect(await budgetEvents()).toHaveLength(1);
    // Rows recorded by an earlier import are still no problem: the file again writes nothing.
    const once = csv('Identifiant;Date;Catégorie;Montant;Description', 'facture-1;10/02/2021;Locaux;100,00;Loyer', 'facture-2;10/02/2021;Locaux;100,00;Charges');
    expect(await run({ file: once })).toMatchObject({ written: true, events: 2, alreadyRecorded: 0 });
    expect(await run({ file: once })).toMatchObject({ written: false, events: 0, alreadyRecorded: 2 });
  });

  it('rule: the deciders judge every row on the state the previous rows left (an id recorded with other details, a date before the opening, a future date, an unknown agreement)', async () => {
    await setForecast();
    await runCommand(executor, 'RecordExpenditure', { antennaId: 'montbeliard', expenditureId: 'facture-1', category: 'premises', amountCents: 10_000, description: 'Première', effectiveDate: '2021-02-10' }, finance);
    const file = csv(
      'Identifiant;Date;Catégorie;Montant;Description;Accord de financement',
      'facture-0;10/02/2021;Locaux;100,00;Nouvelle',
      'facture-1;10/02/2021;Locaux;200,00;Autre montant',
      'facture-2;10/01/2021;Locaux;100,00;Avant l’ouverture',
      'facture-3;16/03/2024;Locaux;100,00;Demain',
      'facture-4;10/02/2021;Locaux;100,00;Imputée;accord-inconnu',
    );
    const problems = await problemsOf({ file });
    expect(problems.map(({ row, column, rule }) => ({ row, column, rule }))).toEqual([
      { row: 3, column: 'Identifiant', rule: 'EXPENDITURE.ALREADY_RECORDED' },
      { row: 4, column: 'Date', rule: 'ANTENNA.DATE_BEFORE_OPENING' },
      { row: 5, column: 'Date', rule: 'EVENT.EFFECTIVE_DATE_IN_FUTURE' },
      { row: 6, column: 'Accord de financement', rule: 'FUNDING.NOT_FOUND' },
    ]);
    expect(await budgetEvents()).toHaveLength(2);
  });

  it('rule: a row contradicted by a write made after the dry run is refused by the one append, on its row, and nothing is written', async () => {
    await setForecast();
    const stale = await executor.current(budgetDecider, 'budget-montbeliard');
    await runCommand(executor, 'RecordExpenditure', { antennaId: 'montbeliard', expenditureId: 'facture-1', category: 'premises', amountCents: 10_000, description: 'Saisie', effectiveDate: '2021-02-10' }, finance);
    // The dry run still sees the budget as it was before that write.
    const current = executor.current.bind(executor);
    jest.spyOn(executor, 'current').mockImplementation(async (decider, streamId) => (streamId === 'budget-montbeliard' ? (stale as never) : current(decider, streamId)));
    const file = csv('Identifiant;Date;Catégorie;Montant;Description', 'facture-0;10/02/2021;Locaux;1,00;Autre', 'facture-1;10/02/2021;Locaux;200,00;Autre montant');
    expect(await problemsOf({ file })).toEqual([expect.objectContaining({ row: 3, column: 'Identifiant', field: 'expenditureId', rule: 'EXPENDITURE.ALREADY_RECORDED' })]);
    expect(await budgetEvents()).toHaveLength(2);
  });

  it('rule: a refusal of the antenna itself is said once, not once per row', async () => {
    const problems = await problemsOf({});
    expect(problems).toEqual([expect.objectContaining({ rule: 'BUDGET.FORECAST_NOT_SET', message: 'Cette antenne n’a pas encore de budget prévisionnel.' })]);
  });

  it('rule: an auditor cannot import, not even a dry run; a wrong antenna id is invalid input', async () => {
    await expect(run({ dryRun: true }, auditor)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(run({ kind: 'budget', file: FORECAST, effectiveDate: '2021-03-01' }, auditor)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(run({ antennaId: 'Pas un id' })).rejects.toBeInstanceOf(InputValidationError);
    expect(await budgetEvents()).toHaveLength(0);
  });

  it('rule: unknown, repeated or missing columns make the file unreadable, named by heading', async () => {
    const problems = await problemsOf({ file: csv('Identifiant;Date;Catégorie;Montant;Libellé;Date', 'a;01/02/2021;Locaux;1,00;x;01/02/2021') });
    expect(problems.map(({ column, rule }) => ({ column, rule }))).toEqual([
      { column: 'Libellé', rule: 'isKnownColumn' },
      { column: 'Date', rule: 'isUniqueColumn' },
      { column: 'Description', rule: 'hasColumn' },
    ]);
  });

  it('rule: headings match whatever their case and accents, in any order; empty required cells are named', async () => {
    await setForecast();
    const file = csv('montant;DESCRIPTION;categorie;date;identifiant', '12,00;Café;Fonctionnement;01/02/2021;', '12,00;Café;Fonctionnement;01/02/2021;cafe-1');
    expect(await problemsOf({ file })).toEqual([
      { row: 2, column: 'Identifiant', field: 'expenditureId', rule: 'isDefined', message: expect.stringMatching(/^la cellule est vide/) },
    ]);
  });

  it('rule: the downloadable templates are read back as the layout they document', async () => {
    for (const kind of ['budget', 'expenditures'] as const) {
      for (const format of ['xlsx', 'csv'] as const) {
        const table = await readSheet(await sheetTemplate(kind, format));
        expect({ kind, format, header: table.header }).toEqual({
          kind,
          format,
          header: kind === 'budget' ? ['Année', 'Catégorie', 'Montant'] : expect.arrayContaining(['Identifiant', 'Date', 'Catégorie', 'Montant', 'Description', 'Accord de financement']),
        });
      }
    }
  });

  it('rule: the forecast sheet goes through the forecast rules too (two lines for one year and category)', async () => {
    const file = csv('Année;Catégorie;Montant', '2021;Personnel;1,00', '2021;Locaux;1,00', '2021;personnel;2,00');
    expect(await problemsOf({ kind: 'budget', file, effectiveDate: '01/03/2021' })).toEqual([
      expect.objectContaining({ row: 4, rule: 'BUDGET.DUPLICATE_LINE' }),
    ]);
    expect(await problemsOf({ kind: 'budget', file: FORECAST })).toEqual([expect.objectContaining({ column: 'Date d’effet', rule: 'isDefined' })]);
    // Nothing decided reaches the store: the single-command path still works after.
    await runCommand(executor, 'SetBudgetForecast', { antennaId: 'montbeliard', lines: [{ year: 2021, category: 'staff', amountCents: 100 }], effectiveDate: '2021-03-01' }, finance);
  });
});
