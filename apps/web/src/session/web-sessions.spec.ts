import Fastify, { FastifyInstance } from 'fastify';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerSecureSessions, sessionKey } from './secure-session-codec';
import { cookieValue, InMemorySignOutList, SessionCodec, sessionCookie, sessionOptionsFromEnv, signInCookie, WebSessions } from './web-sessions';

const actor = { id: 'claire-martin', name: 'Claire Martin', role: 'programme-manager' as const };

describe('dashboard sessions', () => {
  let now = 0;
  let codec: SessionCodec;
  let fastify: FastifyInstance;
  const key = randomBytes(32);
  const signOuts = new InMemorySignOutList();
  const sessions = () => new WebSessions({ idleMinutes: 30, maxHours: 10, now: () => now }, codec, signOuts);

  beforeAll(async () => {
    fastify = Fastify();
    codec = await registerSecureSessions(fastify, key, 10);
    await fastify.ready();
  });
  afterAll(() => fastify.close());

  beforeEach(() => {
    now = Date.parse('2024-03-15T08:00:00Z');
  });

  it('gives each sign-in a random id and anti-forgery token, and seals it: the cookie shows nothing and cannot be changed', () => {
    const store = sessions();
    const a = store.create(actor, 'hash');
    const b = store.create(actor, 'hash');
    expect(a.id).not.toBe(b.id);
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.csrfToken).not.toBe(a.id);
    const cookie = store.seal(a);
    expect(cookie).not.toContain('claire');
    expect(cookie).not.toContain(a.csrfToken);
    expect(store.use(cookie).session).toEqual(a);
    const [cipher, nonce] = cookie.split(';');
    const tampered = Buffer.from(cipher!, 'base64');
    tampered[20] = tampered[20]! ^ 1;
    expect(store.use(`${tampered.toString('base64')};${nonce}`)).toEqual({ expired: false });
  });

  it('opens a cookie sealed before a restart, or by another instance, with the same key only', async () => {
    const cookie = sessions().seal(sessions().create(actor, 'hash'));
    const other = Fastify();
    const sameKey = await registerSecureSessions(other, key, 10);
    const third = Fastify();
    const otherKey = await registerSecureSessions(third, randomBytes(32), 10);
    await Promise.all([other.ready(), third.ready()]);
    expect(new WebSessions({ idleMinutes: 30, maxHours: 10, now: () => now }, sameKey).use(cookie).session?.actor).toEqual(actor);
    expect(new WebSessions({ idleMinutes: 30, maxHours: 10, now: () => now }, otherKey).use(cookie)).toEqual({ expired: false });
    await Promise.all([other.close(), third.close()]);
  });

  it('rule: a session keeps the user’s count of deactivations at sign-in; a cookie sealed before the count existed reads 0', () => {
    const store = sessions();
    const session = store.create(actor, 'hash', 2);
    expect(store.use(store.seal(session)).session?.deactivations).toBe(2);
    const { deactivations: _deactivations, ...older } = store.create(actor, 'hash');
    expect(store.use(codec.seal('session', older)).session?.deactivations).toBe(0);
  });

  it('rule: a session unused for longer than the idle limit is over, and says it expired', () => {
    const store = sessions();
    const session = store.create(actor, 'hash');
    now += 29 * 60_000;
    const used = store.use(store.seal(session)).session!;
    expect(used.id).toBe(session.id);
    now += 29 * 60_000; // used 29 minutes ago: still alive
    const again = store.use(store.seal(used)).session!;
    expect(again.id).toBe(session.id);
    now += 31 * 60_000;
    expect(store.use(store.seal(again))).toEqual({ expired: true });
  });

  it('rule: a session is over after the absolute limit, however busy', () => {
    const store = sessions();
    let session = store.create(actor, 'hash');
    for (let minutes = 0; minutes < 10 * 60; minutes += 20) {
      now += 20 * 60_000;
      if (minutes + 20 <= 10 * 60) session = store.use(store.seal(session)).session!;
      expect(session).toBeDefined();
    }
    now += 20 * 60_000;
    expect(store.use(store.seal(session))).toEqual({ expired: true });
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
    const cookie = store.sealSignInForm(form);
    expect(form.csrfToken).not.toBe(form.id);
    expect(store.openSignInForm(cookie)).toEqual(form);
    expect(store.openSignInForm('unknown').id).not.toBe(form.id);
    expect(store.signInForm(store.seal(store.create(actor, 'hash')))).toBeUndefined();
    expect(store.csrfMatches(store.signInForm(cookie)!, form.csrfToken)).toBe(true);
    now += 31 * 60_000;
    expect(store.signInForm(cookie)).toBeUndefined();
    expect(store.openSignInForm(cookie).id).not.toBe(form.id);
  });

  it('ends a session on sign-out: its cookie, kept by someone, is refused, and the list forgets it once it would have ended anyway', () => {
    const store = sessions();
    const session = store.create(actor, 'hash');
    const cookie = store.seal(session);
    store.destroy(session);
    expect(session.ended).toBe(true);
    expect(store.use(cookie)).toEqual({ expired: false });
    expect(signOuts.has(session.id)).toBe(true);
    signOuts.sweep(now + 10 * 3_600_000 + 1);
    expect(signOuts.has(session.id)).toBe(false);
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

  it('creates the key on first start in the data directory, readable by its owner only, or takes JALON_SESSION_KEY', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jalon-key-'));
    const first = sessionKey({}, dir);
    expect(first).toHaveLength(32);
    expect(statSync(join(dir, 'session-key')).mode & 0o777).toBe(0o600);
    expect(sessionKey({}, dir).equals(first)).toBe(true);
    expect(readFileSync(join(dir, 'session-key'), 'utf8')).toBe(first.toString('base64'));
    const given = randomBytes(32);
    expect(sessionKey({ JALON_SESSION_KEY: given.toString('base64') }, dir).equals(given)).toBe(true);
    expect(() => sessionKey({ JALON_SESSION_KEY: 'court' }, dir)).toThrow(/JALON_SESSION_KEY/);
  });
});
