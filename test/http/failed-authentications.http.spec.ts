import request from 'supertest';
import { ApiUnderTest, startApi } from './api-under-test';
import { openSqliteStoreUnderTest } from './sqlite-store-under-test';
import { csrfOf } from '../support/forms';

/**
 * Failed authentications are limited per client address (issue 11): ten refused tokens a minute,
 * on the sign-in page and on the API together; the eleventh gets 429 with `Retry-After`. Only
 * failures count. Each test starts its own application, so that each starts with a clean count.
 */
describe('failed authentications, limited per client address', () => {
  let api: ApiUnderTest;

  beforeEach(async () => {
    api = await startApi(openSqliteStoreUnderTest);
  }, 30_000);
  afterEach(async () => {
    await api.close();
  });

  async function signIn(token: string) {
    const agent = request.agent(api.http);
    const form = await agent.get('/connexion').expect(200);
    return agent.post('/connexion').type('form').send({ _csrf: csrfOf(form.text), jeton: token });
  }
  const me = (token: string) => request(api.http).get('/api/users/me').set('Authorization', `Bearer ${token}`);
  const retryAfter = (response: request.Response) => Number(response.headers['retry-after']);

  it('rule: the eleventh failed sign-in in a minute gets 429 with Retry-After; successful sign-ins before are not counted', async () => {
    for (let i = 0; i < 30; i++) expect((await signIn(api.tokens.auditor)).status).toBe(303);
    for (let i = 1; i <= 10; i++) expect([i, (await signIn(`jalon_faux_${i}`)).status]).toEqual([i, 401]);

    const eleventh = await signIn('jalon_faux_11');
    expect(eleventh.status).toBe(429);
    expect(retryAfter(eleventh)).toBeGreaterThanOrEqual(1);
    expect(retryAfter(eleventh)).toBeLessThanOrEqual(60);
    expect(eleventh.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(eleventh.text).toContain('Trop de connexions ont échoué depuis cette adresse en peu de temps.');
    expect(eleventh.text).toContain('<span class="code">AUTH.TOO_MANY_ATTEMPTS</span>');

    // While the address is blocked no token is checked, a right one included (a guess learns nothing),
    // on the sign-in page and on the API alike.
    const right = await signIn(api.tokens.admin);
    expect(right.status).toBe(429);
    expect(right.headers['set-cookie'] ?? []).not.toContainEqual(expect.stringMatching(/^jalon_session=/));
    const api429 = await me(api.tokens.admin).expect(429);
    expect(api429.body).toMatchObject({ status: 429, code: 'AUTH.TOO_MANY_ATTEMPTS', detail: expect.stringContaining('Trop de tentatives d’authentification échouées depuis cette adresse') });
    expect(retryAfter(api429)).toBeGreaterThanOrEqual(1);
    // The pages and the API documentation that need no token are not concerned.
    await request(api.http).get('/health').expect((response) => expect(response.status).not.toBe(429));
  });

  it('rule: wrong bearer tokens count too: after ten, the next request gets 429 with Retry-After; successful and token-less requests are not counted', async () => {
    for (let i = 0; i < 50; i++) await me(api.tokens.finance).expect(200);
    for (let i = 0; i < 20; i++) await request(api.http).get('/api/users/me').expect(401);
    for (let i = 1; i <= 10; i++) {
      const refused = await me(`jalon_faux_${i}`);
      expect([i, refused.status, refused.body.code]).toEqual([i, 401, 'AUTH.UNAUTHENTICATED']);
    }
    // Ten failures used the allowance: the next request is refused before its token is looked at, a right one included.
    const eleventh = await me(api.tokens.finance).expect(429);
    expect(eleventh.body.code).toBe('AUTH.TOO_MANY_ATTEMPTS');
    expect(retryAfter(eleventh)).toBeGreaterThanOrEqual(1);
    expect(retryAfter(eleventh)).toBeLessThanOrEqual(60);
    await me('jalon_faux_11').expect(429);
    expect((await signIn(api.tokens.finance)).status).toBe(429);
  });

  it('rule: the count is per connection address: headers a client chooses (X-Forwarded-For, X-Real-IP, Forwarded) do not give it a fresh allowance', async () => {
    const from = (i: number) => ({ 'X-Forwarded-For': `203.0.113.${i}`, 'X-Real-IP': `198.51.100.${i}`, Forwarded: `for=192.0.2.${i}` });
    for (let i = 1; i <= 10; i++) await me(`jalon_faux_${i}`).set(from(i)).expect(401);
    const refused = await me(api.tokens.finance).set(from(99)).expect(429);
    expect(refused.body.code).toBe('AUTH.TOO_MANY_ATTEMPTS');
    const form = await request(api.http).get('/connexion').set(from(98)).expect(200);
    expect(form.text).toContain('_csrf');
    expect((await signIn(api.tokens.finance)).status).toBe(429);
  });

  it('rule: behind a reverse proxy named by JALON_TRUST_PROXY, failures are counted per client its X-Forwarded-For names; without it, X-Forwarded-For is ignored, so a client cannot write its way out of its count', async () => {
    const fromClient = (client: string, token: string) => me(token).set('X-Forwarded-For', client);
    // Not trusted (the default): both names come from one connection address, one count.
    for (let i = 1; i <= 10; i++) expect([i, (await fromClient('203.0.113.1', `jalon_faux_${i}`)).status]).toEqual([i, 401]);
    expect((await fromClient('203.0.113.2', 'jalon_faux_11')).status).toBe(429);
    await api.close();

    // The test's own connections come from 127.0.0.1: trusted as the proxy, each client has its own count.
    api = await startApi(openSqliteStoreUnderTest, { env: { JALON_TRUST_PROXY: '127.0.0.1' } });
    for (let i = 1; i <= 10; i++) expect([i, (await fromClient('203.0.113.1', `jalon_faux_${i}`)).status]).toEqual([i, 401]);
    expect((await fromClient('203.0.113.1', 'jalon_faux_11')).status).toBe(429);
    expect((await fromClient('203.0.113.2', 'jalon_faux_12')).status).toBe(401);
    await fromClient('203.0.113.2', api.tokens.finance).expect(200);
    // The proxy's address itself (no X-Forwarded-For) is a client of its own.
    await me(api.tokens.finance).expect(200);
  });
});
