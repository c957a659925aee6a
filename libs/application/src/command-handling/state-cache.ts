import { LogWatch } from './log-watch';

export interface CachedState<S> {
  readonly state: S;
  readonly revision: number;
  /** The watch that followed the log when the state was read or appended, and where it stood then. */
  readonly checked?: { readonly watch: LogWatch; readonly at: bigint };
}

/**
 * Keeps the last folded state of recently used streams, so a command on a long stream folds only
 * the events appended since. Whether a cached state may be used without asking the store is the
 * log watch's call (see {@link LogWatch}); without one, the store is asked every time and the
 * cache only saves re-folding. Bounded, least recently used first out.
 */
export class StateCache {
  private readonly entries = new Map<string, CachedState<unknown>>();

  constructor(private readonly capacity = 10_000) {}

  get<S>(streamId: string): CachedState<S> | undefined {
    const entry = this.entries.get(streamId);
    if (!entry) return undefined;
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    return entry as CachedState<S>;
  }

  set(streamId: string, state: unknown, revision: number, checked?: CachedState<unknown>['checked']): void {
    this.entries.delete(streamId);
    this.entries.set(streamId, checked ? { state, revision, checked } : { state, revision });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  forget(streamId: string): void {
    this.entries.delete(streamId);
  }
}

/** True when `entry` may be used as the stream's current state without reading the store. */
export function isCurrent(streamId: string, entry: CachedState<unknown>, watch: LogWatch | undefined): boolean {
  return entry.checked !== undefined && entry.checked.watch === watch && watch.isCurrent(streamId, entry.revision, entry.checked.at);
}
