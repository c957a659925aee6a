import { accessSync, constants, copyFileSync, existsSync, mkdirSync, rmSync, statfsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import {
  ChainedToAnotherEventError,
  EventStoreError,
  LookedUpStreamChangedError,
  UnreadableEventError,
  WrongExpectedRevisionError,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type LookedUpRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StoredEvent,
  type Subscription,
  type UnreadableEvent,
} from '../event-store.port';
import { STORE_NOT_FOUND, STORE_OUTCOME_UNKNOWN, STORE_READ_ONLY, STORE_UNAVAILABLE, WriteFailureLog, type AppendSignals, type CheckpointHandover, type StoreWriteFailure, type StoreWriteHealth, type WriteHealthReporting } from '../store-health';
import { commitOutcomeUnknown, describeStorageFailure, fileIdentityOf, isSameFile, needsNewConnection, storageFailureKind } from './sqlite-failures';
import { assertSchemaReadable, configureConnection, migrate, schemaVersion } from './sqlite-schema';
import { AppendNotifier, SqliteSubscription } from './sqlite-subscription';
import { textsLinkedWith } from '../integrity/event-hash';
import { temporaryCopyFolder, type TemporaryCopyFolder } from '../temporary-copy';

export interface SqliteEventStoreOptions {
  /** Path of the database file; its directory is created if needed. */
  readonly file: string;
  /**
   * The file must already exist: otherwise `STORE.NOT_FOUND`, naming it, and nothing (file or
   * folder) is created. For whatever only reads a history: a new, empty store there would read as
   * a history of 0 events.
   */
  readonly existing?: boolean;
  /** How often live subscriptions look for events appended by other processes (default 250 ms). */
  readonly livePollMs?: number;
  /**
   * Only reads, and changes nothing of the file (implies `existing`): for an audit of a backup,
   * which may sit on a read-only medium. SQLite cannot open a write-ahead-log database in place on
   * a read-only file system (or in a folder it may not write to) when its shared-memory file is not
   * there (a store closed cleanly has none): the store then reads a copy of the file (and of its log, if any) made in the system's
   * temporary folder ({@link temporaryCopyFolder}), removed at `close`, or at an interruption before ({@link readFromCopy}). Appends are refused
   * (`STORE.READ_ONLY`).
   */
  readonly readOnly?: boolean;
}

/** Rows read per query: reads and catch-ups never hold more than this in memory. */
const PAGE_SIZE = 1_000;
/** The largest position SQLite can hold (a signed 64-bit integer). */
const LAST_POSITION = 2n ** 63n - 1n;
const DEFAULT_LIVE_POLL_MS = 250;
/** While writes fail, how often the write health may try a write of its own (see `writeHealth`). */
const PROBE_INTERVAL_MS = 1_000;
/** SQLite's default `wal_autocheckpoint`: the connection that commits copies the log back every 1,000 pages (4 MiB). */
export const OWN_CHECKPOINT_PAGES = 1_000;
/**
 * While another connection takes the checkpoints (docs/decisions/0032): the log's bound, past which the
 * committing connection checkpoints all the same (16,000 pages, 64 MiB), so that it never grows without end.
 */
export const BACKSTOP_CHECKPOINT_PAGES = 16_000;

/** A row of {@link COLUMNS}, read as an array: decoding a page of rows then builds no object per row. */
type EventRow = [position: bigint, eventId: string, streamId: string, revision: bigint, type: string, version: bigint, data: string, metadata: string];

interface RowToInsert {
  readonly id: string;
  readonly type: string;
  readonly version: number;
  readonly data: string;
  readonly metadata: string;
  /** The `previousHash` its metadata names, if it is linked (the hash chain). */
  readonly previousHash?: string;
}

const COLUMNS = 'position, event_id, stream_id, revision, type, version, data, metadata';

interface QueuedAppend {
  readonly streamId: string;
  readonly rows: readonly RowToInsert[];
  readonly expected: ExpectedRevision;
  readonly lookedUp: readonly LookedUpRevision[];
  /** Decided behind an append in flight: its link to the stream's last event is checked. */
  readonly checkLink: boolean;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

/** One open connection to the file, with what was prepared on it. */
interface Connection {
  readonly db: Database.Database;
  readonly statements: Statements;
  readonly groupTransaction: Database.Transaction<(group: readonly QueuedAppend[]) => (AppendResult | { error: unknown })[]>;
  /** The file it opened: a file replaced or moved under it is never written to (SQLite would write to the old one). */
  readonly device: number;
  readonly inode: number;
}

/**
 * The embedded store (docs/decisions/0002). A store that cannot be written answers
 * `STORE.UNAVAILABLE` and writes again by itself once the cause is gone: a connection left unusable
 * (an I/O error, a file replaced under it) is closed and the file opened again on the next use,
 * never created anew.
 */
export class SqliteEventStore implements EventStore, WriteHealthReporting, CheckpointHandover, AppendSignals {
  /** One queue, one group transaction at a time, its appends checked in the order they were asked for. */
  readonly appendsSettleInOrder = true;
  private readonly notifier = new AppendNotifier();
  /** This connection's own commits only (the notifier above is woken by other connections' news too). */
  private readonly ownAppends = new AppendNotifier();
  private readonly subscriptions = new Set<SqliteSubscription>();
  private closed = false;
  private current: Connection | undefined;
  private queue: QueuedAppend[] = [];
  /** Set once every append of a group has run: a failure after that is the COMMIT's. */
  private committing = false;
  private readonly writeFailures = new WriteFailureLog();
  private lastProbe = 0;
  private checkpointPages = OWN_CHECKPOINT_PAGES;
  private readonly checkpointFailures = new WriteFailureLog();
  private reportedCheckpointFailure: StoreWriteFailure | undefined;

  /**
   * Opens (and creates, or migrates) the file; with `existing`, opens it only if it exists (checked
   * before anything is created). A data directory or a file that cannot be written is refused at
   * once with `STORE.UNAVAILABLE`, naming it: the service would otherwise start and fail every write.
   */
  static open(options: SqliteEventStoreOptions): SqliteEventStore {
    if (options.readOnly) return SqliteEventStore.openReadOnly(options);
    const existing = options.existing ?? false;
    if (existing) SqliteEventStore.assertExists(options.file);
    SqliteEventStore.assertWritable(options.file);
    const store = new SqliteEventStore(options.file, options.livePollMs ?? DEFAULT_LIVE_POLL_MS);
    try {
      // Existing: SQLite must not create the file either, should it disappear since the check.
      store.current = store.openConnection(existing);
    } catch (error) {
      throw error instanceof EventStoreError ? error : cannotOpen(options.file, error);
    }
    return store;
  }

  private constructor(
    private readonly file: string,
    private readonly livePollMs: number,
    private readonly readOnly = false,
    /** A read-only store's copy in the temporary folder, when it could not be read in place. */
    private readonly copy?: { readonly directory: TemporaryCopyFolder; readonly file: string },
    /**
     * A read-only store read in place through a connection that may write but is told not to
     * (`query_only`): see {@link openReadOnly}.
     */
    private readonly queryOnly = false,
  ) {}

  /** See {@link SqliteEventStoreOptions.readOnly}. */
  private static openReadOnly(options: SqliteEventStoreOptions): SqliteEventStore {
    SqliteEventStore.assertExists(options.file);
    const livePollMs = options.livePollMs ?? DEFAULT_LIVE_POLL_MS;
    // A store closed cleanly (no log, no shared memory beside it) where files can be created: read
    // through a connection that may write but is told not to (`query_only`), as SQLite then removes,
    // at close, the log and shared memory any connection creates beside the file; a read-only one
    // would leave them there. A store with its log (a running service, a killed one) is read by a
    // read-only connection, which never copies that log into the file.
    const clean = !existsSync(`${options.file}-wal`) && !existsSync(`${options.file}-shm`) && !cannotWriteBeside(options.file);
    const inPlace = new SqliteEventStore(options.file, livePollMs, true, undefined, clean);
    try {
      inPlace.current = inPlace.openConnection(true);
      return inPlace;
    } catch (error) {
      if (error instanceof EventStoreError) throw error;
      // A full disk: the log and shared memory could not be made beside it. What the attempt began is
      // removed (a log without a frame, a shared memory short of its size: no other process writes
      // there while the disk is full), and a copy elsewhere is read, as on a read-only medium.
      const kind = storageFailureKind(error);
      // SQLite says a shared memory it could not size (SQLITE_IOERR_SHMSIZE) as an I/O error: the disk's free space tells.
      const full = clean && (kind === 'full' || (kind === 'io' && noSpaceBeside(options.file)));
      if (full) removeUnstartedLog(options.file);
      // SQLite could not open it in place, where it cannot create its shared memory: a copy can be read.
      if (!full && ((error as { code?: unknown } | null)?.code !== 'SQLITE_CANTOPEN' || !cannotWriteBeside(options.file))) throw cannotOpen(options.file, error);
    }
    const directory = temporaryCopyFolder();
    try {
      const file = join(directory.path, basename(options.file));
      copyFileSync(options.file, file);
      // The log holds what was committed and not yet copied into the file: it is read with it.
      if (existsSync(`${options.file}-wal`)) copyFileSync(`${options.file}-wal`, `${file}-wal`);
      const copied = new SqliteEventStore(options.file, livePollMs, true, { directory, file });
      copied.current = copied.openConnection(true);
      return copied;
    } catch (error) {
      directory.remove();
      if (error instanceof EventStoreError) throw error;
      throw new EventStoreError(
        STORE_UNAVAILABLE,
        `le magasin d’événements ${options.file} ne peut être lu que par une copie (rien ne peut être créé à côté de lui) et sa copie dans ${directory.path} a échoué : ${describeStorageFailure(storageFailureKind(error) ?? 'cannot-open', error)}`,
      );
    }
  }

  /** Where a read-only store is read from when it could not be read in place (see {@link SqliteEventStoreOptions.readOnly}). */
  get readFromCopy(): string | undefined {
    return this.copy?.file;
  }

  /** Throws `STORE.NOT_FOUND`, in French and naming the file (and its folder when that is missing too), when there is no store at `file`; creates nothing. */
  static assertExists(file: string): void {
    if (existsSync(file)) return;
    const directory = dirname(file);
    const folder = !existsSync(directory)
      ? `le dossier ${directory} n’existe pas non plus`
      : statSync(directory).isDirectory()
        ? `le dossier ${directory} ne contient pas de magasin`
        : `${directory} est un fichier, pas un dossier`;
    throw new EventStoreError(STORE_NOT_FOUND, `aucun magasin d’événements à lire : ${file} n’existe pas (${folder}) ; vérifiez DATA_DIR. Rien n’a été créé.`);
  }

  /**
   * Checks, creating nothing, that `open` would open the store: `STORE.NOT_FOUND` when it must
   * exist and does not; `STORE.UNAVAILABLE`, in French and naming the file and the cause, when a
   * file is there that cannot be opened (a folder in its place, a file that is not a SQLite
   * database, no rights). A file that does not exist passes: the commands that write create it.
   * Called before anything else of a start is built, so that a start that fails leaves the data
   * directory as it was.
   */
  static assertOpens(file: string, options: { readonly existing?: boolean } = {}): void {
    if (options.existing) SqliteEventStore.assertExists(file);
    if (!existsSync(file)) return;
    SqliteEventStore.assertWritable(file);
    try {
      const db = new Database(file, { fileMustExist: true });
      try {
        // Reads the header: a file that is not a database fails here (SQLITE_NOTADB).
        db.prepare('SELECT count(*) FROM sqlite_master').get();
      } finally {
        db.close();
      }
    } catch (error) {
      throw cannotOpen(file, error);
    }
  }

  /** Throws `STORE.UNAVAILABLE`, in French and naming it, when the file or its directory cannot be written (creating the directory if needed). */
  static assertWritable(file: string): void {
    const directory = dirname(file);
    try {
      mkdirSync(directory, { recursive: true });
      accessSync(directory, constants.W_OK);
      if (existsSync(file)) accessSync(file, constants.W_OK);
    } catch (error) {
      throw cannotOpen(file, error);
    }
  }

  async append(streamId: string, events: readonly EventToAppend[], options: AppendOptions): Promise<AppendResult> {
    this.assertOpen();
    if (this.readOnly) throw new EventStoreError(STORE_READ_ONLY, `le magasin d’événements ${this.file} est ouvert en lecture seule : rien n’a été écrit`);
    assertStreamId(streamId);
    assertExpectedRevision(options.expectedRevision);
    const lookedUp = options.lookedUp ?? [];
    for (const { streamId: other, revision } of lookedUp) {
      assertStreamId(other);
      if (revision !== 'no_stream') assertExpectedRevision(revision);
    }
    if (events.length === 0) throw new EventStoreError('STREAM.EMPTY_BATCH', `refusing to append an empty batch to ${streamId}`);
    // Serialised before the transaction opens: a value JSON cannot hold must write nothing.
    const rows = events.map(toRow);
    assertDistinctIds(rows);

    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ streamId, rows, expected: options.expectedRevision, lookedUp, checkLink: options.afterAppendInFlight === true, resolve, reject });
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
    this.committing = false;
    try {
      this.assertOpen();
      outcomes = this.writableConnection().groupTransaction.immediate(group);
    } catch (error) {
      const failure = this.writeFailed(error);
      for (const item of group) item.reject(failure);
      return;
    }
    this.writeFailures.succeeded();
    if (outcomes.some((outcome) => 'written' in outcome && outcome.written)) {
      this.notifier.notify();
      this.ownAppends.notify();
    }
    outcomes.forEach((outcome, index) => ('error' in outcome ? group[index]!.reject(outcome.error) : group[index]!.resolve(outcome)));
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncGenerator<StoredEvent> {
    const backwards = options.direction === 'backwards';
    let from = options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    let remaining = limitOf(options.maxCount);
    assertNonNegativeInteger('fromRevision', from);
    while (remaining > 0) {
      const limit = Math.min(PAGE_SIZE, remaining);
      const rows = this.read((statements) => (backwards ? statements.streamBackwards : statements.streamForwards).all(streamId, from, limit));
      for (const row of rows) yield readable(decodeRow(row));
      if (rows.length < limit) return;
      remaining -= rows.length;
      from = Number(rows[rows.length - 1]![3]) + (backwards ? -1 : 1);
      if (from < 0) return;
    }
  }

  readAll(options?: ReadAllOptions): AsyncGenerator<StoredEvent>;
  readAll(options: ReadAllOptions & { readonly includeUnreadable: true }): AsyncGenerator<StoredEvent | UnreadableEvent>;
  async *readAll(options: ReadAllOptions & { readonly includeUnreadable?: boolean } = {}): AsyncGenerator<StoredEvent | UnreadableEvent> {
    let after = options.after ?? 0n;
    let remaining = limitOf(options.maxCount);
    const filtered = options.types !== undefined || options.effectiveUntil !== undefined || options.upTo !== undefined;
    // null: no filter of that kind (see the statement).
    const types = options.types === undefined ? null : JSON.stringify(options.types);
    const until = options.effectiveUntil ?? null;
    // Always a bound (the largest position when none is asked for), so that SQLite reads only that range of the index.
    const upTo = options.upTo ?? LAST_POSITION;
    while (remaining > 0) {
      const limit = Math.min(PAGE_SIZE, remaining);
      const rows = this.read((statements) => (filtered ? statements.allFiltered.all({ after, types, until, upTo, limit }) : statements.all.all(after, limit)));
      // Each row is decoded as it is handed out: a reader keeps one parsed event alive, not a page of them.
      for (const row of rows) {
        const event = decodeRow(row);
        yield options.includeUnreadable === true ? event : readable(event);
      }
      if (rows.length < limit) return;
      remaining -= rows.length;
      after = rows[rows.length - 1]![0];
    }
  }

  onAppended(listener: () => void): () => void {
    return this.ownAppends.listen(listener);
  }

  appendedElsewhere(): void {
    if (!this.closed) this.notifier.notify();
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
    return this.read((statements) => statements.head.get()?.position ?? 0n);
  }

  /** Kept in the file (`store_identity`, created by the schema's second migration). */
  async storeId(): Promise<string> {
    const id = this.read((statements) => statements.storeId.get());
    if (id === undefined) throw new EventStoreError(STORE_UNAVAILABLE, 'le magasin d’événements n’a pas d’identifiant (table store_identity vide)');
    return id;
  }

  async eventAt(position: bigint): Promise<StoredEvent | UnreadableEvent | undefined> {
    if (typeof position !== 'bigint' || position <= 0n) return undefined;
    const row = this.read((statements) => statements.at.get(position));
    return row === undefined ? undefined : decodeRow(row);
  }

  /**
   * Whether writes go through. After a failed write, asking tries a write of its own (at most once a
   * second): the schema version rewritten as it is, which changes nothing but goes through the whole
   * commit path (WAL append, fsync). So the store reports itself writable again as soon as the cause
   * is gone, without waiting for a command.
   */
  async writeHealth(): Promise<StoreWriteHealth> {
    if (this.writeFailures.failure !== undefined && !this.closed && Date.now() - this.lastProbe >= PROBE_INTERVAL_MS) {
      this.lastProbe = Date.now();
      this.committing = false;
      try {
        const { db } = this.writableConnection();
        db.transaction(() => db.pragma(`user_version = ${schemaVersion(db)}`)).immediate();
        this.writeFailures.succeeded();
      } catch (error) {
        this.writeFailed(error);
      }
    }
    const checkpointError = this.checkpointFailures.failure ?? this.reportedCheckpointFailure;
    return { ...this.writeFailures.health(), ...(checkpointError ? { lastCheckpointError: checkpointError } : {}) };
  }

  /**
   * Hands the log's checkpoints over to another connection (the projection thread's, which calls
   * {@link checkpoint}), or takes them back (that thread is gone): this connection then checkpoints
   * only past {@link BACKSTOP_CHECKPOINT_PAGES}, or again every {@link OWN_CHECKPOINT_PAGES}.
   */
  handOverCheckpoints(handedOver: boolean): void {
    this.checkpointPages = handedOver ? BACKSTOP_CHECKPOINT_PAGES : OWN_CHECKPOINT_PAGES;
    if (!handedOver) this.reportedCheckpointFailure = undefined;
    this.current?.db.pragma(`wal_autocheckpoint = ${this.checkpointPages}`);
  }

  /** Whether another connection takes the checkpoints now (see {@link handOverCheckpoints}). */
  get checkpointsHandedOver(): boolean {
    return this.checkpointPages === BACKSTOP_CHECKPOINT_PAGES;
  }

  checkpointReported(failure: StoreWriteFailure | undefined): void {
    this.reportedCheckpointFailure = failure;
  }

  /**
   * A PASSIVE checkpoint: copies what it can of the log back into the file and syncs it, without
   * waiting for the writer or readers nor blocking them. Never throws: a failure (full disk, I/O
   * error) is kept, in French, until a checkpoint goes through again (`writeHealth`).
   */
  checkpoint(): void {
    if (this.closed) return;
    try {
      this.connection().db.pragma('wal_checkpoint(PASSIVE)');
      this.checkpointFailures.succeeded();
    } catch (error) {
      const kind = storageFailureKind(error);
      if (kind !== undefined && needsNewConnection(kind)) this.dropConnection();
      const why = error instanceof EventStoreError || kind === undefined ? (error as Error).message : describeStorageFailure(kind, error);
      this.checkpointFailures.failed({ code: STORE_UNAVAILABLE, message: `le journal du magasin d’événements ne peut pas être reporté dans son fichier : ${why}` });
    }
  }

  checkpointFailure(): StoreWriteFailure | undefined {
    return this.checkpointFailures.failure;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.unsubscribe()));
    this.dropConnection();
    this.copy?.directory.remove();
  }

  /** Events of a page up to the first undecodable one; a page starting with it throws, naming it. */
  private readPage(after: bigint, limit: number): StoredEvent[] {
    const rows = this.read((statements) => statements.all.all(after, limit));
    const events: StoredEvent[] = [];
    for (const row of rows) {
      const event = decodeRow(row);
      if ('unreadable' in event) {
        if (events.length > 0) return events;
        throw new UnreadableEventError(event);
      }
      events.push(event);
    }
    return events;
  }

  /** Runs a read on the current connection; storage trouble becomes `STORE.UNAVAILABLE`. */
  private read<T>(work: (statements: Statements) => T): T {
    this.assertOpen();
    const { statements } = this.connection();
    try {
      return work(statements);
    } catch (error) {
      const kind = storageFailureKind(error);
      if (kind === undefined) throw error;
      if (needsNewConnection(kind)) this.dropConnection();
      throw new EventStoreError(STORE_UNAVAILABLE, `le magasin d’événements ne peut pas être lu : ${describeStorageFailure(kind, error)}`);
    }
  }

  /** The connection, opened again if the last one was closed; the file must still exist (it is never created anew). */
  private connection(): Connection {
    if (this.current) return this.current;
    try {
      this.current = this.openConnection(true);
    } catch (error) {
      if (error instanceof EventStoreError) throw error;
      const kind = storageFailureKind(error) ?? 'cannot-open';
      throw new EventStoreError(STORE_UNAVAILABLE, `le magasin d’événements ne peut pas être ouvert : ${describeStorageFailure(kind, error)}`);
    }
    return this.current;
  }

  /** The connection, checked to still be on the file at its path: a write to a replaced file would be lost. */
  private writableConnection(): Connection {
    const connection = this.connection();
    if (!isSameFile(this.file, connection)) {
      this.dropConnection();
      throw new EventStoreError(
        STORE_UNAVAILABLE,
        'le fichier du magasin d’événements a été supprimé, déplacé ou remplacé pendant que le service tournait : rien n’a été écrit ; remettez-le en place',
      );
    }
    return connection;
  }

  /** Maps a failed write to what the caller is told, records it for the write health, and drops a connection left unusable. */
  private writeFailed(error: unknown): unknown {
    let failure: unknown = error;
    if (!(error instanceof EventStoreError)) {
      const kind = storageFailureKind(error);
      if (kind === undefined) return error;
      if (needsNewConnection(kind)) this.dropConnection();
      const why = describeStorageFailure(kind, error);
      failure =
        this.committing && commitOutcomeUnknown(kind)
          ? new EventStoreError(
              STORE_OUTCOME_UNKNOWN,
              `l’enregistrement définitif a échoué (${why}) : l’écriture a peut-être eu lieu ; renvoyez la même requête avec la même clé d’idempotence (Idempotency-Key) pour le savoir sans risque de doublon`,
            )
          : new EventStoreError(STORE_UNAVAILABLE, `le magasin d’événements ne peut pas écrire : ${why} ; rien n’a été écrit`);
    }
    const { code } = failure as EventStoreError;
    if (code === STORE_UNAVAILABLE || code === STORE_OUTCOME_UNKNOWN) this.writeFailures.failed(failure as EventStoreError);
    return failure;
  }

  private openConnection(mustExist: boolean): Connection {
    const path = this.copy?.file ?? this.file;
    const db = new Database(path, { fileMustExist: mustExist || this.readOnly, readonly: this.readOnly && !this.queryOnly });
    try {
      if (this.queryOnly) db.pragma('query_only = ON');
      configureConnection(db, { readOnly: this.readOnly });
      if (this.readOnly) {
        assertSchemaReadable(db);
      } else {
        db.pragma(`wal_autocheckpoint = ${this.checkpointPages}`);
        migrate(db);
      }
      const statements = prepareStatements(db);
      const newEventsTransaction = db.transaction(appendNewEvents);
      const appendTransaction = db.transaction(appendInTransaction);
      // Each append of the group runs in its own savepoint (a nested better-sqlite3 transaction),
      // so one refused append rolls back alone; the group commits once, with one durable sync.
      // Storage trouble inside it aborts the whole group: SQLite may have rolled it all back.
      // The usual append (new ids, the revision expected) in one pass; anything else is rolled
      // back to its savepoint and decided by the full check.
      const appendOne = (append: QueuedAppend): AppendResult => {
        try {
          return newEventsTransaction(statements, append) ?? appendTransaction(statements, append);
        } catch (error) {
          if (error instanceof NotOnlyNewEvents) return appendTransaction(statements, append);
          throw error;
        }
      };
      const groupTransaction = db.transaction((group: readonly QueuedAppend[]) => {
        const outcomes = group.map((item) => {
          try {
            return appendOne(item);
          } catch (error) {
            if (storageFailureKind(error) !== undefined) throw error;
            return { error };
          }
        });
        this.committing = true;
        return outcomes;
      });
      return { db, statements, groupTransaction, ...fileIdentityOf(path) };
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
      // Closing a connection on a file in trouble may fail: it is dropped all the same.
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreError('STORE.CLOSED', `the event store ${this.file} is closed`);
  }
}

/** Whether the file system holding `file` has (nearly) no space left for anyone: less than a page of SQLite's shared memory. */
function noSpaceBeside(file: string): boolean {
  try {
    const { bavail, bsize } = statfsSync(dirname(file));
    return bavail * bsize < 32 * 1024;
  } catch {
    return false;
  }
}

/**
 * Removes what an open that failed on a full disk began beside `file`: a log without its 32-byte
 * header, a shared memory short of the 32 KiB SQLite gives it. A log or shared memory in use is
 * larger, and left alone.
 */
function removeUnstartedLog(file: string): void {
  for (const [leftover, inUse] of [
    [`${file}-wal`, 32],
    [`${file}-shm`, 32 * 1024],
  ] as const) {
    try {
      if (statSync(leftover).size < inUse) rmSync(leftover, { force: true });
    } catch {
      // Not there, or not readable: nothing of ours to remove.
    }
  }
}

/** Whether nothing can be created beside the file: a file system mounted read-only (which stops root too), or a folder without the right to write. */
export function cannotWriteBeside(file: string): boolean {
  try {
    accessSync(dirname(file), constants.W_OK);
    return false;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return code === 'EROFS' || code === 'EACCES' || code === 'EPERM';
  }
}

/** The store cannot be opened at start: says which file or directory, and why, in French. */
function cannotOpen(file: string, error: unknown): EventStoreError {
  const kind = storageFailureKind(error) ?? 'cannot-open';
  // Not a matter of rights: something else is where the store's file should be.
  const misplaced = isDirectory(file) ? 'c’est un dossier, pas un fichier' : (error as { code?: unknown } | null)?.code === 'SQLITE_NOTADB' ? 'ce n’est pas une base SQLite' : undefined;
  if (misplaced !== undefined) {
    const code = (error as { code?: unknown } | null)?.code;
    return new EventStoreError(
      STORE_UNAVAILABLE,
      `le magasin d’événements ne peut pas s’ouvrir : ${file} : ${misplaced}${typeof code === 'string' ? ` (${code})` : ''}. ` +
        'Remettez à sa place le fichier du magasin (sauvegarde) ou choisissez un autre DATA_DIR. Rien n’a été créé.',
    );
  }
  const where = kind === 'read-only' ? `le dossier de données ${dirname(file)} (ou ${file})` : file;
  return new EventStoreError(
    STORE_UNAVAILABLE,
    `le magasin d’événements ne peut pas s’ouvrir en écriture sur ${where} : ${describeStorageFailure(kind, error)}. ` +
      'Jalon doit pouvoir y écrire : corrigez les droits ou le montage, ou choisissez un autre DATA_DIR.',
  );
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
    lastHash: prepare<[string], { hash: unknown }>(
      "SELECT json_extract(metadata, '$.hash') AS hash FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1",
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
    // as a JSON array; the effective date is compared as text, as ReadAllOptions says. Data that is
    // not JSON passes the date filter (CASE keeps json_extract from failing on it): decoding it then
    // reports it unreadable, by name.
    allFiltered: prepareEvents<[{ after: bigint; types: string | null; until: string | null; upTo: bigint; limit: number }]>(
      `SELECT ${COLUMNS} FROM events WHERE position > @after AND position <= @upTo
         AND (@types IS NULL OR type IN (SELECT value FROM json_each(@types)))
         AND (@until IS NULL OR CASE WHEN json_valid(data)
               THEN json_extract(data, '$.effectiveDate') <= @until OR json_type(data, '$.effectiveDate') IS NOT 'text'
               ELSE 1 END)
       ORDER BY position ASC LIMIT @limit`,
    ),
    head: prepare<[], { position: bigint | null }>('SELECT MAX(position) AS position FROM events'),
    at: prepareEvents<[bigint]>(`SELECT ${COLUMNS} FROM events WHERE position = ?`),
    storeId: db.prepare<[], string>('SELECT store_id FROM store_identity WHERE singleton = 1').pluck(),
  };
}

/** Thrown inside {@link appendNewEvents}' savepoint (which it rolls back) when an id of the batch is already stored. */
class NotOnlyNewEvents extends Error {}

/**
 * The fast path of an append (in its own savepoint, inside BEGIN IMMEDIATE): when the stream is at
 * the revision expected, the rows are inserted straight away and the unique index on event ids
 * itself says whether one was already stored (a retry, or an id reused), instead of one lookup per
 * event beforehand. Undefined when the stream is not at the expected revision (a retry after the
 * stream moved, or a conflict); NotOnlyNewEvents, which rolls the savepoint back, when an id is
 * already stored. Either way {@link appendInTransaction} then decides, as it always did.
 */
function appendNewEvents(statements: Statements, { streamId, rows, expected, lookedUp, checkLink }: QueuedAppend): AppendResult | undefined {
  const lastRow = statements.lastRevision.get(streamId);
  const last = lastRow === undefined ? undefined : Number(lastRow.revision);
  if (expected !== 'any' && expected !== (last ?? 'no_stream')) return undefined;
  if (lookedUp.some((read) => revisionOf(statements, read.streamId) !== read.revision)) return undefined;
  if (checkLink && last !== undefined && !linksToLast(statements, streamId, rows)) return undefined;
  try {
    return insertRows(statements, streamId, rows, last);
  } catch (error) {
    if (isEventIdTaken(error)) throw new NotOnlyNewEvents();
    throw error;
  }
}

/** Inserts the rows as the stream's next revisions after `last` (its last revision, none for a new stream). */
function insertRows(statements: Statements, streamId: string, rows: readonly RowToInsert[], last: number | undefined): AppendResult {
  let revision = last ?? -1;
  let position = 0n;
  for (const row of rows) {
    revision += 1;
    position = BigInt(statements.insert.run(row.id, streamId, revision, row.type, row.version, row.data, row.metadata).lastInsertRowid);
  }
  return { nextExpectedRevision: revision, position, written: true };
}

/** SQLite's refusal of a row whose event id the unique index already holds. */
function isEventIdTaken(error: unknown): boolean {
  return (error as { code?: unknown })?.code === 'SQLITE_CONSTRAINT_UNIQUE' && /\bevents\.event_id\b/.test((error as Error).message);
}

/**
 * The full check of an append (runs inside BEGIN IMMEDIATE: no other writer can move the stream
 * between check and insert): a batch already stored in the stream is a no-op, an id stored
 * elsewhere or a batch partly stored is refused, then the expected revision is checked.
 */
function appendInTransaction(statements: Statements, { streamId, rows, expected, lookedUp, checkLink }: QueuedAppend): AppendResult {
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
  if (checkLink && last !== undefined && !linksToLast(statements, streamId, rows)) throw new ChainedToAnotherEventError(streamId, expected, last);
  // What the decision read of other streams, as this transaction sees them (an earlier append of the same group included).
  for (const read of lookedUp) {
    const now = revisionOf(statements, read.streamId);
    if (now !== read.revision) throw new LookedUpStreamChangedError(streamId, read, now);
  }
  return insertRows(statements, streamId, rows, last);
}

/**
 * Whether the batch's first event, if it is linked, names the stream's last event as its previous
 * one (its stored hash): the expected revision checks a number, this checks that the event at
 * that revision is the one the batch was decided and linked on, for a batch decided behind an
 * append in flight (docs/decisions/0059). A last event recorded before the chain (no stored hash)
 * is not compared.
 */
function linksToLast(statements: Statements, streamId: string, rows: readonly RowToInsert[]): boolean {
  const previousHash = rows[0]?.previousHash;
  if (previousHash === undefined) return true;
  const stored = statements.lastHash.get(streamId)?.hash;
  return typeof stored !== 'string' || stored === previousHash;
}

/** A stream's last revision as the connection sees it, `no_stream` for a stream that has none. */
function revisionOf(statements: Statements, streamId: string): number | 'no_stream' {
  const row = statements.lastRevision.get(streamId);
  return row === undefined ? 'no_stream' : Number(row.revision);
}

/** « (au caractère N) » where JSON.parse's message says where the text breaks, nothing otherwise. */
function jsonBreakOf(error: SyntaxError): string {
  const at = /position (\d+)/.exec(error.message)?.[1];
  return at === undefined ? (/end of JSON input/.test(error.message) ? ' (le texte s’arrête avant la fin)' : '') : ` (au caractère ${Number(at) + 1})`;
}

/** A row as an event, or, when its data or metadata cannot be decoded, as an unreadable event naming it. */
function decodeRow(row: EventRow): StoredEvent | UnreadableEvent {
  let field = 'data';
  try {
    const data = JSON.parse(row[6]) as unknown;
    if (!isJsonObject(data)) throw new Error('ce n’est pas un objet JSON');
    field = 'metadata';
    const metadata = JSON.parse(row[7]) as unknown;
    if (!isJsonObject(metadata)) throw new Error('ce n’est pas un objet JSON');
    return {
      id: row[1],
      type: row[4],
      version: Number(row[5]),
      data: data as StoredEvent['data'],
      metadata: metadata as unknown as StoredEvent['metadata'],
      streamId: row[2],
      revision: Number(row[3]),
      position: row[0],
    };
  } catch (error) {
    // JSON.parse says why in English (`Expected property name or '}' in JSON at position 1`): the reason is said in French, with where the text breaks.
    const reason = error instanceof SyntaxError ? `ce n’est pas du JSON valide${jsonBreakOf(error)}` : (error as Error).message;
    return { unreadable: true, streamId: row[2], revision: Number(row[3]), position: row[0], type: row[4], reason: `${field} : ${reason}` };
  }
}

function readable(event: StoredEvent | UnreadableEvent): StoredEvent {
  if ('unreadable' in event) throw new UnreadableEventError(event);
  return event;
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toRow(event: EventToAppend): RowToInsert {
  if (typeof event.id !== 'string' || event.id === '') throw invalidEvent(event, 'its id must be a non-empty string');
  if (typeof event.type !== 'string' || event.type === '') throw invalidEvent(event, 'its type must be a non-empty string');
  if (!Number.isSafeInteger(event.version)) throw invalidEvent(event, 'its version must be an integer');
  // An event the hash chain linked comes with its texts, written while hashing it and kept only
  // when they read back as its values (docs/decisions/0055): not serialised a second time.
  const linked = textsLinkedWith(event);
  const previousHash = isPlainObject(event.metadata) ? event.metadata.previousHash : undefined;
  return {
    id: event.id,
    type: event.type,
    version: event.version,
    data: linked && isPlainObject(event.data) ? linked.data : toJson(event, 'data', event.data),
    metadata: linked && isPlainObject(event.metadata) ? linked.metadata : toJson(event, 'metadata', event.metadata),
    ...(typeof previousHash === 'string' ? { previousHash } : {}),
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

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
