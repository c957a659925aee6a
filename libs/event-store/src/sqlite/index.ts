export { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite-event-store';
export { SCHEMA_VERSION } from './sqlite-schema';
export * from './sqlite-failures';
