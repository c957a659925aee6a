import { IdentityService } from '@jalon/application';
import { ready } from '@jalon/api';
import { createJalonApp } from '@jalon/web';
import { loadConfig } from '@jalon/core';
import { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startEventStoreDbTestDouble, type EventStoreDbTestDouble } from '../doubles/eventstoredb/eventstoredb-test-double';
import { TEST_NOW } from './api-under-test';

/**
 * The service on EventStoreDB (its test double) when an append reaches the leader's log but is
 * not yet replicated (docs/decisions/0063): what the API answers and what `/health` says.
 */
describe('HTTP service on EventStoreDB while an append is not yet replicated', () => {
  let double: EventStoreDbTestDouble;
  let dataDir: string;
  let app: INestApplication;
  let post: (path: string, key: string, body: object) => request.Test;
  let health: () => Promise<HealthBody>;
  let streamEvents: (streamId: string) => Promise<Array<{ data: { conventionId?: string } }>>;

  interface HealthBody {
    eventStore: { kind: string; writable: boolean; lastWriteError?: { code: string; message: string } };
  }

  // The service as `jalon serve` builds it on EventStoreDB: its start alone takes several seconds on a shared machine.
  beforeAll(async () => {
    double = await startEventStoreDbTestDouble();
    dataDir = mkdtempSync(join(tmpdir(), 'jalon-not-replicated-'));
    app = await createJalonApp({
      // No seal while the test injects its fault: the next append is the command's.
      config: loadConfig({ DATA_DIR: dataDir, EVENT_STORE: 'eventstoredb', EVENTSTORE_URL: double.connectionString, JALON_SEAL_EVERY_EVENTS: '100000', JALON_SEAL_INTERVAL_SECONDS: '3600' }),
      clock: { now: () => TEST_NOW },
      logger: false,
    });
    await app.init();
    await ready(app);
    const token = (await app.get(IdentityService).bootstrapAdmin())!.token;
    const http = app.getHttpServer();
    post = (path, key, body) => request(http).post(path).set('Authorization', `Bearer ${token}`).set('Idempotency-Key', key).send(body);
    health = async () => (await request(http).get('/health').expect(200)).body as HealthBody;
    streamEvents = async (streamId) => ((await request(http).get(`/api/streams/${streamId}/events`).set('Authorization', `Bearer ${token}`).expect(200)).body as { events: Array<{ data: { conventionId?: string } }> }).events;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await double?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('rule: its command is 503 STORE.OUTCOME_UNKNOWN and the next one on the stream 503 STORE.UNAVAILABLE (nothing written, not a 409), both shown by /health; once replicated, the first is replayed by its key, the second written, and /health is writable again', async () => {
    const convention = (conventionId: string) => ({ conventionId, title: `Convention ${conventionId}`, partners: ['Cnam'], durationMonths: 36, effectiveDate: '2019-04-01' });
    await post('/api/programmes', 'lancement', { programmeId: 'acdt', name: 'Au cœur des territoires', operator: 'Cnam', targets: { antennaCount: 100, targetDate: '2022-12-31' }, effectiveDate: '2019-01-15' }).expect(201);
    double.injectAppendFaults('timeout-not-replicated');

    const unknown = await post('/api/programmes/acdt/conventions', 'premiere', convention('premiere'));
    const behind = await post('/api/programmes/acdt/conventions', 'seconde', convention('seconde'));
    const healthWhileUnreplicated = await health();

    expect([unknown.status, unknown.body.code]).toEqual([503, 'STORE.OUTCOME_UNKNOWN']);
    expect([behind.status, behind.body.code]).toEqual([503, 'STORE.UNAVAILABLE']);
    expect(behind.body.detail).toMatch(/pas encore répliqué\. Rien n’a été écrit/);
    expect(healthWhileUnreplicated.eventStore).toMatchObject({ kind: 'eventstoredb', writable: false, lastWriteError: { code: 'STORE.UNAVAILABLE' } });

    await double.replicate();
    const replayed = await post('/api/programmes/acdt/conventions', 'premiere', convention('premiere'));
    const written = await post('/api/programmes/acdt/conventions', 'seconde', convention('seconde'));

    expect([replayed.status, replayed.headers['idempotency-replayed']]).toEqual([201, 'true']);
    expect([written.status, written.body.written]).toEqual([201, true]);
    expect((await streamEvents('programme-acdt')).map((event) => event.data.conventionId ?? null)).toEqual([null, 'premiere', 'seconde']);
    const healthAfter = (await health()).eventStore;
    expect(healthAfter).toMatchObject({ kind: 'eventstoredb', writable: true });
    expect(healthAfter.lastWriteError).toBeUndefined();
  });
});
