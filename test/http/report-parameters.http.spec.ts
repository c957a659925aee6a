import { queryParametersOf, ReportQueryInput } from '@jalon/application';
import { SqliteEventStore } from '@jalon/event-store';
import { AUDITED_EVENT_TYPES, REPORT_FORMATS } from '@jalon/reporting';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { recordDemoHistory } from '../support/demo-history';
import { ApiUnderTest, startApi } from './api-under-test';

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
  let dir: string;
  let api: ApiUnderTest;
  let parameters: Parameter[];
  const get = (path: string) => request(api.http).get(path).set('Authorization', `Bearer ${api.tokens.admin}`);
  /** The query's name of a field of the report query, read from its one declaration. */
  const queryNameOf = (field: keyof ReportQueryInput) => queryParametersOf(ReportQueryInput).find((parameter) => parameter.field === field)!.name;

  beforeAll(async () => {
    // The demo history, and a data directory for the seal key: a statement of expenditure is produced sealed.
    dir = mkdtempSync(join(tmpdir(), 'jalon-report-parameters-'));
    api = await startApi(
      async () => {
        const store = SqliteEventStore.open({ file: join(dir, 'jalon.sqlite') });
        return { store, dispose: () => store.close() };
      },
      { dataDir: dir },
    );
    await recordDemoHistory(api.store);
    const document = (await request(api.http).get('/api/openapi.json').expect(200)).body;
    parameters = (document.paths['/api/reports/{kind}'].get.parameters as Parameter[]).filter((parameter) => parameter.in === 'query');
  }, 60_000);
  afterAll(async () => {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
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

  it('rule: the report service’s own refusals name the query’s parameter from the declaration: a cut in the future, a history filter on another report, `to` before `from`', async () => {
    // The service's clock: 2026-01-15T10:00:00Z (TEST_NOW), Europe/Paris.
    const future = await get('/api/reports/budget?antenna=montbeliard&asOf=2026-01-16&knownAt=2026-01-16T00:00:00Z').expect(400);
    expect(future.body.errors).toEqual([
      { field: queryNameOf('asOf'), rule: 'notInFuture', message: `${queryNameOf('asOf')} (2026-01-16) est dans l’avenir, qui n’est pas encore enregistré : au plus aujourd’hui, 15/01/2026` },
      { field: queryNameOf('knownAt'), rule: 'notInFuture', message: `${queryNameOf('knownAt')} (2026-01-16T00:00:00Z) est dans l’avenir, qui n’est pas encore enregistré : au plus la fin d’aujourd’hui, 15/01/2026` },
    ]);

    // Every history filter, given to another report: each refused under the name the client sent.
    const filters = { from: '2022-01-01', to: '2022-12-31', actor: 'demo', eventType: 'BudgetTrancheReleased', page: '1', pageSize: '10', order: 'desc' } as const;
    const names = (Object.keys(filters) as (keyof typeof filters)[]).map(queryNameOf);
    const query = (Object.entries(filters) as [keyof typeof filters, string][]).map(([field, value]) => `${queryNameOf(field)}=${value}`).join('&');
    const other = await get(`/api/reports/funding?${query}`).expect(400);
    expect(other.body.errors).toEqual(names.map((name) => ({ field: name, rule: 'historyOnly', message: `${name} ne s’applique qu’à l’historique (rapport history)` })));

    const reversed = await get(`/api/reports/history?${queryNameOf('from')}=2023-01-01&${queryNameOf('to')}=2022-12-31`).expect(400);
    expect(reversed.body.errors).toEqual([
      { field: queryNameOf('to'), rule: 'notBeforeFrom', message: `${queryNameOf('to')} (2022-12-31) ne peut pas précéder ${queryNameOf('from')} (2023-01-01)` },
    ]);
  });

  it('rule: bad input writes nothing: a statement the request cannot get is refused before the log is sealed for it', async () => {
    // A fact the latest seal does not cover yet: a statement produced now is sealed first, and a seal is an event of the log.
    await request(api.http)
      .post('/api/antennas/montbeliard/expenditures')
      .set('Authorization', `Bearer ${api.tokens.finance}`)
      .send({ expenditureId: 'sans-sceau-1', category: 'equipment', amountCents: 12_000, description: 'Rallonge électrique', effectiveDate: '2022-09-01' })
      .expect(201);
    const head = await api.store.headPosition();
    await get('/api/reports/etat-depenses').expect(400);
    await get('/api/reports/etat-depenses?antenna=montbeliard&periodFrom=2023-01-01&periodTo=2022-01-01').expect(400);
    expect(await api.store.headPosition()).toBe(head);
    // The same statement asked for properly is produced under a seal written for it.
    await get('/api/reports/etat-depenses?antenna=montbeliard').expect(200);
    expect(await api.store.headPosition()).toBeGreaterThan(head);
  });

  it('rule: a parameter the statement of expenditure cannot do without, or cannot use, is refused naming the query’s parameter (antenna, periodFrom, agreement), never the input field', async () => {
    const missing = await get('/api/reports/etat-depenses').expect(400);
    expect(missing.body).toMatchObject({ code: 'REPORT.PARAMETER_REQUIRED', errors: [{ field: 'antenna', rule: 'isDefined', message: 'L’état récapitulatif des dépenses porte sur une antenne : précisez laquelle.' }] });
    expect(JSON.stringify(missing.body)).not.toMatch(/antennaId|--antenna/);

    const empty = await get('/api/reports/etat-depenses?antenna=montbeliard&periodFrom=2023-01-01&periodTo=2022-01-01').expect(400);
    // Given but unusable, not missing: its own code and rule, not « Il manque un paramètre ».
    expect(empty.body).toMatchObject({ code: 'REPORT.PARAMETER_INVALID', title: 'Un paramètre du rapport ne peut pas être utilisé.' });
    expect(empty.body.errors).toEqual([{ field: 'periodFrom', rule: 'notAfterPeriodTo', message: 'La période est vide : son début (01/01/2023) est après sa fin (01/01/2022).' }]);

    // A second agreement on the antenna: the statement must be told which.
    await request(api.http)
      .post('/api/antennas/montbeliard/funding-agreements')
      .set('Authorization', `Bearer ${api.tokens.finance}`)
      .send({
        agreementId: 'region-bfc-montbeliard',
        funder: 'Région Bourgogne-Franche-Comté',
        label: 'Soutien régional',
        amountCents: 5_000_000,
        tranches: [{ trancheId: 'tranche-1', label: 'Tranche unique', amountCents: 5_000_000, dueOn: '2023-01-31', conditions: 'Signature' }],
        effectiveDate: '2022-09-01',
      })
      .expect(201);
    const which = await get('/api/reports/etat-depenses?antenna=montbeliard').expect(400);
    expect(which.body.errors).toEqual([expect.objectContaining({ field: 'agreement', message: expect.stringContaining('précisez laquelle parmi') })]);
    expect(JSON.stringify(which.body)).not.toMatch(/agreementId|--agreement/);
    await get('/api/reports/etat-depenses?antenna=montbeliard&agreement=region-bfc-montbeliard').expect(200);
  }, 30_000);

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
