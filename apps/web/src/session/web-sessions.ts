import { Actor } from '@jalon/application';
import { sessionMinutesOf } from '@jalon/core';
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
  /**
   * The user's count of deactivations at sign-in: once it grows the session is over, even if the
   * user was reactivated before the session's next request (read as 0 from an older cookie).
   */
  readonly deactivations: number;
  /** Every form of the session carries it; a POST without it is refused. */
  readonly csrfToken: string;
  readonly createdAt: number;
  lastSeenAt: number;
  /** A one-time message shown on the next page (after a redirect). */
  flash?: string;
  /** The log position of the session's latest write: its forms are read after it (their proposed identifiers, their lists). */
  lastWritten?: string;
  /** Signed out during this request: its cookie is not written back. */
  ended?: boolean;
}

export type SessionLookup = { readonly session: WebSession } | { readonly session?: undefined; readonly expired: boolean };

/**
 * The sign-in form before anyone is signed in: the same anti-forgery protection as a session's
 * forms (a random token in an encrypted cookie, compared in constant time), so that another site
 * cannot sign a browser in to an account of its choosing.
 */
export interface SignInForm {
  readonly id: string;
  readonly csrfToken: string;
  readonly createdAt: number;
}

/**
 * Seals and opens cookie values (authenticated encryption by `@fastify/secure-session`, see
 * ./secure-session-codec.ts): a cookie changed or made without the key opens to `undefined`.
 */
export interface SessionCodec {
  seal(kind: 'session' | 'signIn', data: object): string;
  open(kind: 'session' | 'signIn', value: string): Record<string, unknown> | undefined;
}

/**
 * Sessions ended before their time (« Se déconnecter », or a revoked token seen by the guard):
 * a cookie is only a copy, so its id is remembered until the session could have ended anyway
 * (see docs/decisions/0015-several-instances.md). Shared by every instance.
 */
export interface SignOutList {
  add(id: string, until: number): void;
  has(id: string): boolean;
  /** Forgets entries whose `until` is past. */
  sweep(now: number): void;
}

/** A sign-out list for one process (tests, and read models kept in memory). */
export class InMemorySignOutList implements SignOutList {
  private readonly ids = new Map<string, number>();
  add(id: string, until: number): void {
    this.ids.set(id, until);
  }
  has(id: string): boolean {
    return this.ids.has(id);
  }
  sweep(now: number): void {
    for (const [id, until] of this.ids) if (until < now) this.ids.delete(id);
  }
  get size(): number {
    return this.ids.size;
  }
  /** Each session id with the instant until which it is kept. */
  entries(): IterableIterator<[string, number]> {
    return this.ids.entries();
  }
}

export const SESSION_COOKIE = 'jalon_session';
export const SIGN_IN_COOKIE = 'jalon_connexion';

/** Reads `JALON_SESSION_MINUTES` by the configuration's rule (sessionMinutesOf), refusing what it cannot honour. */
export function sessionOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): WebSessionOptions {
  return { idleMinutes: sessionMinutesOf(env), maxHours: 10 };
}

/**
 * Dashboard sessions, held by the browser: the session (id, user, hash of their token, anti-forgery
 * token, times) travels encrypted and signed in an HttpOnly cookie, rewritten on every response
 * (its idle clock), so that a restart or another instance with the same key knows it. A session
 * ends on sign-out (its id goes on the shared sign-out list), after `idleMinutes` without a
 * request, or `maxHours` after sign-in.
 */
export class WebSessions {
  private readonly now: () => number;
  private lastSweep = 0;

  constructor(
    readonly options: WebSessionOptions,
    private readonly codec: SessionCodec,
    private readonly signOuts: SignOutList = new InMemorySignOutList(),
  ) {
    this.now = options.now ?? Date.now;
  }

  create(actor: Actor, tokenHash: string, deactivations = 0): WebSession {
    const now = this.now();
    return {
      id: randomBytes(32).toString('base64url'),
      actor,
      tokenHash,
      deactivations,
      csrfToken: randomBytes(32).toString('base64url'),
      createdAt: now,
      lastSeenAt: now,
    };
  }

  /** The live session of this cookie, its idle clock restarted; or whether it existed and expired. */
  use(cookie: string | undefined): SessionLookup {
    const session = cookie === undefined ? undefined : this.read(cookie);
    if (!session) return { expired: false };
    if (this.signOuts.has(session.id)) return { expired: false };
    if (this.isOver(session, this.now())) return { expired: true };
    session.lastSeenAt = this.now();
    return { session };
  }

  /** The cookie value that carries this session (written back on every response). */
  seal(session: WebSession): string {
    const { ended: _ended, ...data } = session;
    return this.codec.seal('session', data);
  }

  /** Ends a session everywhere: its cookie, even kept by someone, is refused from now on. */
  destroy(session: WebSession | undefined): void {
    if (!session) return;
    session.ended = true;
    const now = this.now();
    this.signOuts.add(session.id, session.createdAt + this.options.maxHours * 3_600_000);
    if (now - this.lastSweep > 60_000) {
      this.lastSweep = now;
      this.signOuts.sweep(now);
    }
  }

  /** The sign-in form of this cookie while it is fresh (the idle limit), or a new one. */
  openSignInForm(cookie: string | undefined): SignInForm {
    return this.signInForm(cookie) ?? { id: randomBytes(32).toString('base64url'), csrfToken: randomBytes(32).toString('base64url'), createdAt: this.now() };
  }

  /** The cookie value that carries a sign-in form. */
  sealSignInForm(form: SignInForm): string {
    return this.codec.seal('signIn', form);
  }

  /** The sign-in form of this cookie, unless it does not open or is older than the idle limit. */
  signInForm(cookie: string | undefined): SignInForm | undefined {
    const data = cookie === undefined ? undefined : this.codec.open('signIn', cookie);
    if (!data || typeof data.id !== 'string' || typeof data.csrfToken !== 'string' || typeof data.createdAt !== 'number') return undefined;
    const form: SignInForm = { id: data.id, csrfToken: data.csrfToken, createdAt: data.createdAt };
    if (this.now() - form.createdAt > this.options.idleMinutes * 60_000) return undefined;
    return form;
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

  private read(cookie: string): WebSession | undefined {
    const data = this.codec.open('session', cookie);
    if (!data) return undefined;
    const { id, actor, tokenHash, deactivations, csrfToken, createdAt, lastSeenAt, flash, lastWritten } = data;
    if (typeof id !== 'string' || typeof tokenHash !== 'string' || typeof csrfToken !== 'string') return undefined;
    if (typeof createdAt !== 'number' || typeof lastSeenAt !== 'number' || typeof actor !== 'object' || actor === null) return undefined;
    const count = typeof deactivations === 'number' && Number.isSafeInteger(deactivations) ? deactivations : 0;
    return {
      id,
      actor: actor as Actor,
      tokenHash,
      deactivations: count,
      csrfToken,
      createdAt,
      lastSeenAt,
      ...(typeof flash === 'string' ? { flash } : {}),
      ...(typeof lastWritten === 'string' && /^\d{1,19}$/.test(lastWritten) ? { lastWritten } : {}),
    };
  }

  private isOver(session: WebSession, now: number): boolean {
    return now - session.lastSeenAt > this.options.idleMinutes * 60_000 || now - session.createdAt > this.options.maxHours * 3_600_000;
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
