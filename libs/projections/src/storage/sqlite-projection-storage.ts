import { describeStorageFailure, fileIdentityOf, isSameFile, needsNewConnection, storageFailureKind, useWriteAheadLog } from '@jalon/event-store';
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { ReadModelView } from '../projection';
import { DocumentCache } from './document-cache';
import { countSnapshotWrite, SqliteTimeTravelSnapshotStore, TimeTravelSnapshotStore } from '../time-travel/snapshot-store';
import {
  LeaseFence,
  ProjectionCommit,
  ProjectionConflictError,
  ProjectionLease,
  ProjectionLeaseLostError,
  StoredHolderReport,
  ProjectionLeaseStore,
  ProjectionStorage,
  ProjectionStorageError,
  SkippedEvent,
  StoredCheckpoint,
} from './projection-storage.port';

/**
 * Documents in a table with a rowid, whose (projection, key) index holds only keys. Not WITHOUT
 * ROWID: there SQLite keeps whole rows in the interior pages of the tree, so a document of more
 * than about 1 KB spills onto overflow pages that every lookup passing by it reads (around the page
 * cache) to compare keys, and a tree of fat interior cells is deep (see {@link moveDocumentsToRowidTable}).
 */
function documentsTable(name: string): string {
  return `CREATE TABLE IF NOT EXISTS ${name} (
    projection TEXT NOT NULL,
    key TEXT NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (projection, key)
  )`;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS checkpoints (
    projection TEXT PRIMARY KEY,
    position TEXT NOT NULL,
    caught_up INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    store_id TEXT,
    last_event TEXT
  );
  ${documentsTable('documents')};
  CREATE TABLE IF NOT EXISTS skipped_events (
    projection TEXT NOT NULL,
    position TEXT NOT NULL,
    stream_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    type TEXT,
    reason TEXT NOT NULL,
    PRIMARY KEY (projection, position)
  ) WITHOUT ROWID;
`;

/**
 * The projection lease (one row). Created on first use rather than with the schema, so that a file
 * written by an earlier version still opens, and serves reads, on a full or read-only disk.
 */
const LEASE_TABLE = `
  CREATE TABLE IF NOT EXISTS projection_lease (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    taken_at TEXT NOT NULL,
    renewed_at TEXT NOT NULL,
    term INTEGER NOT NULL
  ) WITHOUT ROWID
`;
const LEASE_NAME = 'projections';

/** What the holder of the lease says of its projections, for followers in other processes (one row, created on first use too). */
const HOLDER_REPORT_TABLE = `
  CREATE TABLE IF NOT EXISTS projection_holder_report (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    report TEXT NOT NULL,
    at TEXT NOT NULL
  ) WITHOUT ROWID
`;

/** How much JSON of parsed documents a storage keeps in memory, by default (see DocumentCache). */
const DEFAULT_CACHE = { documentBytes: 32 * 2 ** 20, listBytes: 16 * 2 ** 20 };
/**
 * SQLite's own page cache, in KiB (negative: a size, not a page count): a rebuild writes all over
 * the documents table, and the service, following the log, rewrites each antenna's documents (about
 * ten pages each, so some 40 MiB at 1,000 antennas) again and again.
 */
const PAGE_CACHE_KIB = 64 * 1024;
/**
 * Pages the write-ahead log reaches before a commit copies it back into the file (SQLite's default
 * is 1,000). Each such checkpoint writes every page of the log at its place in the file and syncs
 * it; following the log, commits every 20 ms rewrite the same antennas' pages again and again, and
 * a larger log copies each of them once for many commits (a tenth of the service's time at
 * 1,000,000 events went to checkpoints of 1,000 pages). The log then holds up to 32 MiB.
 */
const AUTOCHECKPOINT_PAGES = 8_000;
const IN_MEMORY = ':memory:';

export interface SqliteProjectionStorageOptions {
  /** Bytes of JSON of committed documents, and of lists of them, kept parsed in memory. */
  readonly cache?: { readonly documentBytes: number; readonly listBytes: number };
}

/** What this code reads of the read-model file: the rest is superseded (see SqliteProjectionStorage.superseded). */
export interface KeptReadModels {
  /** The projection ids (`name@version`) this code lists (PROJECTIONS). */
  readonly projections: readonly string[];
  /** The projection versions its time-travel snapshots are built with (SnapshotMeta.projections); '' when it builds none. */
  readonly snapshots: string;
}

/** What a read-model file holds that this code no longer reads. */
export interface SupersededReadModels {
  /** Per projection id, by id: its documents, whether it has a checkpoint, its passed-over events. */
  readonly projections: readonly { readonly id: string; readonly documents: number; readonly checkpoint: boolean; readonly skipped: number }[];
  /** Time-travel snapshots (with documents, or marks) of other projection versions. */
  readonly snapshots: number;
  /** Their stored documents, one per snapshot and projection version, and any left without a kept snapshot. */
  readonly snapshotDocuments: number;
}

type Statements = ReturnType<typeof prepareStatements>;

/** One open connection to the file, with what was prepared on it and the file it opened. */
interface Connection {
  readonly db: Database.Database;
  readonly statements: Statements;
  readonly device: number;
  readonly inode: number;
}

/**
 * Read models in their own SQLite file beside the event store's (`read-models.sqlite`): they can
 * be deleted and rebuilt at any time from the events. `synchronous = NORMAL` is enough here: a
 * commit is atomic, so after a power cut documents and checkpoint go back together.
 *
 * Committed documents are kept parsed in memory ({@link DocumentCache}), updated by each commit
 * made here. A commit made through another connection (another process, such as `jalon replay`
 * beside the service) changes SQLite's `data_version`; the first read of each synchronous stretch
 * of reads checks it and starts afresh when it moved.
 *
 * Storage trouble (a full disk, a read-only file system, a file deleted or replaced by a
 * directory…) is thrown as a {@link ProjectionStorageError} saying why in French; a connection it
 * leaves unusable is closed, and the file is opened again on the next use. A file deleted under
 * the service is created anew, empty: the runner then finds its checkpoints gone and rebuilds.
 */
export class SqliteProjectionStorage implements ProjectionStorage, ProjectionLeaseStore {
  private current: Connection | undefined;
  private readonly cache: DocumentCache;
  private dataVersion = 0;
  /** Set from the first read of a synchronous stretch to its end (see startAfreshIfChangedElsewhere). */
  private versionChecked = false;
  private snapshots: TimeTravelSnapshotStore | undefined;

  private constructor(
    private readonly file: string,
    options: SqliteProjectionStorageOptions,
  ) {
    this.cache = new DocumentCache(options.cache ?? DEFAULT_CACHE);
  }

  /** Opens the file now if it can; otherwise on first use (each use tries again), so that a service starts whatever state its read models are in. */
  static open(file: string, options: SqliteProjectionStorageOptions = {}): SqliteProjectionStorage {
    const storage = new SqliteProjectionStorage(file, options);
    try {
      storage.connection();
    } catch {
      // Reported by the first use that needs the file, with the reason.
    }
    return storage;
  }

  checkpoint(id: string): StoredCheckpoint | undefined {
    const row = this.reading((statements) => {
      const found = statements.checkpoint.get(id) as CheckpointRow | undefined;
      // After the checkpoint, whatever the stretch checked before: the documents read next are never
      // older than the checkpoint says (a report is kept under the version it was built at).
      this.startAfreshIfChangedElsewhere(statements, { again: true });
      return found;
    });
    return row && toCheckpoint(row);
  }

  checkpoints(): StoredCheckpoint[] {
    // What a follower reads again (at most every 20 ms): a file deleted or replaced under it is
    // opened again at its path, so that it serves what the holder commits there, not the old file.
    if (this.current && this.file !== IN_MEMORY && !isSameFile(this.file, this.current)) this.dropConnection();
    return this.reading((statements) => statements.checkpoints.all() as CheckpointRow[]).map(toCheckpoint);
  }

  skipped(id: string): SkippedEvent[] {
    return this.reading((statements) => statements.skipped.all(id) as SkippedRow[])
      .map(toSkipped)
      .sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
  }

  view<Doc>(id: string): ReadModelView<Doc> {
    return {
      get: (key) => (this.document(id, key) as Doc | null) ?? undefined,
      list: (prefix) => this.list(id, prefix) as Doc[],
    };
  }

  /**
   * One document (null: there is none): what `view(id).get` reads, a report reading hundreds in a
   * row. As `documents(id, [key])`, without its key list and result map.
   */
  private document(id: string, key: string): unknown | null {
    return this.reading((statements) => {
      this.startAfreshIfChangedElsewhere(statements);
      const cached = this.cache.get(id, key);
      if (cached !== undefined) return cached.doc;
      return this.parsed(id, key, statements.get.get(id, key) as string | undefined);
    });
  }

  documents(id: string, keys: readonly string[]): Map<string, unknown | null> {
    return this.reading((statements) => {
      this.startAfreshIfChangedElsewhere(statements);
      const found = new Map<string, unknown | null>();
      const missing: string[] = [];
      for (const key of keys) {
        const cached = this.cache.get(id, key);
        if (cached === undefined) missing.push(key);
        else found.set(key, cached.doc);
      }
      if (missing.length === 1) {
        const json = statements.get.get(id, missing[0]) as string | undefined;
        this.remember(found, id, missing[0]!, json);
      } else if (missing.length > 1) {
        const rows = new Map((statements.getMany.all(id, JSON.stringify(missing)) as DocumentRow[]).map((row) => [row.key, row.doc]));
        for (const key of missing) this.remember(found, id, key, rows.get(key));
      }
      return found;
    });
  }

  commit(commits: readonly ProjectionCommit[], fence?: LeaseFence): void {
    const now = new Date().toISOString();
    const written = new Map<string, Map<string, { doc: unknown | null; bytes: number }>>();
    const built = new Set<string>();
    this.writing(({ db, statements }) =>
      db
        .transaction(() => {
          if (fence) checkFence(db, fence);
          for (const commit of commits) {
            const stored = statements.checkpoint.get(commit.id) as CheckpointRow | undefined;
            if ((stored === undefined ? 0n : BigInt(stored.position)) !== commit.expectedPosition) throw new ProjectionConflictError(commit.id);
            const changes = new Map<string, { doc: unknown | null; bytes: number }>();
            if (commit.building) built.add(commit.id);
            // In key order: the table is ordered by key, so rows go in one after the other instead
            // of all over it (a rebuild's commit of many documents takes less than half the time).
            const upserts: string[] = [];
            for (const key of keysInOrder(commit.docs)) {
              const doc = commit.docs.get(key) as unknown | null;
              if (doc === null) {
                statements.remove.run(commit.id, key);
                changes.set(key, { doc, bytes: 0 });
              } else {
                const json = JSON.stringify(doc);
                upserts.push(commit.id, key, json);
                if (upserts.length === UPSERT_ROWS * 3) statements.upsertMany.run(upserts.splice(0));
                if (!commit.building) changes.set(key, { doc, bytes: json.length });
              }
            }
            for (let row = 0; row < upserts.length; row += 3) statements.upsert.run(upserts[row], upserts[row + 1], upserts[row + 2]);
            for (const event of commit.skipped ?? []) {
              statements.skip.run(commit.id, event.position.toString(), event.streamId, event.revision, event.type ?? null, event.reason);
            }
            statements.saveCheckpoint.run(commit.id, commit.position.toString(), commit.caughtUp ? 1 : 0, now);
            if (commit.source) statements.saveSource.run(commit.source.storeId, commit.source.lastEvent ?? null, commit.id);
            written.set(commit.id, changes);
          }
        })
        .immediate(),
    );
    for (const [id, changes] of written) {
      // A read model being built is not cached: what was cached of it (nothing, after its reset) is dropped.
      if (built.has(id)) this.cache.forget(id);
      else this.cache.committed(id, changes);
    }
  }

  reset(id: string, fence?: LeaseFence): void {
    this.writing(({ db, statements }) =>
      db
        .transaction(() => {
          if (fence) checkFence(db, fence);
          statements.resetDocs.run(id);
          statements.resetCheckpoint.run(id);
          statements.resetSkipped.run(id);
        })
        .immediate(),
    );
    this.cache.forget(id);
  }

  takeLease(holder: string, ttlMs: number, now: number, isGone: (holder: string) => boolean = () => false): ProjectionLease {
    // Looked at first without a write lock: an instance that finds the lease held by another
    // writes nothing, and leaves the others' cached documents valid.
    const seen = this.lease();
    if (seen !== undefined && seen.holder !== holder && seen.expiresAt > now && !isGone(seen.holder)) return seen;
    return this.writing(({ db }) =>
      db
        .transaction(() => {
          db.exec(LEASE_TABLE);
          const current = readLease(db);
          if (current !== undefined && current.holder !== holder && current.expiresAt > now && !isGone(current.holder)) return current;
          const at = new Date(now).toISOString();
          const own = current?.holder === holder;
          const next: ProjectionLease = {
            holder,
            expiresAt: now + ttlMs,
            takenAt: own ? current.takenAt : at,
            renewedAt: at,
            term: current === undefined ? 1 : own ? current.term : current.term + 1,
          };
          db.prepare(
            'INSERT INTO projection_lease (name, holder, expires_at, taken_at, renewed_at, term) VALUES (?, ?, ?, ?, ?, ?) ' +
              'ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at, taken_at = excluded.taken_at, ' +
              'renewed_at = excluded.renewed_at, term = excluded.term',
          ).run(LEASE_NAME, next.holder, next.expiresAt, next.takenAt, next.renewedAt, next.term);
          return next;
        })
        .immediate(),
    );
  }

  releaseLease(holder: string): void {
    if (this.lease()?.holder !== holder) return;
    this.writing(({ db }) =>
      db
        .transaction(() => {
          if (readLease(db)?.holder !== holder) return;
          db.prepare('UPDATE projection_lease SET expires_at = ? WHERE name = ? AND expires_at > ?').run(Date.now(), LEASE_NAME, Date.now());
        })
        .immediate(),
    );
  }

  lease(): ProjectionLease | undefined {
    const { db } = this.connection();
    return this.failingAs('lus', () => readLease(db));
  }

  publishHolderReport(holder: string, report: string): boolean {
    return this.writing(({ db }) =>
      db
        .transaction(() => {
          if (readLease(db)?.holder !== holder) return false;
          db.exec(HOLDER_REPORT_TABLE);
          db.prepare(
            'INSERT INTO projection_holder_report (name, holder, report, at) VALUES (?, ?, ?, ?) ' +
              'ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, report = excluded.report, at = excluded.at',
          ).run(LEASE_NAME, holder, report, new Date().toISOString());
          return true;
        })
        .immediate(),
    );
  }

  holderReport(): StoredHolderReport | undefined {
    const { db } = this.connection();
    return this.failingAs('lus', () => {
      const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'projection_holder_report'").pluck().get();
      if (exists === undefined) return undefined;
      return db.prepare('SELECT holder, report, at FROM projection_holder_report WHERE name = ?').get(LEASE_NAME) as StoredHolderReport | undefined;
    });
  }

  /** Time-travel snapshots in this file, through this storage's connection (and its errors). */
  timeTravelSnapshots(): TimeTravelSnapshotStore {
    this.snapshots ??= new SqliteTimeTravelSnapshotStore({
      read: (work) => {
        const { db } = this.connection();
        return this.failingAs('lus', () => work(db));
      },
      write: (work) => this.writing(({ db }) => work(db)),
    });
    return this.snapshots;
  }

  /**
   * What the file holds that this code no longer reads: the documents, checkpoint and passed-over
   * events of each projection id not in `kept.projections` (a version a newer one replaced, built
   * beside it: docs/decisions/0010), and the time-travel snapshots not built with `kept.snapshots`.
   * Found by seeks in the keys' indexes and counted by key range: cheap enough for `jalon status`.
   */
  superseded(kept: KeptReadModels): SupersededReadModels {
    const { db } = this.connection();
    return this.failingAs('lus', () => supersededIn(db, kept));
  }

  /**
   * Removes what {@link superseded} finds, in one transaction (fenced as a commit), and says what it
   * removed: nothing a kept projection or a kept snapshot uses is touched. The pages freed stay in
   * the file (reused as it grows) until {@link vacuum}.
   */
  removeSuperseded(kept: KeptReadModels, fence?: LeaseFence): SupersededReadModels {
    const removed = this.writing(({ db, statements }) =>
      db
        .transaction(() => {
          if (fence) checkFence(db, fence);
          const found = supersededIn(db, kept);
          for (const { id } of found.projections) {
            statements.resetDocs.run(id);
            statements.resetCheckpoint.run(id);
            statements.resetSkipped.run(id);
          }
          if (hasSnapshotTables(db)) {
            db.prepare(`DELETE FROM time_travel_snapshots WHERE ${SNAPSHOT_NOT_KEPT}`).run(kept.snapshots);
            db.prepare(`DELETE FROM time_travel_snapshot_docs WHERE ${SNAPSHOT_DOCS_NOT_KEPT}`).run(kept.snapshots, JSON.stringify(keptSnapshotIds(kept)));
            countSnapshotWrite(db);
          }
          return found;
        })
        .immediate(),
    );
    for (const { id } of removed.projections) this.cache.forget(id);
    return removed;
  }

  /** Bytes of free pages in the file (left by removed documents, or by the move of decision 0029): what {@link vacuum} gives back. */
  freeBytes(): number {
    const { db } = this.connection();
    return this.failingAs('lus', () => (db.pragma('freelist_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number));
  }

  /**
   * Rewrites the file without its free pages (SQLite's `VACUUM`), then empties the write-ahead log
   * into it, so that it takes on disk what it holds. SQLite needs free space about the size of the
   * file, beside it and in its temporary directory; a failure (a full disk) changes nothing (`VACUUM`
   * is one transaction), and the space its log took meanwhile is given back. A stopped service only:
   * it holds the file's write lock throughout.
   */
  vacuum(): void {
    this.writing(({ db }) => {
      try {
        db.exec('VACUUM');
      } catch (error) {
        try {
          db.pragma('wal_checkpoint(TRUNCATE)');
        } catch {
          // The log is emptied when the file is closed.
        }
        throw error;
      }
      db.pragma('wal_checkpoint(TRUNCATE)');
    });
  }

  close(): void {
    this.dropConnection();
  }

  private list(id: string, prefix: string): unknown[] {
    return this.reading((statements) => {
      this.startAfreshIfChangedElsewhere(statements);
      const cached = this.cache.list(id, prefix);
      if (cached !== undefined) return cached;
      // Keys are compared as strings: every key starting with `prefix` sorts in [prefix, prefix + U+FFFF).
      const rows = (statements.list.all(id, prefix, `${prefix}\uffff`) as DocumentRow[]).map((row) => ({ key: row.key, doc: JSON.parse(row.doc) as unknown, bytes: row.doc.length }));
      this.cache.listed(id, prefix, rows);
      return rows.map((row) => row.doc);
    });
  }

  private remember(found: Map<string, unknown | null>, id: string, key: string, json: string | undefined): void {
    found.set(key, this.parsed(id, key, json));
  }

  /** A document read from the file (null: none), kept in the cache. */
  private parsed(id: string, key: string, json: string | undefined): unknown | null {
    const doc = json === undefined ? null : (JSON.parse(json) as unknown);
    this.cache.read(id, key, doc, json?.length ?? 0);
    return doc;
  }

  /** Another connection committed since we last looked: what is cached may be stale. */
  private startAfreshIfChangedElsewhere(statements: Statements, options: { readonly again?: boolean } = {}): void {
    // Once per synchronous stretch of reads (a report reads hundreds of documents in one): each
    // read of `data_version` is a read transaction of its own, some 8 µs, and they were most of
    // the time of a filtered page of the audit trail. Another connection's commit shows from the
    // next stretch (after any `await`), or from the next checkpoint read (`again`), so that the
    // documents read after a checkpoint are never older than it.
    if (this.versionChecked && !options.again) return;
    if (!this.versionChecked) {
      this.versionChecked = true;
      queueMicrotask(() => (this.versionChecked = false));
    }
    const version = statements.dataVersion.get() as number;
    if (version === this.dataVersion) return;
    this.dataVersion = version;
    this.cache.clear();
  }

  private reading<T>(work: (statements: Statements) => T): T {
    const { statements } = this.connection();
    return this.failingAs('lus', () => work(statements));
  }

  /** Writes only to the file at the path: SQLite would go on writing to a file deleted or replaced under it, and lose it all. */
  private writing<T>(work: (connection: Connection) => T): T {
    const connection = this.connection();
    if (this.file !== IN_MEMORY && !isSameFile(this.file, connection)) {
      this.dropConnection();
      throw new ProjectionStorageError(`les modèles de lecture (${basename(this.file)}) ont été supprimés, déplacés ou remplacés pendant que le service tournait`);
    }
    return this.failingAs('écrits', () => work(connection));
  }

  private failingAs<T>(what: 'lus' | 'écrits', work: () => T): T {
    try {
      return work();
    } catch (error) {
      const kind = storageFailureKind(error);
      if (kind === undefined) throw error;
      if (needsNewConnection(kind) && this.file !== IN_MEMORY) this.dropConnection();
      throw new ProjectionStorageError(`les modèles de lecture (${basename(this.file)}) ne peuvent pas être ${what} : ${describeStorageFailure(kind, error)}`, error);
    }
  }

  private connection(): Connection {
    if (this.current) return this.current;
    try {
      this.current = this.openConnection();
    } catch (error) {
      const kind = storageFailureKind(error) ?? 'cannot-open';
      throw new ProjectionStorageError(`les modèles de lecture (${basename(this.file)}) ne peuvent pas être ouverts : ${describeStorageFailure(kind, error)}`, error);
    }
    this.cache.clear();
    this.dataVersion = this.current.statements.dataVersion.get() as number;
    return this.current;
  }

  private openConnection(): Connection {
    if (this.file !== IN_MEMORY) {
      mkdirSync(dirname(this.file), { recursive: true });
      removeOrphanedJournals(this.file);
    }
    const db = new Database(this.file);
    try {
      useWriteAheadLog(db);
      db.pragma('synchronous = NORMAL');
      db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
      db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
      db.exec(SCHEMA);
      addSourceColumns(db);
      moveDocumentsToRowidTable(db);
      return { db, statements: prepareStatements(db), ...(this.file === IN_MEMORY ? { device: 0, inode: 0 } : fileIdentityOf(this.file)) };
    } catch (error) {
      db.close();
      throw error;
    }
  }

  private dropConnection(): void {
    const connection = this.current;
    this.current = undefined;
    try {
      connection?.db.close();
    } catch {
      // A connection to a file in trouble may fail to close: it is dropped all the same.
    }
  }
}

interface LeaseRow {
  holder: string;
  expires_at: number;
  taken_at: string;
  renewed_at: string;
  term: number;
}

function readLease(db: Database.Database): ProjectionLease | undefined {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'projection_lease'").pluck().get();
  if (exists === undefined) return undefined;
  const row = db.prepare('SELECT holder, expires_at, taken_at, renewed_at, term FROM projection_lease WHERE name = ?').get(LEASE_NAME) as LeaseRow | undefined;
  return row && { holder: row.holder, expiresAt: Number(row.expires_at), takenAt: row.taken_at, renewedAt: row.renewed_at, term: Number(row.term) };
}

/** Inside a write transaction: the fence's holder must still hold an unexpired lease, or nothing is written. */
function checkFence(db: Database.Database, fence: LeaseFence): void {
  const current = readLease(db);
  if (current === undefined || current.holder !== fence.holder || current.expiresAt <= Date.now()) throw new ProjectionLeaseLostError(fence.holder, current);
}

/** The projection versions a snapshot was built with (its figures name them, docs/decisions/0028); NULL for figures that do not parse, never used. */
const SNAPSHOT_SET = "(CASE WHEN json_valid(meta) THEN json_extract(meta, '$.projections') END)";
/** A snapshot not built with the kept projection versions. */
const SNAPSHOT_NOT_KEPT = `${SNAPSHOT_SET} IS NOT ?`;
/** A snapshot's documents without a kept snapshot, or of a projection version no kept snapshot keeps. */
const SNAPSHOT_DOCS_NOT_KEPT = `position NOT IN (SELECT position FROM time_travel_snapshots WHERE ${SNAPSHOT_SET} IS ?)
  OR projection NOT IN (SELECT value FROM json_each(?))`;

function keptSnapshotIds(kept: KeptReadModels): string[] {
  return kept.snapshots === '' ? [] : kept.snapshots.split(',');
}

function hasSnapshotTables(db: Database.Database): boolean {
  const tables = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('time_travel_snapshots', 'time_travel_snapshot_docs')").pluck().get() as number;
  return tables === 2;
}

/**
 * The distinct projection ids of a table keyed by (projection, …), one seek in its key index per
 * id (a scan would read every key of millions of documents).
 */
function projectionIdsOf(db: Database.Database, table: 'documents' | 'skipped_events'): string[] {
  return db
    .prepare(
      `WITH RECURSIVE ids(id) AS (SELECT (SELECT min(projection) FROM ${table}) ` +
        `UNION ALL SELECT (SELECT min(projection) FROM ${table} WHERE projection > ids.id) FROM ids WHERE ids.id IS NOT NULL) ` +
        'SELECT id FROM ids WHERE id IS NOT NULL',
    )
    .pluck()
    .all() as string[];
}

function supersededIn(db: Database.Database, kept: KeptReadModels): SupersededReadModels {
  const keep = new Set(kept.projections);
  const checkpointed = new Set(db.prepare('SELECT projection FROM checkpoints').pluck().all() as string[]);
  const ids = new Set([...checkpointed, ...projectionIdsOf(db, 'documents'), ...projectionIdsOf(db, 'skipped_events')]);
  const countDocuments = db.prepare('SELECT count(*) FROM documents WHERE projection = ?').pluck();
  const countSkipped = db.prepare('SELECT count(*) FROM skipped_events WHERE projection = ?').pluck();
  const projections = [...ids]
    .filter((id) => !keep.has(id))
    .sort()
    .map((id) => ({ id, documents: countDocuments.get(id) as number, checkpoint: checkpointed.has(id), skipped: countSkipped.get(id) as number }));
  if (!hasSnapshotTables(db)) return { projections, snapshots: 0, snapshotDocuments: 0 };
  return {
    projections,
    snapshots: db.prepare(`SELECT count(*) FROM time_travel_snapshots WHERE ${SNAPSHOT_NOT_KEPT}`).pluck().get(kept.snapshots) as number,
    snapshotDocuments: db.prepare(`SELECT count(*) FROM time_travel_snapshot_docs WHERE ${SNAPSHOT_DOCS_NOT_KEPT}`).pluck().get(kept.snapshots, JSON.stringify(keptSnapshotIds(kept))) as number,
  };
}

function prepareStatements(db: Database.Database) {
  return {
    checkpoint: db.prepare('SELECT projection, position, caught_up, store_id, last_event FROM checkpoints WHERE projection = ?'),
    checkpoints: db.prepare('SELECT projection, position, caught_up, store_id, last_event FROM checkpoints ORDER BY projection'),
    get: db.prepare('SELECT doc FROM documents WHERE projection = ? AND key = ?').pluck(),
    // Keys come as one JSON array: one statement, one lookup of the primary key per key.
    getMany: db.prepare('SELECT key, doc FROM documents WHERE projection = ? AND key IN (SELECT value FROM json_each(?))'),
    list: db.prepare('SELECT key, doc FROM documents WHERE projection = ? AND key >= ? AND key < ? ORDER BY key'),
    upsert: db.prepare('INSERT INTO documents (projection, key, doc) VALUES (?, ?, ?) ON CONFLICT (projection, key) DO UPDATE SET doc = excluded.doc'),
    upsertMany: db.prepare(
      `INSERT INTO documents (projection, key, doc) VALUES ${Array.from({ length: UPSERT_ROWS }, () => '(?, ?, ?)').join(', ')} ` +
        'ON CONFLICT (projection, key) DO UPDATE SET doc = excluded.doc',
    ),
    remove: db.prepare('DELETE FROM documents WHERE projection = ? AND key = ?'),
    saveCheckpoint: db.prepare(
      'INSERT INTO checkpoints (projection, position, caught_up, updated_at) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (projection) DO UPDATE SET position = excluded.position, caught_up = excluded.caught_up, updated_at = excluded.updated_at',
    ),
    saveSource: db.prepare('UPDATE checkpoints SET store_id = ?, last_event = ? WHERE projection = ?'),
    skipped: db.prepare('SELECT position, stream_id, revision, type, reason FROM skipped_events WHERE projection = ?'),
    skip: db.prepare('INSERT OR REPLACE INTO skipped_events (projection, position, stream_id, revision, type, reason) VALUES (?, ?, ?, ?, ?, ?)'),
    resetDocs: db.prepare('DELETE FROM documents WHERE projection = ?'),
    resetCheckpoint: db.prepare('DELETE FROM checkpoints WHERE projection = ?'),
    resetSkipped: db.prepare('DELETE FROM skipped_events WHERE projection = ?'),
    dataVersion: db.prepare('PRAGMA data_version').pluck(),
  };
}

/** Documents written by one statement in a large commit (each costs a call into SQLite). */
const UPSERT_ROWS = 64;

/** A commit's documents in key order (as they are stored); a small one as it is. */
function keysInOrder(docs: ReadonlyMap<string, unknown | null>): Iterable<string> {
  if (docs.size < 2) return docs.keys();
  // The default order of `sort` is by UTF-16 code units, as `<` compares strings: without a
  // comparator called at each comparison (a rebuild's commit sorts tens of thousands of keys).
  return [...docs.keys()].sort();
}

/**
 * A file written before documents had a rowid (a WITHOUT ROWID table, see {@link documentsTable})
 * has them copied into the new table, in one transaction (about half a minute for a million
 * documents); the service opens once it is done. A file that cannot be written now (a full disk, a
 * read-only file system) keeps the old table, which serves and takes commits as before, and is
 * moved at the next opening.
 */
function moveDocumentsToRowidTable(db: Database.Database): void {
  const withoutRowid = () => /WITHOUT\s+ROWID/i.test((db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'documents'").pluck().get() as string | undefined) ?? '');
  // Looked at first without a write lock: a file already moved opens read-only as before.
  if (!withoutRowid()) return;
  try {
    db.transaction(() => {
      if (!withoutRowid()) return;
      db.exec(`DROP TABLE IF EXISTS documents_moved; ${documentsTable('documents_moved')}`);
      db.exec('INSERT INTO documents_moved (projection, key, doc) SELECT projection, key, doc FROM documents ORDER BY projection, key');
      db.exec('DROP TABLE documents; ALTER TABLE documents_moved RENAME TO documents');
    }).immediate();
  } catch (error) {
    if (storageFailureKind(error) === undefined) throw error;
  }
}

/** A file written before checkpoints named their store gains the two columns (left empty: such checkpoints are rebuilt). */
function addSourceColumns(db: Database.Database): void {
  const missing = () => {
    const columns = new Set((db.prepare('PRAGMA table_info(checkpoints)').all() as { name: string }[]).map((column) => column.name));
    return ['store_id', 'last_event'].filter((column) => !columns.has(column));
  };
  // Looked at first without a write lock: a file that has them opens read-only as before.
  if (missing().length === 0) return;
  db.transaction(() => {
    for (const column of missing()) db.exec(`ALTER TABLE checkpoints ADD COLUMN ${column} TEXT`);
  }).immediate();
}

/**
 * A write-ahead log without its database belonged to a file now gone: SQLite would replay it into
 * the new file it creates. Read models are rebuilt from the events, so it is simply removed.
 */
function removeOrphanedJournals(file: string): void {
  if (existsSync(file)) return;
  for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
}

interface DocumentRow {
  key: string;
  doc: string;
}

interface CheckpointRow {
  projection: string;
  position: string;
  caught_up: number;
  store_id: string | null;
  last_event: string | null;
}

interface SkippedRow {
  position: string;
  stream_id: string;
  revision: number;
  type: string | null;
  reason: string;
}

function toCheckpoint(row: CheckpointRow): StoredCheckpoint {
  return {
    id: row.projection,
    position: BigInt(row.position),
    caughtUp: row.caught_up === 1,
    ...(row.store_id === null ? {} : { storeId: row.store_id }),
    ...(row.last_event === null ? {} : { lastEvent: row.last_event }),
  };
}

function toSkipped(row: SkippedRow): SkippedEvent {
  return { streamId: row.stream_id, revision: row.revision, position: BigInt(row.position), ...(row.type === null ? {} : { type: row.type }), reason: row.reason };
}
