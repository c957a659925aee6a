import type { EventStore } from './event-store.port';

/** The store cannot be written (or read) now; nothing was written. Retried later, it may succeed. */
export const STORE_UNAVAILABLE = 'STORE.UNAVAILABLE';
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
