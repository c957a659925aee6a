import { SqliteEventStore } from '@jalon/event-store';
import ExcelJS from 'exceljs';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { FINANCE_OFFICER } from '../../apps/cli/src/demo/montbeliard-history';
import { recordDemoHistory } from '../support/demo-history';
import { ApiUnderTest, startApi } from './api-under-test';

/** The programme-wide audit trail over HTTP, on the demo history: filters, pagination, validation, exports, no secret. */
describe('HTTP audit trail (GET /api/reports/history)', () => {
  let api: ApiUnderTest;
  let dir: string;
  let audited: number;
  const get = (path: string) => request(api.http).get(path).set('Authorization', `Bearer ${api.tokens.auditor}`);
  const binary = (path: string) =>
    get(path)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-history-http-'));
    api = await startApi(async () => {
      const store = SqliteEventStore.open({ file: join(dir, 'jalon.sqlite') });
      return { store, dispose: () => store.close() };
    });
    await recordDemoHistory(api.store);
    // What the trail audits: the domain's events, not users, idempotency records nor seals, nor the
    // installation's claim of its programme, the launch's first step (docs/decisions/0061).
    audited = 0;
    for await (const event of api.store.readAll()) if (!/^(User|Idempotent|LogSealed|ProgrammeClaimed)/.test(event.type)) audited += 1;
    await get(`/api/reports/history?waitForPosition=${(await api.store.headPosition()).toString()}`).expect(200);
  });
  afterAll(async () => {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rule: without an antenna, the trail covers the whole programme; the JSON carries the total', async () => {
    const { body } = await get('/api/reports/history').expect(200);
    expect(body.title).toBe('Journal d’audit du programme');
    expect(body.data.total).toBe(audited);
    expect(body.data.entries).toHaveLength(audited);
    expect(body.data.entries[0]).toMatchObject({ type: 'ProgrammeLaunched', effectiveDate: '2019-01-15' });
  });

  it('rule: filters by effective dates, actor and kind of event, paginated with the total', async () => {
    const releases = await get(`/api/reports/history?eventType=BudgetTrancheReleased&actor=${FINANCE_OFFICER.id}`).expect(200);
    // Tranches 1, 2, 3, and 3 again after its reversal.
    expect(releases.body.data.entries.map((e: { effectiveDate: string }) => e.effectiveDate)).toEqual(['2021-09-15', '2022-07-05', '2023-07-03', '2023-09-04']);
    const in2022 = await get('/api/reports/history?from=2022-01-01&to=2022-12-31').expect(200);
    expect(in2022.body.data.entries.every((e: { effectiveDate: string }) => e.effectiveDate >= '2022-01-01' && e.effectiveDate <= '2022-12-31')).toBe(true);
    // 2022: the inauguration, two expenditures, learners, tranche 2 released, a reversal, its receipt, a milestone, the rescheduling, the revision, phase 1 completed.
    expect(in2022.body.data.total).toBe(11);
    const page = await get('/api/reports/history?page=2&pageSize=10&order=desc').expect(200);
    expect(page.body.data).toMatchObject({ total: audited, page: 2, pageSize: 10, pageCount: Math.ceil(audited / 10) });
    expect(page.body.data.entries).toHaveLength(10);
    // The most recent first: page 2 starts with the 11th most recent fact.
    const all = (await get('/api/reports/history').expect(200)).body.data.entries;
    expect(page.body.data.entries[0].position).toBe(all[all.length - 11].position);
  });

  it('rule: a bad filter answers 400 naming the field, nothing else', async () => {
    const fields = async (query: string) => (await get(`/api/reports/history?${query}`).expect(400)).body.errors.map((e: { field: string; rule: string }) => `${e.field}:${e.rule}`);
    expect(await fields('from=2022-13-01')).toEqual(['from:isIsoDate']);
    expect(await fields('to=hier')).toEqual(['to:isIsoDate']);
    expect(await fields('eventType=UserRegistered')).toEqual(['eventType:isIn']);
    expect(await fields('actor=Pas%20un%20id')).toEqual(['actor:isSlug']);
    expect(await fields('page=0')).toEqual(['page:min']);
    expect(await fields('pageSize=501')).toEqual(['pageSize:max']);
    expect(await fields('page=deux')).toContain('page:isInt');
    expect(await fields('order=up')).toEqual(['order:isIn']);
    expect(await fields('from=2023-01-01&to=2022-12-31')).toEqual(['to:notBeforeFrom']);
    // A history filter given to another report is refused rather than ignored.
    const other = await get('/api/reports/budget?actor=demo-service-financier').expect(400);
    expect(other.body.errors).toEqual([expect.objectContaining({ field: 'actor', rule: 'historyOnly' })]);
    const unknown = await get('/api/reports/history?antenna=atlantis').expect(404);
    expect(unknown.body.code).toBe('REPORT.SUBJECT_NOT_FOUND');
  });

  it('rule: CSV and XLSX exports take the same filters, in French, without ids or ISO dates', async () => {
    const csv = await get('/api/reports/history?eventType=TrancheReleaseReversed&format=csv').buffer(true).expect(200);
    expect(csv.headers['content-disposition']).toContain('jalon-history.csv');
    expect(csv.text).toContain('Versement du 03/07/2023 annulé : tranche « Troisième tranche » de Banque des Territoires');
    expect(csv.text).not.toContain('Tranche « Première tranche »');
    expect(csv.text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(csv.text).not.toContain('bdt-amorcage-montbeliard');
    const xlsx = await binary('/api/reports/history?antenna=montbeliard&from=2023-01-01&format=xlsx').expect(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const texts: string[] = [];
    workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => void (typeof cell.value === 'string' ? texts.push(cell.value) : undefined))));
    expect(texts).toContain('Phase « Nouvelles formations sur le site de l’ancienne polyclinique des Portes du Jura » commencée');
    expect(texts.some((text) => text.includes('Candidature'))).toBe(false);
  });

  it('rule: no secret is ever in the trail: no token, token hash, idempotency request hash nor user event', async () => {
    const text = JSON.stringify((await get('/api/reports/history').expect(200)).body);
    for (const token of Object.values(api.tokens)) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(createHash('sha256').update(token).digest('hex'));
    }
    for (const word of ['tokenHash', 'requestHash', 'IdempotentResultRecorded', 'UserRegistered', 'LogSealed', 'session']) expect(text).not.toContain(word);
  });
});
