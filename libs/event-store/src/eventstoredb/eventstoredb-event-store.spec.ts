/**
 * What the EventStoreDB adapter promises beyond the shared contract (test/contract): how events
 * look inside EventStoreDB, system events, paging, resubscription, errors. Runs over gRPC against
 * the EventStoreDB test double; the contract suite also runs against a real server when
 * EVENTSTORE_URL is set.
 */
import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { collect, EventStoreError, type EventToAppend, type StoredEvent } from '../event-store.port';
import { startEventStoreDbTestDouble, type EventStoreDbTestDouble } from '../../../../test/doubles/eventstoredb/eventstoredb-test-double';
import { takeFromSubscription } from '../../../../test/support/subscription';
import { testEvent, testEvents, testMetadata, uniqueStreamId } from '../../../../test/support/events';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

const WAIT_MS = 5_000;

describe('EventStoreDbEventStore', () => {
  let double: EventStoreDbTestDouble;
  let store: EventStoreDbEventStore;
  let raw: EventStoreDBClient;

  beforeEach(async () => {
    double = await startEventStoreDbTestDouble();
    store = EventStoreDbEventStore.connect(double.connectionString);
    raw = EventStoreDBClient.connectionString(double.connectionString);
  });

  afterEach(async () => {
    await store.close();
    await raw.dispose();
    await double.stop();
  });

  it('writes EventStoreDB JSON events: the id kept, $correlationId/$causationId, actor, role, recordedAt and the schema version in metadata', async () => {
    const streamId = uniqueStreamId();
    const event = testEvent({
      type: 'ProgrammeOpened',
      version: 2,
      data: { title: 'Jalon' },
      metadata: testMetadata({ actorName: 'Ada', reason: 'because' }),
    });

    await store.append(streamId, [event], { expectedRevision: 'no_stream' });

    const [stored] = await collect(raw.readStream(streamId));
    expect(stored!.event).toMatchObject({ id: event.id, type: 'ProgrammeOpened', isJson: true, data: { title: 'Jalon' } });
    expect(stored!.event!.metadata).toStrictEqual({
      $correlationId: event.metadata.correlationId,
      $causationId: event.metadata.causationId,
      actor: event.metadata.actor,
      actorName: 'Ada',
      role: event.metadata.role,
      recordedAt: event.metadata.recordedAt,
      reason: 'because',
      schemaVersion: 2,
    });
  });

  it("skips EventStoreDB's system events in readAll, headPosition and subscriptions", async () => {
    const start = await store.headPosition();
    const streamId = uniqueStreamId();
    const subscription = store.subscribeToAll({ after: start });
    try {
      const first = await store.append(streamId, [testEvent()], { expectedRevision: 'no_stream' });
      await double.appendSystemEvent();

      expect(await store.headPosition()).toBe(first.position);
      expect((await collect(store.readAll({ after: start }))).map((e) => e.streamId)).toEqual([streamId]);

      await store.append(streamId, [testEvent()], { expectedRevision: 0 });
      const delivered = await takeFromSubscription(subscription, 2, WAIT_MS);
      expect(delivered.map((e) => [e.streamId, e.revision])).toEqual([
        [streamId, 0],
        [streamId, 1],
      ]);
    } finally {
      await subscription.unsubscribe();
    }
  });

  it('reads lazily, page by page: the first events of a long log cost one read', async () => {
    const start = await store.headPosition();
    const streamId = uniqueStreamId();
    for (let i = 0; i < 3; i++) {
      await store.append(streamId, testEvents(400), { expectedRevision: i === 0 ? 'no_stream' : i * 400 - 1 });
    }
    const readsBefore = double.callsTo('Read');

    const iterator = store.readAll({ after: start })[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.return?.();

    expect(double.callsTo('Read') - readsBefore).toBe(1);
    const all = await collect(store.readAll({ after: start }));
    expect(all.map((e) => e.revision)).toEqual(Array.from({ length: 1200 }, (_, i) => i));
    const forwards = await collect(store.readStream(streamId, { fromRevision: 450, maxCount: 600 }));
    expect(forwards.map((e) => e.revision)).toEqual(Array.from({ length: 600 }, (_, i) => 450 + i));
    const backwards = await collect(store.readStream(streamId, { direction: 'backwards', fromRevision: 1100 }));
    expect(backwards.map((e) => e.revision)).toEqual(Array.from({ length: 1101 }, (_, i) => 1100 - i));
  });

  it('resubscribes by itself after each dropped connection, from the last event received: no gap, no duplicate', async () => {
    const start = await store.headPosition();
    const streamId = uniqueStreamId();
    const subscription = store.subscribeToAll({ after: start });
    const delivered: StoredEvent[] = [];
    try {
      let revision = -1;
      for (let round = 0; round < 3; round++) {
        const subscriptionsBefore = double.callsTo('Read/subscription');
        await store.append(streamId, testEvents(2), { expectedRevision: revision < 0 ? 'no_stream' : revision });
        revision += 2;
        delivered.push(...(await takeFromSubscription(subscription, 2, WAIT_MS)));

        await double.dropConnections();
        // Appended while the subscription is down: it must catch them up when it comes back.
        await store.append(streamId, testEvents(1), { expectedRevision: revision });
        revision += 1;
        delivered.push(...(await takeFromSubscription(subscription, 1, 15_000)));
        expect(double.callsTo('Read/subscription')).toBeGreaterThan(subscriptionsBefore);
      }

      expect(delivered).toEqual(await collect(store.readAll({ after: start })));
    } finally {
      await subscription.unsubscribe();
    }
  }, 60_000);

  it('treats a batch that already is the stream tail as a no-op whatever the expected revision', async () => {
    const streamId = uniqueStreamId();
    const batch = testEvents(2);
    const original = await store.append(streamId, batch, { expectedRevision: 'no_stream' });

    const again = await store.append(streamId, batch, { expectedRevision: 7 });

    expect(again).toEqual({ ...original, written: false });
  });

  it('refuses an any-append of a batch partly stored already with STREAM.DUPLICATE_EVENT_ID', async () => {
    const streamId = uniqueStreamId();
    const [first, second] = testEvents(2) as [EventToAppend, EventToAppend];
    await store.append(streamId, [first, second], { expectedRevision: 'no_stream' });
    await store.append(streamId, [testEvent()], { expectedRevision: 1 });

    const error = await store.append(streamId, [first, testEvent()], { expectedRevision: 'any' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(EventStoreError);
    expect(error).toMatchObject({ code: 'STREAM.DUPLICATE_EVENT_ID' });
  });

  it('refuses to read as a Jalon event what another writer put in EventStoreDB', async () => {
    const streamId = uniqueStreamId();
    await raw.appendToStream(streamId, jsonEvent({ type: 'Foreign', data: { n: 1 } }));

    await expect(collect(store.readStream(streamId))).rejects.toMatchObject({ code: 'EVENT_STORE.UNREADABLE_EVENT' });
  });

  it('ends its live subscriptions on close and refuses to be used afterwards', async () => {
    const subscription = store.subscribeToAll();
    const pending = subscription[Symbol.asyncIterator]().next();

    await store.close();

    await expect(pending).resolves.toMatchObject({ done: true });
    await expect(store.headPosition()).rejects.toMatchObject({ code: 'EVENT_STORE.CLOSED' });
  });

  it('throws on a malformed connection string', () => {
    expect(() => EventStoreDbEventStore.connect('http://nowhere')).toThrow();
  });
});
