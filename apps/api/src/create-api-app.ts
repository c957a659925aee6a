import fastifyRateLimit from '@fastify/rate-limit';
import { JalonCoreOptions } from '@jalon/core';
import { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiModule } from './api.module';
import { frameworkErrorHandler } from './errors/framework-errors';
import { JSON_LIMIT, registerBodyParsers } from './http/body-parsers';
import { serveOpenApi } from './openapi/openapi';
import { existsSync } from 'node:fs';
import { registerSecureSessions, sessionKey } from './web/session/secure-session-codec';
import { WebRequest } from './web/session/web-session.guard';
import { sessionCookie, WebSessions } from './web/session/web-sessions';
import { isSecure } from './web/web-pages';
import { SessionCodecSlot, WebOptions } from './web/web.module';

export interface ApiAppOptions extends JalonCoreOptions {
  readonly logger?: false | LogLevel[];
  /** The web dashboard's settings (sessions); by default from the environment. */
  readonly web?: WebOptions;
  /** The key sealing session cookies (default: `JALON_SESSION_KEY`, else `$DATA_DIR/session-key`). */
  readonly sessionKey?: Buffer;
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
  await startSessions(app, options);
  app.enableShutdownHooks();
  serveOpenApi(app);
  return app;
}

/**
 * Dashboard sessions travel in cookies sealed with a key every instance shares (see
 * docs/decisions/0015-several-instances.md); each response carries the session back, its idle
 * clock restarted, unless it was signed out.
 */
async function startSessions(app: NestFastifyApplication, options: ApiAppOptions): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const sessions = app.get(WebSessions);
  const onDisk = options.readModelsFile !== ':memory:' && existsSync(options.config.dataDir);
  const key = options.sessionKey ?? sessionKey(process.env, onDisk ? options.config.dataDir : undefined);
  app.get(SessionCodecSlot).codec = await registerSecureSessions(fastify, key, sessions.options.maxHours);
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const session = (request as WebRequest).webSession;
    if (session && !session.ended) reply.header('Set-Cookie', sessionCookie(sessions.seal(session), isSecure(request)));
    done(null, payload);
  });
}

/** Once `init` has run: the routes are registered and requests may be sent to `getHttpServer()`. */
export async function ready(app: INestApplication): Promise<void> {
  await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
}
