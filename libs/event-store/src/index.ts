export * from './event-store.port';
export * from './sqlite';
export * from './eventstoredb';
export * from './transfer';
export * from './integrity';
export * from './store-health';
export * from './documents';
export * from './temporary-copy';
