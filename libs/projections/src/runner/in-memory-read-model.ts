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

  list(prefix: string): Doc[] {
    return [...this.docs.entries()]
      .filter(([key]) => key.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, doc]) => doc);
  }

  entries(): [string, Doc][] {
    return [...this.docs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}
