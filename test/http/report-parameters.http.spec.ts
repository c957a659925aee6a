import { queryParametersOf, ReportQueryInput } from '@jalon/application';
import { AUDITED_EVENT_TYPES, REPORT_FORMATS } from '@jalon/reporting';
import request from 'supertest';
import { ApiUnderTest, startApi } from './api-under-test';
import { openSqliteStoreUnderTest } from './sqlite-store-under-test';

interface Parameter {
  readonly name: string;
  readonly in: string;
  readonly description?: string;
  readonly schema: Record<string, unknown>;
}
interface Violation {
  readonly field: string;
  readonly rule: string;
  readonly message: string;
}

/**
 * The report route's query parameters come from one declaration (ReportQueryInput and its
 * `QueryParameter` fields, plus the route's own `format` and `waitForPosition`): what the route
 * accepts, what its refusals name and what the OpenAPI document lists cannot drift apart.
 */
describe('HTTP API: the report route’s query parameters', () => {
  let api: ApiUnderTest;
  let parameters: Parameter[];
  const get = (path: string) => request(api.http).get(path).set('Authorization', `Bearer ${api.tokens.admin}`);

  beforeAll(async () => {
    api = await startApi(openSqliteStoreUnderTest);
    const document = (await request(api.http).get('/api/openapi.json').expect(200)).body;
    parameters = (document.paths['/api/reports/{kind}'].get.parameters as Parameter[]).filter((parameter) => parameter.in === 'query');
  }, 30_000);
  afterAll(async () => {
    await api.close();
  });

  it('rule: every report parameter the route accepts is the one declaration’s, and the OpenAPI document lists each', async () => {
    const documented = parameters.map((parameter) => parameter.name).sort();
    expect(documented).toEqual([...queryParametersOf(ReportQueryInput).map((parameter) => parameter.name), 'format', 'waitForPosition'].sort());
    // Each documented parameter is read, and a bad value is refused naming it as sent, with its own rule (never as unexpected).
    for (const name of documented) {
      const refused = await get(`/api/reports/history?${name}=Pas%20un%20id`);
      expect({ name, status: refused.status, code: refused.body.code }).toEqual({ name, status: 400, code: 'INPUT.INVALID' });
      const errors = refused.body.errors as Violation[];
      expect({ name, fields: errors.map((error) => error.field) }).toEqual({ name, fields: [name] });
      expect(errors[0]!.rule).not.toBe('whitelistValidation');
      expect(errors[0]!.message.startsWith(`${name} `)).toBe(true);
    }
    // Nothing else is: not the input's own field names, not the path's kind, not a typo.
    for (const name of ['antennaId', 'agreementId', 'kind', 'antena']) {
      const refused = await get(`/api/reports/history?${name}=montbeliard`).expect(400);
      expect(refused.body.errors).toEqual([{ field: name, rule: 'whitelistValidation', message: `le paramètre ${name} n’est pas attendu par les rapports` }]);
    }
  });

  it('rule: a bad antenna or agreement is refused naming the query’s parameter, in the field and in the message, never the input field', async () => {
    for (const [query, name] of [
      ['antenna=Pas%20un%20id', 'antenna'],
      ['antenna=montbeliard&agreement=Pas%20un%20id', 'agreement'],
    ] as const) {
      const refused = await get(`/api/reports/etat-depenses?${query}`).expect(400);
      expect(refused.body.errors).toEqual([{ field: name, rule: 'isSlug', message: expect.stringMatching(new RegExp(`^${name} doit être un identifiant en minuscules`)) }]);
      expect(JSON.stringify(refused.body)).not.toMatch(/antennaId|agreementId/);
    }
  });

  it('rule: the OpenAPI document describes each report parameter as it is validated, in French', () => {
    const byName = new Map(parameters.map((parameter) => [parameter.name, parameter]));
    for (const parameter of parameters) expect({ name: parameter.name, description: parameter.description }).toEqual({ name: parameter.name, description: expect.stringMatching(/[a-zé’]{3,} /) });
    expect(byName.get('antenna')!.schema).toMatchObject({ type: 'string', pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$', maxLength: 64 });
    expect(byName.get('asOf')!.schema).toMatchObject({ type: 'string', format: 'date' });
    expect(byName.get('knownAt')!.schema).toMatchObject({ type: 'string', format: 'date-time' });
    expect(byName.get('withinDays')!.schema).toMatchObject({ type: 'integer', minimum: 0, maximum: 3650 });
    expect(byName.get('pageSize')!.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 500 });
    expect(byName.get('eventType')!.schema.enum).toEqual([...AUDITED_EVENT_TYPES]);
    expect(byName.get('order')!.schema.enum).toEqual(['asc', 'desc']);
    expect([...(byName.get('format')!.schema.enum as string[])].sort()).toEqual([...REPORT_FORMATS].sort());
    expect(JSON.stringify(parameters)).not.toContain('x-input-field');
  });
});
