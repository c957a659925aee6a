/**
 * The EventStoreDB test double, checked through the official client alone: what the client
 * decodes from it must be what it decodes from EventStoreDB (results, error classes and fields).
 */
import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  DeadlineExceededError,
  END,
  EventStoreDBClient,
  excludeSystemEvents,
  FORWARDS,
  jsonEvent,
  MaxAppendSizeExceededError,
  NotLeaderError,
  START,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
} from '@eventstore/db-client';
import { startEventStoreDbTestDouble, type EventStoreDbTestDouble } from './eventstoredb-test-double';

const WAIT_MS = 5_000;

const event = (n: number) => jsonEvent({ id: randomUUID(), type: 'Counted', data: { n }, metadata: { by: 'test' } });

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** The next `count` events of a subscription, or a rejection after `WAIT_MS`. */
function take(subscription: AllStreamSubscription, count: number): Promise<AllStreamResolvedEvent[]> {
  return new Promise((resolve, reject) => {
    const taken: AllStreamResolvedEvent[] = [];
    const timer = setTimeout(() => done(new Error(`took ${taken.length} of ${count} events`)), WAIT_MS);
    const onData = (resolved: AllStreamResolvedEvent): void => {
      taken.push(resolved);
      if (taken.length === count) done();
    };
    const onError = (error: Error): void => done(error);
    const done = (error?: Error): void => {
      clearTimeout(timer);
      subscription.off('data', onData).off('error', onError).pause();
      if (error) reject(error);
      else resolve(taken);
    };
    subscription.on('data', onData).on('error', onError).resume();
  });
}

function errorOf(subscription: AllStreamSubscription): Promise<Error> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no error')), WAIT_MS);
    subscription.once('error', (error) => {
      clearTimeout(timer);
      resolve(error);
    });
  });
}

describe.each([
  { batchAppend: true, path: 'BatchAppend (advertised, as EventStoreDB >= 21.10)' },
  { batchAppend: false, path: 'unary Append (BatchAppend not advertised)' },
])('EventStoreDB test double, appends through $path', ({ batchAppend }) => {
  let double: EventStoreDbTestDouble;
  let client: EventStoreDBClient;

  beforeEach(async () => {
    double = await startEventStoreDbTestDouble({ batchAppend });
    client = EventStoreDBClient.connectionString(double.connectionString);
  });

  afterEach(async () => {
    await client.dispose();
    await double.stop();
  });

  it('appends with revisions from 0 and reads a stream both ways with ids, revisions and positions', async () => {
    const stream = `s-${randomUUID()}`;
    const events = [event(0), event(1), event(2)];

    const result = await client.appendToStream(stream, events, { expectedRevision: 'no_stream' });
    const forwards = await collect(client.readStream(stream, { direction: FORWARDS, fromRevision: START }));
    const backwards = await collect(client.readStream(stream, { direction: BACKWARDS, fromRevision: END, maxCount: 2 }));

    expect(result.nextExpectedRevision).toBe(2n);
    expect(forwards.map((e) => [e.event?.id, e.event?.revision, e.event?.data, e.event?.metadata])).toEqual(
      events.map((e, i) => [e.id, BigInt(i), e.data, e.metadata]),
    );
    expect(result.position?.commit).toBe(forwards[2]!.event!.position!.commit);
    expect(backwards.map((e) => e.event?.revision)).toEqual([2n, 1n]);
    expect(double.callsTo(batchAppend ? 'BatchAppend' : 'Append')).toBe(1);
    expect(double.callsTo(batchAppend ? 'Append' : 'BatchAppend')).toBe(0);
  });

  it('answers a read of a missing stream with StreamNotFoundError', async () => {
    await expect(collect(client.readStream(`missing-${randomUUID()}`))).rejects.toBeInstanceOf(StreamNotFoundError);
  });

  it('reports a wrong expected version as WrongExpectedVersionError with the stream, expected and actual revisions', async () => {
    const stream = `s-${randomUUID()}`;
    await client.appendToStream(stream, [event(0), event(1)]);

    const stale = await client.appendToStream(stream, [event(2)], { expectedRevision: 0n }).catch((e: unknown) => e);
    const missing = await client.appendToStream(`s-${randomUUID()}`, [event(0)], { expectedRevision: 3n }).catch((e: unknown) => e);
    const exists = await client.appendToStream(stream, [event(2)], { expectedRevision: 'no_stream' }).catch((e: unknown) => e);

    expect(stale).toBeInstanceOf(WrongExpectedVersionError);
    expect(stale).toMatchObject({ streamName: stream, expectedVersion: 0n, actualVersion: 1n });
    expect(missing).toMatchObject({ expectedVersion: 3n, actualVersion: 'no_stream' });
    expect(exists).toMatchObject({ expectedVersion: 'no_stream', actualVersion: 1n });
  });

  it("deduplicates by event id like EventStoreDB: same expected revision, or 'any' for known ids", async () => {
    const stream = `s-${randomUUID()}`;
    const batch = [event(0), event(1)];
    const first = await client.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
    await client.appendToStream(stream, [event(2)], { expectedRevision: 1n });

    const again = await client.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
    const againAny = await client.appendToStream(stream, batch, { expectedRevision: 'any' });
    // Part of a stored batch plus a new event: EventStoreDB's "corrupted idempotency".
    const partly = await client.appendToStream(stream, [batch[0]!, event(9)], { expectedRevision: 'no_stream' }).catch((e: unknown) => e);

    for (const result of [again, againAny]) {
      expect(result.nextExpectedRevision).toBe(1n);
      expect(result.position).toEqual(first.position);
    }
    expect(partly).toBeInstanceOf(WrongExpectedVersionError);
    expect((await collect(client.readStream(stream))).map((e) => e.event?.revision)).toEqual([0n, 1n, 2n]);
  });

  it('reads $all forwards from an inclusive position and backwards from the end, system events included', async () => {
    const stream = `s-${randomUUID()}`;
    await client.appendToStream(stream, [event(0), event(1), event(2)]);
    const all = await collect(client.readAll({ direction: FORWARDS, fromPosition: START }));
    const mine = all.filter((e) => e.event?.streamId === stream);

    const fromSecond = await collect(client.readAll({ fromPosition: mine[1]!.event!.position, maxCount: 5 }));
    const backwards = await collect(client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 2 }));

    expect(all.some((e) => e.event?.type.startsWith('$'))).toBe(true);
    expect(all.every((e) => e.event!.position.commit > 0n)).toBe(true);
    expect(fromSecond.map((e) => e.event?.id)).toEqual(mine.slice(1).map((e) => e.event?.id));
    expect(backwards.map((e) => e.event?.id)).toEqual([mine[2]!.event?.id, mine[1]!.event?.id]);
  });

  it('serves a filtered $all subscription: catch-up strictly after the position, then live, never a system event', async () => {
    const stream = `s-${randomUUID()}`;
    const past = await client.appendToStream(stream, [event(0), event(1)]);
    const subscription = client.subscribeToAll({ fromPosition: past.position!, filter: excludeSystemEvents() });
    try {
      await double.appendSystemEvent();
      await client.appendToStream(stream, [event(2)]);
      const delivered = await take(subscription, 1);

      expect(delivered.map((e) => e.event?.revision)).toEqual([2n]);
      expect(delivered[0]!.event!.position.commit > past.position!.commit).toBe(true);
    } finally {
      await subscription.unsubscribe();
    }
  });

  it('sends a checkpoint every window of events considered by a filter, system events included', async () => {
    const positions: bigint[] = [];
    let reached: () => void = () => undefined;
    const twoCheckpoints = new Promise<void>((resolve) => (reached = resolve));
    const subscription = client.subscribeToAll({
      fromPosition: START,
      filter: excludeSystemEvents({
        maxSearchWindow: 2,
        checkpointReached: (_subscription, position) => {
          positions.push(position.commit);
          if (positions.length === 2) reached();
        },
      }),
    });
    subscription.resume();
    try {
      // The four system events of a fresh double are enough for two windows of two.
      await withTimeout(twoCheckpoints);
      expect(positions[1]! > positions[0]!).toBe(true);
    } finally {
      await subscription.unsubscribe();
    }
  });

  it('cuts live subscriptions on dropConnections with an error the client reconnects after', async () => {
    const subscription = client.subscribeToAll({ fromPosition: END, filter: excludeSystemEvents() });
    subscription.resume();
    await new Promise((resolve) => subscription.once('confirmation', resolve));

    const [error] = await Promise.all([errorOf(subscription), double.dropConnections()]);

    expect((error as Error & { type?: string }).type).toBe('unavailable');
    await subscription.unsubscribe();
    const stream = `s-${randomUUID()}`;
    await client.appendToStream(stream, [event(0)]);
    expect(await collect(client.readStream(stream))).toHaveLength(1);
  });

  it('holds, like a used server, events of `$` streams whose type has no `$`: a persistent subscription checkpoint and a projection result', async () => {
    const all = await collect(client.readAll({ fromPosition: START }));

    const own = all.filter((e) => e.event?.streamId.startsWith('$') && !e.event.type.startsWith('$')).map((e) => e.event?.type);
    expect(own).toEqual(['SubscriptionCheckpoint', 'Result']);
    expect(all.map((e) => e.event?.type)).toContain('$statsCollected');
  });

  it('refuses, as EventStoreDB does, an append whose data + metadata + 2 × type length passes the maximum append size: MaxAppendSizeExceededError, nothing written', async () => {
    const small = await startEventStoreDbTestDouble({ batchAppend, maxAppendSize: 1_000 });
    const smallClient = EventStoreDBClient.connectionString(small.connectionString);
    try {
      // {"s":"…"} is n + 8 bytes, no metadata, type "Sized" counts 10.
      const sized = (n: number) => jsonEvent({ id: randomUUID(), type: 'Sized', data: { s: 'x'.repeat(n) } });
      const fits = `s-${randomUUID()}`;
      const over = `s-${randomUUID()}`;

      await smallClient.appendToStream(fits, [sized(482), sized(482)]);
      const refused = await smallClient.appendToStream(over, [sized(482), sized(483)]).catch((e: unknown) => e);

      expect(refused).toBeInstanceOf(MaxAppendSizeExceededError);
      expect(refused).toMatchObject({ maxAppendSize: 1_000 });
      expect(await collect(smallClient.readStream(fits))).toHaveLength(2);
      await expect(collect(smallClient.readStream(over))).rejects.toBeInstanceOf(StreamNotFoundError);
    } finally {
      await smallClient.dispose();
      await small.stop();
    }
  });

  it('enforces 1 MiB by default, the default of EventStoreDB 24.10 and KurrentDB 25.0', async () => {
    const stream = `s-${randomUUID()}`;
    const big = (n: number) => jsonEvent({ id: randomUUID(), type: 'Big', data: { s: 'x'.repeat(n) } });

    const refused = await client.appendToStream(stream, [big(524_288), big(524_288)]).catch((e: unknown) => e);
    await client.appendToStream(stream, [big(524_000), big(524_000)]);

    expect(refused).toMatchObject({ maxAppendSize: 1_048_576 });
    expect(await collect(client.readStream(stream))).toHaveLength(2);
  });

  it('answers an injected NotLeader as a follower does: NotLeaderError naming the leader, nothing written; the client reconnects there', async () => {
    const stream = `s-${randomUUID()}`;
    double.injectAppendFaults('not-leader');

    const refused = await client.appendToStream(stream, [event(0)]).catch((e: unknown) => e);
    await client.appendToStream(stream, [event(1)]);

    expect(refused).toBeInstanceOf(NotLeaderError);
    const port = Number(new URL(double.connectionString.replace('esdb://', 'http://')).port);
    expect(refused).toMatchObject({ leader: { address: '127.0.0.1', port } });
    expect((await collect(client.readStream(stream))).map((e) => e.event?.data)).toEqual([{ n: 1 }]);
    expect(double.pendingAppendFaults()).toBe(0);
  });

  it('answers an injected NotReady as EventStoreDB does on this path, nothing written', async () => {
    const stream = `s-${randomUUID()}`;
    double.injectAppendFaults('not-ready');

    const refused = await client.appendToStream(stream, [event(0)]).catch((e: unknown) => e);

    // Unary: UNAVAILABLE "Server Is Not Ready". BatchAppend: in band, an empty status the client does not know.
    if (batchAppend) expect(refused).toBeInstanceOf(UnknownError);
    else expect(refused).toBeInstanceOf(UnavailableError);
    expect((refused as Error).message).toContain('Server Is Not Ready');
    await expect(collect(client.readStream(stream))).rejects.toBeInstanceOf(StreamNotFoundError);
  });

  it('answers an injected write timeout as EventStoreDB does on this path, before the commit (nothing written) or after it (written)', async () => {
    const before = `s-${randomUUID()}`;
    const after = `s-${randomUUID()}`;
    double.injectAppendFaults('timeout-before-commit', 'timeout-after-commit');

    const first = await client.appendToStream(before, [event(0)]).catch((e: unknown) => e);
    const second = await client.appendToStream(after, [event(0)]).catch((e: unknown) => e);

    // Unary: ABORTED "Operation timed out"; BatchAppend: the in-band Timeout, raised as a deadline.
    for (const error of [first, second]) expect(error).toBeInstanceOf(batchAppend ? DeadlineExceededError : TimeoutError);
    await expect(collect(client.readStream(before))).rejects.toBeInstanceOf(StreamNotFoundError);
    expect(await collect(client.readStream(after))).toHaveLength(1);
  });

  it('rule: an append resent while its first send is written but not yet replicated is not a success (IdempotentNotReady: the server drops it and times out), nothing is written twice; once replicated, the resend is a success that writes nothing', async () => {
    const stream = `s-${randomUUID()}`;
    const zero = event(0);
    await client.appendToStream(stream, [zero]);
    const batch = [event(1), event(2)];
    const timeout = batchAppend ? DeadlineExceededError : TimeoutError;
    double.injectAppendFaults('timeout-not-replicated');

    const first = await client.appendToStream(stream, batch, { expectedRevision: 0n }).catch((e: unknown) => e);
    const resent = await client.appendToStream(stream, batch, { expectedRevision: 0n }).catch((e: unknown) => e);
    const resentAny = await client.appendToStream(stream, batch).catch((e: unknown) => e);

    for (const error of [first, resent, resentAny]) expect(error).toBeInstanceOf(timeout);
    if (!batchAppend) expect((first as Error).message).toMatch(/Commit phase timeout/);
    // Only committed records are read; the writer counts the batch all the same.
    expect((await collect(client.readStream(stream))).map((read) => read.event?.revision)).toEqual([0n]);
    expect(double.unreplicatedBatches()).toBe(1);
    const other = await client.appendToStream(stream, [event(3)], { expectedRevision: 0n }).catch((e: unknown) => e);
    expect(other).toBeInstanceOf(WrongExpectedVersionError);
    expect(other).toMatchObject({ expectedVersion: 0n, actualVersion: 2n });

    await double.replicate();
    const settled = await client.appendToStream(stream, batch, { expectedRevision: 0n });

    expect(settled).toMatchObject({ success: true, nextExpectedRevision: 2n });
    expect((await collect(client.readStream(stream))).map((read) => read.event?.id)).toEqual([zero.id, ...batch.map((e) => e.id)]);
  });

  it('replicates in log order: a later write that is replicated commits the one written before it, and subscribers see both in order', async () => {
    const stream = `s-${randomUUID()}`;
    const later = `s-${randomUUID()}`;
    double.injectAppendFaults('timeout-not-replicated');
    await client.appendToStream(stream, [event(0)]).catch(() => undefined);
    expect(double.unreplicatedBatches()).toBe(1);

    await client.appendToStream(later, [event(1)]);

    expect(double.unreplicatedBatches()).toBe(0);
    const all = (await collect(client.readAll({ direction: FORWARDS, fromPosition: START }))).map((read) => read.event?.streamId);
    expect(all.slice(-2)).toEqual([stream, later]);
  });

  it('cuts the call after committing when asked (unavailable-after-commit): the client sees the connection lost, the batch is written', async () => {
    const stream = `s-${randomUUID()}`;
    double.injectAppendFaults('unavailable-after-commit');

    const error = await client.appendToStream(stream, [event(0)]).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(UnavailableError);
    expect(await collect(client.readStream(stream))).toHaveLength(1);
  });

  it('refuses a read of $all from a position where no event starts, forwards and backwards, as the server does (UNKNOWN "InvalidPosition")', async () => {
    const stream = `s-${randomUUID()}`;
    const { position } = await client.appendToStream(stream, [event(0), event(1)]);
    const inside = { commit: position!.commit - 1n, prepare: position!.prepare - 1n };

    const forwards = await collect(client.readAll({ fromPosition: inside, maxCount: 5 })).catch((e: unknown) => e);
    const backwards = await collect(client.readAll({ direction: BACKWARDS, fromPosition: inside, maxCount: 5 })).catch((e: unknown) => e);

    for (const error of [forwards, backwards]) {
      expect(error).toBeInstanceOf(UnknownError);
      expect((error as Error).message).toContain('InvalidPosition');
    }
    // From the event's own position, and from the end of the log, reads work.
    expect(await collect(client.readAll({ fromPosition: position!, maxCount: 5 }))).toHaveLength(1);
  });

  it('refuses a subscription whose catch-up starts where no event starts (after confirming it), and goes live from past the last event', async () => {
    const stream = `s-${randomUUID()}`;
    const first = await client.appendToStream(stream, [event(0)]);
    const last = await client.appendToStream(stream, [event(1)]);

    const refused = client.subscribeToAll({ fromPosition: { commit: first.position!.commit + 1n, prepare: first.position!.prepare + 1n } });
    const failed = errorOf(refused);
    // The stream may report its end more than once: later reports are not this test's concern.
    refused.on('error', () => undefined);
    refused.resume();
    const error = await failed;
    await refused.unsubscribe();
    // Past the last event the server goes live without reading: nothing may be appended before it has.
    const live = client.subscribeToAll({ fromPosition: { commit: last.position!.commit + 1n, prepare: last.position!.prepare + 1n } });
    try {
      await new Promise((resolve) => live.once('confirmation', resolve));
      await client.appendToStream(stream, [event(2)]);
      const [delivered] = await take(live, 1);

      expect(error).toBeInstanceOf(UnknownError);
      expect(error.message).toContain('invalid position');
      expect(delivered!.event?.revision).toBe(2n);
    } finally {
      await live.unsubscribe();
    }
  });

  it("forgets ids for 'any' once they leave its bounded committed-events cache: a re-sent batch is then written again, as EventStoreDB does", async () => {
    // Each entry weighs 132 bytes for these stream names: the cache holds two or three.
    const forgetful = await startEventStoreDbTestDouble({ batchAppend, committedEventsCacheBytes: 300 });
    const forgetfulClient = EventStoreDBClient.connectionString(forgetful.connectionString);
    try {
      const stream = `s-${randomUUID()}`;
      const remembered = [event(0)];
      const forgotten = [event(1)];
      await forgetfulClient.appendToStream(stream, forgotten, { expectedRevision: 'any' });
      for (let i = 0; i < 3; i++) await forgetfulClient.appendToStream(`o-${randomUUID()}`, [event(9)], { expectedRevision: 'any' });
      await forgetfulClient.appendToStream(stream, remembered, { expectedRevision: 'any' });

      await forgetfulClient.appendToStream(stream, remembered, { expectedRevision: 'any' });
      await forgetfulClient.appendToStream(stream, forgotten, { expectedRevision: 'any' });

      expect((await collect(forgetfulClient.readStream(stream))).map((e) => e.event?.data)).toEqual([{ n: 1 }, { n: 0 }, { n: 1 }]);
    } finally {
      await forgetfulClient.dispose();
      await forgetful.stop();
    }
  });

  it('answers UNIMPLEMENTED for what it does not implement', async () => {
    const error = await client.deleteStream(`s-${randomUUID()}`).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 12 });
  });

  function withTimeout<T>(promise: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), WAIT_MS)));
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }
});
