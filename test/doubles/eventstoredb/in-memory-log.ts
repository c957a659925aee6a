/**
 * TEST DOUBLE — the in-memory transaction log behind the EventStoreDB test double (see README.md).
 *
 * It keeps EventStoreDB's storage rules that a client can observe over gRPC: one global log whose
 * positions are byte offsets (so they grow, with gaps, and no event sits at 0 because a real log
 * opens with an epoch record), stream revisions from 0, and the write decision of EventStoreDB's
 * commit check (`IndexWriter.CheckCommit`): Ok, Idempotent, or WrongExpectedVersion, including
 * "corrupted idempotency" (a batch that is only partly stored), which the server reports as a
 * wrong expected version.
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

/** `currentRevision` -1n stands for "no stream", as EventStoreDB's internal version does. */
export type WriteOutcome =
  | { readonly kind: 'written' | 'idempotent'; readonly currentRevision: bigint; readonly position: bigint | undefined }
  | { readonly kind: 'wrong_expected_version'; readonly currentRevision: bigint };

export type StreamFrom = 'start' | 'end' | bigint;
export type Direction = 'forwards' | 'backwards';

/** Bytes a record takes besides its payload; any constant works, gaps are what matter. */
const RECORD_OVERHEAD = 88n;
/** Where the first event goes: the log opens with a chunk header and an epoch record. */
const FIRST_EVENT_POSITION = 1_536n;
const TICKS_PER_MS = 10_000n;

export class InMemoryLog {
  private readonly all: LoggedEvent[] = [];
  private readonly streams = new Map<string, LoggedEvent[]>();
  /** EventStoreDB's committed-events cache (used for `any`), here never evicted. */
  private readonly byId = new Map<string, LoggedEvent>();
  private readonly listeners = new Set<(event: LoggedEvent) => void>();
  private nextPosition = FIRST_EVENT_POSITION;

  append(streamId: string, expected: ExpectedVersion, proposed: readonly ProposedEvent[]): WriteOutcome {
    const stream = this.streams.get(streamId) ?? [];
    const current = BigInt(stream.length) - 1n;
    const ids = proposed.map((event) => event.id.toLowerCase());

    const decision = this.checkCommit(streamId, stream, expected, ids);
    if (decision.kind === 'wrong_expected_version') return { kind: 'wrong_expected_version', currentRevision: current };
    if (decision.kind === 'idempotent') {
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
    this.streams.set(streamId, [...stream, ...written]);
    for (const event of written) {
      this.all.push(event);
      this.byId.set(event.id, event);
    }
    // Listeners run after the whole batch is stored: a subscriber never sees half a batch.
    for (const event of written) for (const listener of [...this.listeners]) listener(event);
    const last = written[written.length - 1]!;
    return { kind: 'written', currentRevision: last.revision, position: last.position };
  }

  /** Writes an event as EventStoreDB itself does (statistics, settings…): `$`-prefixed type. */
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
   * exclusive (positions are post-positions there): EventStoreDB's `$all` read semantics.
   */
  readAll(from: StreamFrom, direction: Direction, count: bigint): LoggedEvent[] {
    if (direction === 'forwards') {
      if (from === 'end') return [];
      const start = from === 'start' ? 0 : this.all.findIndex((e) => e.position >= from);
      return start < 0 ? [] : take(this.all.slice(start), count);
    }
    if (from === 'start') return [];
    const before = from === 'end' ? this.all : this.all.filter((e) => e.position < from);
    return take([...before].reverse(), count);
  }

  /** Subscription catch-up: strictly after `after` (exclusive), everything from the start otherwise. */
  eventsAfter(after: bigint | undefined): LoggedEvent[] {
    return after === undefined ? [...this.all] : this.all.filter((e) => e.position > after);
  }

  /** Called synchronously after each stored event; returns the unsubscribe function. */
  onAppended(listener: (event: LoggedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
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
      // Best effort in EventStoreDB (a bounded cache of recent ids): the first id decides.
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

function take<T>(items: T[], count: bigint): T[] {
  return count >= BigInt(items.length) ? items : items.slice(0, Number(count));
}

function recordSize(event: LoggedEvent): bigint {
  const text = new TextEncoder();
  return BigInt(
    text.encode(event.streamId).length + text.encode(event.type).length + event.data.length + event.customMetadata.length,
  );
}
