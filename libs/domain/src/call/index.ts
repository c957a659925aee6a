export * from './call.events';
export * from './call.commands';
export * from './call.decider';
