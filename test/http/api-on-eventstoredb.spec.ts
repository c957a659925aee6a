import { connectEventStoreDb } from '@jalon/event-store';
import { startEventStoreDbTestDouble } from '../doubles/eventstoredb/eventstoredb-test-double';
import { describeHttpApi } from './api.http-suite';

// The same HTTP contract, with the API on the EventStoreDB adapter over real gRPC (against the test double).
describeHttpApi('EventStoreDB (through its test double)', async () => {
  const double = await startEventStoreDbTestDouble();
  const store = connectEventStoreDb(double.connectionString);
  return {
    store,
    async dispose() {
      await store.close();
      await double.stop();
    },
  };
});
