export { DEFAULT_RETRY_DELAYS, EventStoreDbEventStore, type EventStoreDbOptions, type RetryDelays } from './eventstoredb-event-store';
export type { EventStoreDbMetadata } from './eventstoredb-mapping';
export { isEventStoreDbConnectionString, MINIMUM_SERVER_VERSION } from './eventstoredb-server';
