import { EventStore, SqliteEventStore } from '@jalon/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineProjection, ProjectedEvent } from '../projection';
import { SqliteProjectionStorage } from '../storage/sqlite-projection-storage';
import { eventFingerprint, ProjectionRunner } from './projection-runner';

/** Counts `Counted` events per stream, and sums their `amount`: any event applied twice shows. */
const counter = (version = 1, failAt?: { calls: number }) =>
  defineProjection<{ stream: string; events: number; total: number }>({
    name: 'counter',
    version,
    handles: ['Counted'],
    keysOf: (event: ProjectedEvent) => [`stream:${event.streamId}`],
    evolve(doc, event) {
      if (failAt && --failAt.calls === 0) throw new Error('simulated crash in the middle of a replay');
      return { stream: event.streamId, events: (doc?.events ?? 0) + 1, total: (doc?.total ?? 0) + (event.data.amount as number) * version };
    },
  });

const metadata = { actor: 'test', role: 'admin', correlationId: 'c', causationId: 'c', recordedAt: '2026-01-15T10:00:00.000Z' };
let ids = 0;
async function appendCounted(store: EventStore, stream: string, amounts: number[]) {
  return store.append(
    stream,
    amounts.map((amount) => ({ id: `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`, type: 'Counted', version: 1, data: { amount, effectiveDate: '2026-01-01' }, metadata })),
    { expectedRevision: 'any' },
  );
}

describe('ProjectionRunner', () => {
  let dir: string;
  let store: SqliteEventStore;
  let storage: SqliteProjectionStorage;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-runner-'));
    store = SqliteEventStore.open({ file: join(dir, 'jalon.sqlite'), livePollMs: 20 });
    storage = SqliteProjectionStorage.open(join(dir, 'read-models.sqlite'));
    for (let i = 0; i < 10; i++) await appendCounted(store, `s-${i % 3}`, [1, 2, 3]);
  });
  afterEach(async () => {
    storage.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const expected = { 's-0': { events: 12, total: 24 }, 's-1': { events: 9, total: 18 }, 's-2': { events: 9, total: 18 } };
  const counts = (runner: ProjectionRunner) =>
    Object.fromEntries(runner.view<{ stream: string; events: number; total: number }>('counter').list('stream:').map((d) => [d.stream, { events: d.events, total: d.total }]));

  it('applies every event of the log once and commits the checkpoint with the documents', async () => {
    const runner = new ProjectionRunner(store, storage, [counter()], { batchSize: 4 });
    const { events } = await runner.catchUp();
    expect(events).toBe(30);
    expect(counts(runner)).toEqual(expected);
    const head = await store.headPosition();
    // The checkpoint names the store and the event at its position: stream, revision and id (no hash in these events).
    expect(storage.checkpoint('counter@1')).toEqual({ id: 'counter@1', position: head, caughtUp: true, storeId: await store.storeId(), lastEvent: 's-0@11#00000000-0000-4000-8000-000000000030' });
    expect(eventFingerprint((await store.eventAt(head))!)).toBe('s-0@11#00000000-0000-4000-8000-000000000030');
  });

  it('rule: a crash in the middle of a replay followed by a restart counts nothing twice and skips nothing', async () => {
    const crashing = new ProjectionRunner(store, storage, [counter(1, { calls: 17 })], { batchSize: 4 });
    await expect(crashing.catchUp()).rejects.toThrow('simulated crash');
    const committed = storage.checkpoint('counter@1')!.position;
    expect(committed).toBeGreaterThan(0n);
    expect(committed).toBeLessThan(await store.headPosition());

    const restarted = new ProjectionRunner(store, storage, [counter()], { batchSize: 4 });
    await restarted.catchUp();
    expect(counts(restarted)).toEqual(expected);
  });

  it('rule: the live read model and a full rebuild give identical documents', async () => {
    const live = new ProjectionRunner(store, storage, [counter()], { batchSize: 2 });
    await live.start();
    const appended = await appendCounted(store, 's-9', [5, 5]);
    expect(await live.waitForPosition(appended.position, 5000)).toBe(true);
    await live.stop();
    const liveDocs = counts(live);

    const rebuilt = new ProjectionRunner(store, storage, [counter()]);
    const { events } = await rebuilt.rebuild();
    expect(events).toBe(32);
    expect(counts(rebuilt)).toEqual(liveDocs);
    expect(liveDocs['s-9']).toEqual({ events: 2, total: 10 });
  });

  it('rule: building from nothing, a document every batch changes again stays in memory between commits (never read back from storage), with the same figures', async () => {
    const sum = defineProjection<{ events: number; total: number }>({
      name: 'sum',
      version: 1,
      handles: ['Counted'],
      keysOf: () => ['total'],
      evolve: (doc, event) => ({ events: (doc?.events ?? 0) + 1, total: (doc?.total ?? 0) + (event.data.amount as number) }),
    });
    const asked: string[] = [];
    const documents = storage.documents.bind(storage);
    jest.spyOn(storage, 'documents').mockImplementation((id, keys) => {
      asked.push(...keys);
      return documents(id, keys);
    });
    const commits = jest.spyOn(storage, 'commit');
    const runner = new ProjectionRunner(store, storage, [sum], { batchSize: 4 });
    await runner.catchUp();
    expect(commits.mock.calls.length).toBeGreaterThan(5);
    expect(asked).toEqual([]);
    expect(runner.view('sum').get('total')).toEqual({ events: 30, total: 60 });
  });

  it('rule: an event that leaves a document as it is writes nothing, following the log as when rebuilding, and both give the same documents', async () => {
    // The largest amount seen per stream: an event below it changes nothing.
    const largest = defineProjection<{ largest: number }>({
      name: 'largest',
      version: 1,
      handles: ['Counted'],
      keysOf: (event: ProjectedEvent) => [`stream:${event.streamId}`],
      evolve: (doc, event) => (doc !== null && doc.largest >= (event.data.amount as number) ? doc : { largest: event.data.amount as number }),
    });
    const written: string[] = [];
    const commit = storage.commit.bind(storage);
    jest.spyOn(storage, 'commit').mockImplementation((commits, fence) => {
      for (const { docs } of commits) written.push(...docs.keys());
      commit(commits, fence);
    });
    const live = new ProjectionRunner(store, storage, [largest], { batchSize: 1 });
    await live.catchUp();
    // s-0, s-1 and s-2 each saw 1, 2, 3 and then only smaller or equal amounts: three writes each.
    expect(written.filter((key) => key === 'stream:s-0')).toHaveLength(3);
    await appendCounted(store, 's-0', [2, 9]);
    written.length = 0;
    await live.catchUp();
    expect(written).toEqual(['stream:s-0']);
    const liveDocs = live.view('largest').list('stream:');

    written.length = 0;
    const rebuilt = new ProjectionRunner(store, storage, [largest]);
    await rebuilt.rebuild();
    expect(written.sort()).toEqual(['stream:s-0', 'stream:s-1', 'stream:s-2']);
    expect(rebuilt.view('largest').list('stream:')).toEqual(liveDocs);
    expect(liveDocs).toEqual([{ largest: 9 }, { largest: 3 }, { largest: 3 }]);
  });

  it('rule: a query that waits for its own write sees it (read your writes), and a wait beyond the log times out', async () => {
    const runner = new ProjectionRunner(store, storage, [counter()]);
    await runner.start();
    try {
      const appended = await appendCounted(store, 's-new', [7]);
      expect(await runner.waitForPosition(appended.position, 5000, ['counter'])).toBe(true);
      expect(runner.view('counter').get('stream:s-new')).toEqual({ stream: 's-new', events: 1, total: 7 });
      expect(await runner.waitForPosition(appended.position + 1000n, 50)).toBe(false);
    } finally {
      await runner.stop();
    }
  });

  it('rule: a new version is built beside the old one, which serves queries until the new one has caught up', async () => {
    await new ProjectionRunner(store, storage, [counter(1)]).catchUp();
    const both = new ProjectionRunner(store, storage, [counter(1), counter(2)]);
    expect(both.status().find((s) => s.id === 'counter@1')).toMatchObject({ serving: true, caughtUp: true });
    expect(both.status().find((s) => s.id === 'counter@2')).toMatchObject({ serving: false, caughtUp: false });
    expect(both.view<{ total: number }>('counter').get('stream:s-0')?.total).toBe(24);
    await both.catchUp();
    expect(both.status().find((s) => s.id === 'counter@2')).toMatchObject({ serving: true, caughtUp: true });
    expect(both.view<{ total: number }>('counter').get('stream:s-0')?.total).toBe(48);
  });

  it('rule: a runner building a projection from nothing, which another process built meanwhile, starts again from what was committed', async () => {
    const server = new ProjectionRunner(store, storage, [counter()], { batchSize: 4 });
    const otherProcess = SqliteProjectionStorage.open(join(dir, 'read-models.sqlite'));
    try {
      await new ProjectionRunner(store, otherProcess, [counter()]).catchUp();
      await appendCounted(store, 's-0', [10]);
      await server.catchUp(); // its first commit, from nothing, conflicts
      expect(counts(server)['s-0']).toEqual({ events: 13, total: 34 });
      expect(counts(server)).toEqual(Object.fromEntries(new ProjectionRunner(store, otherProcess, [counter()]).view<{ stream: string; events: number; total: number }>('counter').list('stream:').map((d) => [d.stream, { events: d.events, total: d.total }])));
    } finally {
      otherProcess.close();
    }
  });

  it('rule: two runners on the same read models (server and CLI) never apply an event twice', async () => {
    const server = new ProjectionRunner(store, storage, [counter()], { batchSize: 1000 });
    await server.catchUp();
    await appendCounted(store, 's-0', [10]);
    const cli = new ProjectionRunner(store, storage, [counter()]);
    await cli.catchUp(); // moves the checkpoint the server last committed
    await appendCounted(store, 's-0', [100]);
    await server.catchUp(); // its commit conflicts; it starts again from what the CLI committed
    expect(counts(server)['s-0']).toEqual({ events: 14, total: 134 });
  });
});
