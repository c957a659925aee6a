import { isAfter, upcast } from '@jalon/domain';
import { EventStore, StoredEvent } from '@jalon/event-store';
import { Projection, projectionId, ReadModelView } from '../projection';
import { BUDGET_PROGRAMME_KEY, budgetAntennaKey, budgetProjection } from '../read-models/budget/budget.projection';
import { FUNDING_KEY_PREFIX, fundingProjection } from '../read-models/funding/funding.projection';
import { KPIS_KEY, KPIS_PROJECTION_NAME } from '../read-models/kpis/kpis.projection';
import { antennaKey, PHASES_PROJECTION_NAME, programmeKey } from '../read-models/phases/phases.projection';
import { cutFilter, cutHolds, EventCut } from '../runner/event-cut';
import { eventFingerprint } from '../runner/event-fingerprint';
import { InMemoryReadModel } from '../runner/in-memory-read-model';
import { ReadModels } from '../runner/replay';
import { SnapshotDocsEncoder, SnapshotMeta, SnapshotUnreadableError, TimeTravelSnapshotStore } from './snapshot-store';

/**
 * Whole-programme time travel from snapshots (docs/decisions/0028, amending 0024).
 *
 * A snapshot at log position P holds, for each projection below, the documents its programme
 * reports read, as they stand after EVERY event up to P (not only those inside some cut), with
 * what it takes to know which cuts it serves: the latest effective date and recorded instant of
 * those events, and the earliest of the events since the previous snapshot (its segment). Since
 * `evolve` is per key, documents depend only on the events whose keys name them, in log order; so:
 * - a snapshot none of whose events is outside the cut (its latest effective date not after
 *   `asOf`, its latest instant not after `knownAt`) holds exactly the fold of the events up to P
 *   inside the cut;
 * - the events after P inside the cut are folded on it in log order: a segment whose earliest
 *   event is outside the cut (effective date after `asOf`, or instant after `knownAt`) holds none,
 *   and is not read; the events after the last snapshot (the open tail) are always read.
 * The result equals a replay of the whole log to the cut, for the kept documents, whatever the
 * order of effective dates and instants in the log (tested on a history with effective dates out
 * of log order). A cut reads the events of the segments it cannot rule out, not the log.
 *
 * Documents kept, per projection: those its programme reports read (checked against each report
 * builder by the equality test; a read of any other document is refused with
 * {@link SnapshotKeyNotKeptError}, and the report is then built from a full replay).
 */
export const SNAPSHOT_KEPT_PREFIXES: Readonly<Record<string, readonly string[]>> = {
  // Not the per-expenditure documents (`expenditure:…`, most of the budget's documents), which no programme report reads.
  [budgetProjection.name]: [budgetAntennaKey(''), BUDGET_PROGRAMME_KEY],
  [fundingProjection.name]: [FUNDING_KEY_PREFIX],
  [PHASES_PROJECTION_NAME]: [antennaKey(''), programmeKey('')],
  [KPIS_PROJECTION_NAME]: [KPIS_KEY],
};

/** Events of the snapshots' types between two snapshots, by default: a cut reads at most about this many beyond the segments it cannot rule out. */
export const DEFAULT_SNAPSHOT_EVERY_EVENTS = 5_000;

/**
 * Between two snapshots, marks: the same figures, so that a cut skips the part of a segment outside
 * it (a known-at cut decodes every event it reads: the store cannot filter by instant), and the
 * documents changed since the mark or snapshot before, so that a cut starts from the last mark it
 * holds whole rather than from the snapshot: it folds at most about a mark's events, not a snapshot's.
 */
const MARKS_PER_SNAPSHOT = 10;
/** Snapshots' documents kept decoded (per projection). */
const DECODED_KEPT = 4;
/** Marks' changes kept decoded (all projections): a cut adds at most a snapshot's marks' worth (MARKS_PER_SNAPSHOT). */
const CHANGES_KEPT = 16;

/** A report asked a snapshot-built read model for a document that snapshots do not keep: built from a full replay instead. */
export class SnapshotKeyNotKeptError extends Error {
  constructor(projection: string, key: string) {
    super(`the time-travel snapshots of ${projection} do not keep ${key}`);
    this.name = 'SnapshotKeyNotKeptError';
  }
}

export interface TimeTravelSnapshotOptions {
  /** Events of the snapshots' types between two snapshots. */
  readonly everyEvents?: number;
  /** Whether this process may write snapshots (no lease, or the holder of the projection lease). */
  readonly mayBuild?: () => boolean;
}

/** For `/health` (`timeTravel`): the snapshots kept, and the last fault (a snapshot found unreadable, a build that failed) until it is mended. */
export interface TimeTravelStatus {
  readonly snapshots: number;
  /** Figures without documents between them (see MARKS_PER_SNAPSHOT). */
  readonly marks: number;
  /** Position of the last snapshot (null: none yet). */
  readonly lastPosition: string | null;
  readonly everyEvents: number;
  readonly building: boolean;
  /** The last fault; `mendedAt` once snapshots were built past it again (then no longer a fault of the service). */
  readonly fault?: { readonly reason: string; readonly since: string; readonly mendedAt?: string };
}

/** A cut's read models built from a snapshot: `events` folded on it, `from` its position (0: no snapshot served, the log from its start). */
export interface SnapshotCutModels extends ReadModels {
  readonly events: number;
  readonly from: bigint;
}

interface Plan {
  readonly projection: Projection;
  readonly id: string;
  readonly prefixes: readonly string[];
  readonly handles: ReadonlySet<string>;
}

/** The fold in memory at `position`, and the figures of the events since the last snapshot. */
interface BuildState {
  position: bigint;
  lastEvent: string | undefined;
  previous: bigint;
  events: number;
  sinceLast: number;
  sinceFull: number;
  maxRecordedAt: number | null;
  maxEffective: string | null;
  /** -Infinity: an event whose instant cannot be read; +Infinity: none yet. */
  minRecordedAt: number;
  /** undefined: none yet. */
  minEffective: string | undefined;
  /** Per projection, its documents, tracking those changed since the last snapshot or mark written: a mark keeps those. */
  readonly docs: Map<string, InMemoryReadModel<unknown>>;
}

/**
 * Builds the snapshots (the projection runner drives it: at the end of a catch-up, and in the
 * background as the log grows, as the holder of the lease) and serves cuts from them.
 */
export class TimeTravelSnapshots {
  private readonly plans: readonly Plan[];
  private readonly types: string[];
  private readonly setId: string;
  private readonly everyEvents: number;
  private readonly mayBuild: () => boolean;
  private state: BuildState | undefined;
  private building: Promise<void> | undefined;
  /** Bumped by reset and stop: a build started before stops at its next step. */
  private generation = 0;
  private fault: { reason: string; since: string; position?: bigint; mendedAt?: string } | undefined;
  private storeIdentity: string | undefined;
  private readonly markEvery: number;
  private readonly decoded = new Map<string, readonly [string, unknown][]>();
  private readonly encoder = new SnapshotDocsEncoder();
  private readonly decodedChanges = new Map<string, readonly [string, unknown][]>();
  private readonly unreadableListeners = new Set<(reason: string, position: bigint) => void>();

  constructor(
    private readonly store: EventStore,
    private readonly snapshots: TimeTravelSnapshotStore,
    projections: readonly Projection[],
    options: TimeTravelSnapshotOptions = {},
  ) {
    const plans: Plan[] = [];
    for (const [name, prefixes] of Object.entries(SNAPSHOT_KEPT_PREFIXES)) {
      const projection = projections.filter((candidate) => candidate.name === name).sort((a, b) => b.version - a.version)[0];
      if (projection) plans.push({ projection, id: projectionId(projection), prefixes, handles: new Set(projection.handles) });
    }
    this.plans = plans;
    this.types = [...new Set(plans.flatMap((plan) => plan.projection.handles))].sort();
    this.setId = plans.map((plan) => plan.id).sort().join(',');
    this.everyEvents = Math.max(1, options.everyEvents ?? DEFAULT_SNAPSHOT_EVERY_EVENTS);
    this.markEvery = Math.max(1, Math.floor(this.everyEvents / MARKS_PER_SNAPSHOT));
    this.mayBuild = options.mayBuild ?? (() => true);
  }

  /** The projection versions its snapshots are built with (`name@version`, sorted, comma-separated: SnapshotMeta.projections); others are never used. */
  projectionSet(): string {
    return this.setId;
  }

  /** Whether cuts of reports reading `name` may be served from snapshots. */
  serves(name: string): boolean {
    return this.plans.some((plan) => plan.projection.name === name);
  }

  status(): TimeTravelStatus {
    let metas: SnapshotMeta[] = [];
    try {
      metas = this.snapshots.metas();
    } catch {
      // The read models' own health says why the file cannot be read.
    }
    const fault = this.fault && { reason: this.fault.reason, since: this.fault.since, ...(this.fault.mendedAt ? { mendedAt: this.fault.mendedAt } : {}) };
    const full = metas.filter((meta) => meta.full);
    return {
      snapshots: full.length,
      marks: metas.length - full.length,
      lastPosition: full.length > 0 ? String(full[full.length - 1]!.position) : null,
      everyEvents: this.everyEvents,
      building: this.building !== undefined,
      ...(fault ? { fault } : {}),
    };
  }

  /** Builds the snapshots up to the head of the log, now (`jalon replay`, tests); never throws (a failure is kept in {@link status}). */
  async catchUp(): Promise<void> {
    // A build under way in the background is let finish first, then this one goes to the head at full speed.
    await this.building;
    await this.startBuild(false);
  }

  /**
   * The log moved to `position`: builds the marks and snapshots due in the background, slowly
   * enough to leave the service its time, once a mark's worth of events arrived. A known-at cut
   * reads every event after the last mark (the store cannot filter by instant): so that open tail
   * stays about a mark's events (500 by default), not a snapshot's (5,000).
   */
  nudge(position: bigint): void {
    if (this.building || !this.mayBuild()) return;
    if (this.state && position - this.state.position < BigInt(this.markEvery)) return;
    void this.startBuild(true);
  }

  /** Forgets every snapshot (the read models are rebuilt): built again from the first event. */
  reset(): void {
    this.generation++;
    this.state = undefined;
    this.decoded.clear();
    this.decodedChanges.clear();
    this.snapshots.drop();
  }

  /** Stops a build under way (the runner stops): what it saved stays. */
  async stop(): Promise<void> {
    this.generation++;
    await this.building;
  }

  /**
   * The read models of `name` at `cut`, from the snapshot nearest before it: undefined when
   * snapshots cannot tell (none of that projection, another store's, a file that cannot be read,
   * an unreadable snapshot: then reported in {@link status}). The caller then replays the log.
   */
  async modelsAtCut(name: string, cut: EventCut): Promise<SnapshotCutModels | undefined> {
    const plan = this.plans.find((candidate) => candidate.projection.name === name);
    if (!plan) return undefined;
    let chain: SnapshotMeta[];
    try {
      chain = unbrokenChain(this.snapshots.metas());
    } catch {
      return undefined;
    }
    const last = chain[chain.length - 1];
    if (last !== undefined) {
      // Snapshots of another store, another set of projection versions, or of a history that changed since: not used (the builder starts again).
      if (chain.some((meta) => meta.projections !== this.setId || meta.storeId !== chain[0]!.storeId)) return undefined;
      if (last.storeId !== (await this.storeId())) return undefined;
      const found = await this.store.eventAt(last.position).catch(() => undefined);
      if (found === undefined || 'unreadable' in found || eventFingerprint(found) !== last.lastEvent) return undefined;
    }
    const inside = cutHolds(cut);
    const holdsAll = (meta: SnapshotMeta) => inside(meta.maxEffective, meta.maxRecordedAt);
    // Maxima only grow along the log: the snapshots holding only events inside the cut come first.
    let start = -1;
    while (start + 1 < chain.length && holdsAll(chain[start + 1]!)) start++;
    // The nearest snapshot or mark at or before it holding every document of the projection (or none:
    // the first event), then the changes of the marks after it, up to it.
    const holdsWhole = start;
    let docs: Map<string, unknown> | undefined;
    for (; start >= 0 && docs === undefined; start--) {
      const meta = chain[start]!;
      if (!meta.full && !(meta.changes && meta.complete?.includes(plan.id))) continue;
      let entries: readonly [string, unknown][] | undefined;
      try {
        entries = meta.full ? this.decodedDocs(this.decoded, DECODED_KEPT, meta.position, plan.id) : this.decodedDocs(this.decodedChanges, CHANGES_KEPT, meta.position, plan.id);
      } catch (error) {
        this.unreadable(error, meta.position);
        return undefined;
      }
      if (entries !== undefined) docs = new Map(entries.filter(([, doc]) => doc !== null));
    }
    if (docs === undefined) docs = new Map();
    else start++;
    for (; start < holdsWhole && chain[start + 1]!.changes; start++) {
      let changed: readonly [string, unknown][] | undefined;
      try {
        changed = this.decodedDocs(this.decodedChanges, CHANGES_KEPT, chain[start + 1]!.position, plan.id);
      } catch (error) {
        this.unreadable(error, chain[start + 1]!.position);
        return undefined;
      }
      if (changed === undefined) break;
      for (const [key, doc] of changed) {
        if (doc === null) docs.delete(key);
        else docs.set(key, doc);
      }
    }
    const model = keptModel(plan, docs);
    const from = start >= 0 ? chain[start]!.position : 0n;
    // The segments after it that may hold events inside the cut, then the open tail.
    const holdsSome = (meta: SnapshotMeta) => inside(meta.minEffective, meta.minRecordedAt);
    const ranges: { after: bigint; until: bigint | undefined }[] = [];
    for (let index = start + 1; index < chain.length; index++) {
      const meta = chain[index]!;
      if (!holdsSome(meta)) continue;
      const after = index === 0 ? 0n : chain[index - 1]!.position;
      const previous = ranges[ranges.length - 1];
      if (previous !== undefined && previous.until === after) previous.until = meta.position;
      else ranges.push({ after, until: meta.position });
    }
    const tail = last?.position ?? 0n;
    const previous = ranges[ranges.length - 1];
    if (previous !== undefined && previous.until === tail) previous.until = undefined;
    else ranges.push({ after: tail, until: undefined });
    const inCut = cutFilter(cut);
    const handles = [...plan.projection.handles];
    let events = 0;
    for (const range of ranges) {
      const stretch = { after: range.after, types: handles, ...(range.until === undefined ? {} : { upTo: range.until }), ...(cut.asOf === undefined ? {} : { effectiveUntil: cut.asOf }) };
      for await (const event of this.store.readAll(stretch)) {
        if (range.until !== undefined && event.position > range.until) break;
        if (!inCut(event)) continue;
        events++;
        model.apply(await upcast(event, this.store));
      }
    }
    return {
      events,
      from,
      view<Doc>(wanted: string): ReadModelView<Doc> {
        if (wanted !== name) throw new Error(`no projection named ${wanted}`);
        return model as ReadModelView<Doc>;
      },
    };
  }

  /**
   * A snapshot's documents (or a mark's changes), decoded: the last few are kept in `cache` (documents
   * are never changed once made: `evolve` returns new ones), so that cuts near one another decode them once.
   */
  private decodedDocs(cache: Map<string, readonly [string, unknown][]>, size: number, position: bigint, projection: string): readonly [string, unknown][] | undefined {
    const key = `${position}:${projection}`;
    const kept = cache.get(key);
    if (kept !== undefined) {
      cache.delete(key);
      cache.set(key, kept);
      return kept;
    }
    const entries = this.snapshots.docs(position, projection);
    if (entries === undefined) return undefined;
    cache.set(key, entries);
    for (const oldest of cache.keys()) {
      if (cache.size <= size) break;
      cache.delete(oldest);
    }
    return entries;
  }

  private startBuild(background: boolean): Promise<void> {
    this.building ??= this.build(background, this.generation)
      .catch((error: unknown) => {
        this.state = undefined;
        this.noteFault(`les instantanés de voyage dans le temps ne peuvent pas être construits : ${describe(error)}`);
      })
      .finally(() => {
        this.building = undefined;
      });
    return this.building;
  }

  private async build(background: boolean, generation: number): Promise<void> {
    if (this.plans.length === 0 || !this.mayBuild()) return;
    const state = this.state ?? (await this.load());
    if (generation !== this.generation) return;
    this.state = state;
    const head = await this.store.headPosition();
    let chunk = 0;
    let chunkStarted = Date.now();
    if (head > state.position) for await (const stored of this.store.readAll({ after: state.position, types: this.types })) {
      if (stored.position > head) break;
      if (generation !== this.generation) return;
      account(state, stored);
      const event = await upcast(stored, this.store);
      // As a replay reads them: of the projection's types as stored, then as projections see them (InMemoryReadModel.apply).
      for (const plan of this.plans) if (plan.handles.has(stored.type)) state.docs.get(plan.id)!.apply(event);
      state.position = stored.position;
      state.lastEvent = eventFingerprint(stored);
      state.events++;
      state.sinceLast++;
      state.sinceFull++;
      if (state.sinceLast >= this.markEvery) {
        if (!this.mayBuild() || !(await this.save(state, state.sinceFull >= this.everyEvents, generation))) return;
      }
      // In the background, it works at most half the time: the service keeps the rest.
      if (background && ++chunk >= 1_000) {
        const took = Date.now() - chunkStarted;
        await new Promise((resolve) => setTimeout(resolve, Math.max(1, took)));
        chunk = 0;
        chunkStarted = Date.now();
      }
      if (stored.position >= head) break;
    }
    // Built on demand (not in the background), the last one is taken at the head, so that the open tail starts short.
    if (!background && generation === this.generation && state.sinceLast > 0 && state.sinceFull >= Math.ceil(this.everyEvents / 4) && this.mayBuild()) await this.save(state, true, generation);
    if (generation === this.generation) this.mendedAt(state.position);
  }

  /** Snapshots are built up to `position`: a fault before it is mended. */
  private mendedAt(position: bigint): void {
    if (this.fault && !this.fault.mendedAt && (this.fault.position === undefined || position >= this.fault.position)) this.fault = { ...this.fault, mendedAt: new Date().toISOString() };
  }

  /** Writes a snapshot (`full`: with every document) or a mark (with the documents changed since the last one) at the state's position; false when reset or stopped meanwhile (nothing written). */
  private async save(state: BuildState, full: boolean, generation: number): Promise<boolean> {
    const meta: SnapshotMeta = {
      position: state.position,
      previous: state.previous,
      full,
      projections: this.setId,
      storeId: this.storeIdentity!,
      lastEvent: state.lastEvent!,
      events: state.events,
      maxRecordedAt: state.maxRecordedAt,
      maxEffective: state.maxEffective,
      minRecordedAt: Number.isFinite(state.minRecordedAt) ? state.minRecordedAt : null,
      minEffective: state.minEffective ?? '',
    };
    // The documents and changes as they stand now. Taking the changes forgets them: a write abandoned
    // (below) or failed (startBuild) drops the fold, and the next build starts again from the last
    // snapshot with documents, taking again the marks after it (load).
    const taken = this.plans.map((plan) => {
      const model = state.docs.get(plan.id)!;
      const changes = model.takeChanges();
      return { plan, docs: full ? model.entries() : changes, complete: !full && model.size > 0 && changes.filter(([, doc]) => doc !== null).length === model.size };
    });
    const blobs = new Map<string, Buffer>();
    // One projection at a time, compressed off the event loop: the service keeps answering meanwhile.
    for (const { plan, docs } of taken) blobs.set(plan.id, await this.encoder.encode(docs));
    if (generation !== this.generation) {
      if (this.state === state) this.state = undefined;
      return false;
    }
    const complete = taken.filter((entry) => entry.complete).map((entry) => entry.plan.id);
    this.snapshots.save(full ? meta : { ...meta, changes: true, complete }, blobs);
    state.previous = state.position;
    state.sinceLast = 0;
    if (full) state.sinceFull = 0;
    state.minRecordedAt = Number.POSITIVE_INFINITY;
    state.minEffective = undefined;
    this.mendedAt(state.position);
    return true;
  }

  /** The fold at the last snapshot that still holds for this store (read back), or nothing at the first event; snapshots that do not hold are forgotten. */
  private async load(): Promise<BuildState> {
    const storeId = await this.storeId();
    for (;;) {
      const all = this.snapshots.metas();
      const chain = unbrokenChain(all);
      const fulls = chain.filter((meta) => meta.full);
      const last = fulls[fulls.length - 1];
      if (last === undefined || chain.length !== all.length) {
        // Nothing, or a chain with a gap: started again from the first event.
        if (all.length > 0) this.snapshots.drop();
        return emptyState(this.plans);
      }
      // The marks after the last snapshot with documents are taken again as the log is read from it.
      if (last !== chain[chain.length - 1]) this.snapshots.drop(last.position + 1n);
      const found = last.projections === this.setId && last.storeId === storeId ? await this.store.eventAt(last.position).catch(() => undefined) : undefined;
      if (found === undefined || 'unreadable' in found || eventFingerprint(found) !== last.lastEvent) {
        this.snapshots.drop();
        return emptyState(this.plans);
      }
      const state = emptyState(this.plans);
      try {
        for (const plan of this.plans) {
          const entries = this.snapshots.docs(last.position, plan.id);
          if (entries === undefined) throw new SnapshotUnreadableError(last.position, plan.id, new Error('aucun document'));
          state.docs.set(plan.id, keptModel(plan, entries).trackChanges());
        }
      } catch (error) {
        if (!(error instanceof SnapshotUnreadableError)) throw error;
        this.noteFault(`${describe(error)} : il est reconstruit`, last.position);
        this.snapshots.drop(last.position);
        continue;
      }
      return {
        ...state,
        position: last.position,
        previous: last.position,
        lastEvent: last.lastEvent,
        events: last.events,
        maxRecordedAt: last.maxRecordedAt,
        maxEffective: last.maxEffective,
      };
    }
  }

  /**
   * Called with each snapshot found unreadable here: a process whose snapshots are built on another
   * thread (`jalon serve`'s projection thread, docs/decisions/0030) passes it on to their builder.
   */
  onUnreadable(listener: (reason: string, position: bigint) => void): () => void {
    this.unreadableListeners.add(listener);
    return () => this.unreadableListeners.delete(listener);
  }

  /** A snapshot another thread of this process found unreadable (see {@link onUnreadable}): as here, reported, and as the builder, built again. */
  foundUnreadable(reason: string, position: bigint): void {
    this.unreadable(new Error(reason), position);
  }

  /** A snapshot could not be read back: reported until one is built past it; as the builder, it is forgotten from there on and built again. */
  private unreadable(error: unknown, position: bigint): void {
    for (const listener of this.unreadableListeners) listener(describe(error), position);
    this.noteFault(`${describe(error)} : les rapports à une date passée rejouent le journal en attendant qu’il soit reconstruit`, position);
    if (!this.mayBuild()) return;
    try {
      this.snapshots.drop(position);
    } catch {
      return;
    }
    if (this.state && this.state.position >= position) this.state = undefined;
    this.generation++;
    if (this.building) void this.building.then(() => this.nudge(position));
    else this.nudge(position);
  }

  private noteFault(reason: string, position?: bigint): void {
    const since = this.fault && !this.fault.mendedAt ? this.fault.since : new Date().toISOString();
    this.fault = { reason, since, ...(position === undefined ? {} : { position }) };
  }

  private async storeId(): Promise<string> {
    this.storeIdentity ??= await this.store.storeId();
    return this.storeIdentity;
  }
}

function emptyState(plans: readonly Plan[]): BuildState {
  return {
    position: 0n,
    lastEvent: undefined,
    previous: 0n,
    events: 0,
    sinceLast: 0,
    sinceFull: 0,
    maxRecordedAt: null,
    maxEffective: null,
    minRecordedAt: Number.POSITIVE_INFINITY,
    minEffective: undefined,
    docs: new Map(plans.map((plan) => [plan.id, keptModel(plan).trackChanges()])),
  };
}

/** The figures of one event as the cut sees it (the event as stored: `cutFilter` tests it before upcasting). */
function account(state: BuildState, event: StoredEvent): void {
  const recordedAt = Date.parse(event.metadata.recordedAt);
  if (Number.isNaN(recordedAt)) {
    state.minRecordedAt = Number.NEGATIVE_INFINITY;
  } else {
    if (state.maxRecordedAt === null || recordedAt > state.maxRecordedAt) state.maxRecordedAt = recordedAt;
    if (recordedAt < state.minRecordedAt) state.minRecordedAt = recordedAt;
  }
  const effective = event.data.effectiveDate;
  if (typeof effective !== 'string') {
    state.minEffective = '';
  } else {
    if (state.maxEffective === null || isAfter(effective, state.maxEffective)) state.maxEffective = effective;
    if (state.minEffective === undefined || isAfter(state.minEffective, effective)) state.minEffective = effective;
  }
}

/** The plan's projection in memory, keeping only the documents its snapshots keep. */
function keptModel(plan: Plan, docs: Iterable<readonly [string, unknown]> = []): InMemoryReadModel<unknown> {
  return new InMemoryReadModel(plan.projection, { prefixes: plan.prefixes, notKept: (key) => new SnapshotKeyNotKeptError(plan.id, key) }, docs);
}

/** The snapshots from the first, each naming the one before it: a snapshot after a gap (one deleted by hand) is not used, nor any after it. */
function unbrokenChain(metas: readonly SnapshotMeta[]): SnapshotMeta[] {
  const chain: SnapshotMeta[] = [];
  let previous = 0n;
  for (const meta of metas) {
    if (meta.previous !== previous) break;
    chain.push(meta);
    previous = meta.position;
  }
  return chain;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
