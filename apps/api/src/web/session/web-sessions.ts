import { Actor } from '@jalon/application';
import { randomBytes, timingSafeEqual } from 'node:crypto';

export interface WebSessionOptions {
  /** A session unused for this long is over (`JALON_SESSION_MINUTES`, default 30). */
  readonly idleMinutes: number;
  /** A session is over this long after sign-in, however busy (default 10 hours: a working day). */
  readonly maxHours: number;
  /** Milliseconds since the epoch; tests move time forward. */
  readonly now?: () => number;
}

export interface WebSession {
  readonly id: string;
  readonly actor: Actor;
  /**
   * The hash of the token the user signed in with (never the token): every request checks it is
   * still their working token, so revoking it or deactivating the user ends the session at once.
   */
  readonly tokenHash: string;
  /** Every form of the session carries it; a POST without it is refused. */
  readonly csrfToken: string;
  readonly createdAt: number;
  lastSeenAt: number;
  /** A one-time message shown on the next page (after a redirect). */
  flash?: string;
}

export type SessionLookup = { readonly session: WebSession } | { readonly session?: undefined; readonly expired: boolean };

/**
 * The sign-in form before anyone is signed in: the same anti-forgery protection as a session's
 * forms (a random token kept on the server, found by a cookie, compared in constant time), so
 * that another site cannot sign a browser in to an account of its choosing.
 */
export interface SignInForm {
  readonly id: string;
  readonly csrfToken: string;
  readonly createdAt: number;
}

export const SESSION_COOKIE = 'jalon_session';
export const SIGN_IN_COOKIE = 'jalon_connexion';

/** Sign-in forms kept at most (anyone may open one): the oldest are forgotten first. */
const MAX_SIGN_IN_FORMS = 10_000;

/** Reads `JALON_SESSION_MINUTES`, refusing what it cannot honour. */
export function sessionOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): WebSessionOptions {
  const text = env.JALON_SESSION_MINUTES ?? '30';
  if (!/^\d{1,4}$/.test(text) || Number(text) < 1 || Number(text) > 1440) {
    throw new Error(`JALON_SESSION_MINUTES must be a whole number of minutes from 1 to 1440, not "${text}"`);
  }
  return { idleMinutes: Number(text), maxHours: 10 };
}

/**
 * Dashboard sessions, held in memory: a random id in an HttpOnly cookie stands for the signed-in
 * user (never their token). A session ends on sign-out, after `idleMinutes` without a request,
 * or `maxHours` after sign-in. A restart signs everyone out, which is acceptable for a service of
 * one process; several processes would need a shared store.
 */
export class WebSessions {
  private readonly sessions = new Map<string, WebSession>();
  private readonly signInForms = new Map<string, SignInForm>();
  private readonly now: () => number;

  constructor(readonly options: WebSessionOptions) {
    this.now = options.now ?? Date.now;
  }

  create(actor: Actor, tokenHash: string): WebSession {
    this.sweep();
    const now = this.now();
    const session: WebSession = {
      id: randomBytes(32).toString('base64url'),
      actor,
      tokenHash,
      csrfToken: randomBytes(32).toString('base64url'),
      createdAt: now,
      lastSeenAt: now,
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session of this id, its idle clock restarted; or whether it existed and expired. */
  use(id: string | undefined): SessionLookup {
    if (id === undefined) return { expired: false };
    const session = this.sessions.get(id);
    if (!session) return { expired: false };
    if (this.isOver(session, this.now())) {
      this.sessions.delete(id);
      return { expired: true };
    }
    session.lastSeenAt = this.now();
    return { session };
  }

  destroy(id: string | undefined): void {
    if (id !== undefined) this.sessions.delete(id);
  }

  /** The sign-in form of this id while it is fresh (the idle limit), or a new one. */
  openSignInForm(id: string | undefined): SignInForm {
    const known = this.signInForm(id);
    if (known) return known;
    const form: SignInForm = { id: randomBytes(32).toString('base64url'), csrfToken: randomBytes(32).toString('base64url'), createdAt: this.now() };
    if (this.signInForms.size >= MAX_SIGN_IN_FORMS) this.signInForms.delete(this.signInForms.keys().next().value!);
    this.signInForms.set(form.id, form);
    return form;
  }

  /** The sign-in form of this id, unless it is unknown or older than the idle limit. */
  signInForm(id: string | undefined): SignInForm | undefined {
    const form = id === undefined ? undefined : this.signInForms.get(id);
    if (!form) return undefined;
    if (this.now() - form.createdAt > this.options.idleMinutes * 60_000) {
      this.signInForms.delete(form.id);
      return undefined;
    }
    return form;
  }

  closeSignInForm(id: string): void {
    this.signInForms.delete(id);
  }

  takeFlash(session: WebSession): string | undefined {
    const flash = session.flash;
    delete session.flash;
    return flash;
  }

  /** Constant-time comparison of a submitted token with the session's (or the sign-in form's). */
  csrfMatches(session: { readonly csrfToken: string }, submitted: unknown): boolean {
    if (typeof submitted !== 'string') return false;
    const expected = Buffer.from(session.csrfToken, 'utf8');
    const given = Buffer.from(submitted, 'utf8');
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  get size(): number {
    return this.sessions.size;
  }

  private isOver(session: WebSession, now: number): boolean {
    return now - session.lastSeenAt > this.options.idleMinutes * 60_000 || now - session.createdAt > this.options.maxHours * 3_600_000;
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, session] of this.sessions) if (this.isOver(session, now)) this.sessions.delete(id);
    for (const [id, form] of this.signInForms) if (now - form.createdAt > this.options.idleMinutes * 60_000) this.signInForms.delete(id);
  }
}

/** The value of one cookie in a `Cookie` header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(value);
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The `Set-Cookie` value of the session cookie (an empty value with Max-Age=0 deletes it). */
export function sessionCookie(value: string, secure: boolean, remove = false): string {
  return cookie(SESSION_COOKIE, '/', value, secure, remove);
}

/** The `Set-Cookie` value of the sign-in form's cookie, sent back to the sign-in page only. */
export function signInCookie(value: string, secure: boolean, remove = false): string {
  return cookie(SIGN_IN_COOKIE, '/connexion', value, secure, remove);
}

function cookie(name: string, path: string, value: string, secure: boolean, remove: boolean): string {
  return [
    `${name}=${remove ? '' : encodeURIComponent(value)}`,
    `Path=${path}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
    ...(remove ? ['Max-Age=0'] : []),
  ].join('; ');
}
