import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  EventStoreError,
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StoredEvent,
  type Subscription,
} from '../event-store.port';
import { configureConnection, migrate } from './sqlite-schema';
import { AppendNotifier, SqliteSubscription } from './sqlite-subscription';

export interface SqliteEventStoreOptions {
  /** Path of the database file; its directory is created if needed. */
  readonly file: string;
  /** How often live subscriptions look for events appended by other processes (default 250 ms). */
  readonly livePollMs?: number;
}

/** Rows read per query: reads and catch-ups never hold more than this in memory. */
const PAGE_SIZE = 1_000;
const DEFAULT_LIVE_POLL_MS = 250;

/** A row of {@link COLUMNS}, read as an array: decoding a page of rows then builds no object per row. */
type EventRow = [position: bigint, eventId: string, streamId: string, revision: bigint, type: string, version: bigint, data: string, metadata: string];

interface RowToInsert {
  readonly id: string;
  readonly type: string;
  readonly version: number;
  readonly data: string;
  readonly metadata: string;
}

const COLUMNS = 'position, event_id, stream_id, revision, type, version, data, metadata';

interface QueuedAppend {
  readonly streamId: string;
  readonly rows: readonly RowToInsert[];
  readonly expected: ExpectedRevision;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

export class SqliteEventStore implements EventStore {
  private readonly notifier = new AppendNotifier();
  private readonly subscriptions = new Set<SqliteSubscription>();
  private closed = false;

  private readonly statements: Statements;
  private readonly appendTransaction: Database.Transaction<typeof appendInTransaction>;
  private readonly groupTransaction: Database.Transaction<(group: readonly QueuedAppend[]) => (AppendResult | { error: unknown })[]>;
  private queue: QueuedAppend[] = [];

  static open(options: SqliteEventStoreOptions): SqliteEventStore {
    mkdirSync(dirname(options.file), { recursive: true });
    const db = new Database(options.file);
    try {
      configureConnection(db);
      migrate(db);
      return new SqliteEventStore(db, options.livePollMs ?? DEFAULT_LIVE_POLL_MS);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  private constructor(
    private readonly db: Database.Database,
    private readonly livePollMs: number,
  ) {
    this.statements = prepareStatements(db);
    this.appendTransaction = db.transaction(appendInTransaction);
    // Each append of the group runs in its own savepoint (a nested better-sqlite3 transaction),
    // so one refused append rolls back alone; the group commits once, with one durable sync.
    this.groupTransaction = db.transaction((group: readonly QueuedAppend[]) =>
      group.map((item) => {
        try {
          return this.appendTransaction(this.statements, item.streamId, item.rows, item.expected);
        } catch (error) {
          return { error };
        }
      }),
    );
  }

  async append(
    streamId: string,
    events: readonly EventToAppend[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    this.assertOpen();
    assertStreamId(streamId);
    assertExpectedRevision(options.expectedRevision);
    if (events.length === 0) throw new EventStoreError('STREAM.EMPTY_BATCH', `refusing to append an empty batch to ${streamId}`);
    // Serialised before the transaction opens: a value JSON cannot hold must write nothing.
    const rows = events.map(toRow);
    assertDistinctIds(rows);

    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ streamId, rows, expected: options.expectedRevision, resolve, reject });
      if (this.queue.length === 1) setImmediate(() => this.commitQueued());
    });
  }

  /**
   * Group commit: the appends requested while the previous commit was being written go to disk
   * together, in one transaction and one fsync, in the order they were asked for. Each is still
   * checked and answered on its own, and only once the group is durable.
   */
  private commitQueued(): void {
    const group = this.queue;
    this.queue = [];
    let outcomes: (AppendResult | { error: unknown })[];
    try {
      this.assertOpen();
      outcomes = this.groupTransaction.immediate(group);
    } catch (error) {
      for (const item of group) item.reject(error);
      return;
    }
    if (outcomes.some((outcome) => 'written' in outcome && outcome.written)) this.notifier.notify();
    outcomes.forEach((outcome, index) => ('error' in outcome ? group[index]!.reject(outcome.error) : group[index]!.resolve(outcome)));
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncGenerator<StoredEvent> {
    const backwards = options.direction === 'backwards';
    let from = options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    let remaining = limitOf(options.maxCount);
    assertNonNegativeInteger('fromRevision', from);
    const statement = backwards ? this.statements.streamBackwards : this.statements.streamForwards;
    while (remaining > 0) {
      this.assertOpen();
      const page = statement.all(streamId, from, Math.min(PAGE_SIZE, remaining)).map(toStoredEvent);
      for (const event of page) yield event;
      if (page.length < Math.min(PAGE_SIZE, remaining)) return;
      remaining -= page.length;
      from = page[page.length - 1]!.revision + (backwards ? -1 : 1);
      if (from < 0) return;
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncGenerator<StoredEvent> {
    let after = options.after ?? 0n;
    let remaining = limitOf(options.maxCount);
    const filtered = options.types !== undefined || options.effectiveUntil !== undefined;
    // null: no filter of that kind (see the statement).
    const types = options.types === undefined ? null : JSON.stringify(options.types);
    const until = options.effectiveUntil ?? null;
    while (remaining > 0) {
      this.assertOpen();
      const limit = Math.min(PAGE_SIZE, remaining);
      const rows = filtered ? this.statements.allFiltered.all({ after, types, until, limit }) : this.statements.all.all(after, limit);
      // Each row is decoded as it is handed out: a reader keeps one parsed event alive, not a page of them.
      for (const row of rows) yield toStoredEvent(row);
      if (rows.length < limit) return;
      remaining -= rows.length;
      after = rows[rows.length - 1]![0];
    }
  }

  subscribeToAll(options: { after?: bigint } = {}): Subscription {
    this.assertOpen();
    const source = {
      readPage: (after: bigint, limit: number) => this.readPage(after, limit),
      notifier: this.notifier,
      pollMs: this.livePollMs,
      pageSize: PAGE_SIZE,
    };
    const subscription = new SqliteSubscription(source, options.after ?? 0n, (s) => this.subscriptions.delete(s));
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    return this.statements.head.get()?.position ?? 0n;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.unsubscribe()));
    this.db.close();
  }

  private readPage(after: bigint, limit: number): StoredEvent[] {
    this.assertOpen();
    return this.statements.all.all(after, limit).map(toStoredEvent);
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreError('STORE.CLOSED', `the event store ${this.db.name} is closed`);
  }
}

type Statements = ReturnType<typeof prepareStatements>;

function prepareStatements(db: Database.Database) {
  // safeIntegers: positions come back as bigint, exact beyond 2^53.
  const prepare = <P extends unknown[], R>(sql: string) => db.prepare<P, R>(sql).safeIntegers(true);
  const prepareEvents = <P extends unknown[]>(sql: string) => db.prepare<P, EventRow>(sql).safeIntegers(true).raw(true);
  return {
    lastRevision: prepare<[string], { revision: bigint }>(
      'SELECT revision FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1',
    ),
    byEventId: prepare<[string], { stream_id: string; position: bigint }>('SELECT stream_id, position FROM events WHERE event_id = ?'),
    insert: prepare<[string, string, number, string, number, string, string], never>(
      'INSERT INTO events (event_id, stream_id, revision, type, version, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    streamForwards: prepareEvents<[string, number, number]>(
      `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision ASC LIMIT ?`,
    ),
    streamBackwards: prepareEvents<[string, number, number]>(
      `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
    ),
    all: prepareEvents<[bigint, number]>(`SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position ASC LIMIT ?`),
    // The log is still scanned in order, but the events filtered out are never decoded. Types come
    // as a JSON array; the effective date is compared as text, as ReadAllOptions says.
    allFiltered: prepareEvents<[{ after: bigint; types: string | null; until: string | null; limit: number }]>(
      `SELECT ${COLUMNS} FROM events WHERE position > @after
         AND (@types IS NULL OR type IN (SELECT value FROM json_each(@types)))
         AND (@until IS NULL OR json_extract(data, '$.effectiveDate') <= @until OR json_type(data, '$.effectiveDate') IS NOT 'text')
       ORDER BY position ASC LIMIT @limit`,
    ),
    head: prepare<[], { position: bigint | null }>('SELECT MAX(position) AS position FROM events'),
  };
}

/** Runs inside BEGIN IMMEDIATE: no other writer can move the stream between check and insert. */
function appendInTransaction(
  statements: Statements,
  streamId: string,
  rows: readonly RowToInsert[],
  expected: ExpectedRevision,
): AppendResult {
  const lastRow = statements.lastRevision.get(streamId);
  const last = lastRow === undefined ? undefined : Number(lastRow.revision);

  // Idempotency is decided before the expected revision: a retried append (same ids, same
  // expectation) must succeed as a no-op even though the stream has moved past it.
  const stored = rows.map((row) => statements.byEventId.get(row.id));
  const alreadyHere = stored.filter((s) => s?.stream_id === streamId).length;
  if (alreadyHere === rows.length && last !== undefined) {
    return { nextExpectedRevision: last, position: stored[stored.length - 1]!.position, written: false };
  }
  const clash = stored.findIndex((s) => s !== undefined);
  if (clash >= 0) {
    const where = stored[clash]!.stream_id === streamId ? 'this stream' : `stream ${stored[clash]!.stream_id}`;
    throw new EventStoreError(
      'STREAM.DUPLICATE_EVENT_ID',
      `event ${rows[clash]!.id} is already stored in ${where}; a batch appended to ${streamId} must be entirely new or entirely stored there`,
    );
  }

  const actual = last ?? 'no_stream';
  if (expected !== 'any' && expected !== actual) throw new WrongExpectedRevisionError(streamId, expected, actual);

  let revision = last ?? -1;
  let position = 0n;
  for (const row of rows) {
    revision += 1;
    const result = statements.insert.run(row.id, streamId, revision, row.type, row.version, row.data, row.metadata);
    position = BigInt(result.lastInsertRowid);
  }
  return { nextExpectedRevision: revision, position, written: true };
}

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    id: row[1],
    type: row[4],
    version: Number(row[5]),
    data: JSON.parse(row[6]) as StoredEvent['data'],
    metadata: JSON.parse(row[7]) as StoredEvent['metadata'],
    streamId: row[2],
    revision: Number(row[3]),
    position: row[0],
  };
}

function toRow(event: EventToAppend): RowToInsert {
  if (typeof event.id !== 'string' || event.id === '') throw invalidEvent(event, 'its id must be a non-empty string');
  if (typeof event.type !== 'string' || event.type === '') throw invalidEvent(event, 'its type must be a non-empty string');
  if (!Number.isSafeInteger(event.version)) throw invalidEvent(event, 'its version must be an integer');
  return {
    id: event.id,
    type: event.type,
    version: event.version,
    data: toJson(event, 'data', event.data),
    metadata: toJson(event, 'metadata', event.metadata),
  };
}

/**
 * JSON, refusing what would not read back as written: JSON.stringify alone turns NaN into null,
 * a Date into a string and a Map into {}; BigInt and cycles make it throw.
 */
function toJson(event: EventToAppend, field: 'data' | 'metadata', value: unknown): string {
  if (!isPlainObject(value)) throw invalidEvent(event, `its ${field} must be a plain object`);
  try {
    return JSON.stringify(value, function (this: unknown, key: string, serialised: unknown) {
      const original = (this as Record<string, unknown>)[key];
      if (typeof original === 'function' || typeof original === 'symbol') throw new Error(`${key}: a ${typeof original} is not JSON`);
      if (original === undefined && Array.isArray(this)) throw new Error(`${key}: undefined in an array would read back as null`);
      if (typeof original === 'number' && !Number.isFinite(original)) throw new Error(`${key}: ${original} is not a finite number`);
      if (typeof original === 'object' && original !== null && !Array.isArray(original) && !isPlainObject(original)) {
        throw new Error(`${key}: a ${original.constructor?.name ?? 'non-plain object'} is not plain JSON`);
      }
      return serialised;
    });
  } catch (error) {
    throw invalidEvent(event, `its ${field} cannot be stored as JSON (${(error as Error).message})`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function invalidEvent(event: EventToAppend, why: string): EventStoreError {
  return new EventStoreError('STREAM.INVALID_EVENT', `event ${String(event.id)} (${String(event.type)}): ${why}`);
}

function assertDistinctIds(rows: readonly RowToInsert[]): void {
  const seen = new Set<string>();
  for (const row of rows) {
    if (seen.has(row.id)) throw new EventStoreError('STREAM.DUPLICATE_EVENT_ID', `event ${row.id} appears twice in the batch`);
    seen.add(row.id);
  }
}

function assertStreamId(streamId: string): void {
  if (typeof streamId !== 'string' || streamId === '') throw new EventStoreError('STREAM.INVALID_ID', 'a stream id must be a non-empty string');
}

function assertExpectedRevision(expected: ExpectedRevision): void {
  if (expected === 'any' || expected === 'no_stream') return;
  if (!Number.isSafeInteger(expected) || expected < 0) {
    throw new EventStoreError('STREAM.INVALID_EXPECTED_REVISION', `expected revision ${String(expected)} is not no_stream, any or a revision`);
  }
}

function assertNonNegativeInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new EventStoreError('STORE.INVALID_READ', `${name} must be a non-negative integer, got ${value}`);
}

function limitOf(maxCount: number | undefined): number {
  if (maxCount === undefined) return Number.POSITIVE_INFINITY;
  assertNonNegativeInteger('maxCount', maxCount);
  return maxCount;
}
