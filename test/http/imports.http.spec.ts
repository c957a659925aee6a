import { SqliteEventStore } from '@jalon/event-store';
import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { MONTBELIARD_HISTORY } from '../../apps/cli/src/demo/montbeliard-history';
import { recordDemoHistory } from '../support/demo-history';
import { ApiUnderTest, startApi } from './api-under-test';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
type Role = keyof ApiUnderTest['tokens'];


const forecastStep = (command: string) => MONTBELIARD_HISTORY.find((step) => step.command === command)!;
type Line = { year: number; category: string; amountCents: number };
const LABELS: Record<string, string> = { staff: 'Personnel', premises: 'Locaux', teaching: 'Enseignement', equipment: 'Équipement', communication: 'Communication' };

/** A forecast's lines as a French CSV: `70 000,00`, the categories by their French labels. */
function forecastCsv(lines: readonly Line[]): Buffer {
  const euros = (cents: number) => `${Math.floor(cents / 100).toLocaleString('fr-FR').replace(/\s/g, '\u202f')},${String(cents % 100).padStart(2, '0')}`;
  return Buffer.from(`\ufeffAnnée;Catégorie;Montant\r\n${lines.map((line) => `${line.year};${LABELS[line.category]};"${euros(line.amountCents)}"`).join('\r\n')}\r\n`, 'utf8');
}

describe('HTTP spreadsheet import', () => {
  let dir: string;
  let typed: ApiUnderTest;
  let imported: ApiUnderTest;

  const open = (name: string) => async () => {
    const store = SqliteEventStore.open({ file: join(dir, `${name}.sqlite`) });
    return { store, dispose: () => store.close() };
  };
  const post = (api: ApiUnderTest, path: string, body: Buffer, type: string, role: Role = 'finance') =>
    request(api.http).post(path).set('Authorization', `Bearer ${api.tokens[role]}`).set('Content-Type', type).send(body);
  const budgetReport = async (api: ApiUnderTest) => {
    const head = (await api.store.headPosition()).toString();
    const response = await request(api.http).get(`/api/reports/budget?antenna=montbeliard&waitForPosition=${head}`).set('Authorization', `Bearer ${api.tokens.auditor}`).expect(200);
    return response.body.tables as unknown;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-imports-'));
    typed = await startApi(open('typed'));
    imported = await startApi(open('imported'));
    await recordDemoHistory(typed.store);
  });
  afterAll(async () => {
    await typed.close();
    await imported.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rule: the template filled with the demo’s budget lines gives the same budget report as the lines typed', async () => {
    // The demo as typed, but for its forecast and its revision, which come from spreadsheets at their place in the history.
    const set = forecastStep('SetBudgetForecast');
    const revise = forecastStep('ReviseBudgetForecast');
    const [atSet, atRevise] = [MONTBELIARD_HISTORY.indexOf(set), MONTBELIARD_HISTORY.indexOf(revise)];
    await recordDemoHistory(imported.store, MONTBELIARD_HISTORY.slice(0, atSet));

    // The downloaded template, filled as someone would in Excel: amounts typed as numbers, categories from the list.
    const template = await request(imported.http).get('/api/imports/templates/budget').set('Authorization', `Bearer ${imported.tokens.finance}`).buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(template.headers['content-type']).toBe(XLSX);
    expect(template.headers['content-disposition']).toContain('jalon-modele-budget.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(template.body as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    (set.input.lines as Line[]).forEach((line, index) => {
      const row = sheet.getRow(index + 2);
      row.getCell(1).value = line.year;
      row.getCell(2).value = LABELS[line.category]!;
      row.getCell(3).value = line.amountCents / 100;
    });
    const filled = Buffer.from(await workbook.xlsx.writeBuffer());
    const dry = await post(imported, `/api/antennas/montbeliard/imports/budget?dryRun=true&effectiveDate=01/03/2021`, filled, XLSX);
    expect({ status: dry.status, errors: dry.body.errors }).toEqual({ status: 200, errors: undefined });
    expect(dry.body).toMatchObject({ dryRun: true, command: 'SetBudgetForecast', rows: 19, events: 1, written: false });
    const done = await post(imported, `/api/antennas/montbeliard/imports/budget?effectiveDate=01/03/2021`, filled, XLSX).expect(201);
    expect(done.body).toMatchObject({ command: 'SetBudgetForecast', written: true, events: 1, format: 'xlsx' });

    await recordDemoHistory(imported.store, MONTBELIARD_HISTORY.slice(atSet + 1, atRevise));
    // The revision as a French CSV (`;`, `70 000,00` with narrow no-break spaces), with its reason.
    const reason = encodeURIComponent(String(revise.input.reason));
    const revision = forecastCsv(revise.input.lines as Line[]);
    await post(imported, `/api/antennas/montbeliard/imports/budget?effectiveDate=2022-11-15&reason=${reason}`, revision, 'text/csv; charset=utf-8').expect(201);
    await recordDemoHistory(imported.store, MONTBELIARD_HISTORY.slice(atRevise + 1));

    expect(await budgetReport(imported)).toEqual(await budgetReport(typed));

    // Importing the same files again writes nothing.
    const head = await imported.fingerprint();
    await post(imported, `/api/antennas/montbeliard/imports/budget?effectiveDate=2022-11-15&reason=${reason}`, revision, 'text/csv').expect(200);
    expect(await imported.fingerprint()).toBe(head);
  });

  it('rule: a file with three bad rows answers 422 listing the three rows (line, column, rule, French message) and writes nothing', async () => {
    const file = Buffer.from(
      [
        'Identifiant;Date;Catégorie;Montant;Description',
        'loyer-2021-t1;31/03/2021;Locaux;4 500,00;Loyer',
        'loyer-2021-t2;30/06/2021;Locaux;30.000,00;Loyer',
        'loyer-2021-t3;31/09/2021;Locaux;4 500,00;Loyer',
        'loyer-2021-t4;31/12/2021;Fournitures;4 500,00;Loyer',
      ].join('\n'),
      'utf8',
    );
    const head = await typed.fingerprint();
    for (const query of ['?dryRun=true', '']) {
      const response = await post(typed, `/api/antennas/montbeliard/imports/expenditures${query}`, file, 'text/csv').expect(422);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(response.body).toMatchObject({ code: 'IMPORT.INVALID_ROWS', status: 422, detail: expect.stringMatching(/^3 problèmes sur 3 lignes : rien n’a été enregistré/) });
      expect(response.body.errors).toEqual([
        { row: 3, column: 'Montant', field: 'amountCents', rule: 'isAmount', message: '30.000,00 n’est pas un montant en euros (ex. 30 000,00)' },
        { row: 4, column: 'Date', field: 'effectiveDate', rule: 'isDate', message: 'le 31/09/2021 n’existe pas dans le calendrier' },
        { row: 5, column: 'Catégorie', field: 'category', rule: 'isCategory', message: expect.stringContaining('Fournitures n’est pas une catégorie budgétaire') },
      ]);
    }
    expect(await typed.fingerprint()).toBe(head);
  });

  it('rule: expenditures are recorded in one answer (201), a second import writes nothing (200), an auditor gets 403', async () => {
    const file = Buffer.from('Identifiant;Date;Catégorie;Montant;Description\nloyer-2024-t1;31/03/2024;Locaux;4 500,00;Loyer du premier trimestre\n', 'utf8');
    const path = '/api/antennas/montbeliard/imports/expenditures';
    const before = await typed.fingerprint();
    await post(typed, path, file, 'text/csv', 'auditor').expect(403);
    expect(await typed.fingerprint()).toBe(before);
    const first = await post(typed, path, file, 'text/csv', 'programme-manager').expect(201);
    expect(first.body).toMatchObject({ command: 'RecordExpenditures', written: true, events: 1, result: { streamId: 'budget-montbeliard' } });
    const after = await typed.fingerprint();
    const again = await post(typed, path, file, 'text/csv').expect(200);
    expect(again.body).toMatchObject({ written: false, events: 0, alreadyRecorded: 1 });
    expect(await typed.fingerprint()).toBe(after);
  });

  it('rule: spreadsheets are read on the import routes only; the JSON routes keep their content-type rules', async () => {
    const csv = Buffer.from('Année;Catégorie;Montant\n2021;Personnel;1,00\n', 'utf8');
    const programme = await post(typed, '/api/programmes', csv, 'text/csv', 'admin').expect(415);
    expect(programme.body.code).toBe('INPUT.UNSUPPORTED_MEDIA_TYPE');
    const json = await request(typed.http)
      .post('/api/antennas/montbeliard/imports/budget')
      .set('Authorization', `Bearer ${typed.tokens.finance}`)
      .send({ lines: [] })
      .expect(415);
    expect(json.body.code).toBe('INPUT.UNSUPPORTED_MEDIA_TYPE');
    const latin1 = await post(typed, '/api/antennas/montbeliard/imports/budget?effectiveDate=2021-03-01', csv, 'text/csv; charset=iso-8859-1').expect(415);
    expect(latin1.body.code).toBe('INPUT.UNSUPPORTED_MEDIA_TYPE');
    const unreadable = await post(typed, '/api/antennas/montbeliard/imports/budget?effectiveDate=2021-03-01', Buffer.from('Annee;Somme\n2021;1\n'), 'text/csv').expect(400);
    expect(unreadable.body).toMatchObject({ code: 'IMPORT.UNREADABLE_FILE', errors: expect.arrayContaining([expect.objectContaining({ column: 'Somme', rule: 'isKnownColumn' })]) });
    await post(typed, '/api/antennas/montbeliard/imports/recettes', csv, 'text/csv').expect(400);
  });

  it('rule: an import parameter given twice in the query is refused naming it (400 uniqueKey), never a 500, nothing written', async () => {
    const csv = Buffer.from('Année;Catégorie;Montant\n2021;Personnel;1,00\n', 'utf8');
    const head = await typed.fingerprint();
    for (const [query, field] of [
      ['effectiveDate=01/03/2021&effectiveDate=02/03/2021', 'effectiveDate'],
      ['effectiveDate=01/03/2021&reason=Erreur&reason=Autre', 'reason'],
      ['effectiveDate=01/03/2021&dryRun=true&dryRun=false', 'dryRun'],
    ] as const) {
      const response = await post(typed, `/api/antennas/montbeliard/imports/budget?${query}`, csv, 'text/csv').expect(400);
      expect(response.body).toMatchObject({ code: 'INPUT.INVALID', errors: [{ field, rule: 'uniqueKey', message: expect.stringContaining('plusieurs fois') }] });
    }
    expect(await typed.fingerprint()).toBe(head);
  });

  it('rule: an import refuses If-Match, If-None-Match and Idempotency-Key naming the header (400 notAccepted), never ignores them while it writes; nothing written', async () => {
    const file = Buffer.from('Identifiant;Date;Catégorie;Montant;Description\nloyer-2024-t2;30/06/2024;Locaux;4 500,00;Loyer du deuxième trimestre\n', 'utf8');
    const head = await typed.fingerprint();
    for (const [name, value] of [
      ['If-Match', '"999"'],
      ['If-None-Match', '*'],
      ['Idempotency-Key', 'import-loyer-t2'],
    ] as const) {
      const response = await post(typed, '/api/antennas/montbeliard/imports/expenditures', file, 'text/csv').set(name, value).expect(400);
      expect(response.body).toMatchObject({ code: 'INPUT.INVALID', errors: [{ field: name, rule: 'notAccepted', message: expect.stringContaining(`${name} n’est pas accepté par cette route`) }] });
    }
    expect(await typed.fingerprint()).toBe(head);
  });
});
