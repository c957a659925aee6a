/**
 * What the port's contract means on EventStoreDB alone, run against the test double and, when
 * EVENTSTORE_URL is set, against that real server: EventStoreDB's own events, its maximum append
 * size, positions where no event starts, and (on the double, which can inject them) a
 * follower's NotLeader and writes left without an answer.
 */
import { collect, EventStoreError, type EventStore, type StoredEvent } from '@jalon/event-store';
import type { AppendFault } from '../doubles/eventstoredb/eventstoredb-test-double';
import { testEvent, testEvents, uniqueStreamId } from '../support/events';
import { takeFromSubscription, withTimeout } from '../support/subscription';

export interface EventStoreDbUnderTest {
  readonly store: EventStore;
  /** Writes, past the adapter, an event of `type` into the `$` stream `streamId`, as the server does on its own. */
  seedSystemEvent(streamId: string, type: string): Promise<void>;
  /** The test double only: the next appends fail as given. */
  injectAppendFaults?(...faults: AppendFault[]): void;
  dispose(): Promise<void>;
}

const DELIVERY_TIMEOUT_MS = 5_000;
/** EventStoreDB 24.10's and KurrentDB 25.0's default `MaxAppendSize`; Jalon's KurrentDB 25 compose files pin it. */
const MAX_APPEND_SIZE = 1_048_576;

export function describeEventStoreDbSpecifics(
  name: string,
  factory: () => Promise<EventStoreDbUnderTest>,
  capabilities: { readonly faults?: boolean } = {},
): void {
  describe(`EventStoreDB specifics: ${name}`, () => {
    let sut: EventStoreDbUnderTest;
    let store: EventStore;

    beforeEach(async () => {
      sut = await factory();
      store = sut.store;
    });

    afterEach(async () => {
      await sut.dispose();
    });

    const refusal = (promise: Promise<unknown>): Promise<unknown> =>
      promise.then(
        () => {
          throw new Error('expected a refusal');
        },
        (error: unknown) => error,
      );

    it("never hands out EventStoreDB's own events, by stream as well as by type: a `$` stream's event of any type is skipped by readAll, headPosition and subscriptions", async () => {
      const start = await store.headPosition();
      const streamId = uniqueStreamId('own-events');
      const subscription = store.subscribeToAll({ after: start });
      try {
        const first = await store.append(streamId, [testEvent()], { expectedRevision: 'no_stream' });
        // A persistent subscription's checkpoint before 24.10, a user projection's result, a `$` type.
        await sut.seedSystemEvent(`$persistentsubscription-${streamId}::group-checkpoint`, 'SubscriptionCheckpoint');
        await sut.seedSystemEvent(`$projections-${streamId}-result`, 'Result');
        await sut.seedSystemEvent(`$jalon-contract-${streamId}`, '$statsCollected');

        expect(await store.headPosition()).toBe(first.position);
        const read = await collect(store.readAll({ after: start }));
        expect(read.filter((e) => e.streamId.startsWith('$') || e.type.startsWith('$'))).toEqual([]);
        expect(read.filter((e) => e.streamId === streamId)).toHaveLength(1);
        expect(await collect(store.readAll({ after: start, types: ['SubscriptionCheckpoint', 'Result'] }))).toEqual([]);

        await store.append(streamId, [testEvent()], { expectedRevision: 0 });
        const delivered = await takeFromSubscription(subscription, 2, DELIVERY_TIMEOUT_MS);
        expect(delivered.map((e) => [e.streamId, e.revision])).toEqual([
          [streamId, 0],
          [streamId, 1],
        ]);
      } finally {
        await subscription.unsubscribe();
      }
    });

    it('refuses an append larger than the maximum append size with STREAM.APPEND_TOO_LARGE, in French, writing none of it; a batch under it is written', async () => {
      const streamId = uniqueStreamId('large');
      const sized = (bytes: number) => testEvent({ data: { text: 'x'.repeat(bytes) } });
      const tooLarge = [sized(MAX_APPEND_SIZE / 2), sized(MAX_APPEND_SIZE / 2)];

      const error = await refusal(store.append(streamId, tooLarge, { expectedRevision: 'no_stream' }));
      const fits = await store.append(streamId, [sized(300_000), sized(300_000)], { expectedRevision: 'no_stream' });

      expect(error).toBeInstanceOf(EventStoreError);
      expect(error).toMatchObject({ code: 'STREAM.APPEND_TOO_LARGE' });
      expect((error as Error).message).toMatch(/dépasse la taille maximale d’un ajout.*\(1048576 octets\) : rien n’a été écrit/);
      expect(fits).toMatchObject({ nextExpectedRevision: 1, written: true });
      expect((await collect(store.readStream(streamId))).map((e) => e.id)).not.toContain(tooLarge[0]!.id);
    });

    it('refuses to read or subscribe from a position where no event starts (one from another store) with EVENT_STORE.INVALID_POSITION', async () => {
      const streamId = uniqueStreamId('positions');
      await store.append(streamId, testEvents(2), { expectedRevision: 'no_stream' });
      const [first] = await collect(store.readStream(streamId));
      const inside = first!.position + 1n;

      const read = await refusal(collect(store.readAll({ after: inside })));
      const subscription = store.subscribeToAll({ after: inside });
      const subscribed = await withTimeout(
        refusal(subscription[Symbol.asyncIterator]().next()),
        DELIVERY_TIMEOUT_MS,
        'the subscription to fail',
      ).finally(() => subscription.unsubscribe());

      for (const error of [read, subscribed]) {
        expect(error).toBeInstanceOf(EventStoreError);
        expect(error).toMatchObject({ code: 'EVENT_STORE.INVALID_POSITION' });
        expect((error as Error).message).toContain(`position ${inside}`);
      }
      // From the event's own position, both work.
      expect((await collect(store.readAll({ after: first!.position }))).filter((e) => e.streamId === streamId)).toHaveLength(1);
    });

    if (capabilities.faults) {
      describe('failover and writes left without an answer', () => {
        const inject = (...faults: AppendFault[]) => {
          if (!sut.injectAppendFaults) throw new Error('the factory declared faults but did not provide injectAppendFaults');
          sut.injectAppendFaults(...faults);
        };
        const idsOf = async (streamId: string) => (await collect(store.readStream(streamId))).map((e: StoredEvent) => e.id);

        it("retries a follower's NotLeader on the leader the client switched to: the batch is written once", async () => {
          const streamId = uniqueStreamId('not-leader');
          const batch = testEvents(2);
          inject('not-leader');

          const result = await store.append(streamId, batch, { expectedRevision: 'no_stream' });

          expect(result).toMatchObject({ nextExpectedRevision: 1, written: true });
          expect(await idsOf(streamId)).toEqual(batch.map((e) => e.id));
        });

        it('settles a write that timed out after its commit by reading the tail: written true, stored once', async () => {
          const streamId = uniqueStreamId('timeout-after');
          await store.append(streamId, [testEvent()], { expectedRevision: 'no_stream' });
          const batch = testEvents(3);
          inject('timeout-after-commit');

          const result = await store.append(streamId, batch, { expectedRevision: 0 });

          expect(result).toMatchObject({ nextExpectedRevision: 3, written: true });
          expect((await idsOf(streamId)).slice(1)).toEqual(batch.map((e) => e.id));
        });

        it('writes again a batch whose write timed out before its commit: written true, stored once', async () => {
          const streamId = uniqueStreamId('timeout-before');
          const batch = testEvents(2);
          inject('timeout-before-commit');

          const result = await store.append(streamId, batch, { expectedRevision: 'no_stream' });

          expect(result).toMatchObject({ nextExpectedRevision: 1, written: true });
          expect(await idsOf(streamId)).toEqual(batch.map((e) => e.id));
        });

        it("settles a call cut after its commit the same way, for an 'any' append too", async () => {
          const streamId = uniqueStreamId('cut-after');
          const batch = testEvents(2);
          inject('unavailable-after-commit');

          const result = await store.append(streamId, batch, { expectedRevision: 'any' });

          expect(result).toMatchObject({ nextExpectedRevision: 1, written: true });
          expect(await idsOf(streamId)).toEqual(batch.map((e) => e.id));
        });
      });
    }
  });
}
