import { SqliteEventStore } from '@jalon/event-store';
import ExcelJS from 'exceljs';
import { unzipSync } from 'fflate';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { recordDemoHistory } from '../support/demo-history';
import { ApiUnderTest, startApi } from './api-under-test';
import { fr } from '../../libs/reporting/src/testing/french-spaces';

/** Reports over HTTP, on the demo history: formats, time travel, read-your-writes, errors. */
describe('HTTP reports', () => {
  let api: ApiUnderTest;
  let dir: string;
  const get = (path: string, role: keyof ApiUnderTest['tokens'] = 'auditor') => request(api.http).get(path).set('Authorization', `Bearer ${api.tokens[role]}`);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-reports-'));
    api = await startApi(async () => {
      const store = SqliteEventStore.open({ file: join(dir, 'jalon.sqlite') });
      return { store, dispose: () => store.close() };
    });
    await recordDemoHistory(api.store);
  });
  afterAll(async () => {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const head = async () => (await api.store.headPosition()).toString();

  it('serves the budget report of an antenna as JSON with cents as integers (auditors may read)', async () => {
    const response = await get(`/api/reports/budget?antenna=montbeliard&waitForPosition=${await head()}`).expect(200);
    expect(response.body.kind).toBe('budget');
    expect(JSON.stringify(response.body)).toContain('78600000');
  });

  it('serves the same report as a French terminal table, a CSV for French spreadsheets and an XLSX workbook', async () => {
    await get(`/api/reports/budget?antenna=montbeliard&waitForPosition=${await head()}`).expect(200);
    const table = await get('/api/reports/budget?antenna=montbeliard&format=table').expect(200);
    expect(table.headers['content-type']).toMatch(/^text\/plain/);
    expect(table.text).toContain(fr('786 000,00 €'));
    // The budget has several tables: its CSV is a ZIP of one CSV per table; the échéancier has one.
    const csv = await get('/api/reports/budget?antenna=montbeliard&format=csv')
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(csv.headers['content-type']).toBe('application/zip');
    expect(csv.headers['content-disposition']).toContain('jalon-budget-montbeliard.zip');
    expect(Buffer.from(unzipSync(csv.body as Buffer)['01-budget-par-annee.csv']!).toString('utf8')).toMatch(/^\uFEFFAnnée;Prévisionnel initial;/);
    const one = await get('/api/reports/echeancier?format=csv').buffer(true).expect(200);
    expect(one.headers['content-type']).toMatch(/^text\/csv/);
    expect(one.headers['content-disposition']).toContain('jalon-echeancier.csv');
    const xlsx = await get('/api/reports/funding?antenna=montbeliard&format=xlsx')
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    expect(workbook.worksheets.length).toBeGreaterThan(0);
  });

  it('rule: a report as of a past date is replayed up to that date (the inauguration of 22 June 2022)', async () => {
    const before = await get('/api/reports/phases?antenna=montbeliard&asOf=2022-06-21').expect(200);
    const after = await get('/api/reports/phases?antenna=montbeliard&asOf=2022-06-22').expect(200);
    expect(JSON.stringify(before.body.data)).not.toContain('2022-06-22');
    expect(JSON.stringify(after.body.data)).toContain('2022-06-22');
  });

  it('rule: a client that waits for the position of its own write reads it (read your writes)', async () => {
    const written = await request(api.http)
      .post('/api/antennas/montbeliard/learner-reports')
      .set('Authorization', `Bearer ${api.tokens['programme-manager']}`)
      .send({ period: '2024-06', learners: 160, effectiveDate: '2024-07-01' })
      .expect(201);
    const kpis = await get(`/api/reports/kpis?waitForPosition=${written.body.position}`).expect(200);
    expect(JSON.stringify(kpis.body.data)).toContain('160');
  });

  it('rule: a waitForPosition the log does not hold once the wait is over is refused naming it (400), not left to retry (503)', async () => {
    const beyond = (BigInt(await head()) + 1_000n).toString();
    const refused = await get(`/api/reports/kpis?waitForPosition=${beyond}`).expect(400);
    expect(refused.body.code).toBe('INPUT.INVALID');
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'waitForPosition', rule: 'isLoggedPosition' })]);
    expect(refused.body.errors[0].message).toContain(`waitForPosition (${beyond}) dépasse la dernière position du journal`);
  }, 15_000);

  it('the funding report flags tranche-3 released 66 days after its due date, and as of 2023-07-31 due and not released', async () => {
    const today = await get(`/api/reports/funding?antenna=montbeliard&waitForPosition=${await head()}`).expect(200);
    expect(today.body.data.discrepancies).toContainEqual(expect.objectContaining({ kind: 'release-late', trancheId: 'tranche-3', days: 66 }));
    expect(today.body.data.totals).toMatchObject({ toCollectCents: 3_000_000, balanceCents: 3_280_000 });
    const past = await get('/api/reports/funding?antenna=montbeliard&asOf=2023-07-31').expect(200);
    expect(past.body.data.discrepancies).toContainEqual(expect.objectContaining({ kind: 'release-overdue', trancheId: 'tranche-3', days: 31 }));
  });

  it('serves the échéancier (overdue and due within withinDays days), as JSON and CSV, and refuses a bad withinDays with 400', async () => {
    const overdue = await get('/api/reports/echeancier?asOf=2023-07-31').expect(200);
    expect(overdue.body.kind).toBe('echeancier');
    expect(overdue.body.data.items).toEqual([expect.objectContaining({ situation: 'overdue', trancheId: 'tranche-3', dueOn: '2023-06-30', days: 31 })]);
    const soon = await get('/api/reports/echeancier?asOf=2023-06-01&withinDays=29').expect(200);
    expect(soon.body.data.items).toEqual([expect.objectContaining({ situation: 'due-soon', trancheId: 'tranche-3', days: 29 })]);
    expect((await get('/api/reports/echeancier?asOf=2023-06-01&withinDays=28').expect(200)).body.data.items).toEqual([]);
    const csv = await get('/api/reports/echeancier?asOf=2023-07-31&format=csv').buffer(true).expect(200);
    expect(csv.headers['content-disposition']).toContain('jalon-echeancier.csv');
    expect(csv.text).toContain('En retard;30/06/2023;31;');
    const bad = await get('/api/reports/echeancier?withinDays=-3').expect(400);
    expect(bad.body.errors.length).toBeGreaterThan(0);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(bad.body.errors.map(() => 'withinDays'));
  });

  it('refuses bad report queries with 400 naming the field, an unknown antenna with 404, and a missing token with 401', async () => {
    const bad = await get('/api/reports/budget?asOf=2022-13-01').expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'asOf', rule: 'isIsoDate' })]);
    const kind = await get('/api/reports/unknown').expect(400);
    expect(kind.body.errors).toEqual([expect.objectContaining({ field: 'kind' })]);
    const format = await get('/api/reports/budget?format=docx').expect(400);
    expect(format.body.errors).toEqual([expect.objectContaining({ field: 'format' })]);
    const unknown = await get('/api/reports/budget?antenna=atlantis').expect(404);
    expect(unknown.body.code).toBe('REPORT.SUBJECT_NOT_FOUND');
    const history = await get('/api/reports/history?from=2023-01-01&to=2022-01-01').expect(400);
    expect(history.body.errors).toEqual([expect.objectContaining({ field: 'to', rule: 'notBeforeFrom' })]);
    await request(api.http).get('/api/reports/budget').expect(401);
  });

  it('reports each projection’s position and lag on /health', async () => {
    await get(`/api/reports/kpis?waitForPosition=${await head()}`).expect(200);
    const health = await request(api.http).get('/health').expect(200);
    expect(health.body.projections.status).toBe('ok');
    expect(health.body.projections.list).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'budget', serving: true, lag: 0, state: 'running' })]));
  });
});
