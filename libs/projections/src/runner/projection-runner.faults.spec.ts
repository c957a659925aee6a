import { EventStore, SqliteEventStore } from '@jalon/event-store';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineProjection, ProjectedEvent, Projection, ReadModelView } from '../projection';
import { ProjectionCommit, ProjectionStorage, ProjectionStorageError, SkippedEvent, StoredCheckpoint } from '../storage/projection-storage.port';
import { SqliteProjectionStorage } from '../storage/sqlite-projection-storage';
import { ProjectionFailedError, ProjectionRunner } from './projection-runner';

/**
 * Failures that never take the process down: a projection that cannot go on stops, says why,
 * tries again with growing delays and resumes by itself; an event the store cannot decode is
 * passed over and named. Storage faults are injected by wrapping a real storage.
 */

type Counter = { stream: string; events: number; total: number };
const counter = () =>
  defineProjection<Counter>({
    name: 'counter',
    version: 1,
    handles: ['Counted'],
    keysOf: (event: ProjectedEvent) => [`stream:${event.streamId}`],
    evolve: (doc, event) => ({ stream: event.streamId, events: (doc?.events ?? 0) + 1, total: (doc?.total ?? 0) + (event.data.amount as number) }),
  });

/** Refuses an amount of 666 while `poison.on`: an evolve that throws on one event. */
const fragile = (poison: { on: boolean }) =>
  defineProjection<{ events: number }>({
    name: 'fragile',
    version: 1,
    handles: ['Counted'],
    keysOf: () => ['all'],
    evolve(doc, event) {
      if (poison.on && event.data.amount === 666) throw new Error('montant refusé par la projection');
      return { events: (doc?.events ?? 0) + 1 };
    },
  });

/** Reads only events of a type nobody appends here: an unreadable `Counted` event is none of its business. */
const unconcerned = () => defineProjection<{ events: number }>({ name: 'unconcerned', version: 1, handles: ['Other'], keysOf: () => ['all'], evolve: (doc) => ({ events: (doc?.events ?? 0) + 1 }) });

/** A real storage whose reads or commits throw while a fault is set, as a full disk or a vanished file make them. */
class FaultyStorage implements ProjectionStorage {
  /** Thrown by every call. */
  fault: Error | undefined;
  /** Thrown by commits only. */
  commitFault: Error | undefined;
  commits = 0;

  constructor(private readonly inner: ProjectionStorage) {}

  checkpoint(id: string): StoredCheckpoint | undefined {
    return this.failing(() => this.inner.checkpoint(id));
  }
  checkpoints(): StoredCheckpoint[] {
    return this.failing(() => this.inner.checkpoints());
  }
  skipped(id: string): SkippedEvent[] {
    return this.failing(() => this.inner.skipped(id));
  }
  view<Doc>(id: string): ReadModelView<Doc> {
    return this.inner.view<Doc>(id);
  }
  documents(id: string, keys: readonly string[]): Map<string, unknown | null> {
    return this.failing(() => this.inner.documents(id, keys));
  }
  commit(commits: readonly ProjectionCommit[]): void {
    if (this.commitFault) throw this.commitFault;
    this.failing(() => this.inner.commit(commits));
    this.commits += 1;
  }
  reset(id: string): void {
    this.failing(() => this.inner.reset(id));
  }
  close(): void {
    this.inner.close();
  }

  private failing<T>(work: () => T): T {
    if (this.fault) throw this.fault;
    return work();
  }
}

const metadata = { actor: 'test', role: 'admin', correlationId: 'c', causationId: 'c', recordedAt: '2026-01-15T10:00:00.000Z' };
let ids = 0;
const nextId = () => `00000000-0000-4000-9000-${String(++ids).padStart(12, '0')}`;
async function appendCounted(store: EventStore, stream: string, amounts: number[]) {
  return store.append(
    stream,
    amounts.map((amount) => ({ id: nextId(), type: 'Counted', version: 1, data: { amount, effectiveDate: '2026-01-01' }, metadata })),
    { expectedRevision: 'any' },
  );
}

/** Polls `condition` until it holds; fails after `timeoutMs` with what it was waiting for. */
async function eventually(condition: () => boolean | Promise<boolean>, label: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const FAST_RETRIES = { retryDelayMs: { first: 5, max: 40 } };
const DISK_FULL = new ProjectionStorageError('les modèles de lecture (read-models.sqlite) ne peuvent pas être écrits : le disque est plein (SQLITE_FULL)');

describe('ProjectionRunner when things fail', () => {
  let dir: string;
  let file: string;
  let store: SqliteEventStore;
  let storage: FaultyStorage;
  const runners: ProjectionRunner[] = [];

  const runner = (projections: Projection[] = [counter() as Projection]) => {
    const created = new ProjectionRunner(store, storage, projections, FAST_RETRIES);
    runners.push(created);
    return created;
  };
  const status = (of: ProjectionRunner, id: string) => of.status().find((s) => s.id === id)!;
  const counts = (of: ProjectionRunner) => Object.fromEntries(of.view<Counter>('counter').list('stream:').map((d) => [d.stream, d.events]));

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-runner-faults-'));
    file = join(dir, 'jalon.sqlite');
    store = SqliteEventStore.open({ file, livePollMs: 20 });
    storage = new FaultyStorage(SqliteProjectionStorage.open(join(dir, 'read-models.sqlite')));
    for (let i = 0; i < 3; i++) await appendCounted(store, `s-${i}`, [1, 2, 3]);
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    storage.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rule: a projection built from the first event with nothing earlier to serve answers no query until it has caught up with the log: its figures would be partial (they were served, with /health ok)', async () => {
    for (let batch = 0; batch < 40; batch++) await appendCounted(store, `long-${batch % 4}`, Array.from({ length: 500 }, () => 1));
    const head = (await store.headPosition())!;
    const live = runner();
    await live.start();
    // Started, the projection is building from the first event: it serves nothing yet.
    expect(live.unavailability('counter')).toMatchObject({ kind: 'building', id: 'counter@1', head });
    expect((live.unavailability('counter') as { position: bigint }).position).toBeLessThan(head);
    expect(status(live, 'counter@1')).toMatchObject({ serving: true, caughtUp: false });
    expect(await live.waitForPosition(head, 20_000)).toBe(true);
    await eventually(() => live.unavailability('counter') === undefined, 'the projection to serve once caught up');
    expect(counts(live)).toMatchObject({ 'long-0': 5_000, 's-0': 3 });
  });

  it('rule: a projection whose storage cannot be written stops at its last commit, says why, tries again with growing delays, and resumes by itself once it can', async () => {
    const live = runner();
    await live.start();
    expect(await live.waitForPosition(await store.headPosition(), 5_000)).toBe(true);
    const before = status(live, 'counter@1').position;

    storage.commitFault = DISK_FULL;
    const appended = await appendCounted(store, 's-0', [10]);
    await eventually(() => (status(live, 'counter@1').failure?.attempts ?? 0) >= 3, 'three failed attempts');

    const stopped = status(live, 'counter@1');
    expect(stopped).toMatchObject({ state: 'stopped', position: before });
    expect(stopped.failure!.reason).toContain('le disque est plein');
    expect(Date.parse(stopped.failure!.nextRetryAt)).toBeGreaterThan(Date.parse(stopped.failure!.since));
    expect(live.unavailability('counter')).toMatchObject({ kind: 'stopped', id: 'counter@1', failure: { reason: stopped.failure!.reason } });
    // A query that waits for its own write is told at once, not after its timeout.
    expect(await live.waitForPosition(appended.position, 60_000)).toBe(false);

    storage.commitFault = undefined;
    await eventually(() => live.unavailability('counter') === undefined && BigInt(status(live, 'counter@1').position) >= appended.position, 'the projection to resume');
    expect(status(live, 'counter@1')).toMatchObject({ state: 'running' });
    expect(counts(live)).toEqual({ 's-0': 4, 's-1': 3, 's-2': 3 });
  });

  it('rule: a projection whose evolve throws on an event stops before it, naming the event; the other projections go on; it resumes once the event can be applied', async () => {
    const poison = { on: true };
    const live = runner([counter(), fragile(poison)]);
    await live.start();
    expect(await live.waitForPosition(await store.headPosition(), 5_000)).toBe(true);

    const appended = await appendCounted(store, 's-1', [666]);
    await eventually(() => status(live, 'fragile@1').state === 'stopped' && BigInt(status(live, 'counter@1').position) >= appended.position, 'fragile to stop and counter to go on');

    const { reason } = status(live, 'fragile@1').failure!;
    expect(reason).toContain('Counted');
    expect(reason).toContain('s-1');
    expect(reason).toContain(`position ${appended.position}`);
    expect(reason).toContain('montant refusé par la projection');
    expect(counts(live)['s-1']).toBe(4);
    expect(live.unavailability('counter')).toBeUndefined();

    poison.on = false;
    await eventually(() => status(live, 'fragile@1').state === 'running' && BigInt(status(live, 'fragile@1').position) >= appended.position, 'fragile to resume');
    expect(live.view<{ events: number }>('fragile').get('all')).toEqual({ events: 10 });
  });

  it('rule: a runner whose storage cannot even be read starts all the same, reports why, and catches up once it can', async () => {
    storage.fault = new ProjectionStorageError('les modèles de lecture (read-models.sqlite) ne peuvent pas être ouverts : le fichier ne peut pas être ouvert (SQLITE_CANTOPEN)');
    const live = runner();
    await live.start();
    expect(status(live, 'counter@1')).toMatchObject({ state: 'stopped', failure: { reason: expect.stringContaining('SQLITE_CANTOPEN') } });

    storage.fault = undefined;
    await eventually(async () => BigInt(status(live, 'counter@1').position) >= (await store.headPosition()), 'the runner to catch up');
    expect(counts(live)).toEqual({ 's-0': 3, 's-1': 3, 's-2': 3 });
  });

  it('rule: catching up without following (the CLI) throws a ProjectionFailedError naming the projection and the cause, once the others are done', async () => {
    storage.commitFault = DISK_FULL;
    const error = await runner().catchUp().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProjectionFailedError);
    expect(error).toMatchObject({ code: 'PROJECTION.FAILED', id: 'counter@1' });
    expect((error as Error).message).toContain('le disque est plein');
  });

  it('rule: an event that cannot be converted to its current version stops the projections that read its type, naming it; the others catch up', async () => {
    const spender = defineProjection<{ events: number }>({ name: 'spender', version: 1, handles: ['ExpenditureRecorded'], keysOf: () => ['all'], evolve: (doc) => ({ events: (doc?.events ?? 0) + 1 }) });
    // Stored at a version this code does not read yet: written by a later release.
    const later = await store.append('budget-a', [{ id: nextId(), type: 'ExpenditureRecorded', version: 99, data: { antennaId: 'a', effectiveDate: '2026-01-01' }, metadata }], { expectedRevision: 'no_stream' });
    await appendCounted(store, 's-0', [4]);
    const catchingUp = runner([counter(), spender as Projection]);
    const error = await catchingUp.catchUp().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProjectionFailedError);
    expect(error).toMatchObject({ id: 'spender@1' });
    expect((error as Error).message).toContain(`l’événement ExpenditureRecorded du flux budget-a en révision 0 (position ${later.position}) n’a pas pu être converti à sa version actuelle`);
    expect(status(catchingUp, 'spender@1')).toMatchObject({ state: 'stopped', position: '0' });
    expect(status(catchingUp, 'counter@1').position).toBe(String(await store.headPosition()));
    expect(counts(catchingUp)).toEqual({ 's-0': 4, 's-1': 3, 's-2': 3 });
  });

  describe('an event the store cannot decode', () => {
    /** Writes a `Counted` row past the store, its data cut short: returns its position. */
    const insertCorruptRow = (stream: string): bigint => {
      const db = new Database(file);
      try {
        const revision = (db.prepare('SELECT COALESCE(MAX(revision), -1) + 1 FROM events WHERE stream_id = ?').pluck().get(stream) as number);
        const result = db
          .prepare("INSERT INTO events (event_id, stream_id, revision, type, version, data, metadata) VALUES (?, ?, ?, 'Counted', 1, '{\"amount\": 5', ?)")
          .run(nextId(), stream, revision, JSON.stringify(metadata));
        return BigInt(result.lastInsertRowid);
      } finally {
        db.close();
      }
    };
    const repairRow = (position: bigint) => {
      const db = new Database(file);
      try {
        db.prepare(`UPDATE events SET data = '{"amount": 5, "effectiveDate": "2026-01-01"}' WHERE position = ?`).run(position);
      } finally {
        db.close();
      }
    };

    it('rule: it is passed over and named by the projections that read its type, kept across a restart, and once repaired they rebuild by themselves', async () => {
      const live = runner([counter(), unconcerned()]);
      await live.start();
      const corrupt = insertCorruptRow('s-2');
      const after = await appendCounted(store, 's-0', [10]);

      await eventually(() => BigInt(status(live, 'counter@1').position) >= after.position, 'the runner to go past the unreadable event');
      const skipped = { streamId: 's-2', revision: 3, position: corrupt, type: 'Counted', reason: expect.stringContaining('data') };
      expect(status(live, 'counter@1').skipped).toEqual([skipped]);
      expect(status(live, 'unconcerned@1').skipped).toEqual([]);
      expect(live.unavailability('counter')).toMatchObject({ kind: 'incomplete', skipped: [skipped] });
      expect(live.unavailability('unconcerned')).toBeUndefined();
      expect(counts(live)).toEqual({ 's-0': 4, 's-1': 3, 's-2': 3 });

      // Restarted on the same read models, it still knows what it passed over.
      await live.stop();
      const again = runner([counter(), unconcerned()]);
      expect(status(again, 'counter@1').skipped).toEqual([skipped]);
      await again.start();

      repairRow(corrupt);
      await eventually(() => again.unavailability('counter') === undefined, 'the projection to rebuild once the event can be read');
      expect(status(again, 'counter@1')).toMatchObject({ state: 'running', skipped: [] });
      expect(counts(again)).toEqual({ 's-0': 4, 's-1': 3, 's-2': 4 });
    });

    it('rule: a rebuild (jalon replay) passes it over and returns it, named', async () => {
      const corrupt = insertCorruptRow('s-1');
      await appendCounted(store, 's-1', [10]);

      const { events, skipped } = await runner().rebuild();

      expect(skipped).toEqual([{ streamId: 's-1', revision: 3, position: corrupt, type: 'Counted', reason: expect.any(String) }]);
      expect(events).toBe(10);
      expect(storage.skipped('counter@1')).toEqual(skipped);
    });
  });
});
