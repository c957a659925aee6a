import { ProjectedEvent, Projection, ReadModelView } from '../projection';

/**
 * One projection's documents held in memory: what a replay builds (time travel, `jalon replay`,
 * tests). Applying an event here is exactly what the live runner does, minus the storage.
 */
export class InMemoryReadModel<Doc> implements ReadModelView<Doc> {
  private readonly docs = new Map<string, Doc>();
  private readonly handles: ReadonlySet<string>;

  constructor(readonly projection: Projection<Doc>) {
    this.handles = new Set(projection.handles);
  }

  apply(event: ProjectedEvent): void {
    if (!this.handles.has(event.type)) return;
    for (const key of this.projection.keysOf(event)) {
      const next = this.projection.evolve(this.docs.get(key) ?? null, event, key);
      if (next === null) this.docs.delete(key);
      else this.docs.set(key, next);
    }
  }

  get(key: string): Doc | undefined {
    return this.docs.get(key);
  }

  /** Only the documents under `prefix` are sorted (a replayed history holds a great many others). */
  list(prefix: string): Doc[] {
    const found: [string, Doc][] = [];
    for (const entry of this.docs) if (entry[0].startsWith(prefix)) found.push(entry);
    return found.sort(byKey).map(([, doc]) => doc);
  }

  entries(): [string, Doc][] {
    return [...this.docs.entries()].sort(byKey);
  }
}

function byKey([a]: [string, unknown], [b]: [string, unknown]): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
