import { EventStore, SqliteEventStore } from '@jalon/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineProjection, ProjectedEvent } from '../projection';
import { SqliteProjectionStorage } from '../storage/sqlite-projection-storage';
import { newInstanceId } from './projection-lease';
import { ProjectionRunner, ProjectionStatus } from './projection-runner';

/**
 * A runner that stands by for another runner of its process (`jalon serve`'s serving thread and its
 * projection thread, docs/decisions/0030): it does not take a free lease while standing by, takes it
 * at once when told the other is gone, and answers queries with the failures the holder reports.
 */

const counter = defineProjection<{ events: number }>({
  name: 'counter',
  version: 1,
  handles: ['Counted'],
  keysOf: (event: ProjectedEvent) => [`stream:${event.streamId}`],
  evolve: (doc) => ({ events: (doc?.events ?? 0) + 1 }),
});

const metadata = { actor: 'test', role: 'admin', correlationId: 'c', causationId: 'c', recordedAt: '2026-01-15T10:00:00.000Z' };
let ids = 0;
const appendCounted = (store: EventStore, stream: string) =>
  store.append(stream, [{ id: `00000000-0000-4000-b000-${String(++ids).padStart(12, '0')}`, type: 'Counted', version: 1, data: { effectiveDate: '2026-01-01' }, metadata }], { expectedRevision: 'any' });

describe('ProjectionRunner standing by for another runner of its process', () => {
  let dir: string;
  let store: SqliteEventStore;
  let storage: SqliteProjectionStorage;
  let runner: ProjectionRunner;
  let standingBy: boolean;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-stand-by-'));
    store = SqliteEventStore.open({ file: join(dir, 'jalon.sqlite'), livePollMs: 10 });
    storage = SqliteProjectionStorage.open(join(dir, 'read-models.sqlite'));
    standingBy = true;
    // A long renewal period: a takeover that waited for the next attempt would show.
    runner = new ProjectionRunner(store, storage, [counter], { lease: { store: storage, holder: newInstanceId(), renewMs: 60_000, expiryMs: 120_000, standBy: () => standingBy }, flushIntervalMs: 5 });
    await appendCounted(store, 's-1');
  });
  afterEach(async () => {
    await runner.stop();
    storage.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rule: standing by, it leaves a free lease to the other runner and applies nothing; told the other is gone, it takes the lease at once and applies events', async () => {
    await runner.start();
    expect(runner.leaseStatus()).toMatchObject({ role: 'follower', holder: null });
    expect(runner.holdsLease()).toBe(false);
    expect(storage.checkpoint('counter@1')).toBeUndefined();

    standingBy = false;
    await runner.takeLeaseNow();
    expect(runner.leaseStatus()).toMatchObject({ role: 'leader', held: true });
    const { position } = await appendCounted(store, 's-2');
    await expect(runner.waitForPosition(position, 5_000)).resolves.toBe(true);
  });

  it('rule: a projection the holder reports stopped is stopped for queries here: its waits end at once, its status and unavailability say why; cleared when the holder no longer reports it', async () => {
    await runner.start();
    const failure = { reason: 'les modèles de lecture ne peuvent pas être écrits : le disque est plein', since: '2026-12-03T09:00:00.000Z', attempts: 1, nextRetryAt: '2026-12-03T09:00:01.000Z' };
    const stopped: ProjectionStatus = { id: 'counter@1', name: 'counter', version: 1, position: '0', caughtUp: false, serving: true, state: 'stopped', failure, skipped: [] };
    const waiting = runner.waitForPosition(99n, 10_000);
    runner.holderReported({ projections: [stopped], log: failure });
    await expect(waiting).resolves.toBe(false);
    await expect(runner.waitForPosition(99n, 10_000)).resolves.toBe(false);
    expect(runner.unavailability('counter')).toEqual({ kind: 'stopped', id: 'counter@1', failure });
    expect(runner.status()[0]).toMatchObject({ state: 'stopped', failure });
    expect(runner.logFailure()).toEqual(failure);

    runner.holderReported(undefined);
    // No longer stopped; no runner has applied the log's event yet, so there is nothing to serve until one has.
    expect(runner.unavailability('counter')).toEqual({ kind: 'building', id: 'counter@1', position: 0n });
    expect(runner.status()[0]).toMatchObject({ state: 'running' });
    expect(runner.logFailure()).toBeUndefined();
  });
});
