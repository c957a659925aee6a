import { EventStore, StoredEvent } from '@jalon/event-store';
import { Projection, projectionId, ReadModelView } from '../projection';
import { ProjectionConflictError, ProjectionStorage } from '../storage/projection-storage.port';

export interface ProjectionStatus {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly position: string;
  readonly caughtUp: boolean;
  /** Whether queries of this projection's name are answered from this version. */
  readonly serving: boolean;
}

export interface ProjectionRunnerOptions {
  /** Events applied (or documents changed) before a commit is forced. */
  readonly batchSize?: number;
  /** Longest time an applied event waits to be committed. */
  readonly flushIntervalMs?: number;
}

/**
 * Events applied (or documents changed) per commit. Catching up, each commit rewrites every
 * document changed since the last one (with a thousand antennas, nearly all of them), whatever
 * the number of events: the more events per commit, the fewer rewrites per event.
 */
const DEFAULT_BATCH_SIZE = 50_000;
/** Catching up, events applied together: the documents they change are read from storage in one go. */
const PAGE_SIZE = 1_000;

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
   * event to any other key asks storage nothing (a rebuild creates most of its documents).
   */
  written: Set<string> | undefined;
}

/**
 * Feeds projections from the store's global log, strictly in order, and commits each
 * projection's changed documents together with its checkpoint. After a crash or a restart, each
 * projection resumes right after the last event whose effects were committed: no event is applied
 * twice or skipped. A new version of a projection is built beside the old one, which keeps
 * serving queries until the new one has reached the head of the log.
 */
export class ProjectionRunner {
  private readonly running: Running[];
  private readonly waiters = new Set<{ position: bigint; ids: readonly string[]; resolve: (ok: boolean) => void }>();
  private loop: Promise<void> | undefined;
  private stopping = false;
  private unsubscribe: (() => Promise<void>) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private headAtStart = 0n;
  private appliedSinceFlush = 0;

  constructor(
    private readonly store: EventStore,
    private readonly storage: ProjectionStorage,
    projections: readonly Projection[],
    options: ProjectionRunnerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.flushIntervalMs = options.flushIntervalMs ?? 20;
    this.running = projections.map((projection) => ({
      projection,
      id: projectionId(projection),
      handles: new Set(projection.handles),
      committed: 0n,
      position: 0n,
      caughtUp: false,
      pending: new Map(),
      written: undefined,
    }));
    this.reload();
  }

  /** Starts following the log in the background (catch up, then live). */
  async start(): Promise<void> {
    if (this.loop) return;
    this.stopping = false;
    this.headAtStart = await this.store.headPosition();
    this.markCaughtUp(this.headAtStart);
    this.timer = setInterval(() => this.flushQuietly(), this.flushIntervalMs);
    this.timer.unref();
    this.loop = this.follow();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.unsubscribe?.();
    await this.loop;
    this.loop = undefined;
    this.flush();
    for (const waiter of this.waiters) waiter.resolve(false);
    this.waiters.clear();
  }

  /** Applies every event up to the current head and commits (for the CLI and tests; no live following). */
  async catchUp(): Promise<{ events: number }> {
    const head = await this.store.headPosition();
    let events = 0;
    for (;;) {
      try {
        const page: StoredEvent[] = [];
        const pageSize = Math.min(PAGE_SIZE, this.batchSize);
        for await (const event of this.store.readAll({ after: this.lowestPosition() })) {
          page.push(event);
          if (page.length < pageSize && event.position < head) continue;
          events += page.length;
          this.apply(page.splice(0));
          if (event.position >= head) break;
          if (this.pendingCount() >= this.batchSize) this.flush();
        }
        events += page.length;
        this.apply(page);
        for (const state of this.running) if (state.position < head) state.position = head;
        this.markCaughtUp(head);
        this.flush();
        return { events };
      } catch (error) {
        if (!(error instanceof ProjectionConflictError)) throw error;
        this.reload();
      }
    }
  }

  /** Forgets every projection's documents and checkpoint, then rebuilds them from the first event. */
  async rebuild(): Promise<{ events: number; seconds: number }> {
    const started = process.hrtime.bigint();
    for (const state of this.running) this.storage.reset(state.id);
    this.reload();
    const { events } = await this.catchUp();
    return { events, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
  }

  /** Resolves true once the serving versions of `names` (all by default) have committed `position`, false after `timeoutMs`. */
  waitForPosition(position: bigint, timeoutMs: number, names?: readonly string[]): Promise<boolean> {
    const ids = this.servingStates(names).map((state) => state.id);
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
    return `${state.id}:${this.storage.checkpoint(state.id)?.position ?? 0n}`;
  }

  status(): ProjectionStatus[] {
    const serving = new Set(this.servingStates().map((state) => state.id));
    return this.running.map((state) => ({
      id: state.id,
      name: state.projection.name,
      version: state.projection.version,
      position: state.committed.toString(),
      caughtUp: state.caughtUp,
      serving: serving.has(state.id),
    }));
  }

  private async follow(): Promise<void> {
    while (!this.stopping) {
      const subscription = this.store.subscribeToAll({ after: this.lowestPosition() });
      this.unsubscribe = () => subscription.unsubscribe();
      try {
        for await (const event of subscription) {
          this.apply([event]);
          if (event.position >= this.headAtStart) this.markCaughtUp(event.position);
          if (this.pendingCount() >= this.batchSize) this.flush();
        }
      } catch (error) {
        if (this.stopping) return;
        // Another runner moved a checkpoint: start again from what is committed.
        if (error instanceof ProjectionConflictError) this.reload();
        else throw error;
      } finally {
        await subscription.unsubscribe();
      }
    }
  }

  /**
   * Applies events, in log order, to every projection still behind them. Each projection reads the
   * committed documents its events change in one go, then folds the events over them.
   */
  private apply(events: readonly StoredEvent[]): void {
    this.appliedSinceFlush += events.length;
    for (const state of this.running) {
      let first = 0;
      while (first < events.length && events[first]!.position <= state.position) first++;
      if (first === events.length) continue;
      state.position = events[events.length - 1]!.position;
      const handled: StoredEvent[] = [];
      const keys: (readonly string[])[] = [];
      const toRead = new Set<string>();
      for (const event of events.slice(first)) {
        if (!state.handles.has(event.type)) continue;
        const eventKeys = state.projection.keysOf(event);
        handled.push(event);
        keys.push(eventKeys);
        for (const key of eventKeys) if (!state.pending.has(key) && (state.written === undefined || state.written.has(key))) toRead.add(key);
      }
      const committed = this.storage.documents(state.id, [...toRead]);
      handled.forEach((event, index) => {
        for (const key of keys[index]!) {
          const current = state.pending.has(key) ? state.pending.get(key)! : (committed.get(key) ?? null);
          state.pending.set(key, state.projection.evolve(current, event, key));
        }
      });
    }
  }

  private flushQuietly(): void {
    try {
      this.flush();
    } catch (error) {
      if (!(error instanceof ProjectionConflictError)) throw error;
      // Another runner moved a checkpoint: start again from what is committed.
      this.reload();
      void this.unsubscribe?.();
    }
  }

  private flush(): void {
    const changed = this.running.filter((state) => state.position !== state.committed || state.pending.size > 0);
    if (changed.length === 0) return;
    this.storage.commit(
      changed.map((state) => ({ id: state.id, expectedPosition: state.committed, position: state.position, caughtUp: state.caughtUp, docs: state.pending })),
    );
    for (const state of changed) {
      state.committed = state.position;
      if (state.written !== undefined) for (const [key, doc] of state.pending) if (doc !== null) state.written.add(key);
      // Caught up, it follows the log a few events at a time: storage answers the few keys it needs.
      if (state.caughtUp) state.written = undefined;
      state.pending.clear();
    }
    this.appliedSinceFlush = 0;
    for (const waiter of [...this.waiters]) if (this.reached(waiter.position, waiter.ids)) waiter.resolve(true);
  }

  private markCaughtUp(position: bigint): void {
    for (const state of this.running) if (!state.caughtUp && state.position >= position) state.caughtUp = true;
  }

  /** Back to what is committed (at start, and after another runner moved a checkpoint). */
  private reload(): void {
    for (const state of this.running) {
      const stored = this.storage.checkpoint(state.id);
      state.committed = stored?.position ?? 0n;
      state.position = state.committed;
      state.caughtUp = stored?.caughtUp ?? false;
      state.pending.clear();
      state.written = stored === undefined ? new Set() : undefined;
    }
    this.appliedSinceFlush = 0;
  }

  private reached(position: bigint, ids: readonly string[]): boolean {
    return this.running.filter((state) => ids.includes(state.id)).every((state) => state.committed >= position);
  }

  private lowestPosition(): bigint {
    return this.running.reduce((lowest, state) => (state.position < lowest ? state.position : lowest), this.running[0]?.position ?? 0n);
  }

  private pendingCount(): number {
    return Math.max(this.appliedSinceFlush, this.running.reduce((count, state) => count + state.pending.size, 0));
  }

  /** For each name, the highest version that has caught up, or else the lowest version (still building). */
  private servingStates(names?: readonly string[]): Running[] {
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
