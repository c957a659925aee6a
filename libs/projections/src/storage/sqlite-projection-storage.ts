import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ReadModelView } from '../projection';
import { DocumentCache } from './document-cache';
import { ProjectionCommit, ProjectionConflictError, ProjectionStorage, StoredCheckpoint } from './projection-storage.port';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS checkpoints (
    projection TEXT PRIMARY KEY,
    position TEXT NOT NULL,
    caught_up INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS documents (
    projection TEXT NOT NULL,
    key TEXT NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (projection, key)
  ) WITHOUT ROWID;
`;

/** How much JSON of parsed documents a storage keeps in memory, by default (see DocumentCache). */
const DEFAULT_CACHE = { documentBytes: 16 * 2 ** 20, listBytes: 16 * 2 ** 20 };
/** SQLite's own page cache, in KiB (negative: a size, not a page count): a rebuild writes all over the documents table. */
const PAGE_CACHE_KIB = 32 * 1024;

export interface SqliteProjectionStorageOptions {
  /** Bytes of JSON of committed documents, and of lists of them, kept parsed in memory. */
  readonly cache?: { readonly documentBytes: number; readonly listBytes: number };
}

/**
 * Read models in their own SQLite file beside the event store's (`read-models.sqlite`): they can
 * be deleted and rebuilt at any time from the events. `synchronous = NORMAL` is enough here: a
 * commit is atomic, so after a power cut documents and checkpoint go back together.
 *
 * Committed documents are kept parsed in memory ({@link DocumentCache}), updated by each commit
 * made here. A commit made through another connection (another process, such as `jalon replay`
 * beside the service) changes SQLite's `data_version`; every read checks it first and starts
 * afresh when it moved.
 */
export class SqliteProjectionStorage implements ProjectionStorage {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly cache: DocumentCache;
  private dataVersion: number;

  private constructor(file: string, options: SqliteProjectionStorageOptions) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
    this.db.exec(SCHEMA);
    this.statements = {
      checkpoint: this.db.prepare('SELECT projection, position, caught_up FROM checkpoints WHERE projection = ?'),
      checkpoints: this.db.prepare('SELECT projection, position, caught_up FROM checkpoints ORDER BY projection'),
      get: this.db.prepare('SELECT doc FROM documents WHERE projection = ? AND key = ?').pluck(),
      // Keys come as one JSON array: one statement, one lookup of the primary key per key.
      getMany: this.db.prepare('SELECT key, doc FROM documents WHERE projection = ? AND key IN (SELECT value FROM json_each(?))'),
      list: this.db.prepare('SELECT key, doc FROM documents WHERE projection = ? AND key >= ? AND key < ? ORDER BY key'),
      upsert: this.db.prepare('INSERT INTO documents (projection, key, doc) VALUES (?, ?, ?) ON CONFLICT (projection, key) DO UPDATE SET doc = excluded.doc'),
      remove: this.db.prepare('DELETE FROM documents WHERE projection = ? AND key = ?'),
      saveCheckpoint: this.db.prepare(
        'INSERT INTO checkpoints (projection, position, caught_up, updated_at) VALUES (?, ?, ?, ?) ' +
          'ON CONFLICT (projection) DO UPDATE SET position = excluded.position, caught_up = excluded.caught_up, updated_at = excluded.updated_at',
      ),
      resetDocs: this.db.prepare('DELETE FROM documents WHERE projection = ?'),
      resetCheckpoint: this.db.prepare('DELETE FROM checkpoints WHERE projection = ?'),
      dataVersion: this.db.prepare('PRAGMA data_version').pluck(),
    };
    this.cache = new DocumentCache(options.cache ?? DEFAULT_CACHE);
    this.dataVersion = this.statements.dataVersion.get() as number;
  }

  static open(file: string, options: SqliteProjectionStorageOptions = {}): SqliteProjectionStorage {
    return new SqliteProjectionStorage(file, options);
  }

  checkpoint(id: string): StoredCheckpoint | undefined {
    const row = this.statements.checkpoint.get(id) as CheckpointRow | undefined;
    return row && toCheckpoint(row);
  }

  checkpoints(): StoredCheckpoint[] {
    return (this.statements.checkpoints.all() as CheckpointRow[]).map(toCheckpoint);
  }

  view<Doc>(id: string): ReadModelView<Doc> {
    return {
      get: (key) => (this.documents(id, [key]).get(key) as Doc | null) ?? undefined,
      list: (prefix) => this.list(id, prefix) as Doc[],
    };
  }

  documents(id: string, keys: readonly string[]): Map<string, unknown | null> {
    this.startAfreshIfChangedElsewhere();
    const found = new Map<string, unknown | null>();
    const missing: string[] = [];
    for (const key of keys) {
      const cached = this.cache.get(id, key);
      if (cached === undefined) missing.push(key);
      else found.set(key, cached.doc);
    }
    if (missing.length === 1) {
      const json = this.statements.get.get(id, missing[0]) as string | undefined;
      this.remember(found, id, missing[0]!, json);
    } else if (missing.length > 1) {
      const rows = new Map((this.statements.getMany.all(id, JSON.stringify(missing)) as DocumentRow[]).map((row) => [row.key, row.doc]));
      for (const key of missing) this.remember(found, id, key, rows.get(key));
    }
    return found;
  }

  commit(commits: readonly ProjectionCommit[]): void {
    const now = new Date().toISOString();
    const written = new Map<string, Map<string, { doc: unknown | null; bytes: number }>>();
    this.db
      .transaction(() => {
        for (const commit of commits) {
          const stored = this.checkpoint(commit.id);
          if ((stored?.position ?? 0n) !== commit.expectedPosition) throw new ProjectionConflictError(commit.id);
          const changes = new Map<string, { doc: unknown | null; bytes: number }>();
          for (const [key, doc] of commit.docs) {
            if (doc === null) {
              this.statements.remove.run(commit.id, key);
              changes.set(key, { doc, bytes: 0 });
            } else {
              const json = JSON.stringify(doc);
              this.statements.upsert.run(commit.id, key, json);
              changes.set(key, { doc, bytes: json.length });
            }
          }
          this.statements.saveCheckpoint.run(commit.id, commit.position.toString(), commit.caughtUp ? 1 : 0, now);
          written.set(commit.id, changes);
        }
      })
      .immediate();
    for (const [id, changes] of written) this.cache.committed(id, changes);
  }

  reset(id: string): void {
    this.db.transaction(() => {
      this.statements.resetDocs.run(id);
      this.statements.resetCheckpoint.run(id);
    })();
    this.cache.forget(id);
  }

  close(): void {
    this.db.close();
  }

  private list(id: string, prefix: string): unknown[] {
    this.startAfreshIfChangedElsewhere();
    const cached = this.cache.list(id, prefix);
    if (cached !== undefined) return cached;
    // Keys are compared as strings: every key starting with `prefix` sorts in [prefix, prefix + U+FFFF).
    const rows = (this.statements.list.all(id, prefix, `${prefix}\uffff`) as DocumentRow[]).map((row) => ({ key: row.key, doc: JSON.parse(row.doc) as unknown, bytes: row.doc.length }));
    this.cache.listed(id, prefix, rows);
    return rows.map((row) => row.doc);
  }

  private remember(found: Map<string, unknown | null>, id: string, key: string, json: string | undefined): void {
    const doc = json === undefined ? null : (JSON.parse(json) as unknown);
    found.set(key, doc);
    this.cache.read(id, key, doc, json?.length ?? 0);
  }

  /** Another connection committed since we last looked: what is cached may be stale. */
  private startAfreshIfChangedElsewhere(): void {
    const version = this.statements.dataVersion.get() as number;
    if (version === this.dataVersion) return;
    this.dataVersion = version;
    this.cache.clear();
  }
}

interface DocumentRow {
  key: string;
  doc: string;
}

interface CheckpointRow {
  projection: string;
  position: string;
  caught_up: number;
}

function toCheckpoint(row: CheckpointRow): StoredCheckpoint {
  return { id: row.projection, position: BigInt(row.position), caughtUp: row.caught_up === 1 };
}
