import type Database from 'better-sqlite3';
import { storageFailureKind } from './sqlite-failures';

/** How long a connection waits for another process's lock on the file before it reports `busy`. */
export const BUSY_TIMEOUT_MS = 5_000;
/** Between two tries of the switch to WAL while another process holds the new file's write lock. */
const RETRY_PAUSE_MS = 10;
const pauseCell = new Int32Array(new SharedArrayBuffer(4));

/**
 * Sets the connection's busy timeout, then puts the file in WAL mode (readers never block the
 * writer) and returns the mode SQLite reports.
 *
 * The switch of a new file to WAL is a read that becomes a write, and SQLite never calls its busy
 * handler for that upgrade: while another process holds the file's write lock (it is creating the
 * same store at the same moment), the switch fails at once with SQLITE_BUSY. It is tried again
 * here, within the same busy timeout, rather than refuse to open; once the other process is done
 * the file usually is in WAL mode already and the switch does nothing. Blocks the thread, as
 * SQLite's own busy wait does.
 */
export function useWriteAheadLog(db: Database.Database, timeoutMs: number = BUSY_TIMEOUT_MS): unknown {
  db.pragma(`busy_timeout = ${timeoutMs}`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return db.pragma('journal_mode = WAL', { simple: true });
    } catch (error) {
      if (storageFailureKind(error) !== 'busy' || Date.now() >= deadline) throw error;
      Atomics.wait(pauseCell, 0, 0, RETRY_PAUSE_MS);
    }
  }
}
