export { EventStoreDbEventStore } from './eventstoredb-event-store';
export type { EventStoreDbMetadata } from './eventstoredb-mapping';
