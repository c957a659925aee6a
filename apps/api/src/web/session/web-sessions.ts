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
  /** Every form of the session carries it; a POST without it is refused. */
  readonly csrfToken: string;
  readonly createdAt: number;
  lastSeenAt: number;
  /** A one-time message shown on the next page (after a redirect). */
  flash?: string;
}

export type SessionLookup = { readonly session: WebSession } | { readonly session?: undefined; readonly expired: boolean };

export const SESSION_COOKIE = 'jalon_session';

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
  private readonly now: () => number;

  constructor(readonly options: WebSessionOptions) {
    this.now = options.now ?? Date.now;
  }

  create(actor: Actor): WebSession {
    this.sweep();
    const now = this.now();
    const session: WebSession = {
      id: randomBytes(32).toString('base64url'),
      actor,
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

  takeFlash(session: WebSession): string | undefined {
    const flash = session.flash;
    delete session.flash;
    return flash;
  }

  /** Constant-time comparison of a submitted token with the session's. */
  csrfMatches(session: WebSession, submitted: unknown): boolean {
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
  return [
    `${SESSION_COOKIE}=${remove ? '' : encodeURIComponent(value)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
    ...(remove ? ['Max-Age=0'] : []),
  ].join('; ');
}
