import { AuthenticationError, IdentityService } from '@jalon/application';
import { AcceptsMultipart } from '@jalon/api';
import { applyDecorators, CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
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

/** The route metadata {@link ReadsUploadForm} sets. */
const READS_UPLOAD_FORM = 'jalonWebUploadForm';

/**
 * Put on a dashboard route that receives a file upload (`multipart/form-data`), which it must read
 * with `UploadForms.read` (./upload-form.ts): that is where the upload's anti-forgery token is
 * checked, the guard being unable to read the body. The guard refuses a multipart POST to any route
 * not so marked, so that an upload route cannot be added without the check; the mark also lets the
 * route accept multipart at all ({@link AcceptsMultipart}).
 */
export const ReadsUploadForm = (): MethodDecorator => applyDecorators(AcceptsMultipart(), SetMetadata(READS_UPLOAD_FORM, true));

/**
 * Dashboard pages need a live session (the bearer-token API is not involved: these routes are
 * public to its guard), whose token still works: a revoked or replaced token, or a user deactivated
 * since sign-in (even if reactivated since), ends it at the next request. Every POST must carry the
 * session's anti-forgery token in its body (never in its address, which proxies and browser
 * histories keep): a form's token is checked here, a file upload's where its body is read.
 */
@Injectable()
export class WebSessionGuard implements CanActivate {
  constructor(
    private readonly sessions: WebSessions,
    private readonly identity: IdentityService,
    private readonly reflector: Reflector,
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
      if (/^multipart\/form-data/i.test(request.headers['content-type'] ?? '')) {
        // A file upload's body is read by its route, after this guard: its token is checked there, as the
        // form is read (UploadForms.read), before any field reaches the route. So only a route marked as
        // reading its form that way (@ReadsUploadForm) may receive one; any other is refused here, so
        // that a new upload route cannot forget the check. A token in the address counts for nothing.
        if (this.reflector.get<boolean | undefined>(READS_UPLOAD_FORM, context.getHandler()) !== true) throw new CsrfRejectedError();
      } else {
        const body = request.body as Record<string, unknown> | undefined;
        if (!this.sessions.csrfMatches(found.session, body?._csrf)) throw new CsrfRejectedError();
      }
    }
    return true;
  }
}
