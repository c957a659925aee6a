import { IdentityService, SYSTEM_ACTOR } from '@jalon/application';
import { createApiApp, ready } from '@jalon/api';
import { loadConfig } from '@jalon/core';
import { SqliteEventStore, verifyAuditExport } from '@jalon/event-store';
import { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { recordDemoHistory } from '../support/demo-history';

/** The provable history over HTTP: the seals' public key (public) and the verifiable audit export (auditors and administrators). */
describe('HTTP integrity: public key and audit export', () => {
  let dir: string;
  let store: SqliteEventStore;
  let app: INestApplication;
  const tokens: Record<string, string> = {};
  const get = (path: string, role?: string) => {
    const call = request(app.getHttpServer()).get(path);
    return role ? call.set('Authorization', `Bearer ${tokens[role]}`) : call;
  };
  const linesOf = (text: string) => text.split('\n').filter((line) => line !== '');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-integrity-http-'));
    store = SqliteEventStore.open({ file: join(dir, 'jalon.sqlite') });
    app = await createApiApp({
      config: loadConfig({ DATA_DIR: dir }),
      store,
      readModelsFile: ':memory:',
      clock: { now: () => new Date('2026-01-15T10:00:00Z') },
      logger: false,
    });
    await app.init();
    await ready(app);
    const identity = app.get(IdentityService);
    tokens.admin = (await identity.bootstrapAdmin())!.token;
    for (const role of ['auditor', 'finance']) tokens[role] = (await identity.addUser({ name: `Utilisateur ${role}`, role }, SYSTEM_ACTOR)).token;
    await recordDemoHistory(store);
  });

  afterAll(async () => {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rule: the public key that signs the seals is served to anyone, without a token', async () => {
    const response = await get('/api/integrity/public-key').expect(200);
    expect(response.body).toMatchObject({ algorithm: 'ed25519', keyId: expect.stringMatching(/^[0-9a-f]{64}$/), pem: expect.stringContaining('BEGIN PUBLIC KEY') });
  });

  it('rule: an auditor downloads an antenna’s verifiable audit trail, which verifies offline against the public key', async () => {
    const { body: key } = await get('/api/integrity/public-key');
    const response = await get('/api/audit-export?antenna=montbeliard', 'auditor').buffer(true).expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(response.headers['content-disposition']).toContain('jalon-audit-montbeliard.jsonl');
    const lines = linesOf(response.text);
    const streams = new Set(lines.map((line) => JSON.parse(line) as { kind: string; streamId?: string }).filter((line) => line.kind === 'event').map((line) => line.streamId));
    expect([...streams].every((stream) => /^(antenna-montbeliard|budget-montbeliard|funding-|candidacy-)/.test(stream!))).toBe(true);
    expect(streams.has('antenna-montbeliard')).toBe(true);
    const report = await verifyAuditExport(lines, { publicKey: key.publicKey });
    expect(report).toMatchObject({ ok: true, keyMatches: true });
    expect(report.events).toBeGreaterThan(10);
  });

  it('rule: the programme’s export holds no user, no idempotency record and no token hash', async () => {
    const response = await get('/api/audit-export', 'admin').buffer(true).expect(200);
    const lines = linesOf(response.text);
    expect(response.text).not.toContain('tokenHash');
    const streams = lines.map((line) => (JSON.parse(line) as { kind: string; streamId?: string })).filter((line) => line.kind === 'event').map((line) => line.streamId!);
    expect(streams.some((stream) => stream.startsWith('identity-') || stream.startsWith('idempotency-'))).toBe(false);
    expect(streams).toContain('programme-au-coeur-des-territoires');
    expect((await verifyAuditExport(lines)).ok).toBe(true);
  });

  it('rule: other roles may not take the audit trail away (403); an unknown antenna is a 404', async () => {
    const refused = await get('/api/audit-export?antenna=montbeliard', 'finance').expect(403);
    expect(refused.body.code).toBe('AUTH.FORBIDDEN');
    await get('/api/audit-export?antenna=montbeliard').expect(401);
    const unknown = await get('/api/audit-export?antenna=nulle-part', 'auditor').expect(404);
    expect(unknown.body.code).toBe('INTEGRITY.SUBJECT_NOT_FOUND');
  });
});
