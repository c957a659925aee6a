import { cookieValue, sessionCookie, sessionOptionsFromEnv, WebSessions } from './web-sessions';

const actor = { id: 'claire-martin', name: 'Claire Martin', role: 'programme-manager' as const };

describe('dashboard sessions', () => {
  let now = 0;
  const sessions = () => new WebSessions({ idleMinutes: 30, maxHours: 10, now: () => now });

  beforeEach(() => {
    now = Date.parse('2024-03-15T08:00:00Z');
  });

  it('gives each sign-in a random id and anti-forgery token, never the bearer token', () => {
    const store = sessions();
    const a = store.create(actor);
    const b = store.create(actor);
    expect(a.id).not.toBe(b.id);
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.csrfToken).not.toBe(a.id);
    expect(JSON.stringify(a)).not.toContain('jalon_');
  });

  it('rule: a session unused for longer than the idle limit is over, and says it expired', () => {
    const store = sessions();
    const session = store.create(actor);
    now += 29 * 60_000;
    expect(store.use(session.id).session).toBe(session);
    now += 29 * 60_000; // used 29 minutes ago: still alive
    expect(store.use(session.id).session).toBe(session);
    now += 31 * 60_000;
    expect(store.use(session.id)).toEqual({ expired: true });
    expect(store.use(session.id)).toEqual({ expired: false });
  });

  it('rule: a session is over after the absolute limit, however busy', () => {
    const store = sessions();
    const session = store.create(actor);
    for (let minutes = 0; minutes < 10 * 60; minutes += 20) {
      now += 20 * 60_000;
      if (minutes + 20 <= 10 * 60) expect(store.use(session.id).session).toBeDefined();
    }
    now += 20 * 60_000;
    expect(store.use(session.id)).toEqual({ expired: true });
  });

  it('compares anti-forgery tokens in constant time and refuses anything else', () => {
    const store = sessions();
    const session = store.create(actor);
    expect(store.csrfMatches(session, session.csrfToken)).toBe(true);
    expect(store.csrfMatches(session, `${session.csrfToken}x`)).toBe(false);
    expect(store.csrfMatches(session, undefined)).toBe(false);
    expect(store.csrfMatches(session, [session.csrfToken])).toBe(false);
  });

  it('ends a session on sign-out and forgets expired ones', () => {
    const store = sessions();
    const session = store.create(actor);
    store.destroy(session.id);
    expect(store.use(session.id)).toEqual({ expired: false });
    store.create(actor);
    now += 31 * 60_000;
    store.create(actor);
    expect(store.size).toBe(1);
  });

  it('sets an HttpOnly, SameSite=Strict cookie on path /, Secure behind HTTPS, and reads it back', () => {
    expect(sessionCookie('abc', false)).toBe('jalon_session=abc; Path=/; HttpOnly; SameSite=Strict');
    expect(sessionCookie('abc', true)).toContain('; Secure');
    expect(sessionCookie('', true, true)).toContain('Max-Age=0');
    expect(cookieValue('a=1; jalon_session=xyz; b=2', 'jalon_session')).toBe('xyz');
    expect(cookieValue('a=1', 'jalon_session')).toBeUndefined();
  });

  it('reads JALON_SESSION_MINUTES (30 by default) and refuses nonsense', () => {
    expect(sessionOptionsFromEnv({}).idleMinutes).toBe(30);
    expect(sessionOptionsFromEnv({ JALON_SESSION_MINUTES: '5' }).idleMinutes).toBe(5);
    expect(() => sessionOptionsFromEnv({ JALON_SESSION_MINUTES: '0' })).toThrow(/JALON_SESSION_MINUTES/);
    expect(() => sessionOptionsFromEnv({ JALON_SESSION_MINUTES: 'trente' })).toThrow(/JALON_SESSION_MINUTES/);
  });
});
