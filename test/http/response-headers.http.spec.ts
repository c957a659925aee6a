import request from 'supertest';
import { ApiUnderTest } from './api-under-test';
import { useDemoApi } from './sqlite-store-under-test';

/**
 * What an audit found the API's answers missing, that the dashboard's pages carried: no
 * `Cache-Control: no-store` (a freshly issued token could be kept by a cache), no `nosniff` (an
 * export could be read as HTML), and on the API documentation (Swagger UI, on the dashboard's
 * origin) no content security policy and no refusal of framing.
 */
describe('HTTP API: the headers every answer carries', () => {
  const demo = useDemoApi('response-headers');
  const as = (role: keyof ApiUnderTest['tokens']) => `Bearer ${demo.api.tokens[role]}`;
  const get = (path: string) => request(demo.api.http).get(path).set('Authorization', as('admin'));
  /** The headers under test, as answered, and where (so that a failure names the answer). */
  const headersOf = (what: string, response: request.Response) => ({
    what,
    cacheControl: response.headers['cache-control'],
    nosniff: response.headers['x-content-type-options'],
  });
  const protectedAnswer = (what: string) => ({ what, cacheControl: 'no-store', nosniff: 'nosniff' });

  it('rule: every API answer is neither stored nor sniffed: JSON, a freshly issued token (user creation, token rotation), errors, report exports, the audit export', async () => {
    const answers: [string, request.Response][] = [];
    const created = await request(demo.api.http).post('/api/users').set('Authorization', as('admin')).send({ name: 'Jeton Neuf', role: 'auditor' }).expect(201);
    expect(created.body.token).toMatch(/^jalon_/);
    answers.push(['POST /api/users (token)', created]);
    answers.push(['token-rotation (token)', await request(demo.api.http).post('/api/users/jeton-neuf/token-rotation').set('Authorization', as('admin')).expect(201)]);
    answers.push(['GET /api/users', await get('/api/users').expect(200)]);
    answers.push(['GET /api/users/me', await get('/api/users/me').expect(200)]);
    answers.push(['a command', await request(demo.api.http).post('/api/calls').set('Authorization', as('admin')).send({}).expect(400)]);
    answers.push(['401', await request(demo.api.http).get('/api/users/me').expect(401)]);
    answers.push(['404', await get('/api/nulle-part').expect(404)]);
    answers.push(['405', await request(demo.api.http).put('/api/users').set('Authorization', as('admin')).expect(405)]);
    answers.push(['/health', await request(demo.api.http).get('/health').expect(200)]);
    answers.push(['/api/openapi.json', await request(demo.api.http).get('/api/openapi.json').expect(200)]);
    const types = new Set<string>();
    for (const format of ['json', 'csv', 'xlsx', 'pdf']) {
      const report = await get(`/api/reports/budget?antenna=montbeliard&format=${format}`).buffer(true).expect(200);
      types.add(String(report.headers['content-type']).split(';')[0]!);
      answers.push([`budget report, ${format}`, report]);
    }
    const exported = await request(demo.api.http).get('/api/audit-export?antenna=montbeliard').set('Authorization', as('auditor')).buffer(true).expect(200);
    answers.push(['/api/audit-export', exported]);
    // The exports as named: a ZIP of CSV files, a workbook, a PDF.
    expect([...types].sort()).toEqual(['application/json', 'application/pdf', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/zip']);
    expect(answers.map(([what, response]) => headersOf(what, response))).toEqual(answers.map(([what]) => protectedAnswer(what)));
  });

  it('rule: the API documentation is a page that may run only its own scripts and be framed by no one, and Swagger UI still finds all it loads', async () => {
    const page = await request(demo.api.http).get('/api/docs').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const policy = String(page.headers['content-security-policy']);
    const directives = new Map(policy.split(';').map((directive) => directive.trim().split(/\s+/) as [string, ...string[]]).map(([name, ...sources]) => [name, sources.join(' ')]));
    expect(Object.fromEntries(directives)).toMatchObject({
      'default-src': "'none'",
      'script-src': "'self'",
      'connect-src': "'self'",
      'frame-ancestors': "'none'",
      'base-uri': "'none'",
    });
    expect(page.headers).toMatchObject({ 'x-frame-options': 'DENY', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
    // No inline script (the policy would block it); every script and style sheet from this origin, served.
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const assets = [...page.text.matchAll(/<(?:script[^>]*\bsrc|link[^>]*\bhref)="([^"]+)"/g)].map((match) => new URL(match[1]!, 'http://jalon.test/api/docs').pathname);
    expect(assets).toEqual(expect.arrayContaining(['/api/docs/swagger-ui.css', '/api/docs/swagger-ui-bundle.js', '/api/docs/swagger-ui-init.js']));
    for (const asset of assets) {
      const served = await request(demo.api.http).get(asset).buffer(true).expect(200);
      expect([asset, served.headers['x-content-type-options'], served.headers['cache-control']]).toEqual([asset, 'nosniff', 'no-store']);
      if (asset.endsWith('.js')) expect([asset, served.headers['content-type']]).toEqual([asset, expect.stringMatching(/^application\/javascript/)]);
      if (asset.endsWith('.css')) expect([asset, served.headers['content-type']]).toEqual([asset, expect.stringMatching(/^text\/css/)]);
    }
  });
});
