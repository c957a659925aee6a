import { cookieValue, sessionCookie, sessionOptionsFromEnv, signInCookie, WebSessions } from './web-sessions';

const actor = { id: 'claire-martin', name: 'Claire Martin', role: 'programme-manager' as const };

describe('dashboard sessions', () => {
  let now = 0;
  const sessions = () => new WebSessions({ idleMinutes: 30, maxHours: 10, now: () => now });

  beforeEach(() => {
    now = Date.parse('2024-03-15T08:00:00Z');
  });

  it('gives each sign-in a random id and anti-forgery token, never the bearer token', () => {
    const store = sessions();
    const a = store.create(actor, 'hash');
    const b = store.create(actor, 'hash');
    expect(a.id).not.toBe(b.id);
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.csrfToken).not.toBe(a.id);
    expect(JSON.stringify(a)).not.toContain('jalon_');
  });

  it('rule: a session unused for longer than the idle limit is over, and says it expired', () => {
    const store = sessions();
    const session = store.create(actor, 'hash');
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
    const session = store.create(actor, 'hash');
    for (let minutes = 0; minutes < 10 * 60; minutes += 20) {
      now += 20 * 60_000;
      if (minutes + 20 <= 10 * 60) expect(store.use(session.id).session).toBeDefined();
    }
    now += 20 * 60_000;
    expect(store.use(session.id)).toEqual({ expired: true });
  });

  it('compares anti-forgery tokens in constant time and refuses anything else', () => {
    const store = sessions();
    const session = store.create(actor, 'hash');
    expect(store.csrfMatches(session, session.csrfToken)).toBe(true);
    expect(store.csrfMatches(session, `${session.csrfToken}x`)).toBe(false);
    expect(store.csrfMatches(session, undefined)).toBe(false);
    expect(store.csrfMatches(session, [session.csrfToken])).toBe(false);
  });

  it('gives each sign-in form its own anti-forgery token, kept while the form is fresh and forgotten after the idle limit', () => {
    const store = sessions();
    const form = store.openSignInForm(undefined);
    expect(form.csrfToken).not.toBe(form.id);
    expect(store.openSignInForm(form.id)).toBe(form);
    expect(store.openSignInForm('unknown').id).not.toBe(form.id);
    expect(store.csrfMatches(store.signInForm(form.id)!, form.csrfToken)).toBe(true);
    now += 31 * 60_000;
    expect(store.signInForm(form.id)).toBeUndefined();
    const fresh = store.openSignInForm(form.id);
    expect(fresh.id).not.toBe(form.id);
    store.closeSignInForm(fresh.id);
    expect(store.signInForm(fresh.id)).toBeUndefined();
  });

  it('ends a session on sign-out and forgets expired ones', () => {
    const store = sessions();
    const session = store.create(actor, 'hash');
    store.destroy(session.id);
    expect(store.use(session.id)).toEqual({ expired: false });
    store.create(actor, 'hash');
    now += 31 * 60_000;
    store.create(actor, 'hash');
    expect(store.size).toBe(1);
  });

  it('sets HttpOnly, SameSite=Strict cookies (the session’s on path /, the sign-in form’s on /connexion), Secure behind HTTPS, and reads them back', () => {
    expect(sessionCookie('abc', false)).toBe('jalon_session=abc; Path=/; HttpOnly; SameSite=Strict');
    expect(sessionCookie('abc', true)).toContain('; Secure');
    expect(sessionCookie('', true, true)).toContain('Max-Age=0');
    expect(cookieValue('a=1; jalon_session=xyz; b=2', 'jalon_session')).toBe('xyz');
    expect(cookieValue('a=1', 'jalon_session')).toBeUndefined();
    expect(signInCookie('xyz', false)).toBe('jalon_connexion=xyz; Path=/connexion; HttpOnly; SameSite=Strict');
  });

  it('reads JALON_SESSION_MINUTES (30 by default) and refuses nonsense', () => {
    expect(sessionOptionsFromEnv({}).idleMinutes).toBe(30);
    expect(sessionOptionsFromEnv({ JALON_SESSION_MINUTES: '5' }).idleMinutes).toBe(5);
    expect(() => sessionOptionsFromEnv({ JALON_SESSION_MINUTES: '0' })).toThrow(/JALON_SESSION_MINUTES/);
    expect(() => sessionOptionsFromEnv({ JALON_SESSION_MINUTES: 'trente' })).toThrow(/JALON_SESSION_MINUTES/);
  });
});
