import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { collect, EventStoreError } from '../event-store.port';
import { testEvent, uniqueStreamId } from '../../../../test/support/events';
import { mountSmallDisk, SmallDisk } from '../../../../test/support/small-disk';
import { tsNodeArgs } from '../../../../test/support/spawn-ts';
import { SCHEMA_VERSION, SqliteEventStore } from '.';

/**
 * The embedded store on a file system in trouble, made for real on a small tmpfs (as root,
 * `chmod` stops nothing): a store that cannot be written says so with STORE.UNAVAILABLE, writes
 * nothing, and writes again by itself once the cause is gone.
 */
describe('SqliteEventStore on a disk in trouble', () => {
  let disk: SmallDisk;
  let dir: string;
  let tests = 0;
  const opened: SqliteEventStore[] = [];
  const open = () => {
    const store = SqliteEventStore.open({ file: join(dir, 'jalon.sqlite') });
    opened.push(store);
    return store;
  };

  beforeAll(() => {
    disk = mountSmallDisk(2048);
  });
  afterAll(() => disk.unmount());
  beforeEach(() => {
    dir = join(disk.path, `store-${++tests}`);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    disk.free();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rule: a full disk refuses an append with STORE.UNAVAILABLE and writes nothing; the store says it is not writable, then writes again by itself once space is freed', async () => {
    const store = open();
    const streamId = uniqueStreamId();
    const first = testEvent();
    await store.append(streamId, [first], { expectedRevision: 'no_stream' });

    disk.fill();
    const refused = store.append(streamId, [testEvent({ data: { text: 'x'.repeat(20_000) } })], { expectedRevision: 0 });
    await expect(refused).rejects.toBeInstanceOf(EventStoreError);
    await expect(refused).rejects.toMatchObject({ code: 'STORE.UNAVAILABLE', message: expect.stringContaining('le disque est plein') });
    expect(await store.writeHealth()).toMatchObject({ writable: false, lastWriteError: { code: 'STORE.UNAVAILABLE' } });
    expect((await collect(store.readStream(streamId))).map((e) => e.id)).toEqual([first.id]);

    disk.free();
    // Its own probe finds the disk writable again, without waiting for a command.
    for (let tries = 0; !(await store.writeHealth()).writable; tries++) {
      if (tries > 300) throw new Error('the store never found itself writable again');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const next = testEvent();
    await store.append(streamId, [next], { expectedRevision: 0 });
    expect((await collect(store.readStream(streamId))).map((e) => e.id)).toEqual([first.id, next.id]);
  });

  it('rule: a store file replaced by a directory is never written to (SQLite would write to the old file and lose it); put back, writes resume and nothing is lost', async () => {
    const store = open();
    const streamId = uniqueStreamId();
    const first = testEvent();
    await store.append(streamId, [first], { expectedRevision: 'no_stream' });
    const file = join(dir, 'jalon.sqlite');
    renameSync(file, `${file}.moved`);
    mkdirSync(file);

    await expect(store.append(streamId, [testEvent()], { expectedRevision: 0 })).rejects.toMatchObject({ code: 'STORE.UNAVAILABLE' });
    await expect(store.append(streamId, [testEvent()], { expectedRevision: 0 })).rejects.toMatchObject({ code: 'STORE.UNAVAILABLE' });
    expect((await store.writeHealth()).writable).toBe(false);

    rmSync(file, { recursive: true });
    renameSync(`${file}.moved`, file);
    const next = testEvent();
    await store.append(streamId, [next], { expectedRevision: 0 });
    expect((await collect(store.readStream(streamId))).map((e) => e.id)).toEqual([first.id, next.id]);
    expect((await store.writeHealth()).writable).toBe(true);
  });

  it('rule: a checkpoint that fails on a full disk (taken by another connection, as the projection thread does) shows in the serving store\'s health, in French, until one goes through', async () => {
    const serving = open();
    serving.handOverCheckpoints(true);
    const checkpointer = open();
    const streamId = uniqueStreamId();
    // Pages past the file's end, held in the log: copying them back must grow the file.
    await serving.append(streamId, [testEvent({ data: { text: 'x'.repeat(200_000) } })], { expectedRevision: 'no_stream' });

    disk.fill();
    checkpointer.checkpoint();
    const failure = checkpointer.checkpointFailure();
    expect(failure).toMatchObject({ code: 'STORE.UNAVAILABLE', message: expect.stringContaining('le disque est plein') });
    serving.checkpointReported(failure);
    expect(await serving.writeHealth()).toMatchObject({ lastCheckpointError: { message: expect.stringContaining('ne peut pas être reporté') } });

    disk.free();
    await serving.append(streamId, [testEvent()], { expectedRevision: 0 });
    checkpointer.checkpoint();
    expect(checkpointer.checkpointFailure()).toBeUndefined();
    serving.checkpointReported(checkpointer.checkpointFailure());
    expect(await serving.writeHealth()).toEqual({ writable: true });
  });

  it('rule: a data directory on a read-only file system is refused at open, at once, in French, naming it', async () => {
    await open().close();
    disk.readOnly();
    try {
      expect(() => SqliteEventStore.open({ file: join(dir, 'jalon.sqlite') })).toThrow(
        expect.objectContaining({ code: 'STORE.UNAVAILABLE', message: expect.stringMatching(new RegExp(`${dir}.*lecture seule`)) }),
      );
    } finally {
      disk.readWrite();
    }
    await open().append(uniqueStreamId(), [testEvent()], { expectedRevision: 'no_stream' });
  });

  describe('a store opened read-only (an audit of a backup)', () => {
    const CHILD = join(__dirname, '../../../../test/support/sqlite-store-child.ts');
    /** What is on the medium, byte for byte: a read-only open must change none of it. */
    const contents = () => Object.fromEntries(readdirSync(dir).map((name) => [name, createHash('sha256').update(readFileSync(join(dir, name))).digest('hex')]));
    const openReadOnly = () => {
      const store = SqliteEventStore.open({ file: join(dir, 'jalon.sqlite'), readOnly: true });
      opened.push(store);
      return store;
    };
    /**
     * Locks the medium, reads the ids of `events(store)` through a store opened read-only (from a
     * copy or in place, as `fromCopy` says), closes it, and checks that the medium is as it was,
     * byte for byte, and that a copy is gone.
     */
    const readLocked = async (events: (store: SqliteEventStore) => AsyncIterable<{ id: string }>, fromCopy: boolean) => {
      const before = contents();
      disk.readOnly();
      try {
        const store = openReadOnly();
        const copy = store.readFromCopy;
        expect(copy !== undefined).toBe(fromCopy);
        const ids = (await collect(events(store))).map((e) => e.id);
        await store.close();
        if (copy !== undefined) expect(existsSync(dirname(copy))).toBe(false);
        expect(contents()).toEqual(before);
        return ids;
      } finally {
        await Promise.all(opened.splice(0).map((store) => store.close()));
        disk.readWrite();
      }
    };

    it('rule: a store closed cleanly, read on a medium that can be written, is read in place and left as it was: no log or shared memory left beside it, nothing written', async () => {
      const writer = open();
      const streamId = uniqueStreamId();
      const events = [testEvent(), testEvent()];
      await writer.append(streamId, events, { expectedRevision: 'no_stream' });
      await writer.close();
      const before = contents();
      expect(Object.keys(before)).toEqual(['jalon.sqlite']);

      const store = openReadOnly();
      expect(store.readFromCopy).toBeUndefined();
      expect((await collect(store.readAll())).map((e) => e.id)).toEqual(events.map((e) => e.id));
      await expect(store.append(uniqueStreamId(), [testEvent()], { expectedRevision: 'no_stream' })).rejects.toThrow();
      await store.close();
      opened.splice(0);

      expect(contents()).toEqual(before);
    });

    it('rule: a store closed cleanly, read on a full disk (no room for its log and shared memory), is read from a copy, every event, and its folder left as it was (it was refused as a matter of rights, leaving a log and a shared memory)', async () => {
      const writer = open();
      const streamId = uniqueStreamId();
      const events = [testEvent(), testEvent()];
      await writer.append(streamId, events, { expectedRevision: 'no_stream' });
      await writer.close();
      opened.splice(0);
      const before = contents();
      disk.fill();
      try {
        const store = openReadOnly();
        expect(store.readFromCopy).toBeDefined();
        expect((await collect(store.readAll())).map((e) => e.id)).toEqual(events.map((e) => e.id));
        await store.close();
        opened.splice(0);
        expect(contents()).toEqual(before);
      } finally {
        disk.free();
      }
    });

    it('rule: a store closed cleanly (no log, no shared memory beside it) on a read-only file system is read from a copy, every event, the copy removed at close', async () => {
      const writer = open();
      const streamId = uniqueStreamId();
      const events = [testEvent(), testEvent(), testEvent()];
      await writer.append(streamId, events, { expectedRevision: 'no_stream' });
      await writer.close();
      expect(Object.keys(contents())).toEqual(['jalon.sqlite']);
      expect(await readLocked((store) => store.readAll(), true)).toEqual(events.map((e) => e.id));
    });

    it('rule: a store left with its log by a killed process is read in place on a read-only file system, the log’s events included; without its shared memory, from a copy of the file and its log', async () => {
      const file = join(dir, 'jalon.sqlite');
      const streamId = uniqueStreamId();
      mkdirSync(dir, { recursive: true });
      const child = spawnSync(process.execPath, tsNodeArgs(CHILD, 'append', file, streamId, '5', '1', 'kill'), { encoding: 'utf8', timeout: 60_000 });
      expect(child.signal).toBe('SIGKILL');
      const written = (JSON.parse(child.stdout) as { events: { id: string }[] }).events.map((e) => e.id);
      expect(existsSync(`${file}-wal`)).toBe(true);
      expect(await readLocked((store) => store.readStream(streamId), false)).toEqual(written);
      // A backup of the file and its log only (the shared memory is SQLite's, rebuilt from the log).
      rmSync(`${file}-shm`);
      expect(await readLocked((store) => store.readStream(streamId), true)).toEqual(written);
    });

    it('rule: a store opened read-only refuses appends with STORE.READ_ONLY, in French, and writes nothing', async () => {
      const writer = open();
      const streamId = uniqueStreamId();
      await writer.append(streamId, [testEvent()], { expectedRevision: 'no_stream' });
      await writer.close();
      const store = openReadOnly();
      await expect(store.append(streamId, [testEvent()], { expectedRevision: 0 })).rejects.toMatchObject({ code: 'STORE.READ_ONLY', message: expect.stringContaining('lecture seule') });
      expect(await collect(store.readStream(streamId))).toHaveLength(1);
    });

    it('rule: a store of an older schema opened read-only is refused in French (its migration would be a write), and left as it is', async () => {
      const writer = open();
      await writer.append(uniqueStreamId(), [testEvent()], { expectedRevision: 'no_stream' });
      await writer.close();
      const db = new Database(join(dir, 'jalon.sqlite'));
      db.pragma(`user_version = ${SCHEMA_VERSION - 1}`);
      db.close();
      const before = contents()['jalon.sqlite'];
      expect(() => openReadOnly()).toThrow(expect.objectContaining({ code: 'STORE.SCHEMA_TOO_OLD', message: expect.stringContaining('lecture seule') }));
      // On a writable medium SQLite may add its log and shared memory beside the file; the file itself is as it was.
      expect(contents()['jalon.sqlite']).toBe(before);
    });
  });

  it('rule: a failure of the commit itself after an I/O error (a failed fsync) is STORE.OUTCOME_UNKNOWN, not STORE.UNAVAILABLE: the write may have happened', async () => {
    const store = open();
    // SQLite's own error, raised by COMMIT once every append of the group has run: no file
    // system here can be made to fail an fsync on demand.
    const internals = store as unknown as { current: { groupTransaction: unknown }; committing: boolean };
    internals.current.groupTransaction = {
      immediate: () => {
        internals.committing = true;
        throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_FSYNC' });
      },
    };

    await expect(store.append(uniqueStreamId(), [testEvent()], { expectedRevision: 'no_stream' })).rejects.toMatchObject({
      code: 'STORE.OUTCOME_UNKNOWN',
      message: expect.stringContaining('même clé d’idempotence'),
    });
    expect(await store.writeHealth()).toMatchObject({ writable: true });
    // The connection that failed was closed: the next append opens the file again and goes through.
    await store.append(uniqueStreamId(), [testEvent()], { expectedRevision: 'no_stream' });
  });
});
