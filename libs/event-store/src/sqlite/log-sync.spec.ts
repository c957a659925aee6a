import { fstatSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogSync } from './log-sync';

/** A sync to disk the test ends by hand: which descriptor each was asked for, and its outcome. */
function gatedSyncs() {
  const started: { fd: number; end: (error?: Error) => void }[] = [];
  const syncFile = (fd: number) => new Promise<void>((resolve, reject) => started.push({ fd, end: (error) => (error ? reject(error) : resolve()) }));
  return { started, syncFile };
}

const settled = async (promise: Promise<unknown>) => {
  let state = 'pending';
  promise.then(
    () => (state = 'resolved'),
    () => (state = 'rejected'),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return state;
};

describe('LogSync (docs/decisions/0051)', () => {
  let directory: string;
  let log: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'jalon-log-sync-'));
    log = join(directory, 'events.db-wal');
    writeFileSync(log, 'frames');
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('rule: what is written while a sync runs waits for the next sync, never for one that started before it', async () => {
    const { started, syncFile } = gatedSyncs();
    const sync = new LogSync(log, syncFile);
    const first = sync.durable();
    const second = sync.durable();
    expect(started).toHaveLength(1);
    started[0]!.end();
    expect(await settled(first)).toBe('resolved');
    expect(await settled(second)).toBe('pending');
    expect(started).toHaveLength(2);
    started[1]!.end();
    expect(await settled(second)).toBe('resolved');
  });

  it('rule: one sync at a time, and the commits that waited for one are flushed together by the next', async () => {
    const { started, syncFile } = gatedSyncs();
    const sync = new LogSync(log, syncFile);
    const first = sync.durable();
    const waiting = [sync.durable(), sync.durable(), sync.durable()];
    expect(started).toHaveLength(1);
    started[0]!.end();
    await first;
    expect(started).toHaveLength(2);
    started[1]!.end();
    await Promise.all(waiting);
    expect(started).toHaveLength(2);
  });

  it('rule: a failed sync rejects the commits it was to flush, with the file system’s error, and only them', async () => {
    const { started, syncFile } = gatedSyncs();
    const sync = new LogSync(log, syncFile);
    const failed = sync.durable();
    const next = sync.durable();
    started[0]!.end(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    await expect(failed).rejects.toMatchObject({ code: 'EIO' });
    started[1]!.end();
    await expect(next).resolves.toBeUndefined();
  });

  it('rule: a log that cannot be opened fails the sync with the file system’s error, not the process', async () => {
    const sync = new LogSync(join(directory, 'missing-wal'));
    await expect(sync.durable()).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('syncs the log for real, one descriptor for every sync, closed once the last sync is over', async () => {
    const descriptors: number[] = [];
    const { started, syncFile } = gatedSyncs();
    const sync = new LogSync(log, (fd) => {
      descriptors.push(fd);
      return syncFile(fd);
    });
    const first = sync.durable();
    started[0]!.end();
    await first;
    const second = sync.durable();
    const closed = sync.close();
    // Still in use by the sync under way: not closed under it.
    expect(fstatSync(descriptors[0]!).isFile()).toBe(true);
    started[1]!.end();
    await second;
    await closed;
    expect(new Set(descriptors).size).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Closed: the number names no file any more, or (reused meanwhile) another one.
    let stillTheLog: boolean;
    try {
      stillTheLog = fstatSync(descriptors[0]!).ino === statSync(log).ino;
    } catch (error) {
      expect(error).toMatchObject({ code: 'EBADF' });
      stillTheLog = false;
    }
    expect(stillTheLog).toBe(false);

    // The default: Node's fdatasync, in its thread pool.
    const real = new LogSync(log);
    await expect(real.durable()).resolves.toBeUndefined();
    await real.close();
  });
});
