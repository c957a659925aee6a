/**
 * TEST DOUBLE — the in-memory transaction log behind the EventStoreDB test double (see README.md).
 *
 * It keeps EventStoreDB's storage rules that a client can observe over gRPC: one global log whose
 * positions are byte offsets (so they grow, with gaps, and no event sits at 0 because a real log
 * opens with an epoch record), stream revisions from 0, and the write decision of EventStoreDB's
 * commit check (`IndexWriter.CheckCommit`): Ok, Idempotent, or WrongExpectedVersion, including
 * "corrupted idempotency" (a batch that is only partly stored), which the server reports as a
 * wrong expected version. With `any`, ids are known only while they are in EventStoreDB's bounded
 * committed-events cache (`BoundedCache`, first in first out, 8 MiB by its own size estimate).
 * A read of `$all` from a position that is not a record boundary fails, as the server's chunk
 * reader does (`InvalidReadException` → `ReadAllResult.InvalidPosition`).
 *
 * A batch can also be written **not replicated** (`append(…, { replicated: false })`): on the
 * leader's log, so the commit check counts it (its stream's version, its ids, as the storage
 * writer's `PreCommit` records them), but not yet committed by the cluster, so reads and
 * subscriptions do not show it (only committed records are indexed). The same ids sent again are
 * then `idempotent_not_ready` (`CommitDecision.IdempotentNotReady`: the server drops that write).
 * Replication follows the log: `replicate()` commits every such batch in order, and so does the
 * next replicated write, which lies after them.
 */
import { randomUUID } from 'node:crypto';

export interface LoggedEvent {
  /** Lower-case UUID: EventStoreDB parses ids into a Guid and prints them back lower-case. */
  readonly id: string;
  readonly streamId: string;
  readonly revision: bigint;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
  /** Commit position; equals the prepare position, as for every event appended over gRPC. */
  readonly position: bigint;
  /** .NET ticks (100 ns) since the Unix epoch, as EventStoreDB sends `created`. */
  readonly created: bigint;
}

export interface ProposedEvent {
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
}

export type ExpectedVersion =
  | { readonly kind: 'any' }
  | { readonly kind: 'no_stream' }
  | { readonly kind: 'stream_exists' }
  | { readonly kind: 'revision'; readonly revision: bigint };

/**
 * `currentRevision` -1n stands for "no stream", as EventStoreDB's internal version does; it is the
 * writer's view, which counts batches written but not yet replicated. `idempotent_not_ready`: every
 * id is in a batch not yet replicated; EventStoreDB drops such a write without answering it.
 */
export type WriteOutcome =
  | { readonly kind: 'written' | 'idempotent'; readonly currentRevision: bigint; readonly position: bigint | undefined }
  | { readonly kind: 'wrong_expected_version'; readonly currentRevision: bigint }
  | { readonly kind: 'idempotent_not_ready'; readonly currentRevision: bigint };

export type StreamFrom = 'start' | 'end' | bigint;
export type Direction = 'forwards' | 'backwards';

/** A read of `$all` from a position inside the log where no record starts (see `indexAt`). */
export class InvalidPositionError extends Error {
  constructor(readonly position: bigint) {
    super(`invalid position ${position}: no record starts there`);
  }
}

/**
 * What EventStoreDB counts against its maximum append size for one event (`Event.SizeOnDisk`):
 * data and metadata bytes, plus the type's length in UTF-16 code units, twice.
 */
export function appendSizeOf(event: ProposedEvent): number {
  return event.data.length + event.customMetadata.length + event.type.length * 2;
}

/** EventStoreDB's `ESConsts.CommitedEventsMemCacheLimit`. */
export const COMMITTED_EVENTS_CACHE_BYTES = 8 * 1024 * 1024;

export interface InMemoryLogOptions {
  /** Bound of the committed-events cache that `any` appends are deduplicated against. */
  readonly committedEventsCacheBytes?: number;
}

/** Bytes a record takes besides its payload; any constant works, gaps are what matter. */
const RECORD_OVERHEAD = 88n;
/** Where the first event goes: the log opens with a chunk header and an epoch record. */
const FIRST_EVENT_POSITION = 1_536n;
const TICKS_PER_MS = 10_000n;

export class InMemoryLog {
  /** Committed (replicated) events: what reads and subscriptions see. */
  private readonly all: LoggedEvent[] = [];
  /** Index in `all` of the event at each position: the record boundaries a read may start at. */
  private readonly atPosition = new Map<bigint, number>();
  private readonly streams = new Map<string, LoggedEvent[]>();
  /** Batches on the leader's log, in log order, not yet replicated: after every event of `all`. */
  private readonly unreplicated: LoggedEvent[][] = [];
  /** EventStoreDB's committed-events cache, which `any` appends are deduplicated against. */
  private readonly byId: CommittedEventsCache;
  private readonly listeners = new Set<(event: LoggedEvent) => void>();
  private nextPosition = FIRST_EVENT_POSITION;

  constructor(options: InMemoryLogOptions = {}) {
    this.byId = new CommittedEventsCache(options.committedEventsCacheBytes ?? COMMITTED_EVENTS_CACHE_BYTES);
  }

  /**
   * EventStoreDB's write: the commit check on the writer's view (replicated or not), then, for a
   * new batch, the write. `replicated: false` leaves it on the leader's log only (see the class).
   */
  append(streamId: string, expected: ExpectedVersion, proposed: readonly ProposedEvent[], { replicated = true }: { replicated?: boolean } = {}): WriteOutcome {
    const stream = this.writerView(streamId);
    const current = BigInt(stream.length) - 1n;
    const ids = proposed.map((event) => event.id.toLowerCase());

    const decision = this.checkCommit(streamId, stream, expected, ids);
    if (decision.kind === 'wrong_expected_version') return { kind: 'wrong_expected_version', currentRevision: current };
    if (decision.kind === 'idempotent') {
      // Idempotent only once the original is replicated (`IndexWriter.CheckCommit`'s `isReplicated`).
      if (decision.lastRevision > this.committedRevision(streamId)) return { kind: 'idempotent_not_ready', currentRevision: current };
      const last = stream[Number(decision.lastRevision)]!;
      return { kind: 'idempotent', currentRevision: decision.lastRevision, position: last.position };
    }
    if (proposed.length === 0) return { kind: 'written', currentRevision: current, position: undefined };

    const created = BigInt(Date.now()) * TICKS_PER_MS;
    const written = proposed.map((event, i): LoggedEvent => {
      const logged: LoggedEvent = {
        id: ids[i]!,
        streamId,
        revision: current + 1n + BigInt(i),
        type: event.type,
        contentType: event.contentType,
        data: event.data,
        customMetadata: event.customMetadata,
        position: this.nextPosition,
        created,
      };
      this.nextPosition += RECORD_OVERHEAD + recordSize(logged);
      return logged;
    });
    // The storage writer records the ids as it writes them, replicated or not (`PreCommit`).
    for (const event of written) this.byId.put(event);
    this.unreplicated.push(written);
    if (replicated) this.replicate();
    const last = written[written.length - 1]!;
    return { kind: 'written', currentRevision: last.revision, position: last.position };
  }

  /** Commits every batch written but not yet replicated, in log order: reads and subscriptions now show them. */
  replicate(): void {
    const batches = this.unreplicated.splice(0);
    for (const written of batches) {
      this.streams.set(written[0]!.streamId, [...(this.streams.get(written[0]!.streamId) ?? []), ...written]);
      for (const event of written) {
        this.atPosition.set(event.position, this.all.length);
        this.all.push(event);
      }
      // Listeners run after the whole batch is stored: a subscriber never sees half a batch.
      for (const event of written) for (const listener of [...this.listeners]) listener(event);
    }
  }

  /** Batches written but not yet replicated. */
  unreplicatedBatches(): number {
    return this.unreplicated.length;
  }

  /** Writes an event as EventStoreDB itself does (statistics, settings, checkpoints, projection results…). */
  appendSystemEvent(streamId: string, type: string, data: unknown): void {
    const json = new TextEncoder().encode(JSON.stringify(data));
    this.append(streamId, { kind: 'any' }, [
      { id: randomUUID(), type, contentType: 'application/json', data: json, customMetadata: new Uint8Array() },
    ]);
  }

  /** Undefined when the stream does not exist (EventStoreDB answers "stream not found"). */
  readStream(streamId: string, from: StreamFrom, direction: Direction, count: bigint): LoggedEvent[] | undefined {
    const stream = this.streams.get(streamId);
    if (!stream) return undefined;
    const last = BigInt(stream.length) - 1n;
    if (direction === 'forwards') {
      if (from === 'end') return [];
      const start = from === 'start' ? 0n : from;
      return take(stream.slice(Number(start > last + 1n ? last + 1n : start)), count);
    }
    // Backwards from beyond the end starts at the last event (EventStoreDB does the same).
    const start = from === 'end' ? last : from === 'start' ? 0n : from > last ? last : from;
    return take(stream.slice(0, Number(start) + 1).reverse(), count);
  }

  /**
   * Forwards from a position is inclusive (the event at that position comes first), backwards is
   * exclusive (positions are post-positions there): EventStoreDB's `$all` read semantics. A
   * position inside the log that is not a record boundary throws {@link InvalidPositionError};
   * one at or past its end reads nothing forwards and everything backwards.
   */
  readAll(from: StreamFrom, direction: Direction, count: bigint): LoggedEvent[] {
    if (direction === 'forwards') {
      if (from === 'end') return [];
      const start = from === 'start' ? 0 : this.indexAt(from);
      return take(this.all.slice(start), count);
    }
    if (from === 'start') return [];
    const end = from === 'end' ? this.all.length : this.indexAt(from);
    return take(this.all.slice(0, end).reverse(), count);
  }

  /**
   * Subscription catch-up: strictly after `after` (exclusive), everything from the start otherwise.
   * From the last event's position or beyond, EventStoreDB goes live at once (nothing to catch up,
   * no read); before it, the catch-up reads from `after`, which must be a record boundary.
   */
  eventsAfter(after: bigint | undefined): LoggedEvent[] {
    if (after === undefined) return [...this.all];
    const last = this.all[this.all.length - 1];
    if (last === undefined || after >= last.position) return [];
    return this.all.slice(this.indexAt(after) + (this.atPosition.has(after) ? 1 : 0));
  }

  /**
   * Index of the first event at or after `position`, which must be a record boundary: an event's
   * position, 0 (the log opens with an epoch record there), or the end of what is replicated (or past it).
   */
  private indexAt(position: bigint): number {
    if (position >= (this.unreplicated[0]?.[0]?.position ?? this.nextPosition)) return this.all.length;
    if (position === 0n) return 0;
    const index = this.atPosition.get(position);
    if (index === undefined) throw new InvalidPositionError(position);
    return index;
  }

  /** Called synchronously after each stored event; returns the unsubscribe function. */
  onAppended(listener: (event: LoggedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The stream as the storage writer sees it: replicated events, then those not yet replicated. */
  private writerView(streamId: string): readonly LoggedEvent[] {
    const committed = this.streams.get(streamId) ?? [];
    const pending = this.unreplicated.filter((batch) => batch[0]!.streamId === streamId).flat();
    return pending.length === 0 ? committed : [...committed, ...pending];
  }

  private committedRevision(streamId: string): bigint {
    return BigInt(this.streams.get(streamId)?.length ?? 0) - 1n;
  }

  private checkCommit(
    streamId: string,
    stream: readonly LoggedEvent[],
    expected: ExpectedVersion,
    ids: readonly string[],
  ): { kind: 'ok' | 'wrong_expected_version' } | { kind: 'idempotent'; lastRevision: bigint } {
    const current = BigInt(stream.length) - 1n;
    if (expected.kind === 'stream_exists' && current < 0n) return { kind: 'wrong_expected_version' };

    if (expected.kind === 'any' || expected.kind === 'stream_exists') {
      // Best effort in EventStoreDB (a bounded cache of recent ids): the first id decides, so a
      // batch whose ids have left the cache is written again.
      let lastRevision: bigint | undefined;
      for (const [i, id] of ids.entries()) {
        const known = this.byId.get(id);
        if (!known || known.streamId !== streamId) return i === 0 ? { kind: 'ok' } : { kind: 'wrong_expected_version' };
        lastRevision = known.revision;
      }
      return lastRevision === undefined ? { kind: 'ok' } : { kind: 'idempotent', lastRevision };
    }

    const expectedRevision = expected.kind === 'no_stream' ? -1n : expected.revision;
    if (expectedRevision > current) return { kind: 'wrong_expected_version' };
    if (expectedRevision === current) return { kind: 'ok' };
    // The stream is past the expected revision: idempotent only if the batch sits right after it.
    for (const [i, id] of ids.entries()) {
      const stored = stream[Number(expectedRevision) + 1 + i];
      if (stored?.id !== id) return { kind: 'wrong_expected_version' };
    }
    return ids.length === 0
      ? { kind: 'wrong_expected_version' }
      : { kind: 'idempotent', lastRevision: expectedRevision + BigInt(ids.length) };
  }
}

/**
 * EventStoreDB's `BoundedCache<Guid, EventInfo>` of committed events: first in, first out (a hit
 * does not keep an id longer), evicting while its estimated size is over the limit, each entry
 * counted as `IndexWriter` sizes it (16 + 4 + pointer + `MemSizer.SizeOf(streamId)`).
 */
class CommittedEventsCache {
  private readonly entries = new Map<string, LoggedEvent>();
  private readonly queue: string[] = [];
  private head = 0;
  private size = 0;

  constructor(private readonly maxBytes: number) {}

  get(id: string): LoggedEvent | undefined {
    return this.entries.get(id);
  }

  put(event: LoggedEvent): void {
    while (this.size > this.maxBytes && this.head < this.queue.length) {
      const oldest = this.queue[this.head]!;
      this.head += 1;
      const evicted = this.entries.get(oldest);
      if (evicted !== undefined) {
        this.size -= entrySize(evicted);
        this.entries.delete(oldest);
      }
    }
    if (this.head > 1_024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    this.size += entrySize(event);
    this.queue.push(event.id);
    this.entries.set(event.id, event);
  }
}

/** 16 (Guid) + 4 (event number) + 8 (pointer) + the .NET string of the stream id, 8-byte aligned. */
function entrySize(event: LoggedEvent): number {
  const stringSize = 20 + event.streamId.length * 2 + 1;
  return 16 + 4 + 8 + Math.ceil(stringSize / 8) * 8;
}

function take<T>(items: T[], count: bigint): T[] {
  return count >= BigInt(items.length) ? items : items.slice(0, Number(count));
}

function recordSize(event: LoggedEvent): bigint {
  const text = new TextEncoder();
  return BigInt(
    text.encode(event.streamId).length + text.encode(event.type).length + event.data.length + event.customMetadata.length,
  );
}
