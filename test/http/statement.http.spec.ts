import { SqliteEventStore } from '@jalon/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { recordDemoHistory } from '../support/demo-history';
import { ApiUnderTest, startApi } from './api-under-test';

/** Issue 14: the statement of expenditure (« état récapitulatif des dépenses ») over HTTP, sealed, as JSON and PDF. */
describe('HTTP état récapitulatif des dépenses', () => {
  let api: ApiUnderTest;
  let dir: string;
  const get = (path: string) => request(api.http).get(path).set('Authorization', `Bearer ${api.tokens.auditor}`);
  const binary = (res: request.Response, done: (error: Error | null, body: Buffer) => void) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-statement-'));
    api = await startApi(async () => {
      const store = SqliteEventStore.open({ file: join(dir, 'jalon.sqlite') });
      return { store, dispose: () => store.close() };
    }, { dataDir: dir });
    await recordDemoHistory(api.store);
  });
  afterAll(async () => {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rule: the statement lists only what a seal covers, and names that seal: every demo event is covered once it is produced', async () => {
    const head = await api.store.headPosition();
    const response = await get(`/api/reports/etat-depenses?antenna=montbeliard&waitForPosition=${head}`).expect(200);
    const data = response.body.data as { seal: { treeSize: number; rootHash: string; lastPosition: string }; totals: Record<string, number> };
    expect(BigInt(data.seal.lastPosition)).toBeGreaterThanOrEqual(head);
    expect(data.seal.rootHash).toMatch(/^[0-9a-f]{64}$/);
    expect(data.totals).toEqual({ releasedCents: 10_000_000, receivedCents: 7_000_000, spentCents: 3_720_000, balanceCents: 3_280_000 });
  });

  it('is served as a PDF with its file name', async () => {
    const response = await get('/api/reports/etat-depenses?antenna=montbeliard&periodFrom=2022-01-01&periodTo=2022-12-31&format=pdf').buffer(true).parse(binary).expect(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toContain('jalon-etat-depenses-montbeliard.pdf');
    expect((response.body as Buffer).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('refuses a period that is not a date with a 400 naming the field, writing nothing (not even a seal), and an unknown agreement with a 404', async () => {
    const before = await api.fingerprint();
    const invalid = await get('/api/reports/etat-depenses?antenna=montbeliard&periodFrom=31/12/2022').expect(400);
    expect(JSON.stringify(invalid.body.errors)).toContain('periodFrom');
    expect(await api.fingerprint()).toBe(before);
    await get('/api/reports/etat-depenses?antenna=montbeliard&agreement=inconnue').expect(404);
  });
});
