import fastifyRateLimit from '@fastify/rate-limit';
import { JalonCoreOptions } from '@jalon/core';
import { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiModule } from './api.module';
import { frameworkErrorHandler } from './errors/framework-errors';
import { JSON_LIMIT, registerBodyParsers } from './http/body-parsers';
import { serveOpenApi } from './openapi/openapi';
import { WebOptions } from './web/web.module';

export interface ApiAppOptions extends JalonCoreOptions {
  readonly logger?: false | LogLevel[];
  /** The web dashboard's settings (sessions); by default from the environment. */
  readonly web?: WebOptions;
}

/**
 * Builds the HTTP application (used by `jalon serve` and by the HTTP tests), on Fastify (see
 * docs/decisions/0009-fastify-http-adapter.md). `listen` makes it serve; a caller that only
 * calls `init` (a test driving it with supertest) then awaits {@link ready}.
 */
export async function createApiApp(options: ApiAppOptions): Promise<INestApplication> {
  const adapter = new FastifyAdapter({
    // As Express did: `/programme/` is `/programme`. Path segments up to 1,000 characters reach the
    // routes (whose validation names the field); longer ones, and broken encodings, get a French answer.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
    frameworkErrors: frameworkErrorHandler,
    bodyLimit: JSON_LIMIT,
  });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forRoot(options), adapter, {
    logger: options.logger ?? ['error', 'warn'],
    bodyParser: false,
  });
  registerBodyParsers(app.getHttpAdapter().getInstance());
  // Limits nothing by itself (`global: false`): failed authentications are counted by FailedAuthenticationLimiter.
  await app.register(fastifyRateLimit, { global: false });
  app.enableShutdownHooks();
  serveOpenApi(app);
  return app;
}

/** Once `init` has run: the routes are registered and requests may be sent to `getHttpServer()`. */
export async function ready(app: INestApplication): Promise<void> {
  await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
}
