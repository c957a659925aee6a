import Database from 'better-sqlite3';

/**
 * The highest position the embedded store ever handed out (`sqlite_sequence`, kept by
 * AUTOINCREMENT even when the newest rows are deleted), or undefined for a file without events.
 * Positions are dense there: an append that is refused or rolled back, even inside a group's
 * savepoint, rolls the counter back with it (tested in verify-log.spec.ts). A counter beyond the
 * last event therefore means rows cut off the end of the log.
 */
export function highestAssignedPosition(file: string): bigint | undefined {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare<[], { seq: bigint }>("SELECT seq FROM sqlite_sequence WHERE name = 'events'").safeIntegers(true).get();
    return row?.seq;
  } finally {
    db.close();
  }
}
