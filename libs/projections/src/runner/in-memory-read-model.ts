import { ProjectedEvent, Projection, ReadModelView } from '../projection';

/**
 * Which documents a read model in memory keeps (time-travel snapshots keep only those programme
 * reports read): events change no other document, and a read of another one is refused with the
 * error `notKept` makes, so that a report cannot silently read a document that was never folded.
 */
export interface KeptDocuments {
  readonly prefixes: readonly string[];
  notKept(key: string): Error;
}

/**
 * One projection's documents held in memory: what a replay builds (time travel, `jalon replay`,
 * tests). Applying an event here is exactly what the live runner does, minus the storage.
 */
export class InMemoryReadModel<Doc> implements ReadModelView<Doc> {
  private readonly docs: Map<string, Doc>;
  private readonly handles: ReadonlySet<string>;
  /** While changes are tracked ({@link trackChanges}): each key an event touched since the last {@link takeChanges}, with its document then. */
  private touched: Map<string, Doc | undefined> | undefined;

  constructor(
    readonly projection: Projection<Doc>,
    private readonly kept?: KeptDocuments,
    docs: Iterable<readonly [string, Doc]> = [],
  ) {
    this.handles = new Set(projection.handles);
    this.docs = new Map(docs);
  }

  apply(event: ProjectedEvent): void {
    if (!this.handles.has(event.type)) return;
    for (const key of this.projection.keysOf(event)) {
      if (!this.keeps(key)) continue;
      const before = this.docs.get(key);
      if (this.touched !== undefined && !this.touched.has(key)) this.touched.set(key, before);
      const next = this.projection.evolve(before ?? null, event, key);
      if (next === null) this.docs.delete(key);
      else this.docs.set(key, next);
    }
  }

  get(key: string): Doc | undefined {
    if (!this.keeps(key)) throw this.kept!.notKept(key);
    return this.docs.get(key);
  }

  /** Only the documents under `prefix` are sorted (a replayed history holds a great many others). */
  list(prefix: string): Doc[] {
    if (!this.keeps(prefix)) throw this.kept!.notKept(`${prefix}…`);
    const found: [string, Doc][] = [];
    for (const entry of this.docs) if (entry[0].startsWith(prefix)) found.push(entry);
    return found.sort(byKey).map(([, doc]) => doc);
  }

  entries(): [string, Doc][] {
    return [...this.docs.entries()].sort(byKey);
  }

  /** How many documents it holds. */
  get size(): number {
    return this.docs.size;
  }

  /**
   * From now on, remembers which documents events change, so that {@link takeChanges} finds them
   * without comparing every document (time-travel marks, every few hundred events).
   */
  trackChanges(): this {
    this.touched ??= new Map();
    return this;
  }

  /**
   * The documents changed since changes were tracked or last taken, by key, those gone as
   * `[key, null]`; then starts again. A document is changed when it is another object (`evolve`
   * never changes one in place): an event that returned the same one changed nothing.
   */
  takeChanges(): [string, Doc | null][] {
    if (this.touched === undefined) throw new Error('changes are not tracked: call trackChanges() first');
    const changes: [string, Doc | null][] = [];
    for (const [key, before] of this.touched) {
      const now = this.docs.get(key);
      if (now !== before) changes.push([key, now ?? null]);
    }
    this.touched.clear();
    return changes.sort(byKey);
  }

  private keeps(key: string): boolean {
    return this.kept === undefined || this.kept.prefixes.some((prefix) => key.startsWith(prefix));
  }
}

function byKey([a]: [string, unknown], [b]: [string, unknown]): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
