import fastifyRateLimit from '@fastify/rate-limit';
import { documentMaxBytesOf, JalonCoreOptions, JalonNestLogger } from '@jalon/core';
import { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiModule } from './api.module';
import { clientErrorHandler, frameworkErrorHandler } from './errors/framework-errors';
import { answerMethodNotAllowed } from './errors/method-not-allowed';
import { JSON_LIMIT, registerBodyParsers } from './http/body-parsers';
import { rewriteToOriginForm } from './http/request-target';
import { serveOpenApi } from './openapi/openapi';
import { HttpExtension } from './http/http-extension';
import { registerMultipart } from './http/multipart';
import { registerSecurityHeaders } from './http/security-headers';

/**
 * As Express did: `/programme/` is `/programme`. Path segments up to 1,000 characters reach the
 * routes (whose validation names the field); longer ones, and broken encodings, get a French answer.
 */
const ROUTER_MATCHING = { ignoreTrailingSlash: true, maxParamLength: 1000 } as const;

export interface ApiAppOptions extends JalonCoreOptions {
  readonly logger?: false | LogLevel[];
}

/**
 * Builds the HTTP application (used by `jalon serve` and by the HTTP tests), on Fastify (see
 * docs/decisions/0009-fastify-http-adapter.md). `listen` makes it serve; a caller that only
 * calls `init` (a test driving it with supertest) then awaits {@link ready}. `extensions` are
 * mounted on the same instance and port (the dashboard: `createJalonApp` in apps/web).
 */
export async function createApiApp(options: ApiAppOptions, extensions: readonly HttpExtension[] = []): Promise<INestApplication> {
  const adapter = new FastifyAdapter({
    routerOptions: ROUTER_MATCHING,
    // `PUT http://host/api/programmes` (the absolute form, RFC 9112 §3.2.2) is `PUT /api/programmes`, before anything reads the URL.
    rewriteUrl: rewriteToOriginForm,
    frameworkErrors: frameworkErrorHandler(extensions),
    // What Node's HTTP parser refuses (headers over 16 KiB, a malformed request): French too.
    clientErrorHandler,
    bodyLimit: JSON_LIMIT,
    // Behind the reverse proxies named by JALON_TRUST_PROXY, the client is the address their
    // X-Forwarded-For names (the limit on failed authentications counts per client); otherwise the
    // connection's, and X-Forwarded-For is ignored.
    trustProxy: options.config.trustProxy ? [...options.config.trustProxy] : false,
  });
  // A known address asked with another method: 405 (OPTIONS: 204) with `Allow`, not 404. Before any route is registered.
  answerMethodNotAllowed(adapter.getInstance(), ROUTER_MATCHING);
  // Every answer of the API, whatever route or error sends it: no-store, nosniff (and a policy for its documentation).
  registerSecurityHeaders(adapter.getInstance());
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forRoot(options, extensions.map((extension) => extension.module(options))), adapter, {
    logger: options.logger === false ? false : new JalonNestLogger(options.logger ?? ['error', 'warn']),
    // A failing start is thrown to the caller (the CLI prints it in French), not a process.abort().
    abortOnError: false,
    bodyParser: false,
  });
  registerBodyParsers(app.getHttpAdapter().getInstance());
  // multipart/form-data, read only by the routes marked @AcceptsMultipart() (document uploads): 415 everywhere else.
  await registerMultipart(app.getHttpAdapter().getInstance(), { fileBytes: documentMaxBytesOf(options.config) });
  // Limits nothing by itself (`global: false`): failed authentications are counted by FailedAuthenticationLimiter.
  await app.register(fastifyRateLimit, { global: false });
  for (const extension of extensions) await extension.configure?.(app, options);
  app.enableShutdownHooks();
  serveOpenApi(app);
  return app;
}

/** Once `init` has run: the routes are registered and requests may be sent to `getHttpServer()`. */
export async function ready(app: INestApplication): Promise<void> {
  await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
}
