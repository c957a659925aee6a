import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { header } from '@jalon/api';
import { HtmlValue } from './html';
import { WebRequest } from './session/web-session.guard';
import { WebSessions } from './session/web-sessions';
import { page, PageFrame, Section } from './views/layout';

/**
 * Sends dashboard pages: the frame (user, one-time message), and the headers every page carries:
 * no caching (pages show people's data), a content security policy that allows no script at all
 * and only the app's own style sheet, no framing.
 */
@Injectable()
export class WebPages {
  constructor(private readonly sessions: WebSessions) {}

  frame(request: WebRequest, title: string, section: Section = 'none', breadcrumbs?: PageFrame['breadcrumbs']): PageFrame {
    const session = request.webSession;
    const flash = session ? this.sessions.takeFlash(session) : undefined;
    return {
      title,
      section,
      ...(session ? { user: { actor: session.actor, csrfToken: session.csrfToken } } : {}),
      ...(flash ? { flash } : {}),
      ...(breadcrumbs ? { breadcrumbs } : {}),
    };
  }

  send(response: FastifyReply, status: number, frame: PageFrame, body: HtmlValue): void {
    securityHeaders(response);
    void response.status(status).type('text/html; charset=utf-8').send(page(frame, body));
  }

  /** 303: after a POST, the browser GETs the next page (a reload does not post again). */
  redirect(response: FastifyReply, location: string): void {
    securityHeaders(response);
    void response.redirect(location, 303);
  }
}

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export function securityHeaders(response: FastifyReply): void {
  response.header('Cache-Control', 'no-store');
  response.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  response.header('X-Content-Type-Options', 'nosniff');
  response.header('X-Frame-Options', 'DENY');
  response.header('Referrer-Policy', 'same-origin');
}

const SITE = 'http://jalon.invalid';
const OVERVIEW = '/programme';

/**
 * A path on this site to come back to after signing in (anything else goes to the overview). The
 * candidate must be a plain path: no tab, backslash or control character, which browsers drop or
 * read as `/` (`/\t/evil.example` is `//evil.example` to them), no `//`; and parsed as a URL
 * relative to the site it must stay on the site. What is sent back is the parsed path, query and
 * fragment, percent-encoded and with its dot segments resolved, so it cannot start with `//` either.
 */
export function localPath(candidate: unknown): string {
  if (typeof candidate !== 'string' || candidate.length > 2000 || !candidate.startsWith('/') || candidate.startsWith('//')) return OVERVIEW;
  if (/[\\\u0000-\u001F\u007F-\u009F\u2028\u2029]/.test(candidate)) return OVERVIEW;
  let url: URL;
  try {
    url = new URL(candidate, SITE);
  } catch {
    return OVERVIEW;
  }
  if (url.origin !== SITE || url.pathname.startsWith('//')) return OVERVIEW;
  if (url.pathname.startsWith('/connexion') || url.pathname.startsWith('/deconnexion')) return OVERVIEW;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** Whether the browser reached us over HTTPS (directly or through a proxy that says so). */
export function isSecure(request: WebRequest): boolean {
  return request.protocol === 'https' || header(request, 'x-forwarded-proto')?.split(',')[0]?.trim() === 'https';
}
