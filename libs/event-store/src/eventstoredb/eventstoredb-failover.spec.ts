/**
 * How the EventStoreDB adapter rides out a cluster's failures, against the test double's injected
 * faults, on both append paths of the client: which refusals it retries and how long, what it
 * raises when the attempts run out, the server versions and connection strings it accepts.
 */
import { collect, EventStoreError, WrongExpectedRevisionError } from '../event-store.port';
import { STORE_OUTCOME_UNKNOWN, STORE_UNAVAILABLE } from '../store-health';
import { startEventStoreDbTestDouble, type EventStoreDbTestDouble } from '../../../../test/doubles/eventstoredb/eventstoredb-test-double';
import { testEvents, uniqueStreamId } from '../../../../test/support/events';
import { withTimeout } from '../../../../test/support/subscription';
import { EventStoreDbEventStore, type RetryDelays } from './eventstoredb-event-store';

/** Short waits, the same shape as the defaults: 2 retries without an answer, 3 after NotLeader, 5 while not ready or not replicated. */
const FAST: RetryDelays = { noAnswerMs: [1, 1], notLeaderMs: [1, 1, 1], notReadyMs: [1, 2, 3, 4, 5], notReplicatedMs: [1, 2, 3, 4, 5] };

/** Resolves once `condition` holds, looking again at each turn of the event loop. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

describe.each([
  { batchAppend: true, path: 'BatchAppend' },
  { batchAppend: false, path: 'unary Append' },
])('EventStoreDbEventStore under failures ($path)', ({ batchAppend }) => {
  let double: EventStoreDbTestDouble;
  let store: EventStoreDbEventStore;

  beforeEach(async () => {
    double = await startEventStoreDbTestDouble({ batchAppend });
    store = EventStoreDbEventStore.connect(double.connectionString, { retryDelays: FAST });
  });

  afterEach(async () => {
    await store.close();
    await double.stop();
  });

  const idsOf = async (streamId: string) => (await collect(store.readStream(streamId))).map((e) => e.id);
  const failureOf = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected the append to fail');
      },
      (error: unknown) => error,
    );

  it('waits for a node that is not ready (as during an election) and writes once it is', async () => {
    const streamId = uniqueStreamId();
    const batch = testEvents(2);
    double.injectAppendFaults('not-ready', 'not-ready', 'not-ready');

    const result = await store.append(streamId, batch, { expectedRevision: 'no_stream' });

    expect(result).toMatchObject({ written: true, nextExpectedRevision: 1 });
    expect(await idsOf(streamId)).toEqual(batch.map((e) => e.id));
    expect(double.pendingAppendFaults()).toBe(0);
  });

  it('gives up on a node still not ready after its waits with STORE.UNAVAILABLE (nothing written), reported by writeHealth until a write succeeds', async () => {
    const streamId = uniqueStreamId();
    const batch = testEvents(1);
    double.injectAppendFaults(...Array.from({ length: 6 }, () => 'not-ready' as const));

    const error = await failureOf(store.append(streamId, batch, { expectedRevision: 'no_stream' }));

    expect(error).toBeInstanceOf(EventStoreError);
    expect(error).toMatchObject({ code: STORE_UNAVAILABLE });
    expect((error as Error).message).toContain('rien n’a été écrit');
    expect(await idsOf(streamId)).toEqual([]);
    expect(await store.writeHealth()).toMatchObject({ writable: false, lastWriteError: { code: STORE_UNAVAILABLE } });

    await store.append(streamId, batch, { expectedRevision: 'no_stream' });
    expect(await store.writeHealth()).toEqual({ writable: true });
  });

  it('says a server out of reach in French, keeping the system\'s code and address but not the client\'s English, and reports it as not writable until a read reaches a server again', async () => {
    const streamId = uniqueStreamId();
    await store.append(streamId, testEvents(1), { expectedRevision: 'no_stream' });
    const port = Number(new URL(double.connectionString.replace(/^esdb:/, 'http:')).port);
    await double.stop();

    const error = await failureOf(idsOf(streamId));
    expect(error).toMatchObject({ code: STORE_UNAVAILABLE, message: `EventStoreDB ne répond pas : connexion impossible ou interrompue (ECONNREFUSED 127.0.0.1:${port})` });
    expect(await store.writeHealth()).toMatchObject({ writable: false, lastWriteError: { code: STORE_UNAVAILABLE } });

    // A server in reach again on that address (an empty one: the double keeps its log in memory).
    double = await startEventStoreDbTestDouble({ batchAppend, port });
    expect(await idsOf(streamId)).toEqual([]);
    expect(await store.writeHealth()).toEqual({ writable: true });
  });

  it('gives up on a follower that keeps answering NotLeader with STORE.UNAVAILABLE, nothing written', async () => {
    const streamId = uniqueStreamId();
    double.injectAppendFaults('not-leader', 'not-leader', 'not-leader', 'not-leader');

    const error = await failureOf(store.append(streamId, testEvents(1), { expectedRevision: 'no_stream' }));

    expect(error).toMatchObject({ code: STORE_UNAVAILABLE });
    expect(await idsOf(streamId)).toEqual([]);
  });

  it('raises STORE.OUTCOME_UNKNOWN when every attempt is left without an answer and the tail never shows the batch; the same batch sent again is written once', async () => {
    const streamId = uniqueStreamId();
    const batch = testEvents(2);
    double.injectAppendFaults('timeout-before-commit', 'timeout-before-commit', 'timeout-before-commit');

    const error = await failureOf(store.append(streamId, batch, { expectedRevision: 'no_stream' }));

    expect(error).toBeInstanceOf(EventStoreError);
    expect(error).toMatchObject({ code: STORE_OUTCOME_UNKNOWN });
    expect((error as Error).message).toMatch(/peut-être eu lieu.*Idempotency-Key/);
    expect(await store.writeHealth()).toMatchObject({ writable: false, lastWriteError: { code: STORE_OUTCOME_UNKNOWN } });

    const again = await store.append(streamId, batch, { expectedRevision: 'no_stream' });
    expect(again).toMatchObject({ written: true, nextExpectedRevision: 1 });
    expect(await idsOf(streamId)).toEqual(batch.map((e) => e.id));
  });

  it('does not append again a batch whose write timed out after its commit: the tail settles it', async () => {
    const streamId = uniqueStreamId();
    const batch = testEvents(2);
    double.injectAppendFaults('timeout-after-commit');
    const appendsBefore = double.callsTo('Append');

    const result = await store.append(streamId, batch, { expectedRevision: 'no_stream' });

    expect(result).toMatchObject({ written: true, nextExpectedRevision: 1 });
    expect(await idsOf(streamId)).toEqual(batch.map((e) => e.id));
    // On the unary path every attempt is a call of its own: one call, the tail did the rest.
    if (!batchAppend) expect(double.callsTo('Append') - appendsBefore).toBe(1);
  });

  it('rule: an append written on the leader but not yet replicated, whose resends EventStoreDB drops (IdempotentNotReady), is STORE.OUTCOME_UNKNOWN, reported by writeHealth; once replicated, the same batch is found stored, once', async () => {
    const streamId = uniqueStreamId();
    await store.append(streamId, testEvents(1), { expectedRevision: 'no_stream' });
    const batch = testEvents(2);
    double.injectAppendFaults('timeout-not-replicated');

    const error = await failureOf(store.append(streamId, batch, { expectedRevision: 0 }));

    // Neither written (nothing reads it yet, and it may be lost with the leader) nor not written.
    expect(error).toMatchObject({ code: STORE_OUTCOME_UNKNOWN });
    expect((error as Error).message).toMatch(/peut-être eu lieu.*Idempotency-Key/);
    expect(await store.writeHealth()).toMatchObject({ writable: false, lastWriteError: { code: STORE_OUTCOME_UNKNOWN } });
    expect(double.unreplicatedBatches()).toBe(1);

    await double.replicate();
    const again = await store.append(streamId, batch, { expectedRevision: 0 });
    expect(again).toMatchObject({ written: false, nextExpectedRevision: 2 });
    expect((await idsOf(streamId)).slice(1)).toEqual(batch.map((e) => e.id));
  });

  it('rule: a conflict naming a revision that reads do not show (another write not yet replicated) is STORE.UNAVAILABLE, nothing written, reported by writeHealth: not a conflict with nothing to show', async () => {
    const streamId = uniqueStreamId();
    await store.append(streamId, testEvents(1), { expectedRevision: 'no_stream' });
    double.injectAppendFaults('timeout-not-replicated');
    await failureOf(store.append(streamId, testEvents(2), { expectedRevision: 0 }));
    const other = testEvents(1);

    const error = await failureOf(store.append(streamId, other, { expectedRevision: 0 }));

    expect(error).toBeInstanceOf(EventStoreError);
    expect(error).toMatchObject({ code: STORE_UNAVAILABLE });
    expect((error as Error).message).toMatch(/révision 2 annoncée, révision 0 lue.*pas encore répliqué\. Rien n’a été écrit/);
    expect(await store.writeHealth()).toMatchObject({ writable: false, lastWriteError: { code: STORE_UNAVAILABLE } });
    await double.replicate();
    expect(await idsOf(streamId)).not.toContain(other[0]!.id);
  });

  it('rule: a conflict is answered once reads show the revision it names: the write not yet replicated is waited for, and the conflict then names what a new decision will read', async () => {
    const waiting = EventStoreDbEventStore.connect(double.connectionString, { retryDelays: { ...FAST, notReplicatedMs: Array.from({ length: 10 }, () => 200) } });
    try {
      const streamId = uniqueStreamId();
      await waiting.append(streamId, testEvents(1), { expectedRevision: 'no_stream' });
      double.injectAppendFaults('timeout-not-replicated');
      await failureOf(waiting.append(streamId, testEvents(2), { expectedRevision: 0 }));
      const readsBefore = double.callsTo('Read');
      let unreplicatedWhenAnswered: number | undefined;

      const answered = failureOf(waiting.append(streamId, testEvents(1), { expectedRevision: 0 })).then((error) => {
        unreplicatedWhenAnswered = double.unreplicatedBatches();
        return error;
      });
      // The tail read before the append, then the reads after its conflict: the cluster catches up meanwhile.
      await until(() => double.callsTo('Read') >= readsBefore + 2 || unreplicatedWhenAnswered !== undefined);
      await double.replicate();
      const error = await answered;

      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(error).toMatchObject({ expected: 0, actual: 2 });
      expect(unreplicatedWhenAnswered).toBe(0);
    } finally {
      await waiting.close();
    }
  });

  it('maps the maximum append size to STREAM.APPEND_TOO_LARGE at once, without retrying', async () => {
    const streamId = uniqueStreamId();
    const big = testEvents(2).map((event) => ({ ...event, data: { text: 'x'.repeat(600_000) } }));
    const appendsBefore = double.callsTo('Append');

    const error = await failureOf(store.append(streamId, big, { expectedRevision: 'no_stream' }));

    expect(error).toMatchObject({ code: 'STREAM.APPEND_TOO_LARGE' });
    if (!batchAppend) expect(double.callsTo('Append') - appendsBefore).toBe(1);
    expect(await idsOf(streamId)).toEqual([]);
  });

  it('fails a subscription from a position of another store with EVENT_STORE.INVALID_POSITION instead of subscribing again and again', async () => {
    const streamId = uniqueStreamId();
    const { position } = await store.append(streamId, testEvents(2), { expectedRevision: 'no_stream' });
    const subscriptionsBefore = double.callsTo('Read/subscription');

    const subscription = store.subscribeToAll({ after: position - 1n });
    const error = await withTimeout(
      subscription[Symbol.asyncIterator]()
        .next()
        .then(
          () => undefined,
          (e: unknown) => e,
        ),
      5_000,
      'the subscription to fail',
    );

    expect(error).toMatchObject({ code: 'EVENT_STORE.INVALID_POSITION' });
    expect(double.callsTo('Read/subscription') - subscriptionsBefore).toBe(1);
    await subscription.unsubscribe();
  });
});

describe('EventStoreDbEventStore: servers and connection strings', () => {
  const doubles: EventStoreDbTestDouble[] = [];
  const stores: EventStoreDbEventStore[] = [];

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await Promise.all(doubles.splice(0).map((double) => double.stop()));
  });

  const doubleOf = async (serverVersion: string) => {
    const double = await startEventStoreDbTestDouble({ serverVersion });
    doubles.push(double);
    return double;
  };

  it('refuses a server older than 22.6 at connection with EVENT_STORE.UNSUPPORTED_SERVER and a French message', async () => {
    const double = await doubleOf('21.10.9');

    const error = await EventStoreDbEventStore.open(double.connectionString).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(EventStoreError);
    expect(error).toMatchObject({ code: 'EVENT_STORE.UNSUPPORTED_SERVER' });
    expect((error as Error).message).toMatch(/la version 21\.10\.9 d’EventStoreDB : il lui faut EventStoreDB 22\.6 ou plus récent/);
  });

  it('refuses it as well on first use when connected lazily, reads and appends alike, writing nothing', async () => {
    const double = await doubleOf('22.4.0');
    const store = EventStoreDbEventStore.connect(double.connectionString);
    stores.push(store);
    const streamId = uniqueStreamId();

    await expect(store.append(streamId, testEvents(1), { expectedRevision: 'no_stream' })).rejects.toMatchObject({
      code: 'EVENT_STORE.UNSUPPORTED_SERVER',
    });
    await expect(collect(store.readStream(streamId))).rejects.toMatchObject({ code: 'EVENT_STORE.UNSUPPORTED_SERVER' });
    expect(double.callsTo('Append') + double.callsTo('BatchAppend')).toBe(0);
  });

  it.each(['22.6.0', '24.10.14', '25.1.4', '26.0.0'])('accepts server %s', async (version) => {
    const double = await doubleOf(version);
    const store = await EventStoreDbEventStore.open(double.connectionString);
    stores.push(store);

    const result = await store.append(uniqueStreamId(), testEvents(1), { expectedRevision: 'no_stream' });

    expect(result.written).toBe(true);
  });

  it('accepts kurrentdb:// connection strings (KurrentDB 25 names its own so), and kurrentdb+discover:// alike', async () => {
    const double = await doubleOf('25.1.4');
    const store = await EventStoreDbEventStore.open(double.connectionString.replace(/^esdb:/, 'kurrentdb:'));
    stores.push(store);
    const streamId = uniqueStreamId();

    await store.append(streamId, testEvents(2), { expectedRevision: 'no_stream' });

    expect(await collect(store.readStream(streamId))).toHaveLength(2);
    expect(() => EventStoreDbEventStore.connect('kurrentdb+discover://cluster.example:2113?tls=false')).not.toThrow();
    expect(() => EventStoreDbEventStore.connect('postgres://nowhere')).toThrow();
  });
});
