export * from './antenna.events';
export * from './antenna.commands';
export * from './antenna.state';
export * from './antenna.decider';
