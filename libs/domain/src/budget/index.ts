export * from './budget.events';
export * from './budget.commands';
export * from './budget.decider';
