export * from './config';
export * from './tokens';
export * from './open-event-store';
export * from './run-command';
export * from './jalon-core.module';
export * from './health/health-registry';
