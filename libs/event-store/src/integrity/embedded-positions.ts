import Database from 'better-sqlite3';
import { EventStoreError } from '../event-store.port';
import { describeStorageFailure, storageFailureKind } from '../sqlite/sqlite-failures';
import { STORE_UNAVAILABLE } from '../store-health';

/**
 * The highest position the embedded store ever handed out (`sqlite_sequence`, kept by
 * AUTOINCREMENT even when the newest rows are deleted), or undefined for a file without events.
 * Positions are dense there: an append that is refused or rolled back, even inside a group's
 * savepoint, rolls the counter back with it (tested in verify-log.spec.ts). A counter beyond the
 * last event therefore means rows cut off the end of the log.
 */
export function highestAssignedPosition(file: string): bigint | undefined {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    // The store's file moved, deleted or replaced (by a directory…) while the service runs: a
    // verification, an audit export or a statement cannot be proved now (503, as the store says), not a 500.
    const kind = storageFailureKind(error) ?? 'cannot-open';
    throw new EventStoreError(STORE_UNAVAILABLE, `le fichier du magasin d’événements ne peut pas être ouvert pour vérifier le journal : ${describeStorageFailure(kind, error)}`);
  }
  try {
    const row = db.prepare<[], { seq: bigint }>("SELECT seq FROM sqlite_sequence WHERE name = 'events'").safeIntegers(true).get();
    return row?.seq;
  } finally {
    db.close();
  }
}
