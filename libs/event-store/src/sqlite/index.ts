export { BACKSTOP_CHECKPOINT_PAGES, cannotWriteBeside, OWN_CHECKPOINT_PAGES, SqliteEventStore, type SqliteEventStoreOptions } from './sqlite-event-store';
export { SCHEMA_VERSION } from './sqlite-schema';
export * from './sqlite-failures';
export { BUSY_TIMEOUT_MS, useWriteAheadLog } from './sqlite-journal';
