/**
 * Helpers of the provable-history tests: chained appends (as the command path makes them), seals,
 * and direct alterations of an embedded store's file, as someone with access to the disk would.
 */
import {
  appendSeal,
  chainEvents,
  eventHash,
  feedVerifier,
  LogVerifier,
  tipOf,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type SealKey,
  type StoredEvent,
} from '@jalon/event-store';
import Database from 'better-sqlite3';

export const SEAL_STREAM = 'integrity-seals';

/** Appends a batch at the end of its stream's hash chain, expecting the stream's revision. */
export async function appendChained(store: EventStore, streamId: string, events: readonly EventToAppend[]): Promise<AppendResult> {
  let last: StoredEvent | undefined;
  for await (const event of store.readStream(streamId, { direction: 'backwards', maxCount: 1 })) last = event;
  const tip = last ? tipOf(last) : undefined;
  return store.append(streamId, chainEvents(streamId, tip, events), { expectedRevision: tip?.revision ?? 'no_stream' });
}

/** Verifies the whole log and seals it, as `jalon seal` does. */
export async function sealLog(store: EventStore, key: SealKey, now = new Date('2024-03-15T10:00:00Z')): Promise<StoredEvent> {
  const verifier = new LogVerifier({ sealStreamId: SEAL_STREAM, densePositions: true });
  await feedVerifier(store, verifier, { densePositions: true });
  const seal = await appendSeal(store, verifier, {
    sealStreamId: SEAL_STREAM,
    key,
    now,
    effectiveDate: now.toISOString().slice(0, 10),
    metadata: { actor: 'system', actorName: 'Jalon', role: 'admin', correlationId: 'seal', causationId: 'seal' },
  });
  if (!seal) throw new Error('nothing to seal');
  return seal;
}

/** A row of the `events` table, as stored. */
export interface EventRow {
  position: number;
  event_id: string;
  stream_id: string;
  revision: number;
  type: string;
  version: number;
  data: string;
  metadata: string;
}

/** Runs `change` on the store's file through a plain SQLite connection (the store must be closed). */
export function alterFile<T>(file: string, change: (db: Database.Database) => T): T {
  const db = new Database(file);
  try {
    return db.transaction(() => change(db))();
  } finally {
    db.close();
  }
}

export function rowAt(file: string, position: number): EventRow {
  return alterFile(file, (db) => db.prepare<[number], EventRow>('SELECT * FROM events WHERE position = ?').get(position)!);
}

/**
 * Replaces the whole table with `rewrite(rows)`, renumbering positions 1, 2, 3… and resetting the
 * position counter: a forger who wants the log to look untouched.
 */
export function rewriteLog(file: string, rewrite: (rows: EventRow[]) => EventRow[]): void {
  alterFile(file, (db) => {
    const rows = db.prepare<[], EventRow>('SELECT * FROM events ORDER BY position').all();
    const rewritten = rewrite(rows);
    db.prepare('DELETE FROM events').run();
    const insert = db.prepare('INSERT INTO events (position, event_id, stream_id, revision, type, version, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    rewritten.forEach((row, index) => insert.run(index + 1, row.event_id, row.stream_id, row.revision, row.type, row.version, row.data, row.metadata));
    db.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'events'").run(rewritten.length);
  });
}

/** Recomputes the chain of a stream's rows (in the order given) from revision 0, as a forger would. */
export function rechain(rows: readonly EventRow[]): EventRow[] {
  let previousHash = '0'.repeat(64);
  return rows.map((row, revision) => {
    const { hash: _hash, ...metadata } = JSON.parse(row.metadata) as Record<string, unknown>;
    const content = { id: row.event_id, streamId: row.stream_id, revision, type: row.type, version: row.version, data: JSON.parse(row.data), metadata: { ...metadata, previousHash } };
    const hash = eventHash(content);
    previousHash = hash;
    return { ...row, revision, metadata: JSON.stringify({ ...content.metadata, hash }) };
  });
}
