/**
 * The event-store contract against the EventStoreDB adapter, over real gRPC:
 * (a) against the EventStoreDB test double (test/doubles/eventstoredb), once per append path of
 *     the client (BatchAppend, which EventStoreDB >= 21.10 advertises, and the unary Append of
 *     older servers), with the connection-loss test wired to the double's `dropConnections()`;
 * (b) against a real EventStoreDB when EVENTSTORE_URL is set (esdb://host:2113?tls=false…).
 */
import { EventStoreDbEventStore } from '../../libs/event-store/src/eventstoredb';
import { startEventStoreDbTestDouble } from '../doubles/eventstoredb/eventstoredb-test-double';
import { describeEventStoreContract } from './event-store.contract';

for (const batchAppend of [true, false]) {
  describeEventStoreContract(
    `EventStoreDB adapter against the EventStoreDB test double (${batchAppend ? 'BatchAppend' : 'unary Append'})`,
    async () => {
      const double = await startEventStoreDbTestDouble({ batchAppend });
      const store = EventStoreDbEventStore.connect(double.connectionString);
      return {
        store,
        interruptConnection: () => double.dropConnections(),
        async dispose() {
          await store.close();
          await double.stop();
        },
      };
    },
    { interruptConnection: true },
  );
}

const url = process.env.EVENTSTORE_URL;
if (url) {
  // A real server's connections cannot be cut from here: the connection-loss test is left to the double.
  describeEventStoreContract('EventStoreDB adapter against the real EventStoreDB at EVENTSTORE_URL', async () => {
    const store = EventStoreDbEventStore.connect(url);
    return { store, dispose: () => store.close() };
  });
} else {
  describe('EventStoreDB adapter against a real EventStoreDB', () => {
    it('real EventStoreDB leg: not run because EVENTSTORE_URL is not set', () => {
      // This test checks nothing about EventStoreDB: it only records that the leg did not run.
      expect(process.env.EVENTSTORE_URL ?? '').toBe('');
      console.info(
        'Real EventStoreDB leg NOT RUN: EVENTSTORE_URL is not set. The EventStoreDB adapter was tested ' +
          'against the test double only. Set EVENTSTORE_URL=esdb://host:2113?tls=false to run the contract on a real server.',
      );
    });
  });
}
