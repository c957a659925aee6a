export * from './shared';
export * from './programme';
export * from './call';
export * from './candidacy';
export * from './antenna';
export * from './budget';
export * from './funding';
export * from './events';
