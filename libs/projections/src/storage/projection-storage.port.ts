import { ReadModelView } from '../projection';

export interface StoredCheckpoint {
  /** `name@version`. */
  readonly id: string;
  /** Position of the last event applied (0n: none yet). */
  readonly position: bigint;
  /** Set once the projection has reached the head of the log: from then on it may serve queries. */
  readonly caughtUp: boolean;
  /** The store it was read from (`EventStore.storeId`); absent in checkpoints written before it was recorded. */
  readonly storeId?: string;
  /** What names the event at `position` (see `eventFingerprint`): checked against what the store holds there. */
  readonly lastEvent?: string;
}

/** An event a projection had to pass over because it could not be decoded: its figures may miss it. */
export interface SkippedEvent {
  readonly streamId: string;
  readonly revision: number;
  readonly position: bigint;
  /** The event's stored type, when known. */
  readonly type?: string;
  /** Why it could not be decoded. */
  readonly reason: string;
}

export interface ProjectionCommit {
  readonly id: string;
  /** The checkpoint this commit starts from: if the stored one differs, another runner moved it. */
  readonly expectedPosition: bigint;
  readonly position: bigint;
  readonly caughtUp: boolean;
  /** The store the events were read from and what names the event at `position`; the stored ones are kept when absent. */
  readonly source?: { readonly storeId: string; readonly lastEvent: string | undefined };
  /** Changed documents; null deletes. */
  readonly docs: ReadonlyMap<string, unknown | null>;
  /** Events passed over since the last commit, kept with the checkpoint that moved past them. */
  readonly skipped?: readonly SkippedEvent[];
}

/** Another runner advanced a projection between our read and our commit: nothing was written. */
export class ProjectionConflictError extends Error {
  readonly code = 'PROJECTION.CONFLICT';
  constructor(readonly id: string) {
    super(`projection ${id} was advanced by another runner`);
    this.name = 'ProjectionConflictError';
  }
}

/**
 * The read models' storage cannot be used now (a full disk, a read-only or vanished file…). The
 * message says why, in French; the runner stops the projections concerned and tries again later.
 */
export class ProjectionStorageError extends Error {
  readonly code = 'READ_MODEL.STORAGE_FAILED';
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'ProjectionStorageError';
  }
}

/**
 * Where read models live. A commit stores documents and checkpoints together, atomically, so that
 * after a crash a projection resumes exactly after the last event whose effects were stored.
 */
export interface ProjectionStorage {
  checkpoint(id: string): StoredCheckpoint | undefined;
  checkpoints(): StoredCheckpoint[];
  view<Doc>(id: string): ReadModelView<Doc>;
  /** The committed documents under `keys`, read together (null for a key with no document). */
  documents(id: string, keys: readonly string[]): Map<string, unknown | null>;
  /** All of it or none of it; throws ProjectionConflictError when an expected position does not match. */
  commit(commits: readonly ProjectionCommit[]): void;
  /** The events a projection passed over, in log order (see {@link ProjectionCommit.skipped}). */
  skipped(id: string): SkippedEvent[];
  /** Forgets a projection's documents, checkpoint and skipped events. */
  reset(id: string): void;
  close(): void;
}
