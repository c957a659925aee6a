import type { EventStoreDbEventStore, EventStoreDbOptions } from './eventstoredb-event-store';

export type { EventStoreDbEventStore, EventStoreDbOptions, RetryDelays } from './eventstoredb-event-store';
export type { EventStoreDbMetadata } from './eventstoredb-mapping';
export { isEventStoreDbConnectionString, MINIMUM_SERVER_VERSION } from './eventstoredb-server';

/**
 * The adapter, loaded at its first use: its gRPC client costs about 0.12 s, which every CLI command
 * and every start of the service on the embedded store would otherwise pay for nothing.
 */
function adapter(): typeof EventStoreDbEventStore {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./eventstoredb-event-store') as typeof import('./eventstoredb-event-store')).EventStoreDbEventStore;
}

/** The store on the EventStoreDB server at `connectionString`, which is asked nothing yet (see `EventStoreDbEventStore.connect`). */
export function connectEventStoreDb(connectionString: string, options?: EventStoreDbOptions): EventStoreDbEventStore {
  return adapter().connect(connectionString, options);
}

/** {@link connectEventStoreDb}, then the server's version checked: one older than 22.6 is refused (see `EventStoreDbEventStore.open`). */
export function openEventStoreDb(connectionString: string, options?: EventStoreDbOptions): Promise<EventStoreDbEventStore> {
  return adapter().open(connectionString, options);
}
