import { ReadModelView } from '../projection';

export interface StoredCheckpoint {
  /** `name@version`. */
  readonly id: string;
  /** Position of the last event applied (0n: none yet). */
  readonly position: bigint;
  /** Set once the projection has reached the head of the log: from then on it may serve queries. */
  readonly caughtUp: boolean;
}

export interface ProjectionCommit {
  readonly id: string;
  /** The checkpoint this commit starts from: if the stored one differs, another runner moved it. */
  readonly expectedPosition: bigint;
  readonly position: bigint;
  readonly caughtUp: boolean;
  /** Changed documents; null deletes. */
  readonly docs: ReadonlyMap<string, unknown | null>;
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
  /** Forgets a projection's documents and checkpoint. */
  reset(id: string): void;
  close(): void;
}
