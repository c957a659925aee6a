/**
 * The checksum of a history: what `jalon export`, `import` and `migrate` compare on both sides.
 *
 * SHA-256 (hex) over, for each event in global order, the UTF-8 bytes of the canonical JSON
 * (see `canonicalJson`) of `{ streamId, revision, id, type, version, data, metadata }`, each
 * followed by a line feed. Positions are left out: they belong to one store and differ from one
 * store to another. An empty history has the checksum of no bytes (`e3b0c442…b855`).
 */
import { createHash, type Hash } from 'node:crypto';
import type { EventToAppend } from '../event-store.port';
import { canonicalJson } from './canonical-json';

/** What the checksum covers of an event: everything but its position in one store. */
export interface HistoryEvent extends EventToAppend {
  readonly streamId: string;
  readonly revision: number;
}

export interface HistorySummary {
  readonly count: number;
  /** 64 lower-case hex digits. */
  readonly checksum: string;
}

/** The canonical text of an event, as it enters the checksum (without the line feed). */
export function canonicalEvent(event: HistoryEvent): string {
  const { streamId, revision, id, type, version, data, metadata } = event;
  return canonicalJson({ streamId, revision, id, type, version, data, metadata });
}

/** A running checksum: add events in global order, then read `summary()`. */
export class HistoryChecksum {
  private readonly hash: Hash = createHash('sha256');
  private added = 0;

  /** Adds the event; returns its canonical text (for comparisons). */
  add(event: HistoryEvent): string {
    const canonical = canonicalEvent(event);
    this.hash.update(canonical, 'utf8');
    this.hash.update('\n', 'utf8');
    this.added += 1;
    return canonical;
  }

  get count(): number {
    return this.added;
  }

  /** Count and checksum so far (can be called more than once). */
  summary(): HistorySummary {
    return { count: this.added, checksum: this.hash.copy().digest('hex') };
  }
}

/** Count and checksum of a sequence of events, read once, in order. */
export async function summarize(events: AsyncIterable<HistoryEvent> | Iterable<HistoryEvent>): Promise<HistorySummary> {
  const checksum = new HistoryChecksum();
  for await (const event of events) checksum.add(event);
  return checksum.summary();
}
