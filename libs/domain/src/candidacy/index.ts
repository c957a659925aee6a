export * from './candidacy.events';
export * from './candidacy.commands';
export * from './candidacy.decider';
