export * from './projection';
export * from './runner/in-memory-read-model';
export * from './runner/event-cut';
