export * from './programme.events';
export * from './programme.commands';
export * from './programme.decider';
