export * from './event-versions';
export * from './upcasting';
export * from './event-reader';
