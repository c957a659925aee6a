import SwaggerParser from '@apidevtools/swagger-parser';
import request from 'supertest';
import { ApiUnderTest, startApi } from './api-under-test';
import { openSqliteStoreUnderTest } from './sqlite-store-under-test';

/** `/api/openapi.json` as an integrator's tools read it: valid OpenAPI 3.1, truthful, complete. */
describe('the OpenAPI document', () => {
  let api: ApiUnderTest;
  let document: Record<string, any>;

  beforeAll(async () => {
    api = await startApi(openSqliteStoreUnderTest);
    document = (await request(api.http).get('/api/openapi.json').expect(200)).body;
  }, 30_000);
  afterAll(async () => {
    await api.close();
  });

  const schemas = () => document.components.schemas as Record<string, any>;
  const operations = () =>
    Object.entries(document.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
      Object.entries(item).filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method)).map(([method, operation]) => ({ path, method, operation })),
    );

  it('is valid OpenAPI 3.1 for a standard validator (structure, schemas and every $ref)', async () => {
    expect(document.openapi).toBe('3.1.0');
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('refers to no schema it does not define (there is no #/components/schemas/Array)', () => {
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((match) => match[1]!);
    expect(refs.length).toBeGreaterThan(50);
    expect([...new Set(refs)].filter((name) => !(name in schemas()))).toEqual([]);
    expect(schemas().Array).toBeUndefined();
  });

  it('describes the bearer token truthfully: opaque, not a JWT', () => {
    const schemes = document.components.securitySchemes as Record<string, any>;
    expect(Object.values(schemes)).toEqual([expect.objectContaining({ type: 'http', scheme: 'bearer', description: expect.stringContaining('opaque') })]);
    expect(JSON.stringify(schemes)).not.toContain('JWT"');
    expect(Object.values(schemes)[0].bearerFormat).toBe('opaque');
  });

  it('gives every command its request body, path parameters with the id pattern, and its result', () => {
    const operation = document.paths['/api/calls/{callId}/candidacies'].post;
    expect(operation.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/SubmitCandidacyBody');
    expect(operation.parameters.find((p: { name: string }) => p.name === 'callId').schema).toMatchObject({ type: 'string', pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$', maxLength: 64 });
    for (const status of ['200', '201']) expect(operation.responses[status].content['application/json'].schema.$ref).toBe('#/components/schemas/SubmitCandidacyResult');
    const result = schemas().SubmitCandidacyResult.allOf[1];
    expect(result.properties.ids).toMatchObject({ required: ['candidacyId'], properties: { candidacyId: { pattern: expect.stringContaining('--') } } });

    const body = schemas().SubmitCandidacyBody;
    expect(body.properties.callId).toBeUndefined(); // a path parameter, not a body field
    expect(body.additionalProperties).toBe(false);
    expect(body.properties.territory).toMatchObject({ $ref: '#/components/schemas/TerritoryInput', type: 'object' });
    expect(body.properties.partners).toMatchObject({ type: 'array', maxItems: 100, items: { $ref: '#/components/schemas/CandidacyPartnerInput', type: 'object' } });
    expect(body.properties.trainingNeeds).toMatchObject({ type: 'array', items: { type: 'string', minLength: 1, maxLength: 500 } });
    expect(schemas().TerritoryInput.additionalProperties).toBe(false);
    const commands = operations().filter(({ operation }) => operation.requestBody?.content?.['application/json']?.schema?.$ref?.endsWith('Body'));
    expect(commands.length).toBeGreaterThanOrEqual(31);
    for (const { operation } of commands) {
      expect(operation.responses['201'].content['application/json'].schema.$ref).toMatch(/^#\/components\/schemas\/(CommandResult|\w+Result)$/);
      for (const parameter of operation.parameters.filter((p: { in: string }) => p.in === 'path')) expect(parameter.schema.pattern).toEqual(expect.any(String));
    }
  });

  it('describes every error of every operation as RFC 9457 problem details', () => {
    expect(schemas().ProblemDetails.required).toEqual(['type', 'title', 'status', 'detail', 'instance', 'code']);
    for (const { path, method, operation } of operations()) {
      expect({ path, method, default: operation.responses.default?.content?.['application/problem+json']?.schema?.$ref }).toEqual({
        path,
        method,
        default: '#/components/schemas/ProblemDetails',
      });
      for (const [status, response] of Object.entries(operation.responses as Record<string, any>)) {
        if (Number(status) >= 400) expect({ path, status, content: Object.keys(response.content) }).toEqual({ path, status, content: ['application/problem+json'] });
      }
    }
  });

  it('documents the request body of POST /api/users', () => {
    expect(document.paths['/api/users'].post.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/NewUserInput');
    expect(schemas().NewUserInput).toMatchObject({ required: ['name', 'role'], additionalProperties: false, properties: { role: { enum: expect.arrayContaining(['admin', 'auditor']) } } });
  });

  it('rule: documents that every user action refuses If-Match, If-None-Match and Idempotency-Key, and why, as the API does', () => {
    const actions = ['/api/users', ...['deactivation', 'reactivation', 'token-revocation', 'token-rotation'].map((action) => `/api/users/{userId}/${action}`)];
    for (const path of actions) {
      const operation = document.paths[path].post;
      expect([path, operation.description]).toEqual([path, expect.stringContaining('Ne prend ni `If-Match`, ni `If-None-Match`, ni `Idempotency-Key` (400 `INPUT.INVALID`')]);
      expect([path, operation.responses['400'].description]).toEqual([path, expect.stringContaining('Idempotency-Key')]);
      expect((operation.parameters ?? []).filter((parameter: { in: string }) => parameter.in !== 'path')).toEqual([]);
    }
  });

  it('serves the French description of each error code that problems point to', async () => {
    const described = await request(api.http).get('/api/problems/ANTENNA.NOT_FOUND').expect(200);
    expect(described.body).toEqual({ type: '/api/problems/ANTENNA.NOT_FOUND', code: 'ANTENNA.NOT_FOUND', title: 'Cette antenne n’a pas été ouverte.' });
    await request(api.http).get('/api/problems/AUTRE.CHOSE').expect(404);
  });
});
