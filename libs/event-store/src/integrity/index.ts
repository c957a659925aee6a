export * from './event-hash';
