import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { header, PAGE_HEADERS } from '@jalon/api';
import { LogIntegrityService } from '@jalon/core';
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
  constructor(
    private readonly sessions: WebSessions,
    private readonly integrity: LogIntegrityService,
  ) {}

  frame(request: WebRequest, title: string, section: Section = 'none', breadcrumbs?: PageFrame['breadcrumbs']): PageFrame {
    const session = request.webSession;
    const flash = session ? this.sessions.takeFlash(session) : undefined;
    // Every page of a signed-in user says it while the log does not verify (docs/decisions/0056).
    // The integrity page shows the failure itself, in detail.
    const untrusted = session && section !== 'integrite' ? this.integrity.untrusted() : undefined;
    return {
      title,
      section,
      ...(untrusted ? { untrusted } : {}),
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

/** The headers of every page, the API's documentation's too (PAGE_HEADERS), with the dashboard's own policy. */
export function securityHeaders(response: FastifyReply): void {
  response.headers({ ...PAGE_HEADERS, 'Content-Security-Policy': CONTENT_SECURITY_POLICY });
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
  return pathOnThisSite(candidate) ?? OVERVIEW;
}

/** The checks of {@link localPath}: the candidate as a path on this site, or nothing if refused. */
function pathOnThisSite(candidate: unknown): string | undefined {
  if (typeof candidate !== 'string' || candidate.length > 2000 || !candidate.startsWith('/') || candidate.startsWith('//')) return undefined;
  if (/[\\\u0000-\u001F\u007F-\u009F\u2028\u2029]/.test(candidate)) return undefined;
  let url: URL;
  try {
    url = new URL(candidate, SITE);
  } catch {
    return undefined;
  }
  if (url.origin !== SITE || url.pathname.startsWith('//')) return undefined;
  if (url.pathname.startsWith('/connexion') || url.pathname.startsWith('/deconnexion')) return undefined;
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * Where to come back after signing in, for a request that found no live session: a page read with
 * GET is itself. A form posted (its session expired meanwhile) cannot be: its address answers only
 * POST, so the browser sent there after signing in would get 405. It comes back to a page it can
 * read, the first of: the address itself if it also has a GET page (every form: the form page),
 * with the query it was shown with when the Referer is that page (`?depense=…`: the choice it was
 * opened with is kept); the page the form was on (the Referer, if it is a readable page of this
 * dashboard, on this host; another site's is never followed); the nearest readable page above the address
 * (`/utilisateurs/x/desactiver` → `/utilisateurs`), the overview. Nothing of the form is kept: it
 * was not recorded, and the sign-in page says so (`motif=formulaire-non-enregistre`).
 */
export function pageToReturnTo(request: WebRequest): string {
  if (!isFormSubmission(request)) return request.originalUrl;
  const readable = (path: string | undefined): boolean => path !== undefined && request.server.routeMethods.allowedAt(path).includes('GET');
  const own = pathOnThisSite(pathOf(request.originalUrl));
  const referred = refererOnThisHost(request);
  const above: string[] = [];
  for (let path = own ?? ''; path.lastIndexOf('/') > 0; ) {
    path = path.slice(0, path.lastIndexOf('/'));
    above.push(path);
  }
  // The form page itself, as it was shown (its query preselects a choice): the Referer when it names that page.
  const ownAsShown = referred !== undefined && own !== undefined && pathOf(referred) === own ? referred : own;
  return [ownAsShown, referred, ...above].find(readable) ?? OVERVIEW;
}

/** Whether the request sends something (a form), rather than reading a page. */
export function isFormSubmission(request: WebRequest): boolean {
  return request.method !== 'GET' && request.method !== 'HEAD';
}

/** The Referer's path and query when it is an address of this host (as the browser named it), else nothing. */
function refererOnThisHost(request: WebRequest): string | undefined {
  const referer = header(request, 'referer');
  if (!referer) return undefined;
  let url: URL;
  try {
    url = new URL(referer);
  } catch {
    return undefined;
  }
  const hosts = [header(request, 'x-forwarded-host')?.split(',')[0]?.trim(), header(request, 'host')];
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !hosts.includes(url.host)) return undefined;
  return pathOnThisSite(`${url.pathname}${url.search}`);
}

/** The path of a request's URL, without its query string. */
function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}

/** Whether the browser reached us over HTTPS (directly or through a proxy that says so). */
export function isSecure(request: WebRequest): boolean {
  return request.protocol === 'https' || header(request, 'x-forwarded-proto')?.split(',')[0]?.trim() === 'https';
}
