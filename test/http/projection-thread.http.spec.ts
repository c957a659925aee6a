import { IdentityService, ReportService } from '@jalon/application';
import { ready } from '@jalon/api';
import { EVENT_STORE, loadConfig } from '@jalon/core';
import { SqliteEventStore } from '@jalon/event-store';
import { PROJECTIONS, ProjectionRunner, SqliteProjectionStorage } from '@jalon/projections';
import { createJalonApp } from '@jalon/web';
import { INestApplication } from '@nestjs/common';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { TEST_NOW } from './api-under-test';

/**
 * `jalon serve` runs its projections in a worker thread (docs/decisions/0030): the worker holds the
 * lease and commits; the serving thread's runner stands by and serves what it commits, learns from
 * the worker's reports what it stopped, and takes the projections over at once when the worker dies.
 */

const WORKER_THAT_DIES = join(__dirname, '..', 'support', 'projection-worker-that-dies.ts');
const TRIGGER_ENV = 'JALON_TEST_PROJECTION_WORKER_DIES_ON';
/** The default lease expiry: a takeover that waited for it would take this long. */
const LEASE_EXPIRY_MS = 10_000;
const REPORTS = ['kpis', 'budget', 'funding', 'phases'] as const;

interface Health {
  status: string;
  projections: {
    status: string;
    reason?: string;
    thread?: { state: string; instance: string; since: string; reason?: string; priority?: { asked: number; nice: number; thread?: number; reason?: string } };
    lease: { instance: string; role: string; holder: string | null; held: boolean };
    list: Array<{ name: string; state: string; error?: string }>;
  };
}

async function eventually<T>(probe: () => Promise<T | undefined>, label: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

jest.setTimeout(60_000);

describe('HTTP service with its projections in a worker thread', () => {
  let dataDir: string;
  let app: INestApplication | undefined;
  let token = '';
  let programmes = 0;
  /** Data directories whose programme is launched. */
  const launched = new Set<string>();

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'jalon-thread-'));
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    delete process.env[TRIGGER_ENV];
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The service as `jalon serve` builds it (read models in a file: thread mode by default), its worker dying when `trigger` exists. */
  const start = async (trigger?: string, env: NodeJS.ProcessEnv = {}, workerPollMs?: number) => {
    if (trigger) process.env[TRIGGER_ENV] = trigger;
    app = await createJalonApp({
      config: loadConfig({ DATA_DIR: dataDir, ...env }),
      clock: { now: () => TEST_NOW },
      logger: false,
      projectionRunner: { retryDelayMs: { first: 20, max: 200 } },
      ...(workerPollMs ? { projectionWorkerPollMs: workerPollMs } : {}),
      ...(trigger ? { projectionWorkerEntry: WORKER_THAT_DIES } : {}),
    });
    await app.init();
    await ready(app);
    token = (await app.get(IdentityService).bootstrapAdmin())!.token;
    return app.getHttpServer();
  };
  const health = async (http: unknown) => (await request(http as never).get('/health').expect(200)).body as Health;
  /**
   * Writes and answers the position: the launch of the installation's one programme the first time
   * in the data directory (docs/decisions/0061), then a new convention of it.
   */
  const launch = async (http: unknown) => {
    const post = (path: string) => request(http as never).post(path).set('Authorization', `Bearer ${token}`);
    const written = launched.has(dataDir)
      ? post('/api/programmes/programme-fil/conventions').send({ conventionId: `convention-${++programmes}`, title: `Convention ${programmes}`, partners: ['Cnam'], durationMonths: 36, effectiveDate: '2019-04-01' })
      : post('/api/programmes').send({ programmeId: 'programme-fil', name: 'Programme fil', operator: 'Cnam', targets: { antennaCount: 100, targetDate: '2022-12-31' }, effectiveDate: '2019-01-15' });
    const position = BigInt((await written.expect(201)).body.position as string);
    launched.add(dataDir);
    return position;
  };
  const reportsAt = async (http: unknown, position: bigint) => {
    const bodies: unknown[] = [];
    for (const kind of REPORTS) bodies.push((await request(http as never).get(`/api/reports/${kind}?waitForPosition=${position}`).set('Authorization', `Bearer ${token}`).expect(200)).body);
    return bodies;
  };
  /** The same reports from fresh projections fed with the whole log. */
  const replayed = async () => {
    const store = SqliteEventStore.open({ file: join(dataDir, 'jalon.sqlite') });
    const storage = SqliteProjectionStorage.open(':memory:');
    try {
      const runner = new ProjectionRunner(store, storage, PROJECTIONS);
      await runner.rebuild();
      const service = new ReportService(store, runner, { now: () => TEST_NOW }, 'Europe/Paris');
      const bodies: unknown[] = [];
      for (const kind of REPORTS) bodies.push(JSON.parse(JSON.stringify(await service.build({ kind }))));
      return bodies;
    } finally {
      storage.close();
      await store.close();
    }
  };
  const kpisOf = (body: Health) => body.projections.list.find((projection) => projection.name === 'kpis')!;

  it('rule: the worker holds the lease and applies events; a command read back with waitForPosition includes its own write; a projection the worker stops shows in /health and its reports answer 503 until it resumes', async () => {
    const http = await start();
    const running = await eventually(async () => {
      const body = await health(http);
      return body.projections.thread?.state === 'running' && body.projections.lease.role === 'leader' ? body : undefined;
    }, 'the projection thread to hold the lease');
    expect(running.projections.lease).toMatchObject({ instance: running.projections.thread!.instance, holder: running.projections.thread!.instance, held: true });
    // The serving thread applies nothing: it stands by for its worker.
    expect(app!.get(ProjectionRunner).leaseStatus()).toMatchObject({ role: 'follower', holder: running.projections.thread!.instance });

    // Each command read back at its own position: what the worker committed, equal to a full replay.
    for (let i = 0; i < 2; i++) {
      const position = await launch(http);
      expect(await reportsAt(http, position)).toEqual(await replayed());
    }

    // The worker's commits fail (its file replaced by a directory): the serving process says so.
    const readModels = join(dataDir, 'read-models.sqlite');
    rmSync(readModels);
    mkdirSync(readModels);
    const afterFault = await launch(http);
    const stopped = await eventually(async () => {
      const body = await health(http);
      return kpisOf(body).state === 'stopped' ? body : undefined;
    }, 'the worker to stop its projections');
    expect(stopped).toMatchObject({ status: 'degraded', projections: { status: 'degraded', thread: { state: 'running' } } });
    expect(kpisOf(stopped).error).toMatch(/supprimés, déplacés ou remplacés|ne peuvent pas être ouverts/);
    const refused = await request(http).get(`/api/reports/kpis?waitForPosition=${afterFault}`).set('Authorization', `Bearer ${token}`).expect(503);
    expect(refused.body).toMatchObject({ code: 'READ_MODEL.UNAVAILABLE' });

    rmSync(readModels, { recursive: true });
    await eventually(async () => ((await request(http).get(`/api/reports/kpis?waitForPosition=${afterFault}`).set('Authorization', `Bearer ${token}`)).status === 200 ? true : undefined), 'the worker to rebuild');
    await eventually(async () => ((await health(http)).status === 'ok' ? true : undefined), '/health to be ok');
  });

  it('rule: each command the serving thread commits wakes the projection thread at once, not at its next look at the file', async () => {
    // A look at the file every ten minutes: only the serving thread's word can bring the worker the commands in time.
    const http = await start(undefined, {}, 10 * 60_000);
    await eventually(async () => ((await health(http)).projections.lease.role === 'leader' ? true : undefined), 'the projection thread to hold the lease');
    for (let i = 0; i < 3; i++) {
      const position = await launch(http);
      expect(await reportsAt(http, position)).toEqual(await replayed());
    }
  });

  it.each([
    ['by default', {}, 10],
    ['as configured', { JALON_PROJECTION_THREAD_NICE: '0' }, 0],
  ] as const)('rule: the projection thread runs at a lower scheduling priority than the serving thread (%s), as the system reads it and as /health says', async (_how, env, asked) => {
    // The nice value of a thread of this process, as Linux reads it (field 19 of its stat line).
    const niceOf = (task: number) => Number(readFileSync(`/proc/self/task/${task}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
    const servingBefore = niceOf(process.pid);
    const http = await start(undefined, env);
    const priority = await eventually(async () => (await health(http)).projections.thread?.priority, 'the worker to report its priority');
    expect(priority).toEqual({ asked, nice: asked, thread: expect.any(Number) });
    expect(priority.thread).not.toBe(process.pid);
    expect(niceOf(priority.thread!)).toBe(asked);
    // Only the projection thread: the serving thread keeps its priority.
    expect(niceOf(process.pid)).toBe(servingBefore);
  });

  it('rule: a projection thread that dies is taken over at once by the serving thread, /health says so, and commands and reports go on, equal to a full replay', async () => {
    const trigger = join(dataDir, 'worker-dies');
    const http = await start(trigger);
    await eventually(async () => ((await health(http)).projections.lease.role === 'leader' ? true : undefined), 'the projection thread to hold the lease');
    const before = await launch(http);
    await reportsAt(http, before);
    // The embedded store's checkpoints are the worker's while it runs (docs/decisions/0032)…
    const store = app!.get<SqliteEventStore>(EVENT_STORE);
    expect(store.checkpointsHandedOver).toBe(true);

    writeFileSync(trigger, '');
    const diedAt = Date.now();
    const takenOver = await eventually(async () => {
      const body = await health(http);
      return body.projections.thread?.state === 'stopped' && body.projections.lease.role === 'leader' ? body : undefined;
    }, 'the serving thread to take the projections over');
    // At once: its lease given up on the dead worker's behalf, not left to expire.
    expect(Date.now() - diedAt).toBeLessThan(LEASE_EXPIRY_MS / 2);
    const servingThread = app!.get(ProjectionRunner).leaseStatus()!.instance;
    expect(takenOver.projections.lease).toMatchObject({ instance: servingThread, holder: servingThread, held: true });
    expect(takenOver).toMatchObject({ status: 'degraded', projections: { status: 'degraded' } });
    expect(takenOver.projections.thread!.reason).toMatch(/panne provoquée par le test.*le fil qui sert les requêtes applique désormais lui-même les événements/);
    // …and the serving thread's again once it is gone: the log never grows past SQLite's own interval for want of a checkpointer.
    expect(store.checkpointsHandedOver).toBe(false);

    let position = before;
    for (let i = 0; i < 3; i++) position = await launch(http);
    expect(await reportsAt(http, position)).toEqual(await replayed());
  });

  it('rule: a projection thread that cannot start leaves the service serving: the serving thread runs the projections and /health says why', async () => {
    const trigger = join(dataDir, 'worker-dies');
    writeFileSync(trigger, '');
    const http = await start(trigger);
    const body = await eventually(async () => {
      const current = await health(http);
      return current.projections.thread?.state === 'stopped' && current.projections.lease.role === 'leader' ? current : undefined;
    }, 'the serving thread to run the projections');
    expect(body.projections.thread!.reason).toMatch(/panne provoquée par le test/);
    const position = await launch(http);
    expect(await reportsAt(http, position)).toEqual(await replayed());
  });
});
