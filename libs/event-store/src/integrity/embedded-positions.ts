import Database from 'better-sqlite3';
import { EventStoreError } from '../event-store.port';
import { describeStorageFailure, storageFailureKind } from '../sqlite/sqlite-failures';
import { STORE_UNAVAILABLE } from '../store-health';

/** The embedded store's positions, read together: the highest handed out, and the last event's. */
export interface AssignedPositions {
  /** The highest position ever handed out (`sqlite_sequence`, kept by AUTOINCREMENT even when the newest rows are deleted). */
  readonly highest: bigint;
  /** The position of the last event in the file (undefined: none). */
  readonly lastStored?: bigint;
}

/**
 * The highest position the embedded store ever handed out and its last event's, both read in one
 * snapshot of the file (another process may be appending: read apart, the counter would be ahead of
 * the events read before it, and a sound log would look cut off); undefined for a file without
 * events. Positions are dense there: an append that is refused or rolled back, even inside a
 * group's savepoint, rolls the counter back with it (tested in verify-log.spec.ts). A counter beyond
 * the last event therefore means rows cut off the end of the log.
 */
export function assignedPositions(file: string): AssignedPositions | undefined {
  const db = openToVerify(file);
  try {
    return inOneSnapshot(db, () => {
      const row = db.prepare<[], { seq: bigint }>("SELECT seq FROM sqlite_sequence WHERE name = 'events'").safeIntegers(true).get();
      if (row === undefined) return undefined;
      const last = db.prepare<[], { last: bigint | null }>('SELECT max(position) AS last FROM events').safeIntegers(true).get()!.last;
      return { highest: row.seq, ...(last === null ? {} : { lastStored: last }) };
    });
  } finally {
    db.close();
  }
}

/** Runs `read` in one read transaction: every statement sees the file as it was at the first one, whatever other connections commit meanwhile. */
function inOneSnapshot<T>(db: Database.Database, read: () => T): T {
  db.exec('BEGIN');
  try {
    return read();
  } finally {
    // Only read: it is let go. On a damaged file, SQLite may have ended it already, or fail to end
    // it with the damage `read` found and named; the connection is closed right after either way.
    try {
      if (db.inTransaction) db.exec('ROLLBACK');
    } catch {
      // The damage is what `read` reports.
    }
  }
}

/**
 * What is damaged in the embedded store's file where reading the log does not look: each index of
 * the events (by id; by stream and revision: what appends and stream reads go through) is walked
 * whole, and counted against the table. A page of it that is not one (a byte changed on the disk)
 * is SQLITE_CORRUPT; an entry missing or left over is a count that differs. Reading every event in
 * order, as the verification does, reads the table but none of these: a damaged index once let
 * `verify` say « intact » while every append failed. About 0.7 s for 1,000,000 events. One message
 * per problem, in French; none for a sound file. The table and every index are counted in one
 * snapshot of the file: counted apart while another process appends, they would differ on a sound file.
 */
export function embeddedStoreDamage(file: string): string[] {
  const db = openToVerify(file);
  const damaged = (what: string, error: unknown) =>
    `${what} est illisible : ${describeStorageFailure(storageFailureKind(error) ?? 'corrupt', error)} ; restaurez le fichier du magasin depuis une sauvegarde.`;
  try {
    return inOneSnapshot(db, () => {
      let rows: number;
      let indexes: string[];
      try {
        rows = db.prepare<[], { rows: number }>('SELECT count(*) AS rows FROM events NOT INDEXED').get()!.rows;
        indexes = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' ORDER BY name").all().map((row) => row.name);
      } catch (error) {
        return [damaged('La table des événements', error)];
      }
      const problems: string[] = [];
      for (const index of indexes) {
        try {
          const counted = db.prepare<[], { rows: number }>(`SELECT count(*) AS rows FROM events INDEXED BY "${index.replace(/"/g, '""')}"`).get()!.rows;
          if (counted !== rows) {
            problems.push(`L’index ${index} compte ${counted} événement(s), la table ${rows} : le fichier est endommagé ; restaurez le fichier du magasin depuis une sauvegarde.`);
          }
        } catch (error) {
          problems.push(damaged(`L’index ${index}`, error));
        }
      }
      return problems;
    });
  } finally {
    db.close();
  }
}

/**
 * The store's file opened read-only for what the verification asks of it. Moved, deleted or replaced
 * (by a directory…) while the service runs: a verification, an audit export or a statement cannot be
 * proved now (503, as the store says), not a 500.
 */
function openToVerify(file: string): Database.Database {
  try {
    return new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    const kind = storageFailureKind(error) ?? 'cannot-open';
    throw new EventStoreError(STORE_UNAVAILABLE, `le fichier du magasin d’événements ne peut pas être ouvert pour vérifier le journal : ${describeStorageFailure(kind, error)}`);
  }
}
