import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../libs/event-store/src/sqlite';
import { testMetadata } from '../support/events';
import { describeEventStoreContract } from './event-store.contract';

describeEventStoreContract(
  'SQLite (embedded)',
  async () => {
    const directory = mkdtempSync(join(tmpdir(), 'jalon-contract-'));
    const file = join(directory, 'events.db');
    const store = SqliteEventStore.open({ file });
    return {
      store,
      // A row written past the store, as a damaged file could hold it: its data is cut short.
      async seedUnreadableEvent(streamId, type) {
        const db = new Database(file);
        try {
          db.prepare(
            `INSERT INTO events (event_id, stream_id, revision, type, version, data, metadata)
             VALUES (?, ?, (SELECT COALESCE(MAX(revision), -1) + 1 FROM events WHERE stream_id = ?), ?, 1, '{"broken', ?)`,
          ).run(`unreadable-${streamId}`, streamId, streamId, type, JSON.stringify(testMetadata()));
        } finally {
          db.close();
        }
      },
      async dispose() {
        await store.close();
        rmSync(directory, { recursive: true, force: true });
      },
    };
  },
  { unreadableEvents: true },
);
