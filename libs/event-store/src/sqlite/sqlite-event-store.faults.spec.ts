import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { collect, EventStoreError } from '../event-store.port';
import { testEvent, uniqueStreamId } from '../../../../test/support/events';
import { mountSmallDisk, SmallDisk } from '../../../../test/support/small-disk';
import { SqliteEventStore } from '.';

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
