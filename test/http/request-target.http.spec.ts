import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiUnderTest, startApi } from './api-under-test';
import { openSqliteStoreUnderTest } from './sqlite-store-under-test';
import { PROGRAMME_LAUNCH } from '../support/programme-launch';

interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

/**
 * RFC 9112 §3.2.2: a server MUST accept a request target in absolute form
 * (`PUT http://127.0.0.1:3000/api/programmes HTTP/1.1`, as some proxies send it), which names the
 * same resource as its origin form (`/api/programmes`). Whatever the origin form gets (the route, a
 * 405 with `Allow`, a 204 to OPTIONS, a French problem), the absolute form gets the same
 * (docs/decisions/0038-http-edges-absolute-form-duplicate-keys-bom.md).
 */
describe('HTTP: a request target in absolute form', () => {
  let api: ApiUnderTest;
  let origin: string;
  let port: number;

  beforeAll(async () => {
    api = await startApi(openSqliteStoreUnderTest);
    // Sent on a socket: supertest and inject only send the origin form.
    await api.app.listen(0, '127.0.0.1');
    port = (api.app.getHttpServer().address() as AddressInfo).port;
    origin = `http://127.0.0.1:${port}`;
  }, 30_000);
  afterAll(async () => {
    await api.close();
  });

  /** Sends `target` as it is on the request line (Node's client sends an absolute path verbatim, as a proxy would). */
  function send(method: string, target: string, options: { token?: boolean; body?: string; type?: string } = {}): Promise<RawResponse> {
    const headers: Record<string, string> = {};
    if (options.token !== false) headers.authorization = `Bearer ${api.tokens.admin}`;
    if (options.body !== undefined) {
      headers['content-type'] = options.type ?? 'application/json';
      headers['content-length'] = String(Buffer.byteLength(options.body));
    }
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest({ host: '127.0.0.1', port, method, path: target, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      });
      outgoing.on('error', reject);
      outgoing.end(options.body);
    });
  }

  /** What a client compares between two answers: status, `Allow`, type, redirect and body. */
  const seen = (response: RawResponse) => ({
    status: response.status,
    allow: response.headers.allow,
    type: response.headers['content-type'],
    location: response.headers.location,
    body: response.text,
  });

  it('rule: a wrong method in absolute form gets the same 405, `Allow` and French problem as in origin form (it got 404)', async () => {
    for (const [method, path] of [
      ['PUT', '/api/programmes'],
      ['DELETE', '/api/users'],
      ['POST', '/api/streams/programme-au-coeur-des-territoires/events?from=0'],
    ] as const) {
      const before = await api.fingerprint();
      const absolute = await send(method, `${origin}${path}`, { body: JSON.stringify(PROGRAMME_LAUNCH) });
      expect({ method, path, ...seen(absolute) }).toEqual({ method, path, ...seen(await send(method, path, { body: JSON.stringify(PROGRAMME_LAUNCH) })) });
      expect({ status: absolute.status, code: JSON.parse(absolute.text).code, instance: JSON.parse(absolute.text).instance }).toEqual({
        status: 405,
        code: 'METHOD.NOT_ALLOWED',
        instance: path.split('?')[0],
      });
      expect(await api.fingerprint()).toBe(before);
    }
  });

  it('rule: OPTIONS in absolute form answers 204 with `Allow`, on the API and on the dashboard’s pages (it got 404)', async () => {
    for (const [path, allow] of [
      ['/api/programmes', 'POST'],
      ['/api/users', 'GET, HEAD, POST'],
      ['/connexion', 'GET, HEAD, POST'],
    ] as const) {
      const absolute = await send('OPTIONS', `${origin}${path}`, { token: false });
      expect({ path, ...seen(absolute) }).toEqual({ path, ...seen(await send('OPTIONS', path, { token: false })) });
      expect({ path, status: absolute.status, allow: absolute.headers.allow }).toEqual({ path, status: 204, allow });
    }
  });

  it('rule: the right method in absolute form runs the route: a command is written once, a read answers as in origin form', async () => {
    const launched = await send('POST', `${origin}/api/programmes`, { body: JSON.stringify(PROGRAMME_LAUNCH) });
    expect({ status: launched.status, written: JSON.parse(launched.text).written }).toEqual({ status: 201, written: true });
    // The same command again, in origin form: already recorded.
    const again = await send('POST', '/api/programmes', { body: JSON.stringify(PROGRAMME_LAUNCH) });
    expect({ status: again.status, written: JSON.parse(again.text).written }).toEqual({ status: 200, written: false });
    const events = '/api/streams/programme-au-coeur-des-territoires/events';
    const read = await send('GET', `${origin}${events}`);
    expect(read.status).toBe(200);
    expect(seen(read)).toEqual(seen(await send('GET', events)));
  });

  it('rule: an error on an API address in absolute form is the API’s French problem naming the path, not the dashboard’s page (it got the HTML 404)', async () => {
    for (const [method, path, status, code] of [
      ['GET', '/api/streams/programme-inconnu/events', 404, 'STREAM.NOT_FOUND'],
      ['GET', '/api/nimporte-quoi', 404, 'ROUTE.NOT_FOUND'],
      ['POST', '/api/programmes', 415, 'INPUT.UNSUPPORTED_MEDIA_TYPE'],
    ] as const) {
      const body = method === 'POST' ? 'programmeId=x' : undefined;
      const type = 'application/x-www-form-urlencoded';
      const absolute = await send(method, `${origin}${path}`, { body, type });
      expect({ path, ...seen(absolute) }).toEqual({ path, ...seen(await send(method, path, { body, type })) });
      expect({ status: absolute.status, type: absolute.headers['content-type'] }).toEqual({ status, type: 'application/problem+json; charset=utf-8' });
      expect(JSON.parse(absolute.text)).toMatchObject({ code, instance: path });
    }
  });

  it('rule: any case of scheme, any authority, and no path at all (`http://host` is `/`) name the same target', async () => {
    for (const [target, path] of [
      [`HTTP://127.0.0.1:${port}/api/programmes`, '/api/programmes'],
      ['https://jalon.example.org/api/programmes', '/api/programmes'],
      ['http://jalon.example.org:8080/api/users?x=1', '/api/users?x=1'],
    ] as const) {
      expect({ target, ...seen(await send('OPTIONS', target)) }).toEqual({ target, ...seen(await send('OPTIONS', path)) });
    }
    // The dashboard's home without a session: the same redirection to the sign-in page, with the same return address.
    for (const [target, path] of [
      [`http://127.0.0.1:${port}`, '/'],
      [`http://127.0.0.1:${port}?vue=1`, '/?vue=1'],
      [`${origin}/antennes/montbeliard`, '/antennes/montbeliard'],
    ] as const) {
      const absolute = await send('GET', target, { token: false });
      const originForm = await send('GET', path, { token: false });
      expect({ target, status: absolute.status, location: absolute.headers.location }).toEqual({ target, status: originForm.status, location: originForm.headers.location });
      expect(absolute.status).toBe(303);
    }
  });

  it('rule: the asterisk form and other schemes are not taken for an address (404, as before)', async () => {
    expect((await send('OPTIONS', '*')).status).toBe(404);
    const ftp = await send('OPTIONS', 'ftp://127.0.0.1/api/programmes');
    expect({ status: ftp.status, allow: ftp.headers.allow }).toEqual({ status: 404, allow: undefined });
  });
});
