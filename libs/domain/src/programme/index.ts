export * from './programme.events';
export * from './programme.commands';
export * from './programme.decider';
export * from './programme-registry.events';
export * from './programme-registry.commands';
export * from './programme-registry.decider';
