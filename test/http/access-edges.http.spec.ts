import { AddressInfo, connect } from 'node:net';
import request from 'supertest';
import { ApiUnderTest, startApi } from './api-under-test';
import { openSqliteStoreUnderTest } from './sqlite-store-under-test';

/**
 * Edges of who may do what: an administrator who can still act, the shape of the Authorization
 * header, and the actor ids that are Jalon's own. Each test starts its own application.
 */
describe('access edges over HTTP: the last working administrator, the Authorization header, reserved actor ids', () => {
  let api: ApiUnderTest;

  beforeEach(async () => {
    api = await startApi(openSqliteStoreUnderTest);
  }, 30_000);
  afterEach(async () => {
    await api.close();
  });

  const me = (authorization: string) => request(api.http).get('/api/users/me').set('Authorization', authorization);
  const post = (path: string, token = api.tokens.admin) => request(api.http).post(path).set('Authorization', `Bearer ${token}`);

  /** A request written by hand on a socket: supertest cannot send one header twice. */
  async function rawGet(path: string, headers: readonly string[]): Promise<{ status: number; body: string }> {
    const server = api.http.listening ? api.http : api.http.listen(0, '127.0.0.1');
    if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const text = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers.map((line) => `${line}\r\n`).join('')}Connection: close\r\n\r\n`));
        let data = '';
        socket.on('data', (chunk) => (data += chunk));
        socket.on('end', () => resolve(data));
        socket.on('error', reject);
      });
      return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]), body: text.slice(text.indexOf('\r\n\r\n') + 4) };
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }

  it('rule: an administrator is deactivated only while another active administrator holds a working token (422 USER.LAST_ADMIN), nothing written; each change names its actor', async () => {
    await post('/api/users').send({ name: 'Seconde Admin', role: 'admin' }).expect(201);
    await post('/api/users/seconde-admin/token-revocation').expect(200);

    // The other administrator is active but has no token: deactivating this one would leave no one to manage users.
    const before = await api.fingerprint();
    const refused = await post('/api/users/admin/deactivation').expect(422);
    expect(refused.body).toMatchObject({ status: 422, code: 'USER.LAST_ADMIN', detail: expect.stringContaining('Le dernier administrateur actif ne peut être ni désactivé') });
    expect(await api.fingerprint()).toBe(before);
    await me(`Bearer ${api.tokens.admin}`).expect(200);

    // Once the other administrator has a token again, this one may go, and the identity stream says who did what.
    const second = await post('/api/users/seconde-admin/token-rotation').expect(201);
    await post('/api/users/admin/deactivation', second.body.token).expect(200);
    await me(`Bearer ${api.tokens.admin}`).expect(401);
    const stream = await request(api.http).get('/api/streams/identity-users/events?direction=backwards&maxCount=3').set('Authorization', `Bearer ${second.body.token}`).expect(200);
    expect(stream.body.events.map((event: { type: string; metadata: { actor: string; role: string } }) => [event.type, event.metadata.actor, event.metadata.role])).toEqual([
      ['UserDeactivated', 'seconde-admin', 'admin'],
      ['UserTokenIssued', 'admin', 'admin'],
      ['UserTokenRevoked', 'admin', 'admin'],
    ]);
  });

  it('rule: Authorization carries one bearer token: the scheme in any case after one or more spaces; « Bearer a b » names no token (401, not counted)', async () => {
    const token = api.tokens.auditor;
    for (const header of [`Bearer ${token}`, `bearer ${token}`, `BEARER ${token}`, `Bearer  ${token}`, `Bearer ${token} `]) {
      expect([header, (await me(header)).status]).toEqual([header, 200]);
    }
    for (const header of [`Bearer ${token} ${api.tokens.admin}`, `Bearer ${token} extra`, `Bearer\t${token}`, `Basic ${token}`, `Bearer${token}`, 'Bearer']) {
      const refused = await me(header);
      expect([header, refused.status, refused.body.code]).toEqual([header, 401, 'AUTH.UNAUTHENTICATED']);
      expect(refused.headers['www-authenticate']).toMatch(/^Bearer/);
    }
    expect((await me(`Bearer ${token} extra`)).body.detail).toContain('le jeton seul');
    // A very long token is refused like any other wrong token (counted), not answered 5xx.
    await me(`Bearer ${'x'.repeat(12_000)}`).expect(401);
    // None of the malformed headers was a guess: with 8 more wrong tokens the address has used 9 of its 10 attempts.
    for (let i = 0; i < 8; i++) await me(`Bearer jalon_faux_${i}`).expect(401);
    await me(`Bearer ${token}`).expect(200);
  });

  it('rule: a request with two Authorization headers names no one token: 401, whichever of them would work', async () => {
    const two = await rawGet('/api/users/me', [`Authorization: Bearer ${api.tokens.auditor}`, `Authorization: Bearer ${api.tokens.admin}`]);
    expect(two.status).toBe(401);
    expect(JSON.parse(two.body)).toMatchObject({ code: 'AUTH.UNAUTHENTICATED', detail: expect.stringContaining('plusieurs en-têtes Authorization') });
    const one = await rawGet('/api/users/me', [`Authorization: Bearer ${api.tokens.auditor}`]);
    expect([one.status, JSON.parse(one.body).id]).toEqual([200, 'ines-auditrice']);
  });

  it('rule: the user actions refuse If-Match, If-None-Match and Idempotency-Key naming the header, not ignore them (a stale If-Match was answered 200; a key sent twice created the user then got 409, or issued a second token that cancelled the first); nothing written', async () => {
    const created = await post('/api/users').send({ name: 'Clé Refusée', role: 'auditor' }).expect(201);
    const before = await api.fingerprint();
    const headers: [string, string][] = [
      ['If-Match', '"999"'],
      ['If-None-Match', '*'],
      ['Idempotency-Key', 'rotation-1'],
    ];
    const actions: [string, object | undefined][] = [
      ['/api/users', { name: 'Deux Fois', role: 'auditor' }],
      ...['deactivation', 'reactivation', 'token-revocation', 'token-rotation'].map((action): [string, undefined] => [`/api/users/cle-refusee/${action}`, undefined]),
    ];
    for (const [path, body] of actions) {
      for (const [name, value] of headers) {
        const refused = await post(path).set(name, value).send(body);
        expect([path, name, refused.status, refused.body.code]).toEqual([path, name, 400, 'INPUT.INVALID']);
        expect(refused.body.errors).toEqual([{ field: name, rule: 'notAccepted', message: expect.stringMatching(new RegExp(`^${name} n’est pas accepté par cette route : .+ ; retirez cet en-tête$`)) }]);
        expect(refused.text).not.toContain('jalon_');
      }
    }
    // All three at once: each named.
    const all = await post('/api/users/cle-refusee/token-rotation').set('If-Match', '"1"').set('Idempotency-Key', 'k').set('If-None-Match', '*').expect(400);
    expect(all.body.errors.map((error: { field: string }) => error.field)).toEqual(['If-Match', 'If-None-Match', 'Idempotency-Key']);
    expect(all.body.errors[2].message).toContain('consultez GET /api/users');
    expect(await api.fingerprint()).toBe(before);
    // The user's first token was neither revoked nor replaced.
    await me(`Bearer ${created.body.token}`).expect(200);
  });

  it('rule: no user takes the id Jalon writes its own facts under (system, cli): 409 USER.ALREADY_EXISTS naming the field, nothing written', async () => {
    const before = await api.fingerprint();
    for (const name of ['System', 'CLI', 'cli']) {
      const refused = await post('/api/users').send({ name, role: 'admin' }).expect(409);
      expect(refused.body).toMatchObject({ status: 409, code: 'USER.ALREADY_EXISTS', details: { field: 'name' } });
      expect(refused.text).not.toContain('jalon_');
    }
    expect(await api.fingerprint()).toBe(before);
    // A name that only contains one of them is a name like any other.
    const created = await post('/api/users').send({ name: 'Système Dupont', role: 'auditor' }).expect(201);
    expect(created.body.user.id).toBe('systeme-dupont');
    await me(`Bearer ${created.body.token}`).expect(200);
  });
});
