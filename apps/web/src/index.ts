export * from './dashboard';
export { WebModule } from './web.module';
export type { WebOptions } from './web.module';
