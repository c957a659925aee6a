import { AuthenticationError, IdentityService } from '@jalon/application';
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { cookieValue, SESSION_COOKIE, WebSession, WebSessions } from './web-sessions';

export type WebRequest = FastifyRequest & { webSession?: WebSession };

/** No live session: the filter sends the browser to the sign-in page, saying why (and where to come back: `pageToReturnTo`). */
export class SessionRequiredError extends Error {
  constructor(
    readonly expired: boolean,
    /** The session ended because its token was revoked or replaced, or its user deactivated. */
    readonly revoked = false,
  ) {
    super(revoked ? 'session revoked' : expired ? 'session expired' : 'no session');
    this.name = 'SessionRequiredError';
  }
}

/** A POST without the session's anti-forgery token (a stale page, or another site's form). */
export class CsrfRejectedError extends Error {
  constructor() {
    super('missing or wrong anti-forgery token');
    this.name = 'CsrfRejectedError';
  }
}

/**
 * Dashboard pages need a live session (the bearer-token API is not involved: these routes are
 * public to its guard), whose token still works: a revoked or replaced token, or a user deactivated
 * since sign-in (even if reactivated since), ends it at the next request. Every POST must carry the
 * session's anti-forgery token.
 */
@Injectable()
export class WebSessionGuard implements CanActivate {
  constructor(
    private readonly sessions: WebSessions,
    private readonly identity: IdentityService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<WebRequest>();
    const found = this.sessions.use(cookieValue(request.headers.cookie, SESSION_COOKIE));
    if (!found.session) throw new SessionRequiredError(found.expired);
    let actor;
    try {
      // Checked against the identity stream on every request: the cookie's copy of the user is not trusted.
      actor = await this.identity.authenticateHash(found.session.tokenHash, found.session.deactivations);
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      this.sessions.destroy(found.session);
      throw new SessionRequiredError(false, true);
    }
    request.webSession = { ...found.session, actor };
    if (request.method === 'POST') {
      const body = request.body as Record<string, unknown> | undefined;
      // A multipart form (a file upload) is read by its route, after this check: its token travels in the form's action (`?_csrf=`).
      const multipart = /^multipart\/form-data/i.test(request.headers['content-type'] ?? '');
      const token = multipart ? (request.query as Record<string, unknown> | undefined)?._csrf : body?._csrf;
      if (!this.sessions.csrfMatches(found.session, token)) throw new CsrfRejectedError();
    }
    return true;
  }
}
