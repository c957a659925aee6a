import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { collect, EventStoreError, type EventToAppend, type StoredEvent } from '../event-store.port';
import { testEvent, testEvents, uniqueStreamId } from '../../../../test/support/events';
import { tsNodeArgs } from '../../../../test/support/spawn-ts';
import { holdWriteLock } from '../../../../test/support/sqlite-lock';
import { nextFromSubscription, takeFromSubscription, waitFor, withTimeout } from '../../../../test/support/subscription';
import { chainEvents, textsLinkedWith } from '../integrity/event-hash';
import { BACKSTOP_CHECKPOINT_PAGES, OWN_CHECKPOINT_PAGES, SCHEMA_VERSION, SqliteEventStore } from '.';

const CHILD = join(__dirname, '../../../../test/support/sqlite-store-child.ts');
const DELIVERY_TIMEOUT_MS = 5_000;

describe('SqliteEventStore (embedded specifics)', () => {
  let directory: string;
  let file: string;
  const opened: SqliteEventStore[] = [];

  const open = (livePollMs?: number) => {
    const store = SqliteEventStore.open(livePollMs === undefined ? { file } : { file, livePollMs });
    opened.push(store);
    return store;
  };

  /** A plain connection, only to inspect the file as SQLite itself sees it. */
  const inspect = <T>(look: (db: Database.Database) => T): T => {
    const db = new Database(file);
    try {
      return look(db);
    } finally {
      db.close();
    }
  };

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'jalon-sqlite-'));
    file = join(directory, 'nested', 'dir', 'events.db');
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    rmSync(directory, { recursive: true, force: true });
  });

  describe('file and schema', () => {
    it('creates the directory and the database file when they do not exist', () => {
      open();
      expect(existsSync(file)).toBe(true);
    });

    it('records the schema version in PRAGMA user_version and keeps the file in WAL mode', async () => {
      await open().close();
      expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(1);
      expect(inspect((db) => db.pragma('user_version', { simple: true }))).toBe(SCHEMA_VERSION);
      expect(inspect((db) => db.pragma('journal_mode', { simple: true }))).toBe('wal');
    });

    it('rule: a process that creates the store while another holds the new file’s write lock waits for it rather than fail with SQLITE_BUSY', async () => {
      // Two processes starting on the same new DATA_DIR: the switch to WAL is a read upgraded to a
      // write, for which SQLite never waits by itself (the CI failure of 85993fc).
      const holder = await holdWriteLock(file, 300);
      const store = open();
      await store.append(uniqueStreamId(), [testEvent()], { expectedRevision: 'no_stream' });
      expect(await holder.exited).toBe(0);
      expect(inspect((db) => db.pragma('journal_mode', { simple: true }))).toBe('wal');
      expect(inspect((db) => db.pragma('user_version', { simple: true }))).toBe(SCHEMA_VERSION);
    });

    it('refuses to open a file written by a newer schema rather than misread it', async () => {
      await open().close();
      inspect((db) => db.pragma(`user_version = ${SCHEMA_VERSION + 1}`));
      expect(() => open()).toThrow(expect.objectContaining({ code: 'STORE.SCHEMA_TOO_NEW' }));
    });
  });

  describe('durability', () => {
    type ChildOutput = { events: EventToAppend[]; results: Array<{ nextExpectedRevision: number; position: string; written: boolean }> };

    const runAppendChild = (streamId: string, count: number, batchSize: number, exit: 'close' | 'kill'): ChildOutput => {
      const child = spawnSync(process.execPath, tsNodeArgs(CHILD, 'append', file, streamId, String(count), String(batchSize), exit), {
        encoding: 'utf8',
        timeout: 60_000,
      });
      if (child.error) throw child.error;
      if (exit === 'close' && child.status !== 0) throw new Error(`child failed (${child.status}): ${child.stderr}`);
      if (exit === 'kill' && child.signal !== 'SIGKILL') throw new Error(`child was not killed (${child.status}): ${child.stderr}`);
      return JSON.parse(child.stdout) as ChildOutput;
    };

    const expectReadBack = (stored: StoredEvent[], output: ChildOutput, streamId: string) => {
      expect(stored).toStrictEqual(output.events.map((event, revision) => ({ ...event, streamId, revision, position: stored[revision]!.position })));
      const lastOfBatches = output.results.map((r) => stored[r.nextExpectedRevision]!.position.toString());
      expect(lastOfBatches).toEqual(output.results.map((r) => r.position));
    };

    it('keeps every acknowledged append after the writing process closes and exits', async () => {
      const streamId = uniqueStreamId('durable');
      const output = runAppendChild(streamId, 30, 7, 'close');

      const store = open();
      expectReadBack(await collect(store.readStream(streamId)), output, streamId);
      expect(await store.headPosition()).toBe(BigInt(output.results.at(-1)!.position));
    });

    it('keeps every acknowledged append after the writing process is killed (SIGKILL) right after it', async () => {
      const streamId = uniqueStreamId('killed');
      const output = runAppendChild(streamId, 30, 7, 'kill');

      const store = open();
      expectReadBack(await collect(store.readStream(streamId)), output, streamId);
      expect(await collect(store.readAll())).toEqual(await collect(store.readStream(streamId)));
    });

    it('keeps a batch all-or-nothing when the process is killed during its transaction, and the file stays intact', async () => {
      const streamId = uniqueStreamId('crash');
      const batchSize = 50_000;
      const wal = `${file}-wal`;
      const walSize = () => (existsSync(wal) ? statSync(wal).size : 0);
      await open().close();
      const walAtStart = walSize();
      const child = spawn(process.execPath, tsNodeArgs(CHILD, 'crash', file, streamId, String(batchSize)), {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_, signal) => resolve(signal)));
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      // Kill once the transaction is under way: the child has said it is appending, and the WAL
      // has grown (SQLite spills the uncommitted batch's pages into it long before the commit).
      await waitFor(() => {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`child exited before appending: ${stderr}`);
        return output.includes('appending') && walSize() > walAtStart;
      }, 30_000, 'the child to start writing its batch');
      child.kill('SIGKILL');
      expect(await withTimeout(exited, 30_000, 'the child to die')).toBe('SIGKILL');

      const store = open();
      const revisions = (await collect(store.readStream(streamId))).map((e) => e.revision);
      expect([0, batchSize]).toContain(revisions.length);
      expect(revisions).toEqual(revisions.map((_, i) => i));
      const next = await store.append(streamId, [testEvent()], { expectedRevision: revisions.length === 0 ? 'no_stream' : batchSize - 1 });
      expect(next.nextExpectedRevision).toBe(revisions.length);
      await store.close();
      expect(inspect((db) => db.pragma('integrity_check'))).toEqual([{ integrity_check: 'ok' }]);
    }, 60_000);

    it('loses no append when two processes write to the same stream of the same file at once', async () => {
      const streamId = uniqueStreamId('shared');
      const outputs = await Promise.all(
        [0, 1].map(
          () =>
            new Promise<ChildOutput>((resolve, reject) => {
              const child = spawn(process.execPath, tsNodeArgs(CHILD, 'append', file, streamId, '150', '1', 'close'));
              let stdout = '';
              let stderr = '';
              child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
              child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
              child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(stdout) as ChildOutput) : reject(new Error(stderr))));
            }),
        ),
      );

      const stored = await collect(open().readStream(streamId));
      expect(stored.map((e) => e.revision)).toEqual(stored.map((_, i) => i));
      expect(new Set(stored.map((e) => e.id))).toEqual(new Set(outputs.flatMap((o) => o.events.map((e) => e.id))));
      expect(stored).toHaveLength(300);
    }, 60_000);
  });

  describe('group commit', () => {
    it('rule: appends asked for together are committed together, in call order, each checked on its own', async () => {
      const store = open();
      const [a, b, c] = [uniqueStreamId(), uniqueStreamId(), uniqueStreamId()];
      await store.append(b, [testEvent()], { expectedRevision: 'no_stream' });
      const outcomes = await Promise.allSettled([
        store.append(a, [testEvent()], { expectedRevision: 'no_stream' }),
        store.append(b, [testEvent()], { expectedRevision: 'no_stream' }), // b exists: refused alone
        store.append(c, testEvents(2), { expectedRevision: 'no_stream' }),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'STREAM.WRONG_EXPECTED_REVISION' });
      const [first, , third] = outcomes as PromiseFulfilledResult<{ position: bigint }>[];
      expect(third!.value.position).toBe(first!.value.position + 2n);
      expect((await collect(store.readStream(b))).length).toBe(1);
    });

    it('rule: an append is answered only once its group is on disk (another connection reads it at once)', async () => {
      const store = open();
      const stream = uniqueStreamId();
      await Promise.all([store.append(stream, [testEvent()], { expectedRevision: 'any' }), store.append(stream, [testEvent()], { expectedRevision: 'any' })]);
      expect(inspect((db) => db.prepare('SELECT COUNT(*) AS n FROM events WHERE stream_id = ?').get(stream))).toEqual({ n: 2 });
    });
  });

  describe('appends signalled between connections of one process (the projection thread, docs/decisions/0030)', () => {
    it('rule: only this connection\'s own commits that wrote events are signalled', async () => {
      const store = open();
      let signalled = 0;
      const stop = store.onAppended(() => signalled++);
      const stream = uniqueStreamId();
      await store.append(stream, [testEvent()], { expectedRevision: 'no_stream' });
      expect(signalled).toBe(1);
      // Refused: nothing written, nothing signalled; news of another connection is not this one's commit.
      await expect(store.append(stream, [testEvent()], { expectedRevision: 'no_stream' })).rejects.toMatchObject({ code: 'STREAM.WRONG_EXPECTED_REVISION' });
      store.appendedElsewhere();
      await open().append(uniqueStreamId(), [testEvent()], { expectedRevision: 'no_stream' });
      expect(signalled).toBe(1);
      stop();
      await store.append(stream, [testEvent()], { expectedRevision: 0 });
      expect(signalled).toBe(1);
    });

    it('rule: news of another connection\'s append wakes this connection\'s live subscriptions at once, not at their next poll', async () => {
      const writer = open();
      // A poll far longer than the delivery timeout: only the news can deliver in time.
      const reader = open(10 * 60_000);
      await writer.append(uniqueStreamId(), [testEvent()], { expectedRevision: 'no_stream' });
      const subscription = reader.subscribeToAll({ after: await reader.headPosition() });
      const next = nextFromSubscription(subscription, DELIVERY_TIMEOUT_MS);
      // Let the subscription find nothing and wait.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const { position } = await writer.append(uniqueStreamId(), [testEvent()], { expectedRevision: 'no_stream' });
      reader.appendedElsewhere();
      const delivered = await next;
      expect(delivered.done).toBe(false);
      expect((delivered.value as StoredEvent).position).toBe(position);
      await subscription.unsubscribe();
    });
  });

  describe('what a batch may hold', () => {
    it.each<[string, Record<string, unknown>]>([
      ['a BigInt', { amount: 786_000n }],
      ['a Date', { at: new Date('2025-01-01T00:00:00Z') }],
      ['NaN', { ratio: Number.NaN }],
      ['a Map', { byId: new Map([['a', 1]]) }],
      ['undefined in an array', { list: [1, undefined] }],
    ])('writes nothing from a batch whose data holds %s, which JSON cannot read back as written', async (_, data) => {
      const store = open();
      const streamId = uniqueStreamId();
      const before = await store.headPosition();

      await expect(
        store.append(streamId, [testEvent(), testEvent({ data }), testEvent()], { expectedRevision: 'any' }),
      ).rejects.toMatchObject({ code: 'STREAM.INVALID_EVENT' });

      expect(await collect(store.readStream(streamId))).toEqual([]);
      expect(await store.headPosition()).toBe(before);
    });

    it.each<[string, Record<string, unknown>]>([
      ['a Date', { at: new Date('2025-01-01T00:00:00Z') }],
      ['NaN', { ratio: Number.NaN }],
      ['a Map', { byId: new Map([['a', 1]]) }],
      ['undefined in an array', { list: [1, undefined] }],
    ])('writes nothing from a batch linked by the hash chain whose data holds %s: the chain keeps no text for it, and the store refuses it itself', async (_, data) => {
      const store = open();
      const streamId = uniqueStreamId();
      const before = await store.headPosition();

      const linked = chainEvents(streamId, undefined, [testEvent(), testEvent({ data }), testEvent()]);
      await expect(store.append(streamId, linked, { expectedRevision: 'no_stream' })).rejects.toMatchObject({ code: 'STREAM.INVALID_EVENT' });

      expect(await store.headPosition()).toBe(before);
    });

    it('rule: an event linked by the hash chain is stored as the texts it was hashed from (decision 0055), and reads back as it was appended', async () => {
      const store = open();
      const streamId = uniqueStreamId();
      const linked = chainEvents(streamId, undefined, [
        testEvent({ data: { zeta: 'é « 786 000,00 € »', amountCents: 78_600_000, lines: [{ b: null, a: true }] } }),
        testEvent({ data: {} }),
      ]);
      await store.append(streamId, linked, { expectedRevision: 'no_stream' });

      const columns = inspect((db) => db.prepare('SELECT data, metadata FROM events WHERE stream_id = ? ORDER BY revision').all(streamId)) as { data: string; metadata: string }[];
      expect(columns).toEqual(linked.map((event) => textsLinkedWith(event)));
      expect((await collect(store.readStream(streamId))).map(({ id, type, version, data, metadata }) => ({ id, type, version, data, metadata }))).toEqual(
        linked.map(({ id, type, version, data, metadata }) => ({ id, type, version, data, metadata })),
      );
    });

    it('refuses a batch mixing stored and new event ids, and ids stored in another stream, writing nothing', async () => {
      const store = open();
      const streamId = uniqueStreamId();
      const stored = testEvents(2);
      await store.append(streamId, stored, { expectedRevision: 'no_stream' });
      const other = uniqueStreamId('other');

      await expect(store.append(streamId, [stored[1]!, testEvent()], { expectedRevision: 'any' })).rejects.toMatchObject({
        code: 'STREAM.DUPLICATE_EVENT_ID',
      });
      await expect(store.append(other, stored, { expectedRevision: 'any' })).rejects.toMatchObject({ code: 'STREAM.DUPLICATE_EVENT_ID' });
      const twice = testEvent();
      await expect(store.append(streamId, [twice, twice], { expectedRevision: 'any' })).rejects.toMatchObject({
        code: 'STREAM.DUPLICATE_EVENT_ID',
      });

      expect((await collect(store.readAll())).map((e) => e.id)).toEqual(stored.map((e) => e.id));
    });

    it('rule: a batch whose last id is already stored writes none of it, its new first events included, and leaves the appends committed in the same group alone', async () => {
      const store = open();
      const streamId = uniqueStreamId();
      const stored = testEvents(2);
      await store.append(streamId, stored, { expectedRevision: 'no_stream' });
      const neighbour = uniqueStreamId('neighbour');
      const fresh = testEvents(2);
      const before = await store.headPosition();

      // Asked in the same tick: one group commit, each append in its own savepoint.
      const [mixed, retried, kept] = await Promise.allSettled([
        store.append(streamId, [testEvent(), testEvent(), stored[1]!], { expectedRevision: 'any' }),
        store.append(streamId, stored, { expectedRevision: 'any' }),
        store.append(neighbour, fresh, { expectedRevision: 'no_stream' }),
      ]);

      expect(mixed).toMatchObject({ status: 'rejected', reason: { code: 'STREAM.DUPLICATE_EVENT_ID' } });
      expect(retried).toMatchObject({ status: 'fulfilled', value: { written: false, nextExpectedRevision: 1 } });
      expect(kept).toMatchObject({ status: 'fulfilled', value: { written: true, nextExpectedRevision: 1 } });
      expect((await collect(store.readAll({ after: before }))).map((e) => e.id)).toEqual(fresh.map((e) => e.id));
      expect((await collect(store.readStream(streamId))).map((e) => e.id)).toEqual(stored.map((e) => e.id));
    });

    it('refuses an invalid expected revision instead of treating it as a revision', async () => {
      const store = open();
      await expect(store.append(uniqueStreamId(), [testEvent()], { expectedRevision: -1 })).rejects.toBeInstanceOf(EventStoreError);
      await expect(store.append(uniqueStreamId(), [testEvent()], { expectedRevision: 1.5 })).rejects.toBeInstanceOf(EventStoreError);
    });
  });

  describe('large logs', () => {
    it('reads and catches up across many pages in order, without missing or repeating an event', async () => {
      const store = open();
      const a = uniqueStreamId('a');
      const b = uniqueStreamId('b');
      for (let i = 0; i < 5; i++) {
        await store.append(a, testEvents(300), { expectedRevision: 'any' });
        await store.append(b, testEvents(200), { expectedRevision: 'any' });
      }

      const all = await collect(store.readAll());
      expect(all).toHaveLength(2_500);
      expect(new Set(all.map((e) => e.position)).size).toBe(2_500);
      expect((await collect(store.readAll({ after: all[999]!.position, maxCount: 1_200 })))).toEqual(all.slice(1_000, 2_200));
      const forwards = await collect(store.readStream(a));
      expect(forwards.map((e) => e.revision)).toEqual(Array.from({ length: 1_500 }, (_, i) => i));
      expect(forwards).toEqual(all.filter((e) => e.streamId === a));
      expect(await collect(store.readStream(a, { direction: 'backwards' }))).toEqual([...forwards].reverse());
      expect(await collect(store.readStream(a, { fromRevision: 1_100, maxCount: 1_000 }))).toEqual(forwards.slice(1_100));

      const subscription = store.subscribeToAll();
      try {
        expect(await takeFromSubscription(subscription, 2_500, DELIVERY_TIMEOUT_MS)).toEqual(all);
      } finally {
        await subscription.unsubscribe();
      }
    });
  });

  describe('several store instances on one file', () => {
    it("delivers to one instance's live subscription the events another instance appends (found by polling)", async () => {
      const reader = open(20);
      const writer = open();
      const streamId = uniqueStreamId();
      const subscription = reader.subscribeToAll();
      try {
        const pending = takeFromSubscription(subscription, 3, DELIVERY_TIMEOUT_MS);
        const appended = testEvents(3);
        await writer.append(streamId, appended, { expectedRevision: 'no_stream' });

        expect((await pending).map((e) => e.id)).toEqual(appended.map((e) => e.id));
        expect(await collect(reader.readStream(streamId))).toEqual(await collect(writer.readStream(streamId)));
      } finally {
        await subscription.unsubscribe();
      }
    });

    it('delivers to a live subscription the events another process appends', async () => {
      const store = open(20);
      const streamId = uniqueStreamId('from-child');
      const subscription = store.subscribeToAll();
      try {
        const pending = takeFromSubscription(subscription, 5, 30_000);
        const child = spawnSync(process.execPath, tsNodeArgs(CHILD, 'append', file, streamId, '5', '5', 'close'), { encoding: 'utf8' });
        expect(child.status).toBe(0);

        const appended = (JSON.parse(child.stdout) as { events: EventToAppend[] }).events;
        expect((await pending).map((e) => e.id)).toEqual(appended.map((e) => e.id));
      } finally {
        await subscription.unsubscribe();
      }
    }, 40_000);

    it('keeps positions and revisions consistent when two instances append to the same stream', async () => {
      const first = open();
      const second = open();
      const streamId = uniqueStreamId();
      await first.append(streamId, testEvents(2), { expectedRevision: 'no_stream' });

      await expect(second.append(streamId, testEvents(1), { expectedRevision: 0 })).rejects.toMatchObject({ actual: 1 });
      const result = await second.append(streamId, testEvents(1), { expectedRevision: 1 });

      expect(result.nextExpectedRevision).toBe(2);
      expect(await first.headPosition()).toBe(result.position);
    });
  });

  describe('checkpoints handed over to another connection (docs/decisions/0032)', () => {
    const PAGE = 4_096;
    const walBytes = () => statSync(`${file}-wal`).size;
    /** Appends about `mib` MiB of events, 256 KiB each, one append (one commit) at a time. */
    const appendMiB = async (store: SqliteEventStore, mib: number) => {
      const streamId = uniqueStreamId();
      for (let i = 0; i < mib * 4; i++) {
        await store.append(streamId, [testEvent({ data: { text: 'x'.repeat(256 * 1024) } })], { expectedRevision: i === 0 ? 'no_stream' : i - 1 });
      }
    };

    it('rule: with nobody checkpointing, the log stays bounded all the same: past the backstop the committing connection checkpoints itself', async () => {
      const store = open();
      store.handOverCheckpoints(true);
      await appendMiB(store, 72);
      // Handed over: the log grew past SQLite's own interval, but never much past the backstop (one commit of slack).
      expect(walBytes()).toBeGreaterThan(4 * OWN_CHECKPOINT_PAGES * PAGE);
      expect(walBytes()).toBeLessThan((BACKSTOP_CHECKPOINT_PAGES + 128) * PAGE);
    });

    it('rule: taken back (the projection thread is gone), the committing connection checkpoints every 1,000 pages again', async () => {
      const store = open();
      store.handOverCheckpoints(true);
      store.handOverCheckpoints(false);
      await appendMiB(store, 12);
      expect(walBytes()).toBeLessThan((OWN_CHECKPOINT_PAGES + 128) * PAGE);
    });
  });

  describe('close', () => {
    it('ends live subscriptions: a pending next() resolves as done', async () => {
      const store = open();
      const subscription = store.subscribeToAll();
      const pending = nextFromSubscription(subscription, DELIVERY_TIMEOUT_MS);

      await store.close();

      await expect(pending).resolves.toMatchObject({ done: true });
    });

    it('refuses to append or read once closed, with STORE.CLOSED', async () => {
      const store = open();
      await store.close();

      await expect(store.append(uniqueStreamId(), [testEvent()], { expectedRevision: 'any' })).rejects.toMatchObject({ code: 'STORE.CLOSED' });
      await expect(collect(store.readAll())).rejects.toMatchObject({ code: 'STORE.CLOSED' });
      await expect(store.headPosition()).rejects.toMatchObject({ code: 'STORE.CLOSED' });
    });
  });
});
