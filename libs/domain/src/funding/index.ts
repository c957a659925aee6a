export * from './funding.events';
export * from './funding.commands';
export * from './funding.decider';
