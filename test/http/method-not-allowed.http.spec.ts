import { ERROR_MESSAGES } from '@jalon/application';
import request from 'supertest';
import { ApiUnderTest, startApi } from './api-under-test';
import { openSqliteStoreUnderTest } from './sqlite-store-under-test';
import { PROGRAMME_LAUNCH } from '../support/programme-launch';

const launch = PROGRAMME_LAUNCH;

/**
 * RFC 9110 §15.5.6: a method the target resource does not support gets 405 Method Not Allowed with
 * `Allow` listing the methods it does; OPTIONS on a known address answers with `Allow` too. An
 * unknown address keeps its 404, and such a request writes nothing, with or without a token.
 */
describe('HTTP: a known address asked with another method', () => {
  let api: ApiUnderTest;
  const bearer = () => `Bearer ${api.tokens.admin}`;
  const send = (method: string, path: string, token = true) => {
    const test = request(api.http)[method.toLowerCase() as 'get'](path);
    return token ? test.set('Authorization', bearer()) : test;
  };

  beforeAll(async () => {
    api = await startApi(openSqliteStoreUnderTest);
    await send('POST', '/api/programmes').send(launch).expect(201);
  }, 30_000);
  afterAll(async () => {
    await api.close();
  });

  /** Sends, expects 405 with `Allow`, the French problem naming the method and the allowed ones, and nothing written. */
  async function notAllowed(test: request.Test, method: string, allow: string): Promise<void> {
    const before = await api.fingerprint();
    const response = await test;
    expect({ status: response.status, allow: response.headers.allow }).toEqual({ status: 405, allow });
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.body).toEqual({
      type: '/api/problems/METHOD.NOT_ALLOWED',
      title: ERROR_MESSAGES['METHOD.NOT_ALLOWED'],
      status: 405,
      detail: `La méthode ${method} n’est pas acceptée à cette adresse, qui accepte ${allow}.`,
      instance: new URL(test.url).pathname,
      code: 'METHOD.NOT_ALLOWED',
      details: { method, allow: allow.split(', ') },
    });
    expect(await api.fingerprint()).toBe(before);
  }

  it('rule: PUT, DELETE and PATCH on a POST-only route get 405 with `Allow: POST`, in French, and write nothing', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      await notAllowed(send(method, '/api/programmes').send({ ...launch, programmeId: 'autre-programme' }), method, 'POST');
    }
  });

  it('rule: the 405 comes before authentication and before the body is read (the methods are public in the OpenAPI document)', async () => {
    await notAllowed(send('PUT', '/api/programmes', false).send(launch), 'PUT', 'POST');
    await notAllowed(send('PUT', '/api/programmes').set('Content-Type', 'text/plain').send('pas du JSON'), 'PUT', 'POST');
  });

  it('rule: a route with parameters matches any value of them: POST on a GET route gets 405 with `Allow: GET, HEAD`', async () => {
    await notAllowed(send('POST', '/api/streams/programme-au-coeur-des-territoires/events'), 'POST', 'GET, HEAD');
    await notAllowed(send('DELETE', '/api/streams/nimporte-quel-flux/events?from=0'), 'DELETE', 'GET, HEAD');
    // The trailing slash is ignored as the router ignores it.
    await notAllowed(send('PUT', '/api/programmes/'), 'PUT', 'POST');
  });

  it('rule: `Allow` lists every method of the address, sorted (GET, HEAD and POST on /api/users)', async () => {
    await notAllowed(send('DELETE', '/api/users'), 'DELETE', 'GET, HEAD, POST');
  });

  it('rule: OPTIONS on a known address answers 204 with `Allow` and no body, with or without a token', async () => {
    for (const [path, allow] of [
      ['/api/programmes', 'POST'],
      ['/api/streams/programme-au-coeur-des-territoires/events', 'GET, HEAD'],
      ['/api/users', 'GET, HEAD, POST'],
      ['/health', 'GET, HEAD'],
    ] as const) {
      for (const token of [true, false]) {
        const response = await send('OPTIONS', path, token);
        expect({ path, status: response.status, allow: response.headers.allow, body: response.text }).toEqual({ path, status: 204, allow, body: '' });
      }
    }
  });

  it('rule: OPTIONS on every documented API address lists exactly its documented methods (HEAD with GET)', async () => {
    const document = (await send('GET', '/api/openapi.json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    const paths = Object.entries(document.paths);
    expect(paths.length).toBeGreaterThan(20);
    for (const [path, item] of paths) {
      const documented = Object.keys(item)
        .filter((key) => ['get', 'post', 'put', 'patch', 'delete'].includes(key))
        .map((key) => key.toUpperCase());
      const expected = [...documented, ...(documented.includes('GET') ? ['HEAD'] : [])].sort().join(', ');
      const response = await send('OPTIONS', path.replace(/\{[^}]+\}/g, 'exemple'), false);
      expect({ path, status: response.status, allow: response.headers.allow }).toEqual({ path, status: 204, allow: expected });
    }
  });

  it('rule: an unknown address keeps its 404 ROUTE.NOT_FOUND whatever the method, OPTIONS included', async () => {
    for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      for (const path of ['/api/nimporte-quoi', '/api/programmes/au-coeur-des-territoires/inconnu']) {
        const response = await send(method, path);
        expect({ method, path, status: response.status, code: response.body.code, allow: response.headers.allow }).toEqual({ method, path, status: 404, code: 'ROUTE.NOT_FOUND', allow: undefined });
      }
    }
  });

  it('rule: an address the router cannot read, or with an empty parameter, is not taken for a known one', async () => {
    // A broken % encoding is refused as ROUTE.INVALID whatever the method, OPTIONS included. A segment over
    // 1,000 characters is too long for the GET route's parameter (414); OPTIONS has no route with a parameter there (404).
    const cases = [
      ['GET', '/api/streams/%E0%A4%A/events', 400, 'ROUTE.INVALID'],
      ['OPTIONS', '/api/streams/%E0%A4%A/events', 400, 'ROUTE.INVALID'],
      ['GET', `/api/streams/${'a'.repeat(1500)}/events`, 414, 'ROUTE.INVALID'],
      ['OPTIONS', `/api/streams/${'a'.repeat(1500)}/events`, 404, 'ROUTE.NOT_FOUND'],
    ] as const;
    for (const [method, path, status, code] of cases) {
      const response = await send(method, path);
      expect({ method, status: response.status, code: response.body.code, allow: response.headers.allow }).toEqual({ method, status, code, allow: undefined });
    }
    // Nest answers an empty route parameter 404 for the route's own method: any other method too.
    for (const method of ['GET', 'POST', 'OPTIONS']) {
      const response = await send(method, '/api/streams//events');
      expect({ method, status: response.status, allow: response.headers.allow }).toEqual({ method, status: 404, allow: undefined });
    }
  });

  it('rule: HEAD on a GET route still answers as GET does, without a body', async () => {
    const events = await send('HEAD', '/api/streams/programme-au-coeur-des-territoires/events');
    expect({ status: events.status, type: events.headers['content-type'], body: events.text }).toEqual({ status: 200, type: expect.stringMatching(/^application\/json/), body: undefined });
    expect((await send('HEAD', '/health', false)).status).toBe(200);
    // HEAD on a POST-only route is a method like any other (its answer has no body).
    const head = await send('HEAD', '/api/programmes');
    expect({ status: head.status, allow: head.headers.allow, body: head.text }).toEqual({ status: 405, allow: 'POST', body: undefined });
  });

  describe('on the dashboard', () => {
    it('rule: a wrong method on a page gets 405 with `Allow` in the French error page', async () => {
      for (const [method, path, allow] of [
        ['PUT', '/', 'GET, HEAD'],
        ['DELETE', '/connexion', 'GET, HEAD, POST'],
      ] as const) {
        const before = await api.fingerprint();
        const response = await send(method, path, false);
        expect({ status: response.status, allow: response.headers.allow, type: response.headers['content-type'] }).toEqual({ status: 405, allow, type: 'text/html; charset=utf-8' });
        expect(response.text).toContain('<h1>Méthode non acceptée</h1>');
        expect(response.text).toContain(`La méthode ${method} n’est pas acceptée à cette adresse, qui accepte ${allow}.`);
        expect(response.text).toContain('METHOD.NOT_ALLOWED');
        expect(await api.fingerprint()).toBe(before);
      }
    });

    it('rule: OPTIONS on a page answers 204 with `Allow`; an unknown page keeps its 404', async () => {
      const options = await send('OPTIONS', '/connexion', false);
      expect({ status: options.status, allow: options.headers.allow }).toEqual({ status: 204, allow: 'GET, HEAD, POST' });
      for (const method of ['PUT', 'OPTIONS']) {
        const unknown = await send(method, '/page-inconnue', false);
        expect({ method, status: unknown.status, allow: unknown.headers.allow }).toEqual({ method, status: 404, allow: undefined });
      }
    });
  });
});
