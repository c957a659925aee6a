import { ReadModelView } from '../projection';
import type { TimeTravelSnapshotStore } from '../time-travel/snapshot-store';

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
  /**
   * Set while the read model is built from nothing: no query reads it yet, so its documents are
   * not kept in memory by the storage (a rebuild writes most of them once and never reads them).
   */
  readonly building?: boolean;
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
 * The projection lease (docs/decisions/0019): which instance runs the projections, until when.
 * One row in the read-model database; `expiresAt` in milliseconds since the epoch.
 */
export interface ProjectionLease {
  readonly holder: string;
  readonly expiresAt: number;
  /** When this holder took it (ISO 8601), and when it last renewed it. */
  readonly takenAt: string;
  readonly renewedAt: string;
  /** Incremented each time another holder takes it over. */
  readonly term: number;
}

/**
 * Where the projection lease lives: the read-model database every instance of one installation
 * shares, so that a commit can check it in its own transaction (see {@link LeaseFence}).
 */
export interface ProjectionLeaseStore {
  /**
   * Takes the lease for `holder` until `now + ttlMs` when nobody holds it, it has expired, its
   * holder is known to be gone (`isGone`), or `holder` holds it already (a renewal), in one
   * transaction; returns the lease as it stands after (held by `holder`, or still by another).
   */
  takeLease(holder: string, ttlMs: number, now: number, isGone?: (holder: string) => boolean): ProjectionLease;
  /** Gives the lease up at once if `holder` holds it (a stopping instance), so that another takes it without waiting for its expiry. */
  releaseLease(holder: string): void;
  /** The lease as stored, if any instance ever took one. */
  lease(): ProjectionLease | undefined;
  /**
   * The holder's word on its projections (a stopped one and why, a rebuild, passed-over events),
   * as JSON, for followers in other processes, which cannot see it in the documents: written only
   * while `holder` holds the lease; false (nothing written) otherwise.
   */
  publishHolderReport(holder: string, report: string): boolean;
  /** The last report a holder published, if any. */
  holderReport(): StoredHolderReport | undefined;
}

/** A report published by a holder of the lease (see {@link ProjectionLeaseStore.publishHolderReport}). */
export interface StoredHolderReport {
  readonly holder: string;
  readonly report: string;
  /** When it was written (ISO 8601). */
  readonly at: string;
}

/** Whether `storage` keeps the projection lease (SQLite read models do; a storage of tests may not). */
export function isProjectionLeaseStore(storage: ProjectionStorage): storage is ProjectionStorage & ProjectionLeaseStore {
  return typeof (storage as Partial<ProjectionLeaseStore>).takeLease === 'function';
}

/** Given to a commit or a reset: written only if `holder` still holds an unexpired lease, checked in the same transaction. */
export interface LeaseFence {
  readonly holder: string;
}

/** A write fenced by the lease found it held by another instance, or expired: nothing was written. */
export class ProjectionLeaseLostError extends Error {
  readonly code = 'READ_MODEL.LEASE_LOST';
  constructor(
    readonly holder: string,
    readonly current: ProjectionLease | undefined,
  ) {
    super(
      current === undefined
        ? `le bail des projections n’est plus détenu par ${holder} : il n’existe plus`
        : current.holder === holder
          ? `le bail des projections détenu par ${holder} a expiré le ${new Date(current.expiresAt).toISOString()}`
          : `le bail des projections est détenu par ${current.holder}, non par ${holder}`,
    );
    this.name = 'ProjectionLeaseLostError';
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
  /**
   * All of it or none of it; throws ProjectionConflictError when an expected position does not
   * match, and, with a fence, ProjectionLeaseLostError when the lease is no longer the fence's.
   */
  commit(commits: readonly ProjectionCommit[], fence?: LeaseFence): void;
  /** The events a projection passed over, in log order (see {@link ProjectionCommit.skipped}). */
  skipped(id: string): SkippedEvent[];
  /** Forgets a projection's documents, checkpoint and skipped events (fenced as a commit). */
  reset(id: string, fence?: LeaseFence): void;
  /** Whole-programme time-travel snapshots kept beside the read models (docs/decisions/0028); absent where none are kept. */
  timeTravelSnapshots?(): TimeTravelSnapshotStore;
  close(): void;
}
