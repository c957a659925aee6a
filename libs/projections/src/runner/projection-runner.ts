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
  /** How many committed documents are kept in memory between commits. */
  readonly cachedDocuments?: number;
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
  /**
   * Documents as last committed, so that applying an event rarely reads storage. This runner is
   * the only writer of what it caches: a conflict with another runner clears it (see reload).
   */
  private readonly committedDocs = new Map<string, unknown | null>();
  private readonly cacheLimit: number;

  constructor(
    private readonly store: EventStore,
    private readonly storage: ProjectionStorage,
    projections: readonly Projection[],
    options: ProjectionRunnerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 1000;
    this.flushIntervalMs = options.flushIntervalMs ?? 20;
    this.cacheLimit = options.cachedDocuments ?? 100_000;
    this.running = projections.map((projection) => ({
      projection,
      id: projectionId(projection),
      handles: new Set(projection.handles),
      committed: 0n,
      position: 0n,
      caughtUp: false,
      pending: new Map(),
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
        for await (const event of this.store.readAll({ after: this.lowestPosition() })) {
          this.apply(event);
          events++;
          if (this.pendingCount() >= this.batchSize) this.flush();
          if (event.position >= head) break;
        }
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
          this.apply(event);
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

  private apply(event: StoredEvent): void {
    this.appliedSinceFlush++;
    for (const state of this.running) {
      if (event.position <= state.position) continue;
      state.position = event.position;
      if (!state.handles.has(event.type)) continue;
      for (const key of state.projection.keysOf(event)) {
        const current = state.pending.has(key) ? state.pending.get(key)! : this.committedDoc(state.id, key);
        state.pending.set(key, state.projection.evolve(current, event, key));
      }
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
    if (this.committedDocs.size > this.cacheLimit) this.committedDocs.clear();
    for (const state of changed) {
      state.committed = state.position;
      for (const [key, doc] of state.pending) this.committedDocs.set(`${state.id}\u0000${key}`, doc);
      state.pending.clear();
    }
    this.appliedSinceFlush = 0;
    for (const waiter of [...this.waiters]) if (this.reached(waiter.position, waiter.ids)) waiter.resolve(true);
  }

  private markCaughtUp(position: bigint): void {
    for (const state of this.running) if (!state.caughtUp && state.position >= position) state.caughtUp = true;
  }

  private committedDoc(id: string, key: string): unknown | null {
    const cacheKey = `${id}\u0000${key}`;
    if (this.committedDocs.has(cacheKey)) return this.committedDocs.get(cacheKey)!;
    const doc = this.storage.view(id).get(key) ?? null;
    this.committedDocs.set(cacheKey, doc);
    return doc;
  }

  /** Back to what is committed (at start, and after another runner moved a checkpoint). */
  private reload(): void {
    this.committedDocs.clear();
    for (const state of this.running) {
      const stored = this.storage.checkpoint(state.id);
      state.committed = stored?.position ?? 0n;
      state.position = state.committed;
      state.caughtUp = stored?.caughtUp ?? false;
      state.pending.clear();
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
