import { IdentityService } from '@jalon/application';
import { ready, startServer } from '@jalon/api';
import { createJalonApp } from '@jalon/web';
import { loadConfig } from '@jalon/core';
import { EventStoreError } from '@jalon/event-store';
import { INestApplication } from '@nestjs/common';
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { mountSmallDisk, SmallDisk } from '../support/small-disk';
import { TEST_NOW } from './api-under-test';

/**
 * Failures that never crash and never go unseen, made for real (tests run as root, so a small
 * tmpfs stands for a full or read-only disk): each leaves the service running, `/health` degraded
 * with the reason, the query or command answered 503 with a stable code, and the service
 * recovers by itself once the cause is gone, without a restart.
 */
/** The one programme each test's installation follows. */
const FAULTS_PROGRAMME = 'programme-pannes';

describe('HTTP service when its storage fails', () => {
  let disk: SmallDisk;
  let dataDir: string;
  let readModels: string;
  let token: string;
  let programmes = 0;
  /** Data directories whose programme is launched. */
  const launched = new Set<string>();
  const started: INestApplication[] = [];

  beforeAll(() => {
    disk = mountSmallDisk(2048);
  });
  afterAll(() => disk.unmount());
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'jalon-faults-'));
    readModels = join(disk.path, `read-models-${Date.now()}-${programmes}`, 'read-models.sqlite');
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((app) => app.close()));
    disk.free();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(join(readModels, '..'), { recursive: true, force: true });
    rmSync(join(disk.path, 'store'), { recursive: true, force: true });
  });

  /** The service as `jalon serve` builds it, with short retry delays; the administrator's token is kept across restarts. */
  let health: () => Promise<unknown> = async () => 'no service';
  const start = async (options: { dataDir?: string; readModelsFile?: string } = {}) => {
    const app = await createJalonApp({
      config: loadConfig({ DATA_DIR: options.dataDir ?? dataDir }),
      readModelsFile: options.readModelsFile ?? readModels,
      clock: { now: () => TEST_NOW },
      logger: false,
      projectionRunner: { retryDelayMs: { first: 20, max: 200 } },
    });
    started.push(app);
    await app.init();
    await ready(app);
    const admin = await app.get(IdentityService).bootstrapAdmin();
    if (admin) token = admin.token;
    const http = app.getHttpServer();
    health = async () => (await request(http).get('/health')).body as unknown;
    return {
      http,
      stop: async () => {
        started.splice(started.indexOf(app), 1);
        await app.close();
      },
      get: (path: string) => request(http).get(path).set('Authorization', `Bearer ${token}`),
      /**
       * Writes: the launch of the installation's one programme the first time in its data directory
       * (docs/decisions/0061), then a new convention of it (one event) each time.
       */
      launch: (programmeId = FAULTS_PROGRAMME) => {
        const directory = options.dataDir ?? dataDir;
        const post = (path: string) => request(http).post(path).set('Authorization', `Bearer ${token}`);
        if (launched.has(directory)) {
          return post(`/api/programmes/${programmeId}/conventions`).send({ conventionId: `convention-${++programmes}`, title: `Convention ${programmes}`, partners: ['Cnam'], durationMonths: 36, effectiveDate: '2019-04-01' });
        }
        launched.add(directory);
        return post('/api/programmes').send({ programmeId, name: `Programme ${programmeId}`, operator: 'Cnam', targets: { antennaCount: 100, targetDate: '2022-12-31' }, effectiveDate: '2019-01-15' });
      },
      health: async () => (await request(http).get('/health').expect(200)).body as HealthBody,
    };
  };
  type Service = Awaited<ReturnType<typeof start>>;

  interface HealthBody {
    status: string;
    eventStore: { status: string; reason?: string; kind: string; writable: boolean; lastWriteError?: { code: string; message: string; since: string } };
    projections: { status: string; reason?: string; list: Array<{ id: string; name: string; state: string; error?: string; since?: string; nextRetryAt?: string; skippedEvents: unknown[] }> };
  }

  /** Polls until `condition` holds (bounded): recovery happens in the background. */
  const eventually = async (condition: () => Promise<boolean>, label: string) => {
    const deadline = Date.now() + 15_000;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}; /health: ${JSON.stringify(await health())}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  /** The French sentence of an error body (`detail` of a problem, or `message`). */
  const messageOf = (body: { detail?: string; message?: string }) => body.detail ?? body.message ?? '';
  const kpisOf = (health: HealthBody) => health.projections.list.find((p) => p.name === 'kpis')!;
  const kpisStopped = async (service: Service) => kpisOf(await service.health()).state === 'stopped';
  const reportReached = async (service: Service, position: string) => (await service.get(`/api/reports/kpis?waitForPosition=${position}`)).status === 200;

  const expectReadModelsDegraded = async (service: Service, why: RegExp) => {
    const health = await service.health();
    expect(health.status).toBe('degraded');
    expect(health.projections.status).toBe('degraded');
    expect(health.projections.reason).toMatch(why);
    expect(kpisOf(health)).toMatchObject({ state: 'stopped', error: expect.stringMatching(why), since: expect.any(String), nextRetryAt: expect.any(String) });
    expect(health.eventStore).toMatchObject({ status: 'ok', writable: true });
    const report = await service.get('/api/reports/kpis').expect(503);
    expect(report.body).toMatchObject({ code: 'READ_MODEL.UNAVAILABLE', details: { projection: 'kpis' } });
    expect(messageOf(report.body)).toMatch(/projection kpis .*indisponibles/);
  };

  it('rule: read models on a full disk: commands still succeed, the projections stop and say why, their reports answer 503, and everything catches up once space is freed', async () => {
    const service = await start();
    const first = await service.launch().expect(201);
    await eventually(() => reportReached(service, first.body.position), 'the first programme in the read models');

    disk.fill();
    const second = await service.launch().expect(201);
    await eventually(() => kpisStopped(service), 'the projections to stop');
    await expectReadModelsDegraded(service, /le disque est plein/);
    await service.get(`/api/streams/programme-${FAULTS_PROGRAMME}/events`).expect(200);

    disk.free();
    await eventually(() => reportReached(service, second.body.position), 'the read models to catch up');
    await eventually(async () => (await service.health()).status === 'ok', 'every part of /health to be ok');
  });

  it('rule: restarted with its read models’ disk still full, the service starts, serves what it can, and catches up once space is freed (no crash loop)', async () => {
    const before = await start();
    await before.launch().expect(201);
    disk.fill();
    await before.stop();

    const service = await start();
    const launched = await service.launch().expect(201);
    await eventually(() => kpisStopped(service), 'the projections to stop');
    await expectReadModelsDegraded(service, /disque est plein|entrée-sortie|ne peuvent pas être ouverts/);

    disk.free();
    await eventually(() => reportReached(service, launched.body.position), 'the read models to catch up');
    await eventually(async () => (await service.health()).status === 'ok', 'every part of /health to be ok');
  });

  it('rule: a read-models file replaced by a directory stops the projections (never a write lost to the old file); the directory removed, they rebuild by themselves', async () => {
    const service = await start();
    const first = await service.launch().expect(201);
    await eventually(() => reportReached(service, first.body.position), 'the first programme in the read models');

    rmSync(readModels);
    mkdirSync(readModels);
    const second = await service.launch().expect(201);
    await eventually(() => kpisStopped(service), 'the projections to stop');
    await expectReadModelsDegraded(service, /supprimés, déplacés ou remplacés|ne peuvent pas être ouverts/);

    rmSync(readModels, { recursive: true });
    await eventually(() => reportReached(service, second.body.position), 'the read models to be rebuilt');
    await eventually(async () => (await service.health()).status === 'ok', 'every part of /health to be ok');
  });

  it('rule: started with its read models on a read-only file system, the service starts and takes commands; the file system writable again, it catches up by itself', async () => {
    const before = await start();
    await before.launch().expect(201);
    await before.stop();
    disk.readOnly();
    const service = await start().catch((error: unknown) => {
      disk.readWrite();
      throw error;
    });
    try {
      await service.launch().expect(201);
      await eventually(() => kpisStopped(service), 'the projections to stop');
      await expectReadModelsDegraded(service, /lecture seule|ne peuvent pas être (ouverts|écrits)/);
    } finally {
      disk.readWrite();
    }
    const launched = await service.launch().expect(201);
    await eventually(() => reportReached(service, launched.body.position), 'the read models to catch up');
    await eventually(async () => (await service.health()).status === 'ok', 'every part of /health to be ok');
  });

  it('rule: an event store on a full disk refuses commands with 503 STORE.UNAVAILABLE (not a 500), says so on /health, and takes them again by itself once space is freed', async () => {
    const storeDir = join(disk.path, 'store');
    const service = await start({ dataDir: storeDir, readModelsFile: ':memory:' });
    await service.launch().expect(201);

    disk.fill();
    const refused = await service.launch().expect(503);
    expect(refused.body).toMatchObject({ code: 'STORE.UNAVAILABLE' });
    expect(messageOf(refused.body)).toContain('le disque est plein');
    const health = await service.health();
    expect(health.status).toBe('degraded');
    expect(health.eventStore).toMatchObject({ status: 'degraded', kind: 'sqlite', writable: false, lastWriteError: { code: 'STORE.UNAVAILABLE', since: expect.any(String) } });
    expect(health.eventStore.reason).toContain('le disque est plein');

    disk.free();
    await eventually(async () => (await service.health()).eventStore.writable, 'the store to find itself writable');
    await service.launch().expect(201);
    await eventually(async () => (await service.health()).status === 'ok', 'every part of /health to be ok');
  });

  it('rule: one unreadable event: the service keeps running and restarts; reads, reports and commands on it answer 503 naming it; once repaired, all recover by themselves', async () => {
    const service = await start();
    const launched = await service.launch('programme-corrompu').expect(201);
    await eventually(() => reportReached(service, launched.body.position), 'the programme in the read models');
    const streamId = 'programme-programme-corrompu';
    // A row cut short, written past the store (as a damaged file could hold it).
    const db = new Database(join(dataDir, 'jalon.sqlite'));
    const metadata = JSON.stringify({ actor: 'cli', role: 'admin', correlationId: 'c', causationId: 'c', recordedAt: TEST_NOW.toISOString() });
    const position = BigInt(
      db
        .prepare(`INSERT INTO events (event_id, stream_id, revision, type, version, data, metadata) VALUES ('6b1f7c1e-0000-4000-8000-000000000001', ?, 1, 'ProgrammeTargetsRevised', 1, '{"programmeId": "programme-corr', ?)`)
        .run(streamId, metadata).lastInsertRowid,
    );
    db.close();
    const named = { streamId, revision: 1, position: position.toString() };
    const expectNamed = (body: { code: string; detail?: string; message?: string; details: unknown }) => {
      expect(body).toMatchObject({ code: 'EVENT_STORE.UNREADABLE_EVENT', details: named });
      expect(messageOf(body)).toContain(`du flux ${streamId} en révision 1 (position ${position}) est illisible`);
      // Why, in French (JSON.parse's own words are English: « Unterminated string in JSON at position 31 »).
      expect(messageOf(body)).toContain('data : ce n’est pas du JSON valide (');
      expect(messageOf(body)).not.toMatch(/in JSON|Unterminated|Expected/);
    };

    const expectDegraded = async (on: Service) => {
      await eventually(async () => kpisOf(await on.health()).skippedEvents.length > 0, 'the projections to pass over the event');
      const health = await on.health();
      expect(health.status).toBe('degraded');
      expect(kpisOf(health).skippedEvents).toEqual([expect.objectContaining({ ...named, type: 'ProgrammeTargetsRevised' })]);
      expect(health.projections.reason).toContain(`flux ${streamId} en révision 1 (position ${position})`);
      expectNamed((await on.get('/api/reports/kpis').expect(503)).body);
      // Replayed for a past date, the report meets it in the log: the same answer.
      expectNamed((await on.get('/api/reports/kpis?asOf=2025-01-01').expect(503)).body);
      expectNamed((await on.get(`/api/streams/${streamId}/events`).expect(503)).body);
      const command = await request(on.http)
        .post('/api/programmes/programme-corrompu/target-revisions')
        .set('Authorization', `Bearer ${token}`)
        .send({ targets: { antennaCount: 90, targetDate: '2023-12-31' }, reason: 'Report', effectiveDate: '2020-06-01' })
        .expect(503);
      expectNamed(command.body);
    };
    await expectDegraded(service);

    // It used to crash at every start.
    await service.stop();
    const restarted = await start();
    await expectDegraded(restarted);

    const repair = new Database(join(dataDir, 'jalon.sqlite'));
    try {
      const data = { programmeId: 'programme-corrompu', targets: { antennaCount: 90, targetDate: '2023-12-31' }, previousTargets: { antennaCount: 100, targetDate: '2022-12-31' }, reason: 'Report', effectiveDate: '2020-06-01' };
      repair.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify(data), position);
    } finally {
      repair.close();
    }
    await restarted.get(`/api/streams/${streamId}/events`).expect(200);
    await eventually(async () => (await restarted.get('/api/reports/kpis')).status === 200, 'the read models to be rebuilt');
    await eventually(async () => (await restarted.health()).status === 'ok', 'every part of /health to be ok');
  });

  it('rule: the service refuses to start on a read-only data directory, at once and before anything else, saying so in French (the CLI prints the code and this sentence)', async () => {
    const readOnlyDir = join(disk.path, 'store');
    mkdirSync(readOnlyDir, { recursive: true });
    disk.readOnly();
    const printed: string[] = [];
    try {
      const error = await startServer({ ...loadConfig({ DATA_DIR: readOnlyDir }), port: 0 }, (line) => printed.push(line)).then(
        (app) => app.close().then(() => new Error('the service started')),
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(EventStoreError);
      expect(error).toMatchObject({ code: 'STORE.UNAVAILABLE' });
      expect((error as Error).message).toMatch(new RegExp(`^le magasin d’événements ne peut pas s’ouvrir en écriture sur le dossier de données ${readOnlyDir}.*lecture seule`));
      expect(printed).toEqual([]);
    } finally {
      disk.readWrite();
    }
  });
});
