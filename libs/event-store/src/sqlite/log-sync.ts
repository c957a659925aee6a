import { close, fdatasync, openSync } from 'node:fs';

/** Flushes a file's written bytes to the disk, in Node's thread pool: the calling thread goes on meanwhile. */
export type SyncFile = (fd: number) => Promise<void>;

const fdatasyncInThreadPool: SyncFile = (fd) => new Promise((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve())));

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Makes a connection's commits durable without holding up the thread that serves requests
 * (docs/decisions/0051). SQLite writes each commit to the write-ahead log without waiting for the
 * disk (`synchronous = NORMAL`); {@link durable} then resolves once everything written to the log
 * before it was called is on disk, by an `fdatasync` of the log run in Node's thread pool. A sync
 * covers every commit written before it starts, so the commits of one sync's wait are flushed
 * together by the next one: one sync at a time, and never one per commit.
 *
 * The log's file stays the same while its connection is open (SQLite deletes it only when the last
 * connection to the database closes), so one descriptor, opened at the first sync, serves the
 * connection's life; it is closed only once no sync uses it any more.
 */
export class LogSync {
  private fd: number | undefined;
  private running = false;
  private closing = false;
  private waiting: Waiter[] = [];
  private readonly idle: (() => void)[] = [];

  constructor(
    /** The write-ahead log: the database file's path followed by `-wal`. */
    private readonly logFile: string,
    private readonly syncFile: SyncFile = fdatasyncInThreadPool,
  ) {}

  /** Resolves once what was written to the log before this call is on disk; rejects with the file system's error when the sync fails. */
  durable(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      if (!this.running) this.syncWaiting();
    });
  }

  /** Closes the descriptor once the syncs asked for so far are over (their callers are answered first). */
  close(): Promise<void> {
    this.closing = true;
    if (!this.running) {
      this.closeDescriptor();
      return Promise.resolve();
    }
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private syncWaiting(): void {
    const batch = this.waiting;
    this.waiting = [];
    this.running = true;
    let sync: Promise<void>;
    try {
      // Opened here, after a commit: the log exists by then.
      this.fd ??= openSync(this.logFile, 'r');
      sync = this.syncFile(this.fd);
    } catch (error) {
      sync = Promise.reject(error);
    }
    sync.then(
      () => this.settle(batch, undefined),
      (error: unknown) => this.settle(batch, error ?? new Error('sync failed')),
    );
  }

  private settle(batch: readonly Waiter[], error: unknown): void {
    for (const waiter of batch) {
      if (error === undefined) waiter.resolve();
      else waiter.reject(error);
    }
    this.running = false;
    // Commits written while that sync ran may have missed it: one more sync covers them all.
    if (this.waiting.length > 0) {
      this.syncWaiting();
      return;
    }
    if (this.closing) {
      this.closeDescriptor();
      for (const done of this.idle.splice(0)) done();
    }
  }

  private closeDescriptor(): void {
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) close(fd, () => undefined);
  }
}
