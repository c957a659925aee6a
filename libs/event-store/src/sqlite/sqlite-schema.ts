import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { EventStoreError } from '../event-store.port';
import { BUSY_TIMEOUT_MS, useWriteAheadLog } from './sqlite-journal';

/**
 * Migrations, in order; `PRAGMA user_version` records how many have run. Append new ones, never
 * edit a released one: existing files have already run it.
 */
const MIGRATIONS: ReadonlyArray<(db: Database.Database) => void> = [
  (db) =>
    db.exec(`
      CREATE TABLE events (
        -- AUTOINCREMENT so a position is never handed out twice, even if the newest rows vanish.
        position INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id TEXT NOT NULL UNIQUE,
        stream_id TEXT NOT NULL,
        revision INTEGER NOT NULL CHECK (revision >= 0),
        type TEXT NOT NULL,
        version INTEGER NOT NULL,
        data TEXT NOT NULL,
        metadata TEXT NOT NULL,
        -- Also the index behind stream reads and the "last revision" lookup.
        UNIQUE (stream_id, revision)
      ) STRICT;
    `),
  // The store's identity (see EventStore.storeId): one random id, created with the table, never
  // exported. A file copied as a backup keeps it; a new file, even fed the same history, has its own.
  (db) => {
    db.exec(`
      CREATE TABLE store_identity (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        store_id TEXT NOT NULL
      ) STRICT;
    `);
    db.prepare('INSERT INTO store_identity (singleton, store_id) VALUES (1, ?)').run(randomUUID());
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * The connection's settings. `readOnly`: a connection that only reads (a backup on a read-only
 * medium), which changes nothing of the file, not even its journal mode.
 */
export function configureConnection(db: Database.Database, options: { readonly readOnly?: boolean } = {}): void {
  if (options.readOnly) {
    // Other processes may be writing it: wait for their locks rather than fail at once.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  } else {
    // WAL: readers (subscriptions, other processes) never block the writer. Several processes may
    // share the file: they wait for each other's write lock rather than fail at once.
    const mode = useWriteAheadLog(db);
    if (mode !== 'wal') throw new EventStoreError('STORE.UNSUPPORTED_JOURNAL', `could not switch ${db.name} to WAL (got ${String(mode)})`);
    // FULL: an acknowledged append survives power loss, not only a process crash.
    db.pragma('synchronous = FULL');
  }
  // 32 MiB of page cache (SQLite's default is 2 MiB): each append looks its event ids up in the
  // unique index and its stream's last revision up, at random places of indexes of some 100 MiB at
  // 1,000,000 events; their upper levels then stay in memory.
  db.pragma('cache_size = -32768');
  db.pragma('foreign_keys = ON');
  // The schema is ours alone; never run SQL functions a hostile schema could smuggle in.
  db.pragma('trusted_schema = OFF');
}

/**
 * What a connection that only reads does instead of {@link migrate}: a file of another schema
 * version is refused, in French; an older one would need a migration, which is a write.
 */
export function assertSchemaReadable(db: Database.Database): void {
  const version = schemaVersion(db);
  if (version !== SCHEMA_VERSION) {
    const why =
      version > SCHEMA_VERSION
        ? `il a été écrit par une version plus récente de Jalon (schéma ${version}, celle-ci connaît jusqu’au schéma ${SCHEMA_VERSION})`
        : `il est d’une version antérieure du schéma (${version}, aujourd’hui ${SCHEMA_VERSION}) ; ouvert en lecture seule, il ne peut pas être mis à jour : vérifiez-en une copie sur un support inscriptible`;
    throw new EventStoreError(version > SCHEMA_VERSION ? 'STORE.SCHEMA_TOO_NEW' : 'STORE.SCHEMA_TOO_OLD', `le magasin d’événements ${db.name} ne peut pas être lu : ${why}`);
  }
}

/** Brings the file to {@link SCHEMA_VERSION}; safe when several processes open a new file at once. */
export function migrate(db: Database.Database): void {
  const run = db.transaction(() => {
    // Read inside the write lock: another process may have migrated while we waited for it.
    const current = schemaVersion(db);
    if (current > SCHEMA_VERSION) {
      throw new EventStoreError(
        'STORE.SCHEMA_TOO_NEW',
        `${db.name} has schema version ${current}; this build knows up to ${SCHEMA_VERSION}`,
      );
    }
    for (let version = current; version < SCHEMA_VERSION; version++) {
      MIGRATIONS[version]!(db);
      db.pragma(`user_version = ${version + 1}`);
    }
  });
  if (schemaVersion(db) !== SCHEMA_VERSION) run.immediate();
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}
