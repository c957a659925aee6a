import { EventStore, SqliteEventStore } from '@jalon/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineProjection, ProjectedEvent } from '../projection';
import { ProjectionLeaseStore } from '../storage/projection-storage.port';
import { SqliteProjectionStorage } from '../storage/sqlite-projection-storage';
import { newInstanceId } from './projection-lease';
import { ProjectionLeaseSettings, ProjectionRunner } from './projection-runner';

/**
 * Several instances on one read-model file (docs/decisions/0019): exactly one, the holder of the
 * lease, applies events; the others serve what it commits, and take over when it stops renewing.
 * Each runner has its own connection to the file, as separate processes do.
 */

/** Counts `Counted` events per stream: an event applied twice, or missed, shows. */
const counter = () =>
  defineProjection<{ stream: string; events: number }>({
    name: 'counter',
    version: 1,
    handles: ['Counted'],
    keysOf: (event: ProjectedEvent) => [`stream:${event.streamId}`],
    evolve: (doc, event) => ({ stream: event.streamId, events: (doc?.events ?? 0) + 1 }),
  });

const metadata = { actor: 'test', role: 'admin', correlationId: 'c', causationId: 'c', recordedAt: '2026-01-15T10:00:00.000Z' };
let ids = 0;
async function appendCounted(store: EventStore, stream: string, count: number) {
  return store.append(
    stream,
    Array.from({ length: count }, () => ({ id: `00000000-0000-4000-a000-${String(++ids).padStart(12, '0')}`, type: 'Counted', version: 1, data: { effectiveDate: '2026-01-01' }, metadata })),
    { expectedRevision: 'any' },
  );
}

async function eventually(condition: () => boolean | Promise<boolean>, label: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A lease store that cannot write while `failing` (its file is on a full disk): it still reads a lease held by another; taking or renewing one fails. */
class FlakyLeaseStore implements ProjectionLeaseStore {
  failing = false;
  constructor(private readonly inner: ProjectionLeaseStore) {}
  takeLease(...args: Parameters<ProjectionLeaseStore['takeLease']>) {
    const [holder, , now] = args;
    const seen = this.inner.lease();
    if (this.failing && !(seen && seen.holder !== holder && seen.expiresAt > now)) {
      throw new Error('les modèles de lecture (read-models.sqlite) ne peuvent pas être écrits : le disque est plein (SQLITE_FULL)');
    }
    return this.inner.takeLease(...args);
  }
  releaseLease(holder: string) {
    this.inner.releaseLease(holder);
  }
  lease() {
    return this.inner.lease();
  }
  publishHolderReport(holder: string, report: string) {
    if (this.failing) throw new Error('les modèles de lecture (read-models.sqlite) ne peuvent pas être écrits : le disque est plein (SQLITE_FULL)');
    return this.inner.publishHolderReport(holder, report);
  }
  holderReport() {
    return this.inner.holderReport();
  }
}

describe('ProjectionRunner with a lease (several instances on one store)', () => {
  const RENEW_MS = 40;
  const EXPIRY_MS = 200;
  let dir: string;
  let store: SqliteEventStore;
  const storages: SqliteProjectionStorage[] = [];
  const runners: ProjectionRunner[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-lease-'));
    store = SqliteEventStore.open({ file: join(dir, 'jalon.sqlite'), livePollMs: 10 });
    await appendCounted(store, 's-1', 5);
  });
  afterEach(async () => {
    for (const runner of runners.splice(0)) await runner.stop();
    for (const storage of storages.splice(0)) storage.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** One instance: its own connection to the read-model file, its own id. */
  const instance = (lease: (storage: SqliteProjectionStorage) => ProjectionLeaseStore = (storage) => storage) => {
    const storage = SqliteProjectionStorage.open(join(dir, 'read-models.sqlite'));
    storages.push(storage);
    const settings: ProjectionLeaseSettings = { store: lease(storage), holder: newInstanceId(), renewMs: RENEW_MS, expiryMs: EXPIRY_MS };
    const runner = new ProjectionRunner(store, storage, [counter()], { lease: settings, flushIntervalMs: 5 });
    runners.push(runner);
    const commits = jest.spyOn(storage, 'commit');
    return { runner, storage, commits, id: settings.holder };
  };
  const counts = (runner: ProjectionRunner) => Object.fromEntries(runner.view<{ stream: string; events: number }>('counter').list('stream:').map((doc) => [doc.stream, doc.events]));

  it('rule: exactly one instance applies events and commits; the other serves what it committed, and reads its own writes', async () => {
    const a = instance();
    const b = instance();
    await a.runner.start();
    await b.runner.start();
    expect(a.runner.leaseStatus()).toMatchObject({ instance: a.id, role: 'leader', holder: a.id, held: true, expired: false });
    expect(b.runner.leaseStatus()).toMatchObject({ instance: b.id, role: 'follower', holder: a.id, held: false, expired: false });
    expect(a.runner.holdsLease()).toBe(true);
    expect(b.runner.holdsLease()).toBe(false);

    const { position } = await appendCounted(store, 's-2', 3);
    // The follower answers a read-your-writes wait from the leader's commits.
    await expect(b.runner.waitForPosition(position, 5_000)).resolves.toBe(true);
    expect(counts(b.runner)).toEqual({ 's-1': 5, 's-2': 3 });
    expect(counts(a.runner)).toEqual({ 's-1': 5, 's-2': 3 });
    expect(b.runner.status()[0]).toMatchObject({ position: position.toString(), caughtUp: true, serving: true, state: 'running' });
    expect(a.commits).toHaveBeenCalled();
    expect(b.commits).not.toHaveBeenCalled();
  });

  it('rule: a holder that cannot renew its lease stops applying by the time it expires; the other takes over once it has expired, and no event is applied twice or missed', async () => {
    let flaky: FlakyLeaseStore | undefined;
    const a = instance((storage) => (flaky = new FlakyLeaseStore(storage)));
    const b = instance();
    await a.runner.start();
    await b.runner.start();
    await appendCounted(store, 's-2', 4);

    flaky!.failing = true;
    const failedAt = Date.now();
    // The lease as the holder last renewed it: it cannot renew it from now on.
    const lastRenewed = flaky!.lease()!;
    let appended = 0;
    // Events keep arriving throughout the handover.
    while (b.runner.leaseStatus()?.role !== 'leader') {
      if (Date.now() - failedAt > 5_000) throw new Error('the other instance never took the lease over');
      await appendCounted(store, 's-3', 1);
      appended += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // It could only take it over once the lease expired (its holder, alive, was not renewing it): at
    // the expiry of the holder's last renewal, which a loaded machine may have made late, well before
    // the failure (so not "EXPIRY_MS - RENEW_MS after the failure").
    expect(lastRenewed.holder).toBe(a.id);
    const takenOver = flaky!.lease()!;
    expect(takenOver).toMatchObject({ holder: b.id, term: lastRenewed.term + 1 });
    expect(Date.parse(takenOver.takenAt)).toBeGreaterThanOrEqual(lastRenewed.expiresAt);
    // It stopped for the failed renewal, or, when its event loop ran late (a loaded machine) and the
    // next renewal came after the expiry, for the expiry itself: either way it applied nothing past it.
    expect(a.runner.leaseStatus()).toMatchObject({
      role: 'follower',
      holder: b.id,
      lastLost: { reason: expect.stringMatching(/n’a pas pu être renouvelé .*disque est plein|a expiré avant d’avoir pu être renouvelé/) },
    });

    // Once it sees the lease held again, it serves what the new holder commits.
    await eventually(() => a.runner.unavailability('counter') === undefined, 'the former holder to serve again');
    const { position } = await appendCounted(store, 's-3', 2);
    await expect(a.runner.waitForPosition(position, 5_000)).resolves.toBe(true);
    expect(counts(a.runner)).toEqual({ 's-1': 5, 's-2': 4, 's-3': appended + 2 });
    expect(counts(b.runner)).toEqual(counts(a.runner));
  });

  it('rule: a stopped holder gives the lease up: the other takes it over without waiting for it to expire', async () => {
    const a = instance();
    const b = instance();
    await a.runner.start();
    await b.runner.start();
    await a.runner.stop();
    const stoppedAt = Date.now();
    await eventually(() => b.runner.leaseStatus()?.role === 'leader', 'the other instance to lead');
    expect(Date.now() - stoppedAt).toBeLessThan(EXPIRY_MS);
    const { position } = await appendCounted(store, 's-2', 2);
    await expect(b.runner.waitForPosition(position, 5_000)).resolves.toBe(true);
    expect(counts(b.runner)).toEqual({ 's-1': 5, 's-2': 2 });
  });

  it('rule: a follower that finds the lease expired and cannot take it says so, and its reads are refused as stopped until it can', async () => {
    let flaky: FlakyLeaseStore | undefined;
    const a = instance((storage) => (flaky = new FlakyLeaseStore(storage)));
    flaky!.failing = true;
    await a.runner.start();
    expect(a.runner.leaseStatus()).toMatchObject({ role: 'follower', holder: null, expired: true, error: { reason: expect.stringMatching(/disque est plein/) } });
    expect(a.runner.unavailability('counter')).toMatchObject({ kind: 'stopped', failure: { reason: expect.stringMatching(/^le bail des projections ne peut pas être pris.*disque est plein/) } });

    flaky!.failing = false;
    await eventually(() => a.runner.leaseStatus()?.role === 'leader', 'the instance to take the lease');
    const { position } = await appendCounted(store, 's-2', 1);
    await expect(a.runner.waitForPosition(position, 5_000)).resolves.toBe(true);
    expect(a.runner.unavailability('counter')).toBeUndefined();
    expect(counts(a.runner)).toEqual({ 's-1': 5, 's-2': 1 });
  });

  it('rule: a follower in another process learns from the file that the holder stopped a projection, and why: it says so, refuses to wait for it, and serves it again once the holder resumes', async () => {
    let poisoned = true;
    // Throws on the events of one stream while `poisoned`: the holder stops it and retries.
    const fragile = defineProjection<{ stream: string; events: number }>({
      name: 'counter',
      version: 1,
      handles: ['Counted'],
      keysOf: (event: ProjectedEvent) => [`stream:${event.streamId}`],
      evolve: (doc, event) => {
        if (poisoned && event.streamId === 'poison') throw new Error('montant illisible');
        return { stream: event.streamId, events: (doc?.events ?? 0) + 1 };
      },
    });
    const start = async () => {
      const storage = SqliteProjectionStorage.open(join(dir, 'read-models.sqlite'));
      storages.push(storage);
      const settings: ProjectionLeaseSettings = { store: storage, holder: newInstanceId(), renewMs: RENEW_MS, expiryMs: EXPIRY_MS };
      const runner = new ProjectionRunner(store, storage, [fragile], { lease: settings, flushIntervalMs: 5, retryDelayMs: { first: 20, max: 100 } });
      runners.push(runner);
      await runner.start();
      return runner;
    };
    const holder = await start();
    const follower = await start();
    expect(follower.leaseStatus()).toMatchObject({ role: 'follower' });

    const { position } = await appendCounted(store, 'poison', 1);
    await eventually(() => follower.status()[0]?.state === 'stopped', 'the follower to learn that the holder stopped the projection');
    expect(holder.status()[0]).toMatchObject({ state: 'stopped' });
    expect(follower.status()[0]!.failure).toMatchObject({ reason: expect.stringMatching(/montant illisible/) });
    expect(follower.unavailability('counter')).toMatchObject({ kind: 'stopped', failure: { reason: expect.stringMatching(/montant illisible/) } });
    await expect(follower.waitForPosition(position, 5_000)).resolves.toBe(false);

    poisoned = false;
    await eventually(() => follower.status()[0]?.state === 'running', 'the follower to learn that the holder resumed');
    await expect(follower.waitForPosition(position, 5_000)).resolves.toBe(true);
    expect(follower.unavailability('counter')).toBeUndefined();
  });
});
