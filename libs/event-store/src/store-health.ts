import type { EventStore } from './event-store.port';

/** The store cannot be written (or read) now; nothing was written. Retried later, it may succeed. */
export const STORE_UNAVAILABLE = 'STORE.UNAVAILABLE';
/**
 * The store to open must already exist and does not (a mistyped DATA_DIR): refused before anything,
 * file or folder, is created. Commands that only read the log open it so.
 */
export const STORE_NOT_FOUND = 'STORE.NOT_FOUND';
/**
 * The store is only read, its data directory cannot be written (a backup on a read-only medium):
 * whatever would write to it (an append, a seal, a statement of expenditure, which seals) is refused.
 */
export const STORE_READ_ONLY = 'STORE.READ_ONLY';
/** The commit itself failed and may still have happened: only a retry of the same batch (same ids) tells. */
export const STORE_OUTCOME_UNKNOWN = 'STORE.OUTCOME_UNKNOWN';

export interface StoreWriteFailure {
  readonly code: string;
  /** French, for people. */
  readonly message: string;
  /** First failure of the current run of failures (ISO 8601). */
  readonly since: string;
  /** Latest failure (ISO 8601). */
  readonly at: string;
}

export interface StoreWriteHealth {
  /** False from a failed write until a write (or the store's own probe) succeeds again. */
  readonly writable: boolean;
  readonly lastWriteError?: StoreWriteFailure;
  /** Set while the log cannot be copied back into the store's file (a checkpoint failed, e.g. a full disk); writes may still go through. */
  readonly lastCheckpointError?: StoreWriteFailure;
}

/**
 * An embedded store whose log checkpoints can be taken by another connection (the projection
 * thread's, docs/decisions/0032): the serving connection then checkpoints itself only past a bound,
 * and is told of the other connection's checkpoint failures, which its write health shows.
 */
export interface CheckpointHandover {
  /** True: another connection checkpoints, this one only past the bound; false: this one checkpoints as SQLite does by default. */
  handOverCheckpoints(handedOver: boolean): void;
  /** The other connection's latest checkpoint failure, or undefined once its checkpoints go through again. */
  checkpointReported(failure: StoreWriteFailure | undefined): void;
  /** Copies the log back into the file without waiting for or blocking any other connection; never throws (see `checkpointFailure`). */
  checkpoint(): void;
  /** The current run of this connection's checkpoint failures. */
  checkpointFailure(): StoreWriteFailure | undefined;
}

/**
 * An embedded store's connection that tells of its own appends and can be told of another
 * connection's in this process (docs/decisions/0030: the projection thread's connection learns of
 * the serving thread's appends at once, instead of at its next look at the file).
 */
export interface AppendSignals {
  /** Calls `listener` after each commit of this connection that wrote events; returns a function that stops it. */
  onAppended(listener: () => void): () => void;
  /** Another connection of this process appended: this one's live subscriptions read now rather than at their next poll. */
  appendedElsewhere(): void;
}

export function signalsAppends(store: EventStore): store is EventStore & AppendSignals {
  return typeof (store as Partial<AppendSignals>).appendedElsewhere === 'function';
}

export function handsOverCheckpoints(store: EventStore): store is EventStore & CheckpointHandover {
  return typeof (store as Partial<CheckpointHandover>).handOverCheckpoints === 'function';
}

/** A store that knows whether its last writes went through (both adapters do). */
export interface WriteHealthReporting {
  writeHealth(): Promise<StoreWriteHealth>;
}

export function reportsWriteHealth(store: EventStore): store is EventStore & WriteHealthReporting {
  return typeof (store as Partial<WriteHealthReporting>).writeHealth === 'function';
}

/** Keeps the current run of write failures: `since` stays the first one's until a write succeeds. */
export class WriteFailureLog {
  private current: StoreWriteFailure | undefined;

  failed(error: { readonly code: string; readonly message: string }): void {
    const at = new Date().toISOString();
    this.current = { code: error.code, message: error.message, since: this.current?.since ?? at, at };
  }

  succeeded(): void {
    this.current = undefined;
  }

  get failure(): StoreWriteFailure | undefined {
    return this.current;
  }

  health(): StoreWriteHealth {
    return this.current ? { writable: false, lastWriteError: this.current } : { writable: true };
  }
}
