import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ReadModelView } from '../projection';
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

/**
 * Read models in their own SQLite file beside the event store's (`read-models.sqlite`): they can
 * be deleted and rebuilt at any time from the events. `synchronous = NORMAL` is enough here: a
 * commit is atomic, so after a power cut documents and checkpoint go back together.
 */
export class SqliteProjectionStorage implements ProjectionStorage {
  private readonly db: Database.Database;
  private readonly statements;

  private constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    this.statements = {
      checkpoint: this.db.prepare('SELECT projection, position, caught_up FROM checkpoints WHERE projection = ?'),
      checkpoints: this.db.prepare('SELECT projection, position, caught_up FROM checkpoints ORDER BY projection'),
      get: this.db.prepare('SELECT doc FROM documents WHERE projection = ? AND key = ?'),
      list: this.db.prepare("SELECT doc FROM documents WHERE projection = ? AND key >= ? AND key < ? ORDER BY key"),
      upsert: this.db.prepare('INSERT INTO documents (projection, key, doc) VALUES (?, ?, ?) ON CONFLICT (projection, key) DO UPDATE SET doc = excluded.doc'),
      remove: this.db.prepare('DELETE FROM documents WHERE projection = ? AND key = ?'),
      saveCheckpoint: this.db.prepare(
        'INSERT INTO checkpoints (projection, position, caught_up, updated_at) VALUES (?, ?, ?, ?) ' +
          'ON CONFLICT (projection) DO UPDATE SET position = excluded.position, caught_up = excluded.caught_up, updated_at = excluded.updated_at',
      ),
      resetDocs: this.db.prepare('DELETE FROM documents WHERE projection = ?'),
      resetCheckpoint: this.db.prepare('DELETE FROM checkpoints WHERE projection = ?'),
    };
  }

  static open(file: string): SqliteProjectionStorage {
    return new SqliteProjectionStorage(file);
  }

  checkpoint(id: string): StoredCheckpoint | undefined {
    const row = this.statements.checkpoint.get(id) as CheckpointRow | undefined;
    return row && toCheckpoint(row);
  }

  checkpoints(): StoredCheckpoint[] {
    return (this.statements.checkpoints.all() as CheckpointRow[]).map(toCheckpoint);
  }

  view<Doc>(id: string): ReadModelView<Doc> {
    const { get, list } = this.statements;
    return {
      get: (key) => {
        const row = get.get(id, key) as { doc: string } | undefined;
        return row ? (JSON.parse(row.doc) as Doc) : undefined;
      },
      // Keys are compared as strings: every key starting with `prefix` sorts in [prefix, prefix + U+FFFF).
      list: (prefix) => (list.all(id, prefix, `${prefix}\uffff`) as { doc: string }[]).map((row) => JSON.parse(row.doc) as Doc),
    };
  }

  commit(commits: readonly ProjectionCommit[]): void {
    const now = new Date().toISOString();
    this.db
      .transaction(() => {
        for (const commit of commits) {
          const stored = this.checkpoint(commit.id);
          if ((stored?.position ?? 0n) !== commit.expectedPosition) throw new ProjectionConflictError(commit.id);
          for (const [key, doc] of commit.docs) {
            if (doc === null) this.statements.remove.run(commit.id, key);
            else this.statements.upsert.run(commit.id, key, JSON.stringify(doc));
          }
          this.statements.saveCheckpoint.run(commit.id, commit.position.toString(), commit.caughtUp ? 1 : 0, now);
        }
      })
      .immediate();
  }

  reset(id: string): void {
    this.db.transaction(() => {
      this.statements.resetDocs.run(id);
      this.statements.resetCheckpoint.run(id);
    })();
  }

  close(): void {
    this.db.close();
  }
}

interface CheckpointRow {
  projection: string;
  position: string;
  caught_up: number;
}

function toCheckpoint(row: CheckpointRow): StoredCheckpoint {
  return { id: row.projection, position: BigInt(row.position), caughtUp: row.caught_up === 1 };
}
