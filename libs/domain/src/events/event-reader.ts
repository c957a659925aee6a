import { EventUpcastError } from '../shared';
import { currentVersionOf } from './event-versions';
import {
  emptyStreamHistory,
  evolveStreamHistory,
  NEEDS_STREAM_HISTORY,
  StreamHistory,
  upcastEvent,
  upcastWithoutHistory,
  VersionedEvent,
} from './upcasting';

/** A stored event, as any store's port gives it: where it sits in its stream, and its versioned data. */
export interface StoredVersionedEvent extends VersionedEvent {
  readonly streamId: string;
  readonly revision: number;
}

/** Reads a stream's events from a revision on: what the event store's port offers (structurally). */
export interface StreamSource {
  readStream(streamId: string, options?: { readonly fromRevision?: number; readonly maxCount?: number }): AsyncIterable<StoredVersionedEvent>;
}

/**
 * Streams whose history is kept between two old events: a rebuild of an old store meets them
 * interleaved, one antenna after another. A history holds a few numbers per expenditure, tranche
 * and month.
 */
const KEPT_STREAMS = 1_024;

/**
 * Reads stored events at their type's current version: the one reader of `version`
 * (docs/decisions/0011). An event at its current version comes back as it is, synchronously. An
 * older one is upcast; when it lacks what only its stream's earlier events tell, those are read
 * once from the source and folded into a {@link StreamHistory}, which is kept (for a bounded
 * number of streams) so that the stream's next old event reads only what follows.
 *
 * Hashes cover the stored form: the events given to this reader are never changed, and what it
 * returns is never written back.
 */
export class EventReader {
  private readonly histories = new Map<string, { readonly revision: number; readonly history: StreamHistory }>();

  constructor(
    private readonly source: StreamSource,
    private readonly keptStreams = KEPT_STREAMS,
  ) {}

  read<E extends StoredVersionedEvent>(event: E): E | Promise<E> {
    const current = currentVersionOf(event.type);
    if (current === undefined || current === event.version) return event;
    const read = located(event, () => upcastWithoutHistory(event));
    return read === NEEDS_STREAM_HISTORY ? this.readWithHistory(event) : read;
  }

  private async readWithHistory<E extends StoredVersionedEvent>(event: E): Promise<E> {
    const history = await this.historyBefore(event);
    const read = located(event, () => upcastEvent(event, history));
    this.keep(event.streamId, event.revision, evolveStreamHistory(history, read));
    return read;
  }

  /** The stream's history up to the event before `event`: from what is kept when it ends before, else from the stream's start. */
  private async historyBefore(event: StoredVersionedEvent): Promise<StreamHistory> {
    const kept = this.histories.get(event.streamId);
    let history = kept && kept.revision < event.revision ? kept.history : emptyStreamHistory();
    const from = kept && kept.revision < event.revision ? kept.revision + 1 : 0;
    if (from === event.revision) return history;
    for await (const earlier of this.source.readStream(event.streamId, { fromRevision: from, maxCount: event.revision - from })) {
      if (earlier.revision >= event.revision) break;
      history = evolveStreamHistory(history, located(earlier, () => upcastEvent(earlier, history)));
    }
    return history;
  }

  private keep(streamId: string, revision: number, history: StreamHistory): void {
    this.histories.delete(streamId);
    this.histories.set(streamId, { revision, history });
    if (this.histories.size > this.keptStreams) this.histories.delete(this.histories.keys().next().value!);
  }
}

const readers = new WeakMap<StreamSource, EventReader>();

/**
 * `event`, read from `source`, at its type's current version: the function every reader that
 * folds stored events (the command path, the projection runner, time travel) reads them through.
 * Synchronous for an event already current; a promise otherwise. One {@link EventReader} per
 * source keeps the histories of old streams.
 */
export function upcast<E extends StoredVersionedEvent>(event: E, source: StreamSource): E | Promise<E> {
  const current = currentVersionOf(event.type);
  if (current === undefined || current === event.version) return event;
  let reader = readers.get(source);
  if (!reader) readers.set(source, (reader = new EventReader(source)));
  return reader.read(event);
}

/** Runs an upcast, naming the stored event in the error when it cannot be read. */
function located<T>(event: StoredVersionedEvent, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof EventUpcastError)) throw error;
    throw new EventUpcastError(`${event.streamId} revision ${event.revision} (${event.type} v${event.version}): ${error.message}`);
  }
}
