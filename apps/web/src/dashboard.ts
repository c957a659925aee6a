import { ApiAppOptions, createApiApp, HttpExtension } from '@jalon/api';
import { JalonCoreOptions } from '@jalon/core';
import { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { existingSessionKey, registerSecureSessions, sessionKey } from './session/secure-session-codec';
import { WebRequest } from './session/web-session.guard';
import { sessionCookie, WebSessions } from './session/web-sessions';
import { errorView } from './views/error.view';
import { page } from './views/layout';
import { isSecure, securityHeaders } from './web-pages';
import { SessionCodecSlot, WebModule, WebOptions } from './web.module';

export interface DashboardOptions extends WebOptions {
  /** The key sealing session cookies (default: `JALON_SESSION_KEY`, else `$DATA_DIR/session-key`). */
  readonly sessionKey?: Buffer;
}

/**
 * The dashboard as an extension of the API's HTTP application: its module, its sessions, its page
 * for addresses the router refuses, and the line `jalon serve` prints about it.
 */
export function dashboard(settings: DashboardOptions = {}): HttpExtension {
  return {
    module: (options: JalonCoreOptions) =>
      WebModule.forRoot({ signOutsFile: options.readModelsFile ?? join(options.config.dataDir, 'read-models.sqlite'), ...settings }),
    // A session key file that is there and holds no key is refused before anything is created.
    assertCanStart: (config) => {
      if (!settings.sessionKey) existingSessionKey(process.env, config.dataDir);
    },
    configure: (app, options) => startSessions(app, options, settings.sessionKey),
    routerErrorPage: (_request, reply) => {
      securityHeaders(reply);
      const title = 'Page introuvable';
      const body = page({ title, section: 'none' }, errorView(title, 'Cette adresse ne correspond à aucune page du tableau de bord.', 'ROUTE.INVALID'));
      void reply.status(404).type('text/html; charset=utf-8').send(body);
    },
    announce: (address) => `Tableau de bord : ${address}/ (connexion avec un jeton d’accès)`,
  };
}

export interface JalonAppOptions extends ApiAppOptions {
  /** The dashboard's settings (sessions); by default from the environment. */
  readonly web?: WebOptions;
  /** The key sealing session cookies (default: `JALON_SESSION_KEY`, else `$DATA_DIR/session-key`). */
  readonly sessionKey?: Buffer;
}

/** The whole service on one Fastify instance and port: the API and the dashboard (what `jalon serve` starts). */
export function createJalonApp(options: JalonAppOptions): Promise<INestApplication> {
  const { web, sessionKey: key, ...api } = options;
  return createApiApp(api, [dashboard({ ...web, ...(key ? { sessionKey: key } : {}) })]);
}

/**
 * Dashboard sessions travel in cookies sealed with a key every instance shares (see
 * docs/decisions/0015-several-instances.md); each response carries the session back, its idle
 * clock restarted, unless it was signed out.
 */
async function startSessions(app: NestFastifyApplication, options: JalonCoreOptions, givenKey: Buffer | undefined): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const sessions = app.get(WebSessions);
  const onDisk = options.readModelsFile !== ':memory:' && existsSync(options.config.dataDir);
  const key = givenKey ?? sessionKey(process.env, onDisk ? options.config.dataDir : undefined);
  app.get(SessionCodecSlot).codec = await registerSecureSessions(fastify, key, sessions.options.maxHours);
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const session = (request as WebRequest).webSession;
    if (session && !session.ended) reply.header('Set-Cookie', sessionCookie(sessions.seal(session), isSecure(request)));
    done(null, payload);
  });
}
