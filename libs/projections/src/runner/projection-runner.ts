import { upcast } from '@jalon/domain';
import { EventStore, isUnreadable, StoredEvent, UnreadableEvent, UnreadableEventError, yieldToEventLoop } from '@jalon/event-store';
import { Projection, projectionId, ReadModelView } from '../projection';
import { holderGone, holderStarted, holderStopped } from './projection-lease';
import { TimeTravelSnapshots } from '../time-travel/programme-snapshots';
import { eventFingerprint } from './event-fingerprint';
import { WrittenKeys } from './written-keys';

export { eventFingerprint };
import {
  LeaseFence,
  ProjectionConflictError,
  ProjectionLease,
  ProjectionLeaseLostError,
  ProjectionLeaseStore,
  ProjectionStorage,
  SkippedEvent,
  StoredCheckpoint,
  StoredHolderReport,
} from '../storage/projection-storage.port';

/** Why a projection (or the runner's reading of the log) stopped, and when it tries again. */
export interface ProjectionFailure {
  /** French, for people. */
  readonly reason: string;
  /** First failure of the current run of failures (ISO 8601). */
  readonly since: string;
  /** Failed attempts in a row. */
  readonly attempts: number;
  /** When the next attempt is due (ISO 8601). */
  readonly nextRetryAt: string;
}

export interface ProjectionStatus {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly position: string;
  readonly caughtUp: boolean;
  /** Whether queries of this projection's name are answered from this version. */
  readonly serving: boolean;
  /** `stopped` after a failure, until an attempt goes through; `rebuilding` from the first event once the events it skipped can be read. */
  readonly state: 'running' | 'stopped' | 'rebuilding';
  readonly failure?: ProjectionFailure;
  /** Unreadable events this version passed over: its figures may miss them. */
  readonly skipped: readonly SkippedEvent[];
  /** Set when its read model did not come from this store's history and was rebuilt (see {@link SourceMismatch}). */
  readonly rebuiltBecause?: SourceMismatch;
}

/**
 * A read model that did not come from the store the runner reads, found when it starts: its
 * checkpoint names another store, no store at all (written by an earlier version), or an event
 * this store does not hold at that position (a history restored from an older backup, cut short,
 * or rewritten). It is rebuilt from this store's first event, and serves no query meanwhile.
 */
export interface SourceMismatch {
  readonly id: string;
  readonly code: 'READ_MODEL.OTHER_STORE' | 'READ_MODEL.STORE_UNKNOWN' | 'READ_MODEL.HISTORY_SHORTER' | 'READ_MODEL.HISTORY_CHANGED';
  /** French, for people: what was found and what is done. */
  readonly reason: string;
}

/** Why the serving version of a projection cannot answer queries now. */
export type ProjectionUnavailability =
  | { readonly kind: 'stopped'; readonly id: string; readonly failure: ProjectionFailure }
  | { readonly kind: 'rebuilding'; readonly id: string; readonly because?: SourceMismatch }
  /** Its checkpoint has not been checked against the store yet (the store did not answer): it serves nothing meanwhile. */
  | { readonly kind: 'checking'; readonly id: string }
  /**
   * Built from the first event and never yet caught up with the log (its read model deleted, a
   * first start on a long history), with no earlier version to serve instead: its figures would be
   * partial, so it serves nothing until it reaches the head (`position`: committed so far; `head`:
   * the log's head when this runner started, when known).
   */
  | { readonly kind: 'building'; readonly id: string; readonly position: bigint; readonly head?: bigint }
  | { readonly kind: 'incomplete'; readonly id: string; readonly skipped: readonly SkippedEvent[] };

/**
 * Several instances on one store (docs/decisions/0019): exactly one, the holder of the lease,
 * applies events and commits; the others serve queries from what it committed, and take the lease
 * over when it is not renewed.
 */
export interface ProjectionLeaseSettings {
  /** Where the lease lives: the read-model storage itself, so that each commit is fenced by it. */
  readonly store: ProjectionLeaseStore;
  /** This instance's id, as stored in the lease and shown in `/health`. */
  readonly holder: string;
  /** How often the holder renews the lease, and a follower tries to take it. */
  readonly renewMs: number;
  /** How long the lease holds without renewal; another instance takes it over after that. */
  readonly expiryMs: number;
  /**
   * While it answers true, this runner, as a follower, does not try to take the lease: another
   * runner of this process is to hold it (`jalon serve`'s projection thread, docs/decisions/0030),
   * and this one serves what it commits until told to take over ({@link ProjectionRunner.takeLeaseNow}).
   */
  readonly standBy?: () => boolean;
}

/**
 * What the holder of the lease says of its own projections, when it runs in this process on another
 * thread (docs/decisions/0030): a follower cannot see from the file that the holder stopped a
 * projection, rebuilds one or cannot follow the log; told so, it answers queries as the holder
 * would (a stopped projection's queries refused, waits for it ended).
 */
export interface HolderReport {
  readonly projections: readonly HolderProjectionState[];
  readonly log?: ProjectionFailure;
}

/** What a follower takes from the holder's word on one projection: whether it stopped (and why), rebuilds, passed events over. */
export type HolderProjectionState = Pick<ProjectionStatus, 'id' | 'state' | 'failure' | 'rebuiltBecause' | 'skipped'>;

/** This instance's part in the lease, for `/health` (`projections.lease`). */
export interface ProjectionLeaseStatus {
  /** This instance's id. */
  readonly instance: string;
  /** `leader`: it holds the lease and applies events; `follower`: it serves what the holder committed; `stopped`: not started or stopped. */
  readonly role: 'leader' | 'follower' | 'stopped';
  /** The stored lease: its holder, whether it is this instance and unexpired, until when, how many takeovers. */
  readonly holder: string | null;
  readonly held: boolean;
  readonly expiresAt: string | null;
  readonly term: number | null;
  readonly renewEveryMs: number;
  readonly expiresAfterMs: number;
  /** Seen by a follower: no lease, or one its holder stopped renewing: no instance applies events until this one takes it. */
  readonly expired: boolean;
  /** Set while this instance cannot read or take (renew) the lease. */
  readonly error?: { readonly reason: string; readonly since: string };
  /** Why this instance last stopped applying events as the lease holder. */
  readonly lastLost?: { readonly reason: string; readonly at: string };
}

export interface ProjectionRunnerOptions {
  /** With several instances on one store: only the holder of this lease applies events (see {@link ProjectionLeaseSettings}); without it, this runner applies them. */
  readonly lease?: ProjectionLeaseSettings;
  /** Events applied (or documents changed) before a commit is forced. */
  readonly batchSize?: number;
  /** Longest time an applied event waits to be committed. */
  readonly flushIntervalMs?: number;
  /** Delays between attempts of a stopped projection: the first, doubled each time up to the largest (1 s to 60 s by default). */
  readonly retryDelayMs?: { readonly first: number; readonly max: number };
  /** Events between two whole-programme time-travel snapshots (docs/decisions/0028); tests make them small. */
  readonly snapshotEveryEvents?: number;
}

/** A projection that could not go on (for callers that do not wait for retries: `catchUp`, the CLI). */
export class ProjectionFailedError extends Error {
  readonly code = 'PROJECTION.FAILED';
  constructor(
    readonly id: string,
    readonly reason: string,
  ) {
    super(`la projection ${id} est arrêtée : ${reason}`);
    this.name = 'ProjectionFailedError';
  }
}

/**
 * Events applied (or documents changed) per commit. Catching up, each commit rewrites every
 * document changed since the last one (with a thousand antennas, nearly all of them), whatever
 * the number of events: the more events per commit, the fewer rewrites per event.
 */
const DEFAULT_BATCH_SIZE = 50_000;
/** Catching up, events applied together: the documents they change are read from storage in one go. */
const PAGE_SIZE = 1_000;
const DEFAULT_RETRY = { first: 1_000, max: 60_000 };
/** What a batch that needs no committed document reads from storage. */
const NOTHING_READ: ReadonlyMap<string, unknown | null> = new Map();
/** A follower reads the holder's checkpoints again at most this often when asked, and this often while a `waitForPosition` waits. */
const FOLLOWER_REFRESH_MS = 20;

interface Failure extends ProjectionFailure {
  /** `nextRetryAt`, in ms. */
  readonly retryAt: number;
}

interface Running {
  readonly projection: Projection;
  readonly id: string;
  readonly handles: ReadonlySet<string>;
  /** Committed checkpoint. */
  committed: bigint;
  /** Position of the last event applied in memory. */
  position: bigint;
  caughtUp: boolean;
  readonly pending: Map<string, unknown | null>;
  /**
   * While this runner builds the projection from nothing (no checkpoint when it loaded): the keys
   * it has committed since. Storage holds no other document of the projection, so applying an
   * event to any other key asks storage nothing (a rebuild creates most of its documents). Kept as
   * fingerprints ({@link WrittenKeys}): a key it may hold is read from storage, which knows.
   */
  written: WrittenKeys | undefined;
  /**
   * While it builds from nothing: the documents its last commit wrote that the batch before it
   * changed more than once (an antenna's totals, a ledger, the current block of a stream's
   * entries), kept parsed because the next batch will most likely change them again: they are not
   * read back from storage. Each one is either here or in `pending`, never in both; those the next
   * batch does not change are dropped at its commit, so that memory holds one batch's worth.
   */
  resident: Map<string, unknown> | undefined;
  /** Keys of `pending` changed more than once since the last commit (kept in `resident` after it, while building). */
  readonly changedAgain: Set<string>;
  /** Unreadable events passed over: committed, and since the last commit. */
  skipped: SkippedEvent[];
  newlySkipped: SkippedEvent[];
  /** Set while stopped: it applies nothing until the attempt due at `retryAt`. */
  failure: Failure | undefined;
  /** Failures in a row (the back-off grows with them), and since when; reset once a commit goes through. */
  attempts: number;
  failingSince: string | undefined;
  /** Rebuilt from nothing because the events it skipped can be read now: answers no query until caught up. */
  rebuilding: boolean;
  /** When to look again whether the events it skipped can be read now, and how often it looked. */
  repairCheckAt: number;
  repairChecks: number;
  /** What names the event at `position`, and at `committed` (see {@link eventFingerprint}). */
  lastEvent: string | undefined;
  committedLastEvent: string | undefined;
  /** The store named by the checkpoint loaded from storage. */
  storedStoreId: string | undefined;
  /** False from loading a checkpoint until it is found to come from this store: meanwhile it applies nothing. */
  verified: boolean;
  rebuiltBecause: SourceMismatch | undefined;
}

/**
 * Feeds projections from the store's global log, strictly in order, and commits each
 * projection's changed documents together with its checkpoint. After a crash or a restart, each
 * projection resumes right after the last event whose effects were committed: no event is applied
 * twice or skipped. A new version of a projection is built beside the old one, which keeps
 * serving queries until the new one has reached the head of the log.
 *
 * Nothing here takes the process down. A projection that cannot go on (its storage cannot be
 * written, its `evolve` throws on an event) stops at its last commit, records why, and tries again
 * after 1 s, 2 s, 4 s… up to 60 s; the others go on. An event the store cannot decode is passed
 * over and recorded with the checkpoint of every projection that reads its type: their queries
 * then say which event they miss, until it can be read again (they are then rebuilt by themselves).
 */
export class ProjectionRunner {
  private readonly running: Running[];
  private readonly waiters = new Set<{ position: bigint; ids: readonly string[]; resolve: (ok: boolean) => void }>();
  private loop: Promise<void> | undefined;
  private stopping = false;
  private subscription: { unsubscribe(): Promise<void> } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDueAt = Number.POSITIVE_INFINITY;
  /** Resolves the follow loop's pause (every projection stopped, or the log unreadable). */
  private wakeLoop: (() => void) | undefined;
  private checkingRepairs = false;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly retryDelayMs: { readonly first: number; readonly max: number };
  /** The head when following started (undefined until the store has answered). */
  private headAtStart: bigint | undefined;
  private appliedSinceFlush = 0;
  /** Set while the log itself cannot be followed (the store refuses to deliver it). */
  private followFailure: Failure | undefined;
  /** The id of the store read (`EventStore.storeId`), learnt before the first event is applied. */
  private storeIdentity: string | undefined;
  private readonly mismatchListeners = new Set<(mismatch: SourceMismatch) => void>();
  private readonly lease: ProjectionLeaseSettings | undefined;
  /**
   * `alone`: no lease (one process: the CLI, tests), or not started; `leader`: holds the lease and
   * applies events; `follower`: applies nothing, reads what the holder committed.
   */
  private role: 'alone' | 'leader' | 'follower' = 'alone';
  /** The leader's lease holds until then (renewed at that instant minus `expiryMs`): it applies and commits nothing past it. */
  private leaseValidUntil = 0;
  private leaseTimer: NodeJS.Timeout | undefined;
  private followerTimer: NodeJS.Timeout | undefined;
  private leaseTick: Promise<void> | undefined;
  /** Role changes, one after the other. */
  private transition: Promise<void> = Promise.resolve();
  private leaseError: { reason: string; since: string } | undefined;
  private lostLease: { reason: string; at: string } | undefined;
  private refreshedAt = 0;
  private learningStoreIdentity = false;
  private readonly leadershipListeners = new Set<() => void>();
  /** Whole-programme time-travel snapshots (docs/decisions/0028): built in the background while following the log (and by `jalon replay` after its rebuild). */
  private readonly timeTravel: TimeTravelSnapshots | undefined;
  /** What the holder running on another thread of this process last reported (see {@link HolderReport}); only a follower reads it. */
  private holderStatuses: ReadonlyMap<string, HolderProjectionState> | undefined;
  private holderLogFailure: ProjectionFailure | undefined;
  /**
   * What the holder in another process published in the lease's file (read at each renewal
   * attempt, kept only while it is the current holder's): a follower there learns of a stopped
   * projection as one on another thread does from its reports.
   */
  private storedHolder: { readonly holder: string; readonly statuses: ReadonlyMap<string, HolderProjectionState>; readonly log?: ProjectionFailure } | undefined;
  /** The report this holder last published (JSON), so that an unchanged one is not written again. */
  private publishedReport: string | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly storage: ProjectionStorage,
    projections: readonly Projection[],
    options: ProjectionRunnerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.flushIntervalMs = options.flushIntervalMs ?? 20;
    this.retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY;
    this.lease = options.lease;
    this.running = projections.map((projection) => ({
      projection,
      id: projectionId(projection),
      handles: new Set(projection.handles),
      committed: 0n,
      position: 0n,
      caughtUp: false,
      pending: new Map(),
      written: undefined,
      resident: undefined,
      changedAgain: new Set(),
      skipped: [],
      newlySkipped: [],
      failure: undefined,
      attempts: 0,
      failingSince: undefined,
      rebuilding: false,
      repairCheckAt: 0,
      repairChecks: 0,
      lastEvent: undefined,
      committedLastEvent: undefined,
      storedStoreId: undefined,
      verified: false,
      rebuiltBecause: undefined,
    }));
    this.reload();
    const snapshots = storage.timeTravelSnapshots?.();
    this.timeTravel = snapshots && new TimeTravelSnapshots(store, snapshots, projections, { everyEvents: options.snapshotEveryEvents, mayBuild: () => this.holdsLease() });
  }

  /** The whole-programme time-travel snapshots kept beside these read models, if their storage keeps any. */
  timeTravelSnapshots(): TimeTravelSnapshots | undefined {
    return this.timeTravel;
  }

  /**
   * Starts following the log in the background (catch up, then live); resolves even when the store
   * or storage is in trouble (`status()` says why). With a lease, it first tries to take it: the
   * holder follows the log, the others serve what it commits and try again every `renewMs`.
   */
  async start(): Promise<void> {
    if (!this.lease) return this.startFollowing();
    if (this.role !== 'alone') return;
    this.role = 'follower';
    holderStarted(this.lease.holder);
    this.learnStoreIdentity();
    this.refresh(true);
    this.followerTimer = setInterval(() => {
      if (this.waiters.size > 0) this.refresh(true);
    }, FOLLOWER_REFRESH_MS);
    this.followerTimer.unref();
    this.leaseTimer = setInterval(() => void this.tickLease(), this.lease.renewMs);
    this.leaseTimer.unref();
    await this.tickLease();
  }

  async stop(): Promise<void> {
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    if (this.followerTimer) clearInterval(this.followerTimer);
    this.leaseTimer = undefined;
    this.followerTimer = undefined;
    await this.leaseTick;
    await this.exclusive(async () => {
      await this.stopFollowing(true);
      // Given up as soon as its last commit is made: another instance need not wait for it to expire.
      if (this.lease && this.role === 'leader') {
        try {
          this.lease.store.releaseLease(this.lease.holder);
        } catch {
          // It expires by itself.
        }
      }
      if (this.lease) {
        this.role = 'alone';
        holderStopped(this.lease.holder);
      }
    });
    for (const waiter of this.waiters) waiter.resolve(false);
    this.waiters.clear();
    await this.timeTravel?.stop();
  }

  /**
   * Tries to take the lease now, without waiting for the next period: the runner this one stood by
   * for (see {@link ProjectionLeaseSettings.standBy}) is gone, and was given up on its behalf.
   */
  async takeLeaseNow(): Promise<void> {
    if (!this.lease || this.role === 'alone') return;
    await this.leaseTick;
    await this.tickLease();
  }

  /** What the holder on another thread of this process reports of itself (undefined: it no longer does). See {@link HolderReport}. */
  holderReported(report: HolderReport | undefined): void {
    this.holderStatuses = report && new Map(report.projections.map((status) => [status.id, status]));
    this.holderLogFailure = report?.log;
    if (this.role !== 'follower' || !report) return;
    for (const waiter of [...this.waiters]) if (waiter.ids.some((id) => this.holderStatuses!.get(id)?.failure)) waiter.resolve(false);
  }

  /** Called each time this instance takes the lease (and starts applying events); jobs that must run on one instance only follow it. */
  onLeadership(listener: () => void): () => void {
    this.leadershipListeners.add(listener);
    return () => this.leadershipListeners.delete(listener);
  }

  /** Whether this instance runs what must run once: without a lease (one process), or as the holder of the lease. */
  holdsLease(): boolean {
    // 'alone': this runner takes no part in a lease (none configured, or not started): nothing to defer to.
    return this.role === 'leader' || this.role === 'alone';
  }

  /** This instance's part in the lease, and the lease as stored (undefined without a lease). */
  leaseStatus(): ProjectionLeaseStatus | undefined {
    if (!this.lease) return undefined;
    let current: ProjectionLease | undefined;
    let error = this.leaseError;
    try {
      current = this.lease.store.lease();
    } catch (readError) {
      error ??= { reason: describeFailure(readError), since: new Date().toISOString() };
    }
    const now = Date.now();
    const role = this.role === 'alone' ? 'stopped' : this.role;
    return {
      instance: this.lease.holder,
      role,
      holder: current?.holder ?? null,
      held: current !== undefined && current.holder === this.lease.holder && current.expiresAt > now,
      expiresAt: current ? new Date(current.expiresAt).toISOString() : null,
      term: current?.term ?? null,
      renewEveryMs: this.lease.renewMs,
      expiresAfterMs: this.lease.expiryMs,
      expired: role === 'follower' && (current === undefined || current.expiresAt <= now),
      ...(error ? { error } : {}),
      ...(this.lostLease ? { lastLost: this.lostLease } : {}),
    };
  }

  /** Catch up, then live: what the runner does alone, or as the holder of the lease. */
  private async startFollowing(): Promise<void> {
    if (this.loop) return;
    this.stopping = false;
    this.headAtStart = undefined;
    try {
      await this.learnHead();
      // Before serving anything: read models that did not come from this store are rebuilt.
      await this.verifySources(this.headAtStart);
    } catch {
      // The loop asks again, and records why it cannot go on.
    }
    // The lease was lost meanwhile: nothing to follow.
    if (this.role === 'follower') return;
    this.timer = setInterval(() => this.flushQuietly(), this.flushIntervalMs);
    this.timer.unref();
    this.loop = this.follow();
    // The time-travel snapshots missing (a first start, after a replay) are built in the background.
    this.timeTravel?.nudge(this.headAtStart ?? 0n);
    this.scheduleRetry();
  }

  /** Stops following the log; `commit`: what was applied is committed first (a stop), otherwise it is dropped (a lost lease). */
  private async stopFollowing(commit: boolean): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.retryDueAt = Number.POSITIVE_INFINITY;
    this.wakeLoop?.();
    await this.subscription?.unsubscribe();
    await this.loop;
    this.loop = undefined;
    if (commit) this.flushQuietly();
  }

  private tickLease(): Promise<void> {
    this.leaseTick ??= this.renewOrTakeLease().finally(() => {
      this.leaseTick = undefined;
    });
    return this.leaseTick;
  }

  /** The holder renews its lease; a follower takes it when free or expired. A holder that cannot renew stops applying before it expires. */
  private async renewOrTakeLease(): Promise<void> {
    const lease = this.lease!;
    if (this.role === 'alone') return;
    this.learnStoreIdentity();
    // Another runner of this process is to hold it: this one serves what it commits (its own
    // failures, such as a file it could not read at start, give way to what that runner reports).
    if (this.role === 'follower' && lease.standBy?.()) {
      for (const state of this.running) if (state.failure) this.forgetUncommitted(state);
      return;
    }
    const now = Date.now();
    let current: ProjectionLease;
    try {
      current = lease.store.takeLease(lease.holder, lease.expiryMs, now, holderGone);
      this.leaseError = undefined;
    } catch (error) {
      this.leaseError = { reason: describeFailure(error), since: this.leaseError?.since ?? new Date(now).toISOString() };
      // Leading while another attempt can come before the lease expires; stopped before it does otherwise.
      if (this.role === 'leader' && now + lease.renewMs >= this.leaseValidUntil) {
        await this.demote(`le bail des projections n’a pas pu être renouvelé : ${describeFailure(error)}`);
      }
      if (this.role === 'follower') this.cannotTakeLease(error, now);
      return;
    }
    if (current.holder === lease.holder) {
      this.leaseValidUntil = now + lease.expiryMs;
      if (this.role === 'follower') await this.promote();
      if (this.role === 'leader') this.publishReport();
    } else if (this.role === 'leader') {
      await this.demote(`le bail des projections a été pris par ${current.holder}`);
    } else {
      // Another instance holds it and applies events: this one serves what it commits.
      for (const state of this.running) if (state.failure) this.forgetUncommitted(state);
      this.readHolderReport(current.holder);
    }
  }

  /**
   * The holder's word on its projections, written beside the lease when it changed, for followers
   * in other processes. Only what a follower takes from it (a stopped projection and why, a rebuild,
   * passed-over events), so that it changes when those do, not at every commit. A failure to write
   * it is not the lease's: tried again at the next renewal.
   */
  private publishReport(): void {
    const report: HolderReport = {
      projections: this.status().map(({ id, state, failure, rebuiltBecause, skipped }) => ({ id, state, skipped, ...(failure ? { failure } : {}), ...(rebuiltBecause ? { rebuiltBecause } : {}) })),
      ...(this.logFailure() ? { log: this.logFailure()! } : {}),
    };
    const json = JSON.stringify(report, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
    if (json === this.publishedReport) return;
    try {
      if (this.lease!.store.publishHolderReport(this.lease!.holder, json)) this.publishedReport = json;
    } catch {
      // Written at a later renewal; the projections' own failures show in this instance's /health meanwhile.
    }
  }

  /** Reads what `holder`, the current holder, published (nothing kept from a previous holder). */
  private readHolderReport(holder: string): void {
    let stored: StoredHolderReport | undefined;
    try {
      stored = this.lease!.store.holderReport();
    } catch {
      return;
    }
    if (stored === undefined || stored.holder !== holder) {
      this.storedHolder = undefined;
      return;
    }
    try {
      const report = JSON.parse(stored.report) as HolderReport;
      // Positions were written as decimal strings (JSON has no bigint).
      const statuses = report.projections.map((status) => ({ ...status, skipped: status.skipped.map((event) => ({ ...event, position: BigInt(event.position) })) }));
      this.storedHolder = { holder, statuses: new Map(statuses.map((status) => [status.id, status])), ...(report.log ? { log: report.log } : {}) };
    } catch {
      this.storedHolder = undefined;
      return;
    }
    if (this.holderStatuses === undefined) for (const waiter of [...this.waiters]) if (waiter.ids.some((id) => this.storedHolder!.statuses.get(id)?.failure)) waiter.resolve(false);
  }

  /**
   * A follower found the lease free, expired or unreadable, and could not take it (its read-model
   * file cannot be written): no instance is known to apply events. Its projections are reported
   * stopped, as a lone instance's would be, until it takes the lease or finds it held.
   */
  private cannotTakeLease(error: unknown, now: number): void {
    const retryAt = now + this.lease!.renewMs;
    for (const state of this.running) {
      state.attempts += 1;
      state.failingSince ??= new Date(now).toISOString();
      state.failure = {
        reason: `le bail des projections ne peut pas être pris, et aucune autre instance ne le détient : ${describeFailure(error)}`,
        since: state.failingSince,
        attempts: state.attempts,
        nextRetryAt: new Date(retryAt).toISOString(),
        retryAt,
      };
    }
    for (const waiter of [...this.waiters]) waiter.resolve(false);
  }

  /**
   * A follower serves a checkpoint only once it names the store read: learnt in the background
   * (asked again at each attempt to take the lease while the store does not answer), so that a
   * store that is slow to answer delays neither the start nor the lease.
   */
  private learnStoreIdentity(): void {
    if (this.storeIdentity !== undefined || this.learningStoreIdentity) return;
    this.learningStoreIdentity = true;
    this.store
      .storeId()
      .then((id) => {
        this.storeIdentity ??= id;
        this.refresh(true);
      })
      .catch(() => undefined)
      .finally(() => {
        this.learningStoreIdentity = false;
      });
  }

  /** This instance took the lease: from what the previous holder committed, it follows the log. */
  private promote(): Promise<void> {
    return this.exclusive(async () => {
      if (this.role !== 'follower') return;
      this.role = 'leader';
      for (const state of this.running) this.forgetUncommitted(state);
      this.reload();
      await this.startFollowing();
      if (this.role !== 'leader') return;
      for (const listener of this.leadershipListeners) listener();
    });
  }

  /**
   * This instance no longer holds the lease (taken by another, expired, or not renewable): it
   * applies and commits nothing from now on, drops what it applied since its last commit, and
   * serves what the holder commits.
   */
  private demote(reason: string): Promise<void> {
    if (this.role !== 'leader') return this.transition;
    this.role = 'follower';
    this.lostLease = { reason, at: new Date().toISOString() };
    return this.exclusive(async () => {
      await this.stopFollowing(false);
      for (const state of this.running) this.forgetUncommitted(state);
      this.refresh(true);
    });
  }

  private exclusive(work: () => Promise<void>): Promise<void> {
    const next = this.transition.then(work);
    this.transition = next.catch(() => undefined);
    return next;
  }

  private forgetUncommitted(state: Running): void {
    state.failure = undefined;
    state.attempts = 0;
    state.failingSince = undefined;
    state.pending.clear();
    state.changedAgain.clear();
    state.resident = undefined;
    state.newlySkipped = [];
    state.rebuilding = false;
    state.rebuiltBecause = undefined;
    state.position = state.committed;
    state.lastEvent = state.committedLastEvent;
  }

  /**
   * With a lease, only its holder applies and commits, and only while its lease holds: past that
   * instant, it stops (and drops what it applied since its last commit) even before it learns whether
   * another instance took over; a commit is also checked against the lease in its own transaction.
   */
  private mayApply(): boolean {
    if (this.role === 'alone') return true;
    if (this.role === 'follower') return false;
    if (Date.now() < this.leaseValidUntil) return true;
    void this.demote('le bail des projections a expiré avant d’avoir pu être renouvelé');
    return false;
  }

  /** What commits and resets carry: the lease they must still be under. */
  private fence(): LeaseFence | undefined {
    return this.lease && this.role !== 'alone' ? { holder: this.lease.holder } : undefined;
  }

  /**
   * A follower's view of what the holder of the lease committed: checkpoints (and the events they
   * passed over) read again from storage, at most every {@link FOLLOWER_REFRESH_MS} unless forced.
   * A checkpoint that names another store is not served: the holder rebuilds it.
   */
  private refresh(force: boolean): void {
    if (this.role !== 'follower') return;
    const now = Date.now();
    if (!force && now - this.refreshedAt < FOLLOWER_REFRESH_MS) return;
    this.refreshedAt = now;
    let stored: Map<string, StoredCheckpoint>;
    try {
      stored = new Map(this.storage.checkpoints().map((checkpoint) => [checkpoint.id, checkpoint]));
    } catch {
      // Reads fail as well, each with the reason.
      return;
    }
    for (const state of this.running) {
      const checkpoint = stored.get(state.id);
      const position = checkpoint?.position ?? 0n;
      if (position !== state.committed || checkpoint?.caughtUp !== state.caughtUp) {
        try {
          state.skipped = checkpoint ? this.storage.skipped(state.id) : [];
        } catch {
          continue;
        }
      }
      state.committed = position;
      state.position = position;
      state.caughtUp = checkpoint?.caughtUp ?? false;
      state.lastEvent = checkpoint?.lastEvent;
      state.committedLastEvent = state.lastEvent;
      state.storedStoreId = checkpoint?.storeId;
      state.verified = checkpoint === undefined || (this.storeIdentity !== undefined && checkpoint.storeId === this.storeIdentity);
    }
    for (const waiter of [...this.waiters]) if (this.reached(waiter.position, waiter.ids)) waiter.resolve(true);
  }

  /**
   * Applies every event up to the current head and commits (for the CLI and tests; no live
   * following, no retries). Unreadable events are passed over and returned; a projection that
   * stopped makes it throw a {@link ProjectionFailedError} once the others are done.
   */
  async catchUp(): Promise<{ events: number; skipped: SkippedEvent[] }> {
    const head = await this.store.headPosition();
    let events = 0;
    const skipped = new Map<bigint, SkippedEvent>();
    for (;;) {
      try {
        await this.verifySources(head);
        let lastSeen: StoredEvent | UnreadableEvent | undefined;
        if (this.active().length > 0) {
          const page: StoredEvent[] = [];
          const pageSize = Math.min(PAGE_SIZE, this.batchSize);
          for await (const event of this.store.readAll({ after: this.lowestPosition(), includeUnreadable: true })) {
            lastSeen = event;
            if (isUnreadable(event)) {
              events += page.length;
              this.apply(page.splice(0));
              this.skip(event);
              skipped.set(event.position, toSkipped(event));
            } else {
              const current = this.handOver(event);
              page.push(current instanceof Promise ? await current : current);
              if (page.length < pageSize && event.position < head) continue;
              events += page.length;
              this.apply(page.splice(0));
              // Between pages, the event loop turns: a long catch-up can be interrupted (Ctrl-C), a read-only report's temporary copies removed.
              await yieldToEventLoop();
            }
            if (event.position >= head || this.active().length === 0) break;
            if (this.pendingCount() >= this.batchSize) this.flush();
          }
          events += page.length;
          this.apply(page);
          for (const state of this.active()) {
            if (state.position >= head) continue;
            state.position = head;
            state.lastEvent = lastSeen?.position === head ? eventFingerprint(lastSeen) : undefined;
          }
          this.markCaughtUp(head);
          this.flush();
        }
        const failed = this.running.find((state) => state.failure !== undefined);
        if (failed) throw new ProjectionFailedError(failed.id, failed.failure!.reason);
        return { events, skipped: [...skipped.values()] };
      } catch (error) {
        if (!(error instanceof ProjectionConflictError)) throw error;
        this.reload();
      }
    }
  }

  /**
   * Serves what the holder of the projection lease commits, applying nothing (a command run beside
   * a service that holds it, docs/decisions/0019): this runner, not started and so not taking part
   * in the lease, becomes its follower, reading the checkpoints again now and at queries, and
   * serving each that names this store. Called again, it reads them again at once.
   */
  async followCommitted(): Promise<void> {
    if (this.role === 'leader') throw new Error('the holder of the projection lease applies events: it has nothing to follow');
    this.storeIdentity ??= await this.store.storeId();
    this.role = 'follower';
    this.refresh(true);
  }

  /** Forgets every projection's documents and checkpoint, then rebuilds them from the first event. */
  async rebuild(): Promise<{ events: number; seconds: number; skipped: SkippedEvent[] }> {
    const started = process.hrtime.bigint();
    for (const state of this.running) this.storage.reset(state.id);
    this.timeTravel?.reset();
    this.reload();
    const { events, skipped } = await this.catchUp();
    return { events, seconds: Number(process.hrtime.bigint() - started) / 1e9, skipped };
  }

  /** Resolves true once the serving versions of `names` (all by default) have committed `position`, false after `timeoutMs` or at once if one is stopped. */
  waitForPosition(position: bigint, timeoutMs: number, names?: readonly string[]): Promise<boolean> {
    const states = this.servingStates(names);
    if (states.some((state) => state.failure !== undefined || this.reportedByHolder(state)?.failure !== undefined)) return Promise.resolve(false);
    const ids = states.map((state) => state.id);
    if (this.reached(position, ids)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        position,
        ids,
        resolve: (ok: boolean) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(ok);
        },
      };
      const timer = setTimeout(() => waiter.resolve(false), timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Committed documents of the version of `name` that serves queries. */
  view<Doc>(name: string): ReadModelView<Doc> {
    const [state] = this.servingStates([name]);
    if (!state) throw new Error(`no projection named ${name}`);
    return this.storage.view<Doc>(state.id);
  }

  /**
   * Names the committed state of the documents `view(name)` serves: it changes whenever they may
   * have (a commit by this runner or by another process, a new version serving). Read from
   * storage, so that a cache keyed by it stays right whoever commits.
   */
  version(name: string): string {
    const [state] = this.servingStates([name]);
    if (!state) throw new Error(`no projection named ${name}`);
    return `${state.id}:${this.checkpoint(name)}`;
  }

  /** The log position up to which the documents `view(name)` serves are committed (0 before any commit). */
  checkpoint(name: string): bigint {
    const [state] = this.servingStates([name]);
    if (!state) throw new Error(`no projection named ${name}`);
    return this.storage.checkpoint(state.id)?.position ?? 0n;
  }

  /** Why queries of `name` cannot be answered now (stopped, rebuilding, missing unreadable events), or undefined when they can. */
  unavailability(name: string): ProjectionUnavailability | undefined {
    const [state] = this.servingStates([name]);
    if (!state) return undefined;
    const { failure, rebuilding, rebuiltBecause, skipped } = this.stateOf(state);
    if (failure) return { kind: 'stopped', id: state.id, failure };
    if (!state.verified) return { kind: 'checking', id: state.id };
    if (rebuilding) return { kind: 'rebuilding', id: state.id, ...(rebuiltBecause ? { because: rebuiltBecause } : {}) };
    if (!state.caughtUp) return { kind: 'building', id: state.id, position: state.committed, ...(this.headAtStart === undefined ? {} : { head: this.headAtStart }) };
    return skipped.length > 0 ? { kind: 'incomplete', id: state.id, skipped } : undefined;
  }

  /** Set while the log itself cannot be followed; the projections keep serving what they committed. */
  logFailure(): ProjectionFailure | undefined {
    if (this.followFailure) return publicFailure(this.followFailure);
    if (this.role !== 'follower') return undefined;
    return this.holderStatuses !== undefined ? this.holderLogFailure : this.storedHolder?.log;
  }

  status(): ProjectionStatus[] {
    const serving = new Set(this.servingStates().map((state) => state.id));
    return this.running.map((state) => {
      const { failure, rebuilding, rebuiltBecause, skipped } = this.stateOf(state);
      return {
        id: state.id,
        name: state.projection.name,
        version: state.projection.version,
        position: state.committed.toString(),
        caughtUp: state.caughtUp,
        serving: serving.has(state.id),
        state: failure ? 'stopped' : rebuilding ? 'rebuilding' : 'running',
        ...(failure ? { failure } : {}),
        skipped,
        ...(rebuiltBecause ? { rebuiltBecause } : {}),
      };
    });
  }

  /** A projection's failure, rebuild and skipped events: this runner's own, or, as a follower, what the holder on another thread reported. */
  private stateOf(state: Running): { failure?: ProjectionFailure; rebuilding: boolean; rebuiltBecause?: SourceMismatch; skipped: readonly SkippedEvent[] } {
    const holder = this.reportedByHolder(state);
    const failure = state.failure ? publicFailure(state.failure) : holder?.failure;
    if (holder) return { ...(failure ? { failure } : {}), rebuilding: holder.state === 'rebuilding', ...(holder.rebuiltBecause ? { rebuiltBecause: holder.rebuiltBecause } : {}), skipped: holder.skipped };
    return {
      ...(failure ? { failure } : {}),
      rebuilding: state.rebuilding,
      ...(state.rebuiltBecause ? { rebuiltBecause: state.rebuiltBecause } : {}),
      skipped: [...state.skipped, ...state.newlySkipped],
    };
  }

  private reportedByHolder(state: Running): HolderProjectionState | undefined {
    if (this.role !== 'follower') return undefined;
    // The holder on another thread of this process reports itself; another process publishes in the file.
    return this.holderStatuses !== undefined ? this.holderStatuses.get(state.id) : this.storedHolder?.statuses.get(state.id);
  }

  private async follow(): Promise<void> {
    while (!this.stopping) {
      try {
        if (this.headAtStart === undefined) await this.learnHead();
        // After a failure, the store must answer again before the log is followed again.
        else if (this.followFailure) await this.store.headPosition();
        await this.verifySources(undefined);
        this.followFailure = undefined;
        if (this.active().length === 0) {
          await this.pause();
          continue;
        }
        await this.followOnce();
      } catch (error) {
        if (this.stopping) return;
        // Another runner moved a checkpoint: start again from what is committed.
        if (error instanceof ProjectionConflictError) this.reload();
        else if (error instanceof UnreadableEventError && this.active().some((state) => state.position < error.event.position)) this.skip(error.event);
        else {
          this.followFailed(error);
          await this.pause();
        }
      }
    }
  }

  /** One subscription from the lowest position of the running projections, until it ends (unsubscribed to start again) or fails. */
  private async followOnce(): Promise<void> {
    const subscription = this.store.subscribeToAll({ after: this.lowestPosition() });
    this.subscription = subscription;
    try {
      for await (const event of subscription) {
        this.apply([await this.handOver(event)]);
        if (this.headAtStart !== undefined && event.position >= this.headAtStart) this.markCaughtUp(event.position);
        if (this.pendingCount() >= this.batchSize) this.flush();
        // Every projection stopped: nothing to follow the log for until one resumes.
        if (this.active().length === 0) break;
      }
    } finally {
      if (this.subscription === subscription) this.subscription = undefined;
      await subscription.unsubscribe();
    }
  }

  /**
   * A stored event as projections get it: upcast by the domain to its current version. One that
   * cannot be upcast stops the projections that read its type (they try again later); the others
   * only move past it.
   */
  private handOver(event: StoredEvent): StoredEvent | Promise<StoredEvent> {
    // An event already at its current version (nearly all of them) is handed over as it is, without a promise.
    try {
      const current = upcast(event, this.store);
      return current instanceof Promise ? current.catch((error: unknown) => this.notConverted(event, error)) : current;
    } catch (error) {
      return this.notConverted(event, error);
    }
  }

  private notConverted(event: StoredEvent, error: unknown): StoredEvent {
    const failure = new EventNotApplied(event, 'converti à sa version actuelle', error);
    for (const state of this.active()) if (state.position < event.position && state.handles.has(event.type)) this.fail(state, failure);
    return event;
  }

  /**
   * Applies events, in log order, to every running projection still behind them. Each projection
   * reads the committed documents its events change in one go, then folds the events over them;
   * one that fails stops, back at its last commit.
   */
  private apply(events: readonly StoredEvent[]): void {
    if (!this.mayApply()) return;
    this.appliedSinceFlush += events.length;
    for (const state of this.running) {
      if (state.failure || !state.verified) continue;
      let first = 0;
      while (first < events.length && events[first]!.position <= state.position) first++;
      if (first === events.length) continue;
      try {
        state.position = events[events.length - 1]!.position;
        state.lastEvent = eventFingerprint(events[events.length - 1]!);
        const handled: StoredEvent[] = [];
        const keys: (readonly string[])[] = [];
        const toRead = new Set<string>();
        const { pending, written, resident, changedAgain, handles, projection } = state;
        for (let index = first; index < events.length; index++) {
          const event = events[index]!;
          if (!handles.has(event.type)) continue;
          let eventKeys: readonly string[];
          try {
            eventKeys = projection.keysOf(event);
          } catch (error) {
            throw new EventNotApplied(event, 'appliqué', error);
          }
          handled.push(event);
          keys.push(eventKeys);
          for (const key of eventKeys) if (!pending.has(key) && (written === undefined || (written.mayHave(key) && resident?.has(key) !== true))) toRead.add(key);
        }
        const committed = toRead.size === 0 ? NOTHING_READ : this.storage.documents(state.id, [...toRead]);
        for (let index = 0; index < handled.length; index++) {
          const event = handled[index]!;
          for (const key of keys[index]!) {
            let current: unknown | null;
            let from: 'pending' | 'resident' | 'storage';
            if (pending.has(key)) {
              current = pending.get(key)!;
              from = 'pending';
            } else if (resident !== undefined && resident.has(key)) {
              current = resident.get(key)!;
              from = 'resident';
            } else {
              current = committed.get(key) ?? null;
              from = 'storage';
            }
            let next: unknown | null;
            try {
              next = projection.evolve(current, event, key);
            } catch (error) {
              throw new EventNotApplied(event, 'appliqué', error);
            }
            // Unchanged (an actor's document at each of their events, a name seen again): nothing to write.
            if (next === current && from !== 'pending') continue;
            if (from === 'pending') changedAgain.add(key);
            else if (from === 'resident') resident!.delete(key);
            pending.set(key, next);
          }
        }
      } catch (error) {
        this.fail(state, error);
      }
    }
  }

  /** Passes over an event the store cannot decode: each running projection still behind it moves past it, recording it if it reads its type. */
  private skip(event: UnreadableEvent): void {
    if (!this.mayApply()) return;
    for (const state of this.active()) {
      if (state.position >= event.position) continue;
      if (event.type === undefined || state.handles.has(event.type)) state.newlySkipped.push(toSkipped(event));
      state.position = event.position;
      state.lastEvent = eventFingerprint(event);
    }
    if (this.headAtStart !== undefined && event.position >= this.headAtStart) this.markCaughtUp(event.position);
  }

  private flushQuietly(): void {
    try {
      this.flush();
    } catch (error) {
      if (error instanceof ProjectionConflictError) {
        // Another runner moved a checkpoint: start again from what is committed.
        this.reload();
        void this.subscription?.unsubscribe();
        return;
      }
      // A timer must never throw: whatever went wrong stops the projections, which try again later.
      for (const state of this.active()) this.fail(state, error);
    }
  }

  /** Commits what the running projections applied; a failed commit stops them (throws only a conflict with another runner). */
  private flush(): void {
    if (!this.mayApply()) return;
    const changed = this.active().filter((state) => state.position !== state.committed || state.pending.size > 0 || state.newlySkipped.length > 0);
    if (changed.length === 0) return;
    // What the batch left untouched of the resident documents is not needed by the commit: dropped
    // before it rather than after, so that it does not add to the memory the commit takes.
    for (const state of changed) state.resident = undefined;
    try {
      this.storage.commit(
        changed.map((state) => ({
          id: state.id,
          expectedPosition: state.committed,
          position: state.position,
          caughtUp: state.caughtUp,
          ...(this.storeIdentity === undefined ? {} : { source: { storeId: this.storeIdentity, lastEvent: state.position === 0n ? undefined : state.lastEvent } }),
          docs: state.pending,
          ...(state.newlySkipped.length > 0 ? { skipped: state.newlySkipped } : {}),
          ...(state.written !== undefined ? { building: true } : {}),
        })),
        this.fence(),
      );
    } catch (error) {
      if (error instanceof ProjectionConflictError) throw error;
      if (error instanceof ProjectionLeaseLostError) {
        void this.demote(error.message);
        return;
      }
      for (const state of changed) this.fail(state, error);
      return;
    }
    let skippedMore = false;
    for (const state of changed) {
      state.committed = state.position;
      state.committedLastEvent = state.lastEvent;
      if (this.storeIdentity !== undefined) state.storedStoreId = this.storeIdentity;
      if (state.written !== undefined) {
        state.resident = new Map();
        for (const [key, doc] of state.pending) {
          if (doc === null) continue;
          state.written.add(key);
          if (state.changedAgain.has(key)) state.resident.set(key, doc);
        }
      }
      // Caught up, it follows the log a few events at a time: storage answers the few keys it needs.
      if (state.caughtUp) {
        state.written = undefined;
        state.resident = undefined;
        state.rebuilding = false;
      }
      state.pending.clear();
      state.changedAgain.clear();
      state.attempts = 0;
      state.failingSince = undefined;
      if (state.newlySkipped.length > 0) {
        state.skipped.push(...state.newlySkipped);
        state.newlySkipped = [];
        this.lookForRepairsSoon(state);
        skippedMore = true;
      }
    }
    this.appliedSinceFlush = 0;
    for (const waiter of [...this.waiters]) if (this.reached(waiter.position, waiter.ids)) waiter.resolve(true);
    if (skippedMore) this.scheduleRetry();
    // Following the log: the snapshots due are built in the background.
    if (this.loop) this.timeTravel?.nudge(changed[0]!.committed);
  }

  /** Stops a projection at its last commit; it tries again after a delay that doubles with each failure in a row. */
  private fail(state: Running, error: unknown): void {
    state.attempts += 1;
    state.failure = this.failure(describeFailure(error), state.attempts, state.failingSince);
    state.failingSince = state.failure.since;
    // What was applied since the last commit is applied again once it resumes.
    state.position = state.committed;
    state.lastEvent = state.committedLastEvent;
    state.pending.clear();
    state.changedAgain.clear();
    state.resident = undefined;
    state.newlySkipped = [];
    for (const waiter of [...this.waiters]) if (waiter.ids.includes(state.id)) waiter.resolve(false);
    this.scheduleRetry();
  }

  private followFailed(error: unknown): void {
    const attempts = (this.followFailure?.attempts ?? 0) + 1;
    this.followFailure = this.failure(`le journal ne peut pas être suivi : ${describeFailure(error)}`, attempts, this.followFailure?.since);
    this.scheduleRetry();
  }

  private failure(reason: string, attempts: number, since: string | undefined): Failure {
    const now = Date.now();
    const retryAt = now + this.backOff(attempts);
    return { reason, since: since ?? new Date(now).toISOString(), attempts, nextRetryAt: new Date(retryAt).toISOString(), retryAt };
  }

  private backOff(attempts: number): number {
    return Math.min(this.retryDelayMs.max, this.retryDelayMs.first * 2 ** Math.min(attempts - 1, 30));
  }

  /** Sets the timer for the earliest attempt due (a stopped projection, the log, a look for repaired events); only while following the log. */
  private scheduleRetry(): void {
    if (!this.loop || this.stopping) return;
    const due = [
      ...this.running.flatMap((state) => (state.failure ? [state.failure.retryAt] : state.skipped.length > 0 ? [state.repairCheckAt] : [])),
      ...(this.followFailure ? [this.followFailure.retryAt] : []),
    ];
    if (due.length === 0) return;
    const at = Math.min(...due);
    if (this.retryTimer && this.retryDueAt <= at) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryDueAt = at;
    this.retryTimer = setTimeout(() => this.retry(), Math.max(0, at - Date.now()));
    this.retryTimer.unref();
  }

  private retry(): void {
    this.retryTimer = undefined;
    this.retryDueAt = Number.POSITIVE_INFINITY;
    if (this.stopping) return;
    const now = Date.now();
    let resumed = false;
    for (const state of this.running) {
      if (!state.failure || state.failure.retryAt > now) continue;
      // Back to what storage holds; failing again there keeps it stopped, with a longer delay.
      this.reloadState(state, true);
      if (state.failure) continue;
      // Reading works on a full or read-only disk: it serves again only once storage takes a write
      // (its checkpoint, unchanged), so that no query is answered while the cause is still there.
      try {
        this.storage.commit([{ id: state.id, expectedPosition: state.committed, position: state.committed, caughtUp: state.caughtUp, docs: new Map() }], this.fence());
      } catch (error) {
        if (error instanceof ProjectionLeaseLostError) {
          void this.demote(error.message);
          return;
        }
        if (!(error instanceof ProjectionConflictError)) {
          this.fail(state, error);
          continue;
        }
        this.reloadState(state, false);
      }
      resumed = true;
    }
    // Resumed projections are behind the others: the log is followed again from the lowest position.
    if (resumed) void this.subscription?.unsubscribe();
    if (resumed || (this.followFailure && this.followFailure.retryAt <= now)) this.wakeLoop?.();
    void this.lookForRepairs(now);
    this.scheduleRetry();
  }

  /**
   * A projection that skipped unreadable events looks, with the same back-off, whether they can be
   * read now (the row was repaired); when all of them can, it is rebuilt from the first event, and
   * answers no query until it has caught up.
   */
  private async lookForRepairs(now: number): Promise<void> {
    if (this.checkingRepairs) return;
    this.checkingRepairs = true;
    try {
      for (const state of this.running) {
        if (state.failure || state.skipped.length === 0 || state.repairCheckAt > now) continue;
        state.repairChecks += 1;
        state.repairCheckAt = now + this.backOff(state.repairChecks + 1);
        if (!(await this.allReadable(state.skipped)) || this.stopping || state.failure) continue;
        try {
          this.storage.reset(state.id, this.fence());
        } catch (error) {
          if (error instanceof ProjectionLeaseLostError) return void this.demote(error.message);
          this.fail(state, error);
          continue;
        }
        this.resetState(state, undefined, []);
        state.rebuilding = true;
        void this.subscription?.unsubscribe();
        this.wakeLoop?.();
      }
    } finally {
      this.checkingRepairs = false;
      this.scheduleRetry();
    }
  }

  private async allReadable(skipped: readonly SkippedEvent[]): Promise<boolean> {
    for (const event of skipped) {
      try {
        let found = false;
        for await (const stored of this.store.readStream(event.streamId, { fromRevision: event.revision, maxCount: 1 })) found = stored.revision === event.revision;
        if (!found) return false;
      } catch {
        return false;
      }
    }
    return true;
  }

  private lookForRepairsSoon(state: Running): void {
    state.repairChecks = 0;
    state.repairCheckAt = Date.now() + this.retryDelayMs.first;
  }

  /** Waits until a retry or `stop()` wakes the loop. */
  private pause(): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      this.wakeLoop = () => {
        this.wakeLoop = undefined;
        resolve();
      };
    });
  }

  /** Called with each read model found not to come from the store read, as it is set to be rebuilt. */
  onSourceMismatch(listener: (mismatch: SourceMismatch) => void): () => void {
    this.mismatchListeners.add(listener);
    return () => this.mismatchListeners.delete(listener);
  }

  /**
   * Checks each checkpoint loaded from storage against the store: the store it names, and the
   * event at its position (see {@link SourceMismatch}). One that does not hold is forgotten
   * (documents, checkpoint, skipped events) and rebuilt from the first event; it answers no query
   * until it has caught up. Throws when the store does not answer (checked again later).
   */
  private async verifySources(knownHead: bigint | undefined): Promise<void> {
    this.storeIdentity ??= await this.store.storeId();
    const unverified = this.running.filter((state) => !state.failure && !state.verified);
    if (unverified.length === 0) return;
    const head = knownHead ?? (await this.store.headPosition());
    const events = new Map<bigint, Promise<StoredEvent | UnreadableEvent | undefined>>();
    const eventAt = (position: bigint) => {
      if (!events.has(position)) events.set(position, this.store.eventAt(position));
      return events.get(position)!;
    };
    let rebuilt = false;
    for (const state of unverified) {
      const mismatch = await this.mismatchOf(state, this.storeIdentity, head, eventAt);
      if (state.failure || state.verified) continue;
      if (mismatch === undefined) {
        state.verified = true;
        continue;
      }
      try {
        this.storage.reset(state.id, this.fence());
      } catch (error) {
        if (error instanceof ProjectionLeaseLostError) {
          void this.demote(error.message);
          return;
        }
        this.fail(state, error);
        continue;
      }
      this.resetState(state, undefined, []);
      state.rebuilding = true;
      state.rebuiltBecause = mismatch;
      rebuilt = true;
      for (const listener of this.mismatchListeners) listener(mismatch);
    }
    if (rebuilt) void this.subscription?.unsubscribe();
  }

  private async mismatchOf(
    state: Running,
    storeId: string,
    head: bigint,
    eventAt: (position: bigint) => Promise<StoredEvent | UnreadableEvent | undefined>,
  ): Promise<SourceMismatch | undefined> {
    const position = state.committed;
    const rebuilt = 'elle est reconstruite depuis le premier événement de ce magasin, et ne sert aucune requête d’ici là';
    const mismatch = (code: SourceMismatch['code'], why: string): SourceMismatch => ({ id: state.id, code, reason: `${why} : ${rebuilt}` });
    if (state.storedStoreId === undefined) {
      if (position === 0n) return undefined;
      return mismatch('READ_MODEL.STORE_UNKNOWN', `le point de reprise de ${state.id} (position ${position}) ne dit pas de quel magasin d’événements il vient (écrit par une version antérieure de Jalon)`);
    }
    if (state.storedStoreId !== storeId) {
      return mismatch(
        'READ_MODEL.OTHER_STORE',
        `le modèle de lecture ${state.id} a été construit à partir d’un autre magasin d’événements (${state.storedStoreId}) que celui-ci (${storeId}) : ` +
          'fichier read-models.sqlite gardé après un migrate ou un import, ou copié d’une autre installation',
      );
    }
    if (position === 0n) return undefined;
    const event = await eventAt(position);
    if (event === undefined && position > head) {
      return mismatch(
        'READ_MODEL.HISTORY_SHORTER',
        `le magasin d’événements s’arrête à la position ${head}, avant le point de reprise de ${state.id} (position ${position}) : ` +
          'historique plus court que celui qui a été lu (magasin restauré d’une sauvegarde plus ancienne ?)',
      );
    }
    if (event === undefined) {
      return mismatch('READ_MODEL.HISTORY_CHANGED', `aucun événement de ce magasin ne commence à la position ${position}, où s’est arrêté ${state.id} : l’historique a changé`);
    }
    if (state.lastEvent !== undefined && eventFingerprint(event) !== state.lastEvent) {
      return mismatch(
        'READ_MODEL.HISTORY_CHANGED',
        `l’événement à la position ${position} n’est plus celui que ${state.id} a appliqué en dernier (${state.lastEvent}, aujourd’hui ${eventFingerprint(event)}) : ` +
          'historique remplacé (magasin restauré d’une sauvegarde plus ancienne puis écrit de nouveau ?)',
      );
    }
    return undefined;
  }

  private async learnHead(): Promise<void> {
    const head = await this.store.headPosition();
    this.headAtStart = head;
    this.markCaughtUp(head);
  }

  private markCaughtUp(position: bigint): void {
    for (const state of this.running) if (!state.caughtUp && state.position >= position) state.caughtUp = true;
  }

  /** Back to what is committed (at start, and after another runner moved a checkpoint); stopped projections wait for their retry. */
  private reload(): void {
    for (const state of this.running) if (!state.failure) this.reloadState(state, false);
    this.appliedSinceFlush = 0;
  }

  private reloadState(state: Running, retrying: boolean): void {
    let stored: StoredCheckpoint | undefined;
    let skipped: SkippedEvent[];
    try {
      stored = this.storage.checkpoint(state.id);
      skipped = this.storage.skipped(state.id);
    } catch (error) {
      this.fail(state, error);
      return;
    }
    if (retrying) state.failure = undefined;
    this.resetState(state, stored, skipped);
  }

  private resetState(state: Running, stored: StoredCheckpoint | undefined, skipped: SkippedEvent[]): void {
    state.committed = stored?.position ?? 0n;
    state.position = state.committed;
    state.lastEvent = stored?.lastEvent;
    state.committedLastEvent = state.lastEvent;
    state.storedStoreId = stored?.storeId;
    // Nothing stored: nothing to check. Otherwise it waits for `verifySources`.
    state.verified = stored === undefined;
    state.caughtUp = stored?.caughtUp ?? false;
    state.pending.clear();
    state.changedAgain.clear();
    state.written = stored === undefined ? new WrittenKeys() : undefined;
    state.resident = undefined;
    state.skipped = skipped;
    state.newlySkipped = [];
    state.rebuilding = false;
    if (skipped.length > 0) this.lookForRepairsSoon(state);
  }

  private reached(position: bigint, ids: readonly string[]): boolean {
    return this.running.filter((state) => ids.includes(state.id)).every((state) => state.committed >= position);
  }

  /** Running projections that apply events: neither stopped nor waiting for their checkpoint to be checked against the store. */
  private active(): Running[] {
    if (this.role === 'follower') return [];
    return this.running.filter((state) => state.failure === undefined && state.verified);
  }

  private lowestPosition(): bigint {
    const active = this.active();
    return active.reduce((lowest, state) => (state.position < lowest ? state.position : lowest), active[0]?.position ?? 0n);
  }

  private pendingCount(): number {
    return Math.max(this.appliedSinceFlush, this.running.reduce((count, state) => count + state.pending.size, 0));
  }

  /** For each name, the highest version that has caught up, or else the lowest version (still building). */
  private servingStates(names?: readonly string[]): Running[] {
    this.refresh(false);
    const byName = new Map<string, Running[]>();
    for (const state of this.running) {
      if (names && !names.includes(state.projection.name)) continue;
      byName.set(state.projection.name, [...(byName.get(state.projection.name) ?? []), state]);
    }
    return [...byName.values()].map((versions) => {
      const ready = versions.filter((v) => v.caughtUp).sort((a, b) => b.projection.version - a.projection.version);
      return ready[0] ?? versions.sort((a, b) => a.projection.version - b.projection.version)[0]!;
    });
  }
}

/** An event a projection's `keysOf`, `evolve` or the upcasting threw on: names it. */
class EventNotApplied extends Error {
  constructor(event: StoredEvent, what: string, cause: unknown) {
    super(`l’événement ${event.type} du flux ${event.streamId} en révision ${event.revision} (position ${event.position}) n’a pas pu être ${what} : ${describeFailure(cause)}`);
    this.name = 'EventNotApplied';
  }
}

function describeFailure(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function publicFailure({ reason, since, attempts, nextRetryAt }: Failure): ProjectionFailure {
  return { reason, since, attempts, nextRetryAt };
}


function toSkipped(event: UnreadableEvent): SkippedEvent {
  return { streamId: event.streamId, revision: event.revision, position: event.position, ...(event.type === undefined ? {} : { type: event.type }), reason: event.reason };
}
