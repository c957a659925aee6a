import { ReportService, systemClock } from '@jalon/application';
import { EventStore, connectEventStoreDb, SqliteEventStore } from '@jalon/event-store';
import { PROJECTIONS, ProjectionRunner, SqliteProjectionStorage } from '@jalon/projections';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMAND_ROUTES } from '../../apps/api/src/commands/command-routes';
import { ANTENNA_ID, HistoryStep, MONTBELIARD_HISTORY } from '../../apps/cli/src/demo/montbeliard-history';
import { EventStoreDbTestDouble, startEventStoreDbTestDouble } from '../doubles/eventstoredb/eventstoredb-test-double';
import { Instance, startInstance } from './instance';

/**
 * Several service processes on one store (docs/decisions/0019): `jalon serve` started twice on
 * the same data directory (the embedded store's file, or EventStoreDB through its test double,
 * with the read models beside), commands written through both; exactly one applies events (the
 * holder of the projection lease). The holder is killed (SIGKILL): another takes over within a
 * bounded time; a holder paused (SIGSTOP) past its lease is replaced, and once woken applies
 * nothing more. Every instance's reports then equal a full replay of the log into fresh
 * projections (an event applied twice or missed would show), and a dashboard session opened on
 * the first instance works on the others and on an instance started after it was killed.
 */

const RENEW_MS = 100;
const EXPIRY_MS = 1_000;
/** Takeover after a holder stops renewing: its lease expires, plus the next attempt, plus slack for a loaded machine. */
const TAKEOVER_BOUND_MS = EXPIRY_MS + 2 * RENEW_MS + 4_000;
const REPORTS: readonly { kind: string; antenna?: string }[] = [
  { kind: 'kpis' },
  { kind: 'budget' },
  { kind: 'funding' },
  { kind: 'phases' },
  { kind: 'budget', antenna: ANTENNA_ID },
  { kind: 'funding', antenna: ANTENNA_ID },
  { kind: 'phases', antenna: ANTENNA_ID },
  { kind: 'history', antenna: ANTENNA_ID },
];

interface Lease {
  instance: string;
  role: 'leader' | 'follower' | 'stopped';
  holder: string | null;
  held: boolean;
  expiresAt: string | null;
  expired: boolean;
  lastLost?: { reason: string };
}

async function eventually<T>(probe: () => Promise<T | undefined>, label: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const healthOf = async (instance: Instance) => (await (await fetch(`${instance.url}/health`)).json()) as { projections: { lease: Lease; status: string; reason?: string } };
const leaseOf = async (instance: Instance) => (await healthOf(instance)).projections.lease;

/** Sends one step of the demo history to its route, as a client of the API does. */
async function send(instance: Instance, token: string, step: HistoryStep): Promise<bigint> {
  const route = COMMAND_ROUTES.find((candidate) => candidate.command === step.command);
  if (!route) throw new Error(`no route for ${step.command}`);
  const body: Record<string, unknown> = { ...step.input };
  const path = route.path.replace(/:(\w+)/g, (_, field: string) => {
    const value = String(body[field]);
    delete body[field];
    return encodeURIComponent(value);
  });
  const response = await fetch(`${instance.url}/api/${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as { position?: string };
  if (response.status !== 201) throw new Error(`${step.command} through ${instance.name}: ${response.status} ${JSON.stringify(answer)}`);
  return BigInt(answer.position!);
}

/** Signs in through the dashboard's form, as a browser does; returns the session cookie. */
async function signIn(instance: Instance, token: string): Promise<string> {
  const form = await fetch(`${instance.url}/connexion`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const formCookie = form.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ');
  const signedIn = await fetch(`${instance.url}/connexion`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: formCookie },
    body: new URLSearchParams({ _csrf: csrf, jeton: token, retour: '/programme' }).toString(),
  });
  expect(signedIn.status).toBe(303);
  const session = signedIn.headers.getSetCookie().find((cookie) => cookie.startsWith('jalon_session='));
  if (!session) throw new Error(`no session cookie from ${instance.name}`);
  return session.split(';')[0]!;
}

/** The dashboard's programme page with that cookie: 200 when the session is accepted (a redirect to the sign-in form otherwise). */
async function dashboardStatus(instance: Instance, cookie: string): Promise<number> {
  return (await fetch(`${instance.url}/programme`, { redirect: 'manual', headers: { Cookie: cookie } })).status;
}

/** Every compared report from an instance's live read models, once they include `position`. */
async function liveReports(instance: Instance, token: string, position: bigint): Promise<unknown[]> {
  const reports: unknown[] = [];
  for (const { kind, antenna } of REPORTS) {
    const query = new URLSearchParams({ waitForPosition: position.toString(), ...(antenna ? { antenna } : {}) });
    const response = await fetch(`${instance.url}/api/reports/${kind}?${query}`, { headers: { Authorization: `Bearer ${token}` } });
    const body = (await response.json()) as unknown;
    if (response.status !== 200) throw new Error(`${kind} from ${instance.name}: ${response.status} ${JSON.stringify(body)}`);
    reports.push(body);
  }
  return reports;
}

/** The same reports from fresh projections fed with the whole log, as `jalon replay` builds them. */
async function replayedReports(store: EventStore): Promise<unknown[]> {
  const storage = SqliteProjectionStorage.open(':memory:');
  try {
    const runner = new ProjectionRunner(store, storage, PROJECTIONS);
    await runner.rebuild();
    const service = new ReportService(store, runner, systemClock, 'Europe/Paris');
    const reports: unknown[] = [];
    for (const { kind, antenna } of REPORTS) reports.push(JSON.parse(JSON.stringify(await service.build({ kind, ...(antenna ? { antennaId: antenna } : {}) }))));
    return reports;
  } finally {
    storage.close();
  }
}

describe.each([
  ['the embedded store', 'sqlite'],
  ['EventStoreDB (through its test double)', 'eventstoredb'],
] as const)('several instances on %s', (_, kind) => {
  let dataDir: string;
  let double: EventStoreDbTestDouble | undefined;
  const running: Instance[] = [];

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'jalon-instances-'));
    if (kind === 'eventstoredb') double = await startEventStoreDbTestDouble();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((instance) => instance.stop()));
    await double?.stop();
    double = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async (name: string) => {
    const env: Record<string, string> = { DATA_DIR: dataDir, JALON_LEASE_RENEW_MS: String(RENEW_MS), JALON_LEASE_EXPIRY_MS: String(EXPIRY_MS) };
    if (double) Object.assign(env, { EVENT_STORE: 'eventstoredb', EVENTSTORE_URL: double.connectionString });
    const instance = await startInstance(name, env);
    running.push(instance);
    return instance;
  };
  const openStore = (): EventStore => (double ? connectEventStoreDb(double.connectionString) : SqliteEventStore.open({ file: join(dataDir, 'jalon.sqlite') }));
  /** Waits until `instance` holds the lease; returns how long that took. */
  const leads = async (instance: Instance, since: number) => {
    await eventually(async () => ((await leaseOf(instance)).role === 'leader' ? true : undefined), `${instance.name} to hold the lease`, TAKEOVER_BOUND_MS + 5_000);
    return Date.now() - since;
  };

  it(
    'rule: one instance runs the projections, another takes over when it is killed or stops renewing, every report equals a full replay, and dashboard sessions survive',
    async () => {
      const steps = MONTBELIARD_HISTORY;
      const first = await start('A');
      const token = first.token!;
      expect(token).toMatch(/^jalon_/);
      const second = await start('B');

      // Exactly one holds the lease: the first started; the other serves what it commits.
      const [leaseA, leaseB] = await Promise.all([leaseOf(first), leaseOf(second)]);
      expect(leaseA).toMatchObject({ role: 'leader', held: true, holder: leaseA.instance });
      expect(leaseB).toMatchObject({ role: 'follower', held: false, holder: leaseA.instance, expired: false });

      // A dashboard session opened on the first instance is accepted by the second.
      const cookie = await signIn(first, token);
      expect(await dashboardStatus(second, cookie)).toBe(200);

      // Commands through both, in turn.
      let position = 0n;
      const cut1 = Math.floor(steps.length / 3);
      const cut2 = Math.floor((2 * steps.length) / 3);
      for (let i = 0; i < cut1; i++) position = await send(i % 2 === 0 ? first : second, token, steps[i]!);
      expect(await liveReports(second, token, position)).toEqual(await liveReports(first, token, position));

      // The holder killed: the other takes over within a bounded time, with no lease given up.
      const killedAt = Date.now();
      await first.kill();
      running.splice(running.indexOf(first), 1);
      expect(await leads(second, killedAt)).toBeLessThan(TAKEOVER_BOUND_MS);
      const third = await start('C');
      expect(await leaseOf(third)).toMatchObject({ role: 'follower', holder: (await leaseOf(second)).instance });
      // The session opened on the killed instance works on one started after it.
      expect(await dashboardStatus(third, cookie)).toBe(200);
      for (let i = cut1; i < cut2; i++) position = await send(i % 2 === 0 ? second : third, token, steps[i]!);

      // The new holder paused (alive, no longer renewing): the other waits for its lease to expire, then takes over.
      // Paused once it has applied what was just sent: paused inside one of those commits, it would hold
      // the read models' write lock until it resumes, and nobody could take the lease (docs/decisions/0019).
      await liveReports(second, token, position);
      second.pause();
      const pausedAt = Date.now();
      const lastRenewal = await leaseOf(third);
      expect(await leads(third, pausedAt)).toBeLessThan(TAKEOVER_BOUND_MS);
      // Taken (its new expiry minus the expiry period) only once the paused holder's lease had expired.
      const takenOver = await leaseOf(third);
      expect(Date.parse(takenOver.expiresAt!) - EXPIRY_MS).toBeGreaterThanOrEqual(Date.parse(lastRenewal.expiresAt!));
      expect(lastRenewal.holder).toBe(leaseB.instance);
      expect(takenOver).toMatchObject({ holder: takenOver.instance, held: true });
      for (let i = cut2; i < steps.length; i++) position = await send(third, token, steps[i]!);
      // Woken up, the former holder finds its lease gone: it applies and commits nothing more, and serves what the holder commits.
      second.resume();
      const woken = await eventually(
        async () => {
          const lease = await leaseOf(second);
          return lease.role === 'follower' ? lease : undefined;
        },
        'the woken instance to follow',
        5_000,
      );
      expect(woken).toMatchObject({ held: false, holder: (await leaseOf(third)).instance, lastLost: { reason: expect.stringMatching(/bail des projections/) } });

      // No event applied twice or missed: each instance's reports equal a full replay of the log.
      const store = openStore();
      try {
        expect(await store.headPosition()).toBe(position);
        const replayed = await replayedReports(store);
        expect(await liveReports(third, token, position)).toEqual(replayed);
        expect(await liveReports(second, token, position)).toEqual(replayed);
      } finally {
        await store.close();
      }
      expect(await dashboardStatus(second, cookie)).toBe(200);
      expect(await dashboardStatus(third, cookie)).toBe(200);
    },
    240_000,
  );
});
