import { holderStarted, holderStopped, newInstanceId, ProjectionLeaseStatus, ProjectionLeaseStore, ProjectionRunner, ProjectionRunnerOptions, TimeTravelStatus } from '@jalon/projections';
import type { AppendSignals, CheckpointHandover } from '@jalon/event-store';
import { Logger } from '@nestjs/common';
import { extname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { JalonConfig, ProjectionsMode } from '../config';
import { FromProjectionWorker, ProjectionWorkerData, ProjectionWorkerReport, ToProjectionWorker, WORKER_LIVE_POLL_MS } from './projection-thread-protocol';
import type { ThreadPriority } from './thread-priority';

export interface ProjectionThreadSettings {
  readonly mode: ProjectionsMode;
  readonly config: JalonConfig;
  readonly readModelsFile: string;
  readonly runner: Omit<ProjectionRunnerOptions, 'lease'>;
  /** The serving thread's connection to the lease (its read-model storage): a dead worker's lease is given up through it. */
  readonly leaseStore?: ProjectionLeaseStore;
  /** The serving thread's embedded store: its checkpoints are handed over to the worker while it runs (docs/decisions/0032). */
  readonly checkpoints?: CheckpointHandover;
  /** The serving thread's embedded store: each of its commits wakes the worker's reading of the log at once. */
  readonly appends?: AppendSignals;
  /** How often the worker looks at the file for other processes' appends (default {@link WORKER_LIVE_POLL_MS}). */
  readonly livePollMs?: number;
  /** The worker's entry file (`.js` compiled, `.ts` from the sources); tests give one that fails on demand. */
  readonly entry?: string;
}

/** `projections.thread` in `/health`: whether the projection thread runs, since when, and why it stopped. */
export interface ProjectionThreadHealth {
  /** `starting`: created, not heard from yet; `running`: reports; `stopped`: ended (with the service, or by a fault: `reason`). */
  readonly state: 'starting' | 'running' | 'stopped';
  /** The worker's id in the projection lease. */
  readonly instance: string;
  readonly since: string;
  /** French, for people, set when a fault ended it: why, and that the serving thread runs the projections since. */
  readonly reason?: string;
  /** Its scheduling priority while it runs (docs/decisions/0033), as it reported it. */
  readonly priority?: ThreadPriority;
}

/** The longest a stopping worker is given to commit and close before it is ended. */
const STOP_TIMEOUT_MS = 30_000;
/** The longest the service waits, as it starts, for its worker's first report (its first attempt at the lease), as it waits for an inline runner's. */
const START_WAIT_MS = 30_000;

/**
 * `jalon serve`'s projection thread (docs/decisions/0030, amending 0019 and 0029): the projection
 * runner, holder of the lease, runs in a worker thread, so that its commits, the read models'
 * checkpoints and the snapshot builder no longer hold up the thread that answers requests. The
 * serving thread's own runner is a follower that stands by for it (it does not take the lease
 * while the worker lives) and serves what it commits; the worker's reports tell it and `/health`
 * what a follower cannot see in the file (a projection stopped, the lease, the snapshots).
 *
 * A worker that cannot start or ends (an exception, a crash, `terminate`) never takes the service
 * down: its lease is given up on its behalf, the serving thread's runner takes it at once and
 * runs the projections inline, and `/health` says so (`projections.thread` stopped, degraded).
 * The worker is not restarted: a fault that ended it once would most likely end it again; a
 * restart of the service starts it again.
 */
export class ProjectionThread {
  private readonly logger = new Logger('Projections');
  /** The worker's id in the lease. */
  readonly holder = newInstanceId();
  private worker: Worker | undefined;
  private state: ProjectionThreadHealth;
  private report: ProjectionWorkerReport | undefined;
  /** The worker holds the lease: from its `leadership` message, then as each report says (messages keep their order). */
  private workerLeads = false;
  private tookOver = false;
  private stopping = false;
  private lastError: Error | undefined;
  private exited: Promise<void> = Promise.resolve();
  private readonly leadershipListeners = new Set<() => void>();
  private runner: ProjectionRunner | undefined;
  /** Resolves the start's wait: the first report, or the worker's end. */
  private heard: (() => void) | undefined;

  constructor(private readonly settings: ProjectionThreadSettings) {
    this.state = { state: 'starting', instance: this.holder, since: new Date().toISOString() };
  }

  /** The serving thread's runner, which stands by while the worker lives, and takes over when it ends. */
  attach(runner: ProjectionRunner): void {
    this.runner = runner;
    // Snapshots are built by the worker: one found unreadable here is built again there, which reports it until mended.
    runner.timeTravelSnapshots()?.onUnreadable((reason, position) => {
      if (this.threadRuns()) this.worker!.postMessage({ type: 'snapshot-unreadable', reason, position } satisfies ToProjectionWorker);
    });
  }

  /** For the serving thread's runner (`lease.standBy`): true from the start in thread mode until the worker ends by a fault. */
  readonly standBy = (): boolean => this.settings.mode === 'thread' && !this.tookOver;

  /**
   * Starts the worker (thread mode only; `jalon serve`, through LiveReadModels) and resolves once it
   * has tried to take the lease (its first report), as an inline runner's start does. Never throws:
   * a worker that cannot start is taken over.
   */
  async start(): Promise<void> {
    if (this.settings.mode !== 'thread' || this.worker || this.tookOver) return;
    const { file, execArgv } = workerEntry(this.settings.entry);
    const data: ProjectionWorkerData = {
      config: this.settings.config,
      readModelsFile: this.settings.readModelsFile,
      holder: this.holder,
      runner: this.settings.runner,
      livePollMs: this.settings.livePollMs ?? WORKER_LIVE_POLL_MS,
    };
    // A live runner of this process: never taken for gone by the serving thread's runner.
    holderStarted(this.holder);
    let worker: Worker;
    try {
      // This thread's environment as it stands (the default copies the process's, which a test runner may not share).
      worker = new Worker(file, { workerData: data, name: 'projections', env: { ...process.env }, ...(execArgv ? { execArgv } : {}) });
    } catch (error) {
      this.takeOver(`le fil des projections n’a pas pu démarrer : ${describe(error)}`);
      return;
    }
    this.worker = worker;
    this.state = { state: 'starting', instance: this.holder, since: new Date().toISOString() };
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.on('message', (message: FromProjectionWorker) => this.received(message));
    // Each commit of the serving thread tells the worker, whose connection would otherwise find the events at its next poll.
    const stopTelling = this.settings.appends?.onAppended(() => {
      if (this.threadRuns()) worker.postMessage({ type: 'appended' } satisfies ToProjectionWorker);
    });
    worker.once('exit', () => stopTelling?.());
    worker.on('error', (error) => {
      this.lastError = error;
    });
    worker.on('exit', (code) => this.ended(code));
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, START_WAIT_MS);
      timer.unref();
      this.heard = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.heard = undefined;
  }

  /** Stops the worker (SIGTERM, Ctrl-C): it commits what it applied, gives the lease up and exits; ended if it takes too long. */
  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.stopping = true;
    worker.postMessage({ type: 'stop' } satisfies ToProjectionWorker);
    const timer = setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }

  /** Whether this process runs what must run once (sealing on its own): its worker holds the lease, or, inline, its runner does. */
  holdsLease(): boolean {
    if (!this.threadRuns()) return this.runner?.holdsLease() ?? true;
    return this.workerLeads;
  }

  /** Called each time this process takes the lease, through its worker or its own runner. */
  onLeadership(listener: () => void): () => void {
    this.leadershipListeners.add(listener);
    const fromRunner = this.runner?.onLeadership(listener);
    return () => {
      this.leadershipListeners.delete(listener);
      fromRunner?.();
    };
  }

  /** `projections.thread` in `/health`; undefined inline. */
  health(): ProjectionThreadHealth | undefined {
    if (this.settings.mode !== 'thread') return undefined;
    const priority = this.threadRuns() ? this.report?.priority : undefined;
    return priority ? { ...this.state, priority } : this.state;
  }

  /**
   * This process's part in the lease while its worker runs the projections: the worker's, as it
   * reported it (before its first report, the serving thread's view of the lease, in the worker's
   * name); undefined otherwise.
   */
  leaseStatus(): ProjectionLeaseStatus | undefined {
    if (!this.threadRuns()) return undefined;
    if (this.report?.lease) return this.report.lease;
    const seen = this.runner?.leaseStatus();
    return seen && { ...seen, instance: this.holder, held: seen.holder === this.holder && seen.expiresAt !== null && Date.parse(seen.expiresAt) > Date.now() };
  }

  /** The snapshots' state as the worker, their builder, reported it (with the faults this thread passed on); undefined when the serving thread builds them. */
  timeTravelStatus(): TimeTravelStatus | undefined {
    return this.threadRuns() ? this.report?.timeTravel : undefined;
  }

  private threadRuns(): boolean {
    return this.settings.mode === 'thread' && !this.tookOver && this.worker !== undefined;
  }

  private received(message: FromProjectionWorker): void {
    if (this.tookOver) return;
    if (message.type === 'leadership') {
      this.workerLeads = true;
      for (const listener of this.leadershipListeners) listener();
      return;
    }
    if (this.state.state === 'starting') {
      this.state = { state: 'running', instance: this.holder, since: new Date().toISOString() };
      this.settings.checkpoints?.handOverCheckpoints(true);
    }
    this.settings.checkpoints?.checkpointReported(message.report.checkpoint);
    this.report = message.report;
    this.workerLeads = message.report.lease?.role === 'leader';
    this.runner?.holderReported({ projections: message.report.projections, ...(message.report.log ? { log: message.report.log } : {}) });
    this.heard?.();
  }

  private ended(code: number): void {
    this.worker = undefined;
    // Nobody else checkpoints the store now: the serving thread's commits do it again, as SQLite does by default.
    this.settings.checkpoints?.handOverCheckpoints(false);
    holderStopped(this.holder);
    this.heard?.();
    if (this.stopping) {
      this.state = { state: 'stopped', instance: this.holder, since: new Date().toISOString() };
      return;
    }
    const why = this.lastError ? describe(this.lastError) : `il s’est terminé (code ${code})`;
    this.takeOver(`le fil des projections s’est arrêté : ${why}`);
  }

  /** The worker is gone: its lease given up on its behalf, the serving thread's runner takes it at once and runs the projections. */
  private takeOver(reason: string): void {
    this.tookOver = true;
    this.report = undefined;
    this.workerLeads = false;
    holderStopped(this.holder);
    const since = new Date().toISOString();
    this.state = { state: 'stopped', instance: this.holder, since, reason: `${reason} ; le fil qui sert les requêtes applique désormais lui-même les événements` };
    this.logger.error(this.state.reason);
    this.runner?.holderReported(undefined);
    try {
      this.settings.leaseStore?.releaseLease(this.holder);
    } catch {
      // Its lease is taken over anyway: a stopped holder of this process is known to be gone.
    }
    void this.runner?.takeLeaseNow();
  }
}

/**
 * The worker's entry and how to load it: compiled JavaScript as it is (`npm start` runs `dist/`);
 * TypeScript sources (tests, the benchmark) through the repository's loader, as their own process
 * was started.
 */
function workerEntry(given: string | undefined): { file: string; execArgv?: string[] } {
  const file = given ?? join(__dirname, `projection-worker${extname(__filename)}`);
  if (extname(file) !== '.ts') return { file };
  return { file, execArgv: ['--require', resolve(__dirname, '..', '..', '..', '..', 'test', 'support', 'register-ts.js')] };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
