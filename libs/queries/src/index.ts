export * from './query-models';
export * from './report-queries';
export * from './programme-queries';
export * from './stream-queries';
