export * from './create-api-app';
export * from './server';
export * from './errors/error-mapping';
