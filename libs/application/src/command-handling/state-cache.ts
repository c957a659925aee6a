/**
 * Keeps the last folded state of recently used streams, so a command on a long stream reads only
 * the events appended since (the store is still asked every time: the cache never serves stale
 * state, it only saves re-folding). Bounded, least recently used first out.
 */
export class StateCache {
  private readonly entries = new Map<string, { state: unknown; revision: number }>();

  constructor(private readonly capacity = 10_000) {}

  get<S>(streamId: string): { state: S; revision: number } | undefined {
    const entry = this.entries.get(streamId);
    if (!entry) return undefined;
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    return entry as { state: S; revision: number };
  }

  set(streamId: string, state: unknown, revision: number): void {
    this.entries.delete(streamId);
    this.entries.set(streamId, { state, revision });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  forget(streamId: string): void {
    this.entries.delete(streamId);
  }
}
