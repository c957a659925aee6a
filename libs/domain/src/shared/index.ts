export * from './decider';
export * from './domain-error';
export * from './money';
export * from './dates';
export * from './ids';
export * from './effective-date';
export * from './streams';
export * from './equality';
