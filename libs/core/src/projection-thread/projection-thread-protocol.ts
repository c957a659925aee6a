import type { ProjectionFailure, ProjectionLeaseStatus, ProjectionRunnerOptions, ProjectionStatus, TimeTravelStatus } from '@jalon/projections';
import type { StoreWriteFailure } from '@jalon/event-store';
import type { JalonConfig } from '../config';
import type { ThreadPriority } from './thread-priority';

/** What the serving thread gives its projection thread (docs/decisions/0030): plain data, copied into the worker. */
export interface ProjectionWorkerData {
  readonly config: JalonConfig;
  readonly readModelsFile: string;
  /** The worker's id in the projection lease, chosen by the serving thread so that it can give the lease up on a dead worker's behalf. */
  readonly holder: string;
  /** The runner's settings but the lease (tests shorten its retry delays). */
  readonly runner: Omit<ProjectionRunnerOptions, 'lease'>;
  /** How often its embedded store looks at the file for other processes' appends ({@link WORKER_LIVE_POLL_MS} but in tests). */
  readonly livePollMs: number;
}

/** What the worker's runner says of itself, as its own `status()`, `logFailure()`, `leaseStatus()` and snapshots' `status()` read. */
export interface ProjectionWorkerReport {
  readonly projections: readonly ProjectionStatus[];
  readonly log?: ProjectionFailure;
  readonly lease?: ProjectionLeaseStatus;
  readonly timeTravel?: TimeTravelStatus;
  /** The embedded store's checkpoints, taken by the worker (docs/decisions/0032): their current run of failures. */
  readonly checkpoint?: StoreWriteFailure;
  /** The worker's scheduling priority (docs/decisions/0033). */
  readonly priority?: ThreadPriority;
}

export type FromProjectionWorker =
  /** Sent when it changed, at most every {@link REPORT_EVERY_MS}. */
  | { readonly type: 'report'; readonly report: ProjectionWorkerReport }
  /** The worker took the lease: jobs that follow the lease (sealing on its own) run in the serving thread. */
  | { readonly type: 'leadership' };

export type ToProjectionWorker =
  /** The service stops: the worker commits, gives the lease up, closes its connections and exits. */
  | { readonly type: 'stop' }
  /** The serving thread committed events to the embedded store: the worker's connection reads them now, not at its next poll. */
  | { readonly type: 'appended' }
  /** The serving thread found a time-travel snapshot unreadable as it served a cut: the worker, their builder, builds it again. */
  | { readonly type: 'snapshot-unreadable'; readonly reason: string; readonly position: bigint };

/** How often the worker looks whether its report changed. */
export const REPORT_EVERY_MS = 50;

/**
 * How often the worker's embedded store looks at the file for events appended by other processes
 * (a CLI import, another instance). The serving thread's own appends wake it at once (an `appended`
 * message after each of its commits), so this is only the fallback: the embedded store's default.
 */
export const WORKER_LIVE_POLL_MS = 250;

/**
 * How often the worker checkpoints the embedded store's log (PASSIVE, docs/decisions/0032), in place
 * of the serving thread, whose commits then checkpoint only past the log's bound.
 */
export const WORKER_CHECKPOINT_MS = 100;
