/**
 * The event-store contract: every promise of `libs/event-store/src/event-store.port.ts`, run
 * against any adapter through a factory. Each `it` names the promise it protects.
 *
 * The suite tolerates a store that already holds events (a shared EventStoreDB): every test uses
 * its own streams and reads the log from the head position it found when it started. It does not
 * tolerate other writers during a test on the reads that are not filtered by stream (maxCount on
 * readAll).
 */
import {
  collect,
  isUnreadable,
  LookedUpStreamChangedError,
  UnreadableEventError,
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type StoredEvent,
  type Subscription,
  type UnreadableEvent,
} from '@jalon/event-store';
import { testEvent, testEvents, testMetadata, uniqueStreamId } from '../support/events';
import { nextFromSubscription, takeFromSubscription, withTimeout } from '../support/subscription';

export interface EventStoreUnderTest {
  store: EventStore;
  dispose(): Promise<void>;
  /** Optional: cut the connection under a live subscription, for adapters that have one. */
  interruptConnection?(): Promise<void>;
  /**
   * Optional: stores, past the adapter, an event of `type` at the end of `streamId` whose data is
   * not JSON (as a damaged file or another writer could leave it).
   */
  seedUnreadableEvent?(streamId: string, type: string): Promise<void>;
}

/** Generous bound for a subscription to deliver; only ever reached when the store is broken. */
const DELIVERY_TIMEOUT_MS = 5_000;
const RECONNECT_TIMEOUT_MS = 15_000;

/**
 * What the suite must know before any store exists: Jest registers tests synchronously, so whether
 * `interruptConnection` will be provided cannot be learnt from the (asynchronous) factory.
 */
export interface EventStoreCapabilities {
  /** The factory's stores come with `interruptConnection`: register the connection-loss test. */
  readonly interruptConnection?: boolean;
  /** The factory's stores come with `seedUnreadableEvent`: register the unreadable-event tests. */
  readonly unreadableEvents?: boolean;
}

export function describeEventStoreContract(
  name: string,
  factory: () => Promise<EventStoreUnderTest>,
  capabilities: EventStoreCapabilities = {},
): void {
  describe(`event store contract: ${name}`, () => {
    let sut: EventStoreUnderTest;
    let store: EventStore;

    beforeEach(async () => {
      sut = await factory();
      store = sut.store;
    });

    afterEach(async () => {
      await sut.dispose();
    });

    const readStream = (streamId: string, options?: Parameters<EventStore['readStream']>[1]) =>
      collect(store.readStream(streamId, options));

    /** Events of `streamIds` written after `start`, in global order. */
    const readAllOf = async (start: bigint, streamIds: readonly string[]) =>
      (await collect(store.readAll({ after: start }))).filter((e) => streamIds.includes(e.streamId));

    const expectStored = (stored: StoredEvent, appended: EventToAppend, streamId: string, revision: number) => {
      expect(stored).toStrictEqual({ ...appended, streamId, revision, position: stored.position });
      expect(typeof stored.position).toBe('bigint');
    };

    const expectWrongRevision = async (
      promise: Promise<unknown>,
      streamId: string,
      expected: number | 'no_stream' | 'any',
      actual: number | 'no_stream',
    ) => {
      const error: unknown = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(error).toMatchObject({ code: 'STREAM.WRONG_EXPECTED_REVISION', streamId, expected, actual });
    };

    describe('revisions and global order', () => {
      it("gives a new stream's first event revision 0 and each following event the next revision", async () => {
        const streamId = uniqueStreamId();
        const first = testEvents(3);
        const second = testEvents(2);

        const r1 = await store.append(streamId, first, { expectedRevision: 'no_stream' });
        const r2 = await store.append(streamId, second, { expectedRevision: 2 });

        expect(r1).toMatchObject({ nextExpectedRevision: 2, written: true });
        expect(r2).toMatchObject({ nextExpectedRevision: 4, written: true });
        const events = await readStream(streamId);
        expect(events.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
        [...first, ...second].forEach((appended, i) => expectStored(events[i]!, appended, streamId, i));
      });

      it('orders the events of every stream in one global order: positions strictly increase and readAll interleaves streams in append order', async () => {
        const start = await store.headPosition();
        const a = uniqueStreamId('order-a');
        const b = uniqueStreamId('order-b');
        const plan: Array<[string, EventToAppend[]]> = [
          [a, testEvents(2)],
          [b, testEvents(1)],
          [a, testEvents(1)],
          [b, testEvents(3)],
        ];
        const results: AppendResult[] = [];
        for (const [streamId, events] of plan) results.push(await store.append(streamId, events, { expectedRevision: 'any' }));

        const all = await readAllOf(start, [a, b]);
        expect(all.map((e) => e.id)).toEqual(plan.flatMap(([, events]) => events.map((e) => e.id)));
        for (let i = 1; i < all.length; i++) expect(all[i]!.position > all[i - 1]!.position).toBe(true);
        expect(all[0]!.position > start).toBe(true);
        // An append reports the position of its batch's last event.
        let seen = 0;
        plan.forEach(([, events], i) => {
          seen += events.length;
          expect(results[i]!.position).toBe(all[seen - 1]!.position);
        });
      });
    });

    describe('expected revision', () => {
      it('creates a stream when expecting no_stream', async () => {
        const streamId = uniqueStreamId();
        const event = testEvent();

        const result = await store.append(streamId, [event], { expectedRevision: 'no_stream' });

        expect(result).toMatchObject({ nextExpectedRevision: 0, written: true });
        expect(await readStream(streamId)).toHaveLength(1);
      });

      it('refuses no_stream on an existing stream with WrongExpectedRevisionError (streamId, expected, actual) and writes nothing', async () => {
        const streamId = uniqueStreamId();
        await store.append(streamId, testEvents(2), { expectedRevision: 'no_stream' });
        const start = await store.headPosition();

        await expectWrongRevision(
          store.append(streamId, testEvents(1), { expectedRevision: 'no_stream' }),
          streamId,
          'no_stream',
          1,
        );

        expect(await readStream(streamId)).toHaveLength(2);
        expect(await readAllOf(start, [streamId])).toEqual([]);
      });

      it("appends when the expected revision is exactly the stream's last revision", async () => {
        const streamId = uniqueStreamId();
        await store.append(streamId, testEvents(2), { expectedRevision: 'no_stream' });

        const result = await store.append(streamId, testEvents(1), { expectedRevision: 1 });

        expect(result).toMatchObject({ nextExpectedRevision: 2, written: true });
      });

      it('refuses a stale or future exact revision with WrongExpectedRevisionError (streamId, expected, actual) and writes nothing', async () => {
        const streamId = uniqueStreamId();
        await store.append(streamId, testEvents(3), { expectedRevision: 'no_stream' });
        const start = await store.headPosition();

        await expectWrongRevision(store.append(streamId, testEvents(1), { expectedRevision: 1 }), streamId, 1, 2);
        await expectWrongRevision(store.append(streamId, testEvents(1), { expectedRevision: 5 }), streamId, 5, 2);

        expect(await readStream(streamId)).toHaveLength(3);
        expect(await readAllOf(start, [streamId])).toEqual([]);
      });

      it('refuses an exact revision on a stream that does not exist, reporting actual no_stream, and writes nothing', async () => {
        const streamId = uniqueStreamId();

        await expectWrongRevision(
          store.append(streamId, testEvents(1), { expectedRevision: 0 }),
          streamId,
          0,
          'no_stream',
        );

        expect(await readStream(streamId)).toEqual([]);
      });

      it('appends with expected revision any whether or not the stream exists', async () => {
        const streamId = uniqueStreamId();

        const r1 = await store.append(streamId, testEvents(2), { expectedRevision: 'any' });
        const r2 = await store.append(streamId, testEvents(1), { expectedRevision: 'any' });

        expect(r1).toMatchObject({ nextExpectedRevision: 1, written: true });
        expect(r2).toMatchObject({ nextExpectedRevision: 2, written: true });
        expect((await readStream(streamId)).map((e) => e.revision)).toEqual([0, 1, 2]);
      });
    });

    describe('idempotent re-append', () => {
      it('treats a re-append of the same event ids with expected revision any as a no-op: written false, same revision and position, nothing duplicated', async () => {
        const streamId = uniqueStreamId();
        const batch = testEvents(3);
        const original = await store.append(streamId, batch, { expectedRevision: 'no_stream' });
        const start = await store.headPosition();

        const again = await store.append(streamId, batch, { expectedRevision: 'any' });

        expect(again).toEqual({ nextExpectedRevision: original.nextExpectedRevision, position: original.position, written: false });
        expect((await readStream(streamId)).map((e) => e.id)).toEqual(batch.map((e) => e.id));
        expect(await readAllOf(start, [streamId])).toEqual([]);
      });

      it('treats a re-append of the same event ids with the original expected revision (no_stream, then exact) as a no-op', async () => {
        const streamId = uniqueStreamId();
        const first = testEvents(2);
        const second = testEvents(2);
        const r1 = await store.append(streamId, first, { expectedRevision: 'no_stream' });
        const r2 = await store.append(streamId, second, { expectedRevision: 1 });
        const start = await store.headPosition();

        const again2 = await store.append(streamId, second, { expectedRevision: 1 });
        expect(again2).toEqual({ nextExpectedRevision: r2.nextExpectedRevision, position: r2.position, written: false });
        const again1 = await store.append(streamId, first, { expectedRevision: 'no_stream' });
        expect(again1.written).toBe(false);
        expect(r1.written).toBe(true);

        expect((await readStream(streamId)).map((e) => e.id)).toEqual([...first, ...second].map((e) => e.id));
        expect(await readAllOf(start, [streamId])).toEqual([]);
      });
    });

    describe('streams the decision read (look-ups, docs/decisions/0058)', () => {
      it('appends when every looked-up stream is still at the revision read, an absent one still absent', async () => {
        const [streamId, read, absent] = [uniqueStreamId(), uniqueStreamId(), uniqueStreamId()];
        await store.append(read, testEvents(2), { expectedRevision: 'no_stream' });

        const result = await store.append(streamId, testEvents(1), {
          expectedRevision: 'no_stream',
          lookedUp: [
            { streamId: read, revision: 1 },
            { streamId: absent, revision: 'no_stream' },
          ],
        });

        expect(result).toMatchObject({ nextExpectedRevision: 0, written: true });
        expect(await readStream(streamId)).toHaveLength(1);
      });

      it('refuses with LookedUpStreamChangedError (the looked-up stream, the revision read, its revision now) and writes nothing when a looked-up stream moved or was created', async () => {
        const [streamId, read, created] = [uniqueStreamId(), uniqueStreamId(), uniqueStreamId()];
        await store.append(read, testEvents(1), { expectedRevision: 'no_stream' });
        await store.append(streamId, testEvents(1), { expectedRevision: 'no_stream' });
        await store.append(read, testEvents(1), { expectedRevision: 0 });
        await store.append(created, testEvents(1), { expectedRevision: 'no_stream' });
        const start = await store.headPosition();

        for (const [lookedUp, actual] of [
          [{ streamId: read, revision: 0 }, 1],
          [{ streamId: created, revision: 'no_stream' }, 0],
        ] as const) {
          const error: unknown = await store.append(streamId, testEvents(1), { expectedRevision: 0, lookedUp: [lookedUp] }).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(error).toBeInstanceOf(LookedUpStreamChangedError);
          expect(error).toBeInstanceOf(WrongExpectedRevisionError);
          expect(error).toMatchObject({ code: 'STREAM.WRONG_EXPECTED_REVISION', streamId: lookedUp.streamId, expected: lookedUp.revision, actual, appendedTo: streamId });
        }

        expect(await readStream(streamId)).toHaveLength(1);
        expect(await readAllOf(start, [streamId, read, created])).toEqual([]);
      });

      it('treats a re-append of a batch already stored as a no-op, whatever its looked-up streams did since', async () => {
        const [streamId, read] = [uniqueStreamId(), uniqueStreamId()];
        await store.append(read, testEvents(1), { expectedRevision: 'no_stream' });
        const batch = testEvents(2);
        const original = await store.append(streamId, batch, { expectedRevision: 'no_stream', lookedUp: [{ streamId: read, revision: 0 }] });
        await store.append(read, testEvents(1), { expectedRevision: 0 });

        const again = await store.append(streamId, batch, { expectedRevision: 'no_stream', lookedUp: [{ streamId: read, revision: 0 }] });

        expect(again).toEqual({ nextExpectedRevision: original.nextExpectedRevision, position: original.position, written: false });
        expect(await readStream(streamId)).toHaveLength(2);
      });
    });

    describe('atomic batches', () => {
      it('writes a whole batch with consecutive revisions and adjacent positions in the global order', async () => {
        const start = await store.headPosition();
        const streamId = uniqueStreamId();
        const batch = testEvents(25);

        const result = await store.append(streamId, batch, { expectedRevision: 'no_stream' });

        const all = await readAllOf(start, [streamId]);
        expect(all.map((e) => e.id)).toEqual(batch.map((e) => e.id));
        expect(all.map((e) => e.revision)).toEqual(batch.map((_, i) => i));
        expect(result.position).toBe(all[24]!.position);
      });

      it('writes none of the events of a batch whose expected revision is wrong', async () => {
        const streamId = uniqueStreamId();
        await store.append(streamId, testEvents(2), { expectedRevision: 'no_stream' });
        const start = await store.headPosition();
        const batch = testEvents(5);

        await expect(store.append(streamId, batch, { expectedRevision: 0 })).rejects.toBeInstanceOf(WrongExpectedRevisionError);

        const ids = (await readStream(streamId)).map((e) => e.id);
        expect(ids).toHaveLength(2);
        for (const event of batch) expect(ids).not.toContain(event.id);
        expect(await readAllOf(start, [streamId])).toEqual([]);
      });

      it('refuses an empty batch and writes nothing', async () => {
        const streamId = uniqueStreamId();

        await expect(store.append(streamId, [], { expectedRevision: 'any' })).rejects.toBeInstanceOf(Error);
        await expect(store.append(streamId, [], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(Error);

        expect(await readStream(streamId)).toEqual([]);
      });
    });

    describe('readStream', () => {
      let streamId: string;
      let appended: EventToAppend[];

      beforeEach(async () => {
        streamId = uniqueStreamId();
        appended = testEvents(6);
        await store.append(streamId, appended.slice(0, 4), { expectedRevision: 'no_stream' });
        // Another stream in between, so a stream read must skip other streams' events.
        await store.append(uniqueStreamId('noise'), testEvents(2), { expectedRevision: 'no_stream' });
        await store.append(streamId, appended.slice(4), { expectedRevision: 3 });
      });

      it('reads a stream forwards from its first event by default', async () => {
        const events = await readStream(streamId);
        expect(events.map((e) => e.id)).toEqual(appended.map((e) => e.id));
        expect(await readStream(streamId, { direction: 'forwards' })).toEqual(events);
        appended.forEach((event, i) => expectStored(events[i]!, event, streamId, i));
      });

      it('reads a stream backwards from its last event', async () => {
        const events = await readStream(streamId, { direction: 'backwards' });
        expect(events.map((e) => e.revision)).toEqual([5, 4, 3, 2, 1, 0]);
        expect(events.map((e) => e.id)).toEqual([...appended].reverse().map((e) => e.id));
      });

      it('reads from an inclusive fromRevision, forwards and backwards', async () => {
        expect((await readStream(streamId, { fromRevision: 2 })).map((e) => e.revision)).toEqual([2, 3, 4, 5]);
        expect((await readStream(streamId, { direction: 'backwards', fromRevision: 2 })).map((e) => e.revision)).toEqual([2, 1, 0]);
        expect(await readStream(streamId, { fromRevision: 6 })).toEqual([]);
      });

      it('reads at most maxCount events, forwards and backwards', async () => {
        expect((await readStream(streamId, { maxCount: 2 })).map((e) => e.revision)).toEqual([0, 1]);
        expect((await readStream(streamId, { fromRevision: 3, maxCount: 2 })).map((e) => e.revision)).toEqual([3, 4]);
        expect((await readStream(streamId, { direction: 'backwards', maxCount: 2 })).map((e) => e.revision)).toEqual([5, 4]);
        expect(
          (await readStream(streamId, { direction: 'backwards', fromRevision: 1, maxCount: 5 })).map((e) => e.revision),
        ).toEqual([1, 0]);
        expect((await readStream(streamId, { maxCount: 100 })).map((e) => e.revision)).toEqual([0, 1, 2, 3, 4, 5]);
      });

      it('reads a stream that does not exist as empty, in both directions', async () => {
        const missing = uniqueStreamId('missing');
        expect(await readStream(missing)).toEqual([]);
        expect(await readStream(missing, { direction: 'backwards' })).toEqual([]);
      });
    });

    describe('readAll and headPosition', () => {
      it('reads every stream strictly after an exclusive position', async () => {
        const start = await store.headPosition();
        const a = uniqueStreamId('after-a');
        const b = uniqueStreamId('after-b');
        await store.append(a, testEvents(2), { expectedRevision: 'no_stream' });
        const checkpoint = await store.append(b, testEvents(2), { expectedRevision: 'no_stream' });
        await store.append(a, testEvents(2), { expectedRevision: 1 });

        const everything = await readAllOf(start, [a, b]);
        const afterCheckpoint = await readAllOf(checkpoint.position, [a, b]);

        expect(everything).toHaveLength(6);
        expect(afterCheckpoint).toEqual(everything.slice(4));
        expect(afterCheckpoint.every((e) => e.position > checkpoint.position)).toBe(true);
      });

      it('reads at most maxCount events from the global log', async () => {
        const start = await store.headPosition();
        const streamId = uniqueStreamId();
        await store.append(streamId, testEvents(5), { expectedRevision: 'no_stream' });

        const all = await collect(store.readAll({ after: start }));
        const limited = await collect(store.readAll({ after: start, maxCount: 3 }));

        expect(limited).toHaveLength(3);
        expect(limited).toEqual(all.slice(0, 3));
      });

      it('reads only the events of the types asked for, in global order, after an exclusive position, maxCount counting those only', async () => {
        const start = await store.headPosition();
        const a = uniqueStreamId('types-a');
        const b = uniqueStreamId('types-b');
        await store.append(a, [...testEvents(2, 'TestKept'), ...testEvents(2, 'TestSkipped')], { expectedRevision: 'no_stream' });
        const checkpoint = await store.append(b, testEvents(1, 'TestAlsoKept'), { expectedRevision: 'no_stream' });
        await store.append(a, testEvents(3, 'TestKept'), { expectedRevision: 3 });
        const all = await readAllOf(start, [a, b]);
        const kept = all.filter((e) => e.type !== 'TestSkipped');

        const ofTypes = (options: { after: bigint; maxCount?: number }) =>
          collect(store.readAll({ ...options, types: ['TestKept', 'TestAlsoKept'] })).then((events) => events.filter((e) => [a, b].includes(e.streamId)));

        expect(await ofTypes({ after: start })).toEqual(kept);
        expect(await ofTypes({ after: checkpoint.position })).toEqual(kept.slice(3));
        expect(await ofTypes({ after: start, maxCount: 4 })).toEqual(kept.slice(0, 4));
        expect(await collect(store.readAll({ after: start, types: [] }))).toEqual([]);
      });

      it('reads only the events that took effect by a day (data.effectiveDate not after it), and those without an effective date', async () => {
        const start = await store.headPosition();
        const streamId = uniqueStreamId('effective');
        const on = (effectiveDate: unknown) => testEvent({ data: effectiveDate === undefined ? { n: 0 } : { effectiveDate } });
        await store.append(streamId, [on('2023-06-29'), on('2023-07-01'), on('2023-06-30'), on(undefined), on(20230701), on('2024-01-01')], {
          expectedRevision: 'no_stream',
        });

        const until = await collect(store.readAll({ after: start, effectiveUntil: '2023-06-30' }));
        const withTypes = await collect(store.readAll({ after: start, effectiveUntil: '2023-06-30', types: ['TestEventRecorded'], maxCount: 2 }));

        expect(until.filter((e) => e.streamId === streamId).map((e) => e.revision)).toEqual([0, 2, 3, 4]);
        expect(withTypes.map((e) => e.revision)).toEqual([0, 2]);
      });

      it('reads one stretch of the log: only the events up to a position (inclusive), with or without other filters', async () => {
        const start = await store.headPosition();
        const streamId = uniqueStreamId('stretch');
        const appended = await store.append(streamId, [testEvent({ data: { effectiveDate: '2023-06-29' } }), testEvent({ data: { effectiveDate: '2023-07-01' } }), testEvent({ data: { effectiveDate: '2023-06-30' } }), testEvent({ data: { effectiveDate: '2023-06-01' } })], {
          expectedRevision: 'no_stream',
        });
        const stretch = (await collect(store.readAll({ after: start }))).filter((e) => e.streamId === streamId);
        const third = stretch[2]!.position;

        const upTo = (await collect(store.readAll({ after: start, upTo: third }))).filter((e) => e.streamId === streamId);
        const upToAndUntil = (await collect(store.readAll({ after: start, upTo: third, effectiveUntil: '2023-06-30' }))).filter((e) => e.streamId === streamId);

        expect(appended.position).toBe(stretch[3]!.position);
        expect(upTo.map((e) => e.revision)).toEqual([0, 1, 2]);
        expect(upToAndUntil.map((e) => e.revision)).toEqual([0, 2]);
      });

      it('reads the whole log from the beginning when no position is given', async () => {
        const streamId = uniqueStreamId();
        await store.append(streamId, testEvents(3), { expectedRevision: 'no_stream' });

        const all = await collect(store.readAll());

        expect(all.filter((e) => e.streamId === streamId).map((e) => e.revision)).toEqual([0, 1, 2]);
        for (let i = 1; i < all.length; i++) expect(all[i]!.position > all[i - 1]!.position).toBe(true);
      });

      it("reports headPosition 0n when the store is empty, then the newest event's position", async () => {
        const [oldest] = await collect(store.readAll({ maxCount: 1 }));
        const head = await store.headPosition();
        if (oldest === undefined) expect(head).toBe(0n);
        else expect(head >= oldest.position).toBe(true);

        const result = await store.append(uniqueStreamId(), testEvents(2), { expectedRevision: 'no_stream' });

        expect(await store.headPosition()).toBe(result.position);
      });
    });

    describe('storeId and eventAt', () => {
      it('keeps one store id, the same at every call, and another store has another one', async () => {
        const id = await store.storeId();

        expect(typeof id).toBe('string');
        expect(id.length).toBeGreaterThanOrEqual(8);
        expect(await store.storeId()).toBe(id);
        const other = await factory();
        try {
          expect(await other.store.storeId()).not.toBe(id);
        } finally {
          await other.dispose();
        }
      });

      it('writes nothing that readAll, headPosition or a subscription show when it names the store', async () => {
        const head = await store.headPosition();
        const before = await collect(store.readAll({ after: head }));

        await store.storeId();
        const streamId = uniqueStreamId();
        const result = await store.append(streamId, [testEvent()], { expectedRevision: 'no_stream' });

        expect(before).toEqual([]);
        expect((await collect(store.readAll({ after: head }))).map((e) => e.streamId)).toEqual([streamId]);
        expect(await store.headPosition()).toBe(result.position);
        const subscription = store.subscribeToAll({ after: head });
        try {
          const [first] = await takeFromSubscription(subscription, 1, DELIVERY_TIMEOUT_MS);
          expect(first!.streamId).toBe(streamId);
        } finally {
          await subscription.unsubscribe();
        }
      });

      it('gives the event at exactly a position, as readAll gives it, and none at 0n, between two events or past the head', async () => {
        const start = await store.headPosition();
        const streamId = uniqueStreamId();
        await store.append(streamId, testEvents(3), { expectedRevision: 'no_stream' });
        const written = await readAllOf(start, [streamId]);

        for (const event of written) expect(await store.eventAt(event.position)).toStrictEqual(event);
        expect(await store.eventAt(0n)).toBeUndefined();
        const head = await store.headPosition();
        // Past the head on the embedded store; inside the last event on EventStoreDB (positions are byte offsets).
        expect(await store.eventAt(head + 1n)).toBeUndefined();
        expect(await store.eventAt(head + 1_000_000n)).toBeUndefined();
        const gap = written[1]!.position - written[0]!.position;
        if (gap > 1n) expect(await store.eventAt(written[0]!.position + 1n)).toBeUndefined();
      });
    });

    describe('round trip', () => {
      it('returns type, version, data and metadata exactly as appended, unicode included, from every read', async () => {
        const start = await store.headPosition();
        const streamId = uniqueStreamId();
        const full = testEvent({
          type: 'ProgrammeBudgetRevised',
          version: 3,
          data: {
            title: 'Au cœur des territoires',
            amount: '786 000,00 €',
            emoji: '🏛️ Île-de-France — « ça »',
            count: 42,
            ratio: 0.125,
            negative: -7,
            flag: true,
            nothing: null,
            list: [1, 'deux', { trois: [3] }],
            nested: { deep: { deeper: 'ünïcødé', empty: {}, emptyList: [] } },
          },
          metadata: testMetadata({
            actor: 'user-42',
            actorName: 'Élodie Müller-Ørsted',
            role: 'programme-manager',
            reason: 'Révision budgétaire : « erreur de saisie »',
          }),
        });
        const minimal = testEvent({ type: 'ProgrammeClosed', version: 1, data: {}, metadata: testMetadata({ actor: 'system' }) });

        const subscription = store.subscribeToAll({ after: start });
        try {
          await store.append(streamId, [full, minimal], { expectedRevision: 'no_stream' });

          const fromStream = await readStream(streamId);
          const fromAll = await readAllOf(start, [streamId]);
          const fromSubscription = await takeFromSubscription(subscription, 2, DELIVERY_TIMEOUT_MS, (e) => e.streamId === streamId);

          for (const events of [fromStream, fromAll, fromSubscription]) {
            expectStored(events[0]!, full, streamId, 0);
            expectStored(events[1]!, minimal, streamId, 1);
          }
          expect(fromAll).toEqual(fromStream);
          expect(fromSubscription).toEqual(fromStream);
        } finally {
          await subscription.unsubscribe();
        }
      });
    });

    describe('subscribeToAll', () => {
      it('catches up from the start of the log, then delivers events appended afterwards, in global order', async () => {
        const a = uniqueStreamId('sub-a');
        const b = uniqueStreamId('sub-b');
        const mine = (e: StoredEvent) => e.streamId === a || e.streamId === b;
        const past = [testEvents(2), testEvents(2)];
        await store.append(a, past[0]!, { expectedRevision: 'no_stream' });
        await store.append(b, past[1]!, { expectedRevision: 'no_stream' });

        const subscription = store.subscribeToAll();
        try {
          const caughtUp = await takeFromSubscription(subscription, 4, DELIVERY_TIMEOUT_MS, mine);
          expect(caughtUp.map((e) => e.id)).toEqual(past.flat().map((e) => e.id));

          const live = [testEvents(1), testEvents(3), testEvents(1)];
          await store.append(b, live[0]!, { expectedRevision: 1 });
          await store.append(a, live[1]!, { expectedRevision: 1 });
          await store.append(b, live[2]!, { expectedRevision: 2 });
          const delivered = await takeFromSubscription(subscription, 5, DELIVERY_TIMEOUT_MS, mine);

          expect(delivered.map((e) => e.id)).toEqual(live.flat().map((e) => e.id));
          expect([...caughtUp, ...delivered]).toEqual(await readAllOf(0n, [a, b]));
        } finally {
          await subscription.unsubscribe();
        }
      });

      it('delivers live events to a subscription started on a quiet store, as they are appended', async () => {
        const streamId = uniqueStreamId();
        const subscription = store.subscribeToAll({ after: await store.headPosition() });
        try {
          for (let i = 0; i < 3; i++) {
            const event = testEvent({ data: { n: i } });
            await store.append(streamId, [event], { expectedRevision: i === 0 ? 'no_stream' : i - 1 });
            const [delivered] = await takeFromSubscription(subscription, 1, DELIVERY_TIMEOUT_MS, (e) => e.streamId === streamId);
            expectStored(delivered!, event, streamId, i);
          }
        } finally {
          await subscription.unsubscribe();
        }
      });

      it('resumes strictly after a checkpoint position, without redelivering the events up to it', async () => {
        const streamId = uniqueStreamId();
        const mine = (e: StoredEvent) => e.streamId === streamId;
        const batch = testEvents(4);
        await store.append(streamId, batch.slice(0, 2), { expectedRevision: 'no_stream' });
        const checkpoint = (await store.append(streamId, batch.slice(2, 3), { expectedRevision: 1 })).position;
        await store.append(streamId, batch.slice(3), { expectedRevision: 2 });

        const subscription = store.subscribeToAll({ after: checkpoint });
        try {
          const [first] = await takeFromSubscription(subscription, 1, DELIVERY_TIMEOUT_MS, mine);
          expect(first!.id).toBe(batch[3]!.id);
          expect(first!.position > checkpoint).toBe(true);

          const live = testEvent();
          await store.append(streamId, [live], { expectedRevision: 3 });
          const [next] = await takeFromSubscription(subscription, 1, DELIVERY_TIMEOUT_MS, mine);
          expect(next!.id).toBe(live.id);
        } finally {
          await subscription.unsubscribe();
        }
      });

      it('ends the iteration on unsubscribe: a pending next() resolves as done', async () => {
        const subscription = store.subscribeToAll({ after: await store.headPosition() });

        const pending = nextFromSubscription(subscription, DELIVERY_TIMEOUT_MS);
        await subscription.unsubscribe();

        await expect(pending).resolves.toMatchObject({ done: true });
      });

      it('ends a for-await loop over a subscription when it is unsubscribed', async () => {
        const streamId = uniqueStreamId();
        const subscription = store.subscribeToAll({ after: await store.headPosition() });
        const received: StoredEvent[] = [];
        const loop = (async () => {
          for await (const event of subscription) {
            if (event.streamId !== streamId) continue;
            received.push(event);
            if (received.length === 2) await subscription.unsubscribe();
          }
        })();

        await store.append(streamId, testEvents(2), { expectedRevision: 'no_stream' });

        await withTimeout(loop, DELIVERY_TIMEOUT_MS, 'the for-await loop to end');
        expect(received.map((e) => e.revision)).toEqual([0, 1]);
      });
    });

    if (capabilities.unreadableEvents) {
      describe('unreadable events', () => {
        /** A stream of two events, one undecodable (revision 2, type TestBroken), one more. */
        const seedStream = async () => {
          if (!sut.seedUnreadableEvent) throw new Error('the factory declared unreadableEvents but did not provide seedUnreadableEvent');
          const start = await store.headPosition();
          const streamId = uniqueStreamId('unreadable');
          const before = testEvents(2);
          const after = testEvent();
          await store.append(streamId, before, { expectedRevision: 'no_stream' });
          await sut.seedUnreadableEvent(streamId, 'TestBroken');
          // Appending behind it works: only its data is damaged, the stream's revisions are not.
          await store.append(streamId, [after], { expectedRevision: 2 });
          return { start, streamId, before, after };
        };

        const failureOf = async (iterable: AsyncIterable<unknown>, seen: unknown[] = []): Promise<unknown> => {
          try {
            for await (const item of iterable) seen.push(item);
          } catch (error) {
            return error;
          }
          throw new Error('the read ended without an error');
        };

        const expectNamed = (error: unknown, streamId: string) => {
          expect(error).toBeInstanceOf(UnreadableEventError);
          const { event } = error as UnreadableEventError;
          expect(event).toMatchObject({ unreadable: true, streamId, revision: 2, type: 'TestBroken' });
          expect(typeof event.position).toBe('bigint');
          expect((error as Error).message).toContain(streamId);
          expect((error as Error).message).toContain('révision 2');
          expect((error as Error).message).toContain(`position ${event.position}`);
          return event;
        };

        it('readStream yields the events before an undecodable one, then throws an UnreadableEventError naming its stream, revision and position', async () => {
          const { streamId, before } = await seedStream();

          const seen: StoredEvent[] = [];
          const error = await failureOf(store.readStream(streamId), seen);

          expect(seen.map((e) => e.id)).toEqual(before.map((e) => e.id));
          expect(error).toMatchObject({ code: 'EVENT_STORE.UNREADABLE_EVENT' });
          expectNamed(error, streamId);
          expectNamed(await failureOf(store.readStream(streamId, { direction: 'backwards' })), streamId);
        });

        it('readAll throws it; with includeUnreadable it yields it in its place, as an UnreadableEvent, and goes on past it', async () => {
          const { start, streamId, before, after } = await seedStream();

          const named = expectNamed(await failureOf(store.readAll({ after: start })), streamId);
          const all = (await collect(store.readAll({ after: start, includeUnreadable: true }))).filter((e) => e.streamId === streamId);

          expect(all.map((e) => (isUnreadable(e) ? 'unreadable' : e.id))).toEqual([...before.map((e) => e.id), 'unreadable', after.id]);
          const unreadable = all[2] as UnreadableEvent;
          expect(unreadable).toMatchObject({ unreadable: true, streamId, revision: 2, position: named.position, type: 'TestBroken' });
          expect(unreadable.reason).not.toBe('');
          expect(all[1]!.position < unreadable.position && unreadable.position < all[3]!.position).toBe(true);
          expect(await store.headPosition()).toBe(all[3]!.position);
        });

        it('eventAt gives it as an UnreadableEvent naming its place', async () => {
          const { start, streamId } = await seedStream();
          const unreadable = (await collect(store.readAll({ after: start, includeUnreadable: true }))).find((e) => e.streamId === streamId && isUnreadable(e))!;

          expect(await store.eventAt(unreadable.position)).toMatchObject({ unreadable: true, streamId, revision: 2, position: unreadable.position });
        });

        it('readAll of other types never decodes it, and readAll up to a day hands it over as unreadable (its date cannot be known)', async () => {
          const { start, streamId, before, after } = await seedStream();

          const ofOtherTypes = await collect(store.readAll({ after: start, types: ['TestEventRecorded'] }));
          const untilDay = (await collect(store.readAll({ after: start, effectiveUntil: '2023-06-30', includeUnreadable: true }))).filter((e) => e.streamId === streamId);

          expect(ofOtherTypes.filter((e) => e.streamId === streamId).map((e) => e.id)).toEqual([...before, after].map((e) => e.id));
          expect(untilDay.map((e) => (isUnreadable(e) ? e.revision : e.id))).toEqual([...before.map((e) => e.id), 2, after.id]);
          expectNamed(await failureOf(store.readAll({ after: start, effectiveUntil: '2023-06-30' })), streamId);
        });

        it('a subscription delivers every event before it, then ends with the UnreadableEventError; subscribed again after its position, it goes on', async () => {
          const start = await store.headPosition();
          const subscription = store.subscribeToAll({ after: start });
          let again: Subscription | undefined;
          try {
            const { streamId, before, after } = await seedStream();
            const mine = (e: StoredEvent) => e.streamId === streamId;
            const delivered = await takeFromSubscription(subscription, 2, DELIVERY_TIMEOUT_MS, mine);
            expect(delivered.map((e) => e.id)).toEqual(before.map((e) => e.id));
            let error: unknown;
            while (error === undefined) {
              const next = await nextFromSubscription(subscription, DELIVERY_TIMEOUT_MS).catch((e: unknown) => e);
              if (next instanceof Error) error = next;
              else if ((next as IteratorResult<StoredEvent>).done) throw new Error('the subscription ended without an error');
              else if (mine((next as IteratorResult<StoredEvent>).value)) throw new Error('the subscription delivered an event past the unreadable one');
            }
            const named = expectNamed(error, streamId);

            again = store.subscribeToAll({ after: named.position });
            const [next] = await takeFromSubscription(again, 1, DELIVERY_TIMEOUT_MS, mine);
            expect(next!.id).toBe(after.id);
          } finally {
            await subscription.unsubscribe();
            await again?.unsubscribe();
          }
        });
      });
    }

    if (capabilities.interruptConnection) {
      describe('connection loss', () => {
        it('keeps delivering live events to a subscription after the connection is cut', async () => {
          if (!sut.interruptConnection) throw new Error('the factory declared interruptConnection but did not provide it');
          const streamId = uniqueStreamId();
          const mine = (e: StoredEvent) => e.streamId === streamId;
          const before = testEvents(2);
          const after = testEvents(2);
          const subscription = store.subscribeToAll({ after: await store.headPosition() });
          try {
            await store.append(streamId, before, { expectedRevision: 'no_stream' });
            const delivered = await takeFromSubscription(subscription, 2, DELIVERY_TIMEOUT_MS, mine);

            await sut.interruptConnection();
            await store.append(streamId, after, { expectedRevision: 1 });
            delivered.push(...(await takeFromSubscription(subscription, 2, RECONNECT_TIMEOUT_MS, mine)));

            expect(delivered.map((e) => e.id)).toEqual([...before, ...after].map((e) => e.id));
          } finally {
            await subscription.unsubscribe();
          }
        }, RECONNECT_TIMEOUT_MS + 10_000);
      });
    }
  });
}
