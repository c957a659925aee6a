export * from './catalogue';
export * from './programme.commands';
export * from './call.commands';
export * from './candidacy.commands';
export * from './antenna.commands';
export * from './budget.commands';
export * from './funding.commands';
export * from './run-command';
