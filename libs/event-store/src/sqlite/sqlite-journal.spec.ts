import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { holdWriteLock } from '../../../../test/support/sqlite-lock';
import { storageFailureKind, useWriteAheadLog } from '.';

describe('useWriteAheadLog', () => {
  let directory: string;
  let file: string;
  const connections: Database.Database[] = [];
  const connect = () => {
    const db = new Database(file);
    connections.push(db);
    return db;
  };

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'jalon-journal-'));
    file = join(directory, 'new.db');
  });

  afterEach(() => {
    connections.splice(0).forEach((db) => db.close());
    rmSync(directory, { recursive: true, force: true });
  });

  it('rule: switches a new file to WAL once another process lets its write lock go, instead of failing at once', async () => {
    const holder = await holdWriteLock(file, 300);
    expect(useWriteAheadLog(connect())).toBe('wal');
    expect(await holder.exited).toBe(0);
  });

  it('rule: waits no longer than its timeout, then reports the lock as busy storage', async () => {
    const holder = await holdWriteLock(file, 30_000);
    try {
      const started = Date.now();
      let failure: unknown;
      try {
        useWriteAheadLog(connect(), 200);
      } catch (error) {
        failure = error;
      }
      expect(storageFailureKind(failure)).toBe('busy');
      expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    } finally {
      holder.release();
      await holder.exited;
    }
  });

  it('sets the busy timeout it waits with, for the connection’s other statements too', () => {
    const db = connect();
    useWriteAheadLog(db, 1_234);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(1_234);
  });
});
