import request from 'supertest';
import { ApiUnderTest, startApi } from './api-under-test';
import { openSqliteStoreUnderTest } from './sqlite-store-under-test';
import { PROGRAMME_LAUNCH } from '../support/programme-launch';

const launch = PROGRAMME_LAUNCH;
const territory = { id: 'pays-de-montbeliard', name: 'Pays de Montbéliard Agglomération', kind: 'agglomeration', region: 'Bourgogne-Franche-Comté', actionCoeurDeVille: true };
const submit = { territory, partners: [{ name: 'Cnam', kind: 'academic' }], trainingNeeds: ['Industrie'], effectiveDate: '2020-11-01' };
const commit = {
  agreementId: 'bdt',
  funder: 'Banque des Territoires',
  label: 'Amorçage',
  amountCents: 100,
  tranches: [{ trancheId: 't1', amountCents: 100, dueOn: '2021-06-01' }],
  effectiveDate: '2021-05-01',
};

/**
 * What the review of issue 11 sent as a hostile newcomer: each is refused with a 4xx naming the
 * field and the rule (or the format), as RFC 9457 problem details in French, and nothing is written.
 */
describe('HTTP API: hostile input', () => {
  let api: ApiUnderTest;
  const bearer = () => `Bearer ${api.tokens.admin}`;
  const post = (path: string) => request(api.http).post(path).set('Authorization', bearer());

  beforeAll(async () => {
    api = await startApi(openSqliteStoreUnderTest);
    await post('/api/programmes').send(launch).expect(201);
    await post('/api/calls')
      .send({ callId: 'ami-x', programmeId: launch.programmeId, title: 'AMI', number: 2, opensOn: '2020-10-01', closesOn: '2020-12-15', criteria: ['Partenariat'], effectiveDate: '2020-10-01' })
      .expect(201);
  }, 30_000);
  afterAll(async () => {
    await api.close();
  });

  /** Sends, expects the status, a problem in French and nothing written; returns the problem. */
  async function refused(send: request.Test, status: number, code: string): Promise<Record<string, any>> {
    const before = await api.fingerprint();
    const response = await send;
    expect({ status: response.status, code: response.body.code }).toEqual({ status, code });
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.body).toMatchObject({ type: `/api/problems/${code}`, status, title: expect.any(String), detail: expect.any(String), instance: expect.stringMatching(/^\/api\//) });
    expect(await api.fingerprint()).toBe(before);
    return response.body;
  }
  const fieldsOf = (problem: Record<string, any>) => (problem.errors as { field: string; rule: string }[]).map((e) => `${e.field}:${e.rule}`);

  it('rule: an object field given a list is refused naming the field (it once wrote `candidacy-ami-x--undefined`)', async () => {
    const problem = await refused(post('/api/calls/ami-x/candidacies').send({ ...submit, territory: [] }), 400, 'INPUT.INVALID');
    expect(fieldsOf(problem)).toEqual(['territory:isObject']);
    expect(problem.errors[0].message).toBe('territory doit être un objet JSON ({ … })');
    expect(problem.detail).toBe('Un champ est invalide : territory.');
    expect(fieldsOf(await refused(post('/api/calls/ami-x/candidacies').send({ ...submit, territory: { ...territory, figures: [] } }), 400, 'INPUT.INVALID'))).toEqual([
      'territory.figures:isObject',
    ]);
    expect(fieldsOf(await refused(post('/api/programmes').send({ ...launch, targets: [] }), 400, 'INPUT.INVALID'))).toEqual(['targets:isObject']);
    expect(fieldsOf(await refused(post('/api/candidacies/ami-x--pays-de-montbeliard/partners').send({ partner: [], effectiveDate: '2021-01-01' }), 400, 'INPUT.INVALID'))).toEqual([
      'partner:isObject',
    ]);
  });

  it('rule: a list of objects given a list of lists is refused naming the field (once a 500, or an English 422)', async () => {
    expect(fieldsOf(await refused(post('/api/calls/ami-x/candidacies').send({ ...submit, partners: [[]] }), 400, 'INPUT.INVALID'))).toEqual(['partners:isObject']);
    expect(fieldsOf(await refused(post('/api/antennas/montbeliard/funding-agreements').send({ ...commit, tranches: [[]] }), 400, 'INPUT.INVALID'))).toEqual(['tranches:isObject']);
    const lines = await refused(post('/api/antennas/montbeliard/budget/forecast').send({ lines: [[]], effectiveDate: '2021-03-01' }), 400, 'INPUT.INVALID');
    expect(fieldsOf(lines)).toEqual(['lines:isObject']);
  });

  it('rule: a body nested 2,000 or 10,000 levels deep is refused at once (400), without exhausting the stack', async () => {
    for (const depth of [2_000, 10_000]) {
      const body = `{"programmeId":"x","a":${'['.repeat(depth)}${']'.repeat(depth)}}`;
      const problem = await refused(post('/api/programmes').set('Content-Type', 'application/json').send(body), 400, 'INPUT.MALFORMED');
      expect(problem.detail).toBe('Le corps de la requête est imbriqué sur plus de 32 niveaux.');
    }
    const objects = `${'{"a":'.repeat(40)}1${'}'.repeat(40)}`;
    await refused(post('/api/programmes').set('Content-Type', 'application/json').send(objects), 400, 'INPUT.MALFORMED');
  });

  it('rule: a body nested less than the parser refuses but deeper than any input is refused by validation, naming the field', async () => {
    let deep: unknown = 1;
    for (let level = 0; level < 20; level++) deep = { a: deep };
    const problem = await refused(post('/api/programmes').send({ ...launch, description: deep }), 400, 'INPUT.INVALID');
    expect(fieldsOf(problem)).toEqual([expect.stringMatching(/^description(\.a)+:maxDepth$/)]);
  });

  it('rule: __proto__, constructor and prototype keys are refused like any unknown field', async () => {
    const body = (key: string) => `{"programmeId":"essai","name":"Essai","operator":"Cnam","targets":{"antennaCount":1,"targetDate":"2022-12-31"},"effectiveDate":"2019-01-15","${key}":{"x":1}}`;
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const problem = await refused(post('/api/programmes').set('Content-Type', 'application/json').send(body(key)), 400, 'INPUT.INVALID');
      expect(fieldsOf(problem)).toEqual([`${key}:whitelistValidation`]);
    }
    const nested = '{"programmeId":"essai","name":"Essai","operator":"Cnam","targets":{"antennaCount":1,"targetDate":"2022-12-31","__proto__":{"polluted":true}},"effectiveDate":"2019-01-15"}';
    expect(fieldsOf(await refused(post('/api/programmes').set('Content-Type', 'application/json').send(nested), 400, 'INPUT.INVALID'))).toEqual(['targets.__proto__:whitelistValidation']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rule: If-Match holds a revision of 15 digits at most: 20 or 10,000 digits are refused, not rounded', async () => {
    const revise = { targets: { antennaCount: 120, targetDate: '2023-12-31' }, reason: 'Extension', effectiveDate: '2020-01-01' };
    for (const digits of ['1'.repeat(16), '9'.repeat(20), '9'.repeat(10_000), '"0', '0"', '-1', '1e3']) {
      const problem = await refused(post('/api/programmes/au-coeur-des-territoires/target-revisions').set('If-Match', digits).send(revise), 400, 'INPUT.INVALID');
      expect(fieldsOf(problem)).toEqual(['If-Match:isRevision']);
    }
  });

  it('rule: a body that is not JSON in UTF-8 gets 415 INPUT.UNSUPPORTED_MEDIA_TYPE', async () => {
    const cases: [string, string][] = [
      ['text/plain', JSON.stringify(launch)],
      ['application/xml', '<programme id="x"/>'],
      ['text/xml', '<programme id="x"/>'],
      ['application/json; charset=utf-16', JSON.stringify(launch)],
      ['application/json; charset="ISO-8859-1"', JSON.stringify(launch)],
      ['application/x-www-form-urlencoded', 'programmeId=x'],
      ['multipart/form-data; boundary=x', '--x--'],
    ];
    for (const [type, body] of cases) {
      const problem = await refused(post('/api/programmes').set('Content-Type', type).send(body), 415, 'INPUT.UNSUPPORTED_MEDIA_TYPE');
      expect(problem.detail).toMatch(/application\/json/);
    }
    // UTF-8, said in any of its spellings, is read.
    await post('/api/programmes').set('Content-Type', 'application/json; charset=UTF-8').send(JSON.stringify(launch)).expect(200);
  });

  it('rule: one-line text refuses CR/LF, bidi overrides and isolates, lone surrogates and invisible-only text, naming the field', async () => {
    for (const name of ['Au cœur\r\ndes territoires', 'abc\u202Egnp.exe', 'abc\u2067x\u2069', '\u200B\u200D', '\u3164']) {
      expect(fieldsOf(await refused(post('/api/programmes').send({ ...launch, programmeId: 'essai', name }), 400, 'INPUT.INVALID'))).toEqual(['name:isText']);
    }
    const loneSurrogate = '{"programmeId":"essai","name":"a\\ud800b","operator":"Cnam","targets":{"antennaCount":1,"targetDate":"2022-12-31"},"effectiveDate":"2019-01-15"}';
    expect(fieldsOf(await refused(post('/api/programmes').set('Content-Type', 'application/json').send(loneSurrogate), 400, 'INPUT.INVALID'))).toEqual(['name:isText']);
    // A reason may run over several lines.
    await post('/api/programmes/au-coeur-des-territoires/target-revisions')
      .send({ targets: { antennaCount: 110, targetDate: '2022-12-31' }, reason: 'Première ligne\nseconde ligne', effectiveDate: '2019-02-01' })
      .expect(201);
  });

  it('answers every error as French problem details: a domain error reads the French table, never the domain’s English', async () => {
    const problem = await refused(post('/api/antennas/inconnue/inauguration').send({ place: 'Campus', effectiveDate: '2022-06-22' }), 404, 'ANTENNA.NOT_FOUND');
    expect(problem).toMatchObject({ title: 'Cette antenne n’a pas été ouverte.', detail: 'Cette antenne n’a pas été ouverte.', instance: '/api/antennas/inconnue/inauguration', details: { field: 'antennaId' } });
    const conflict = await refused(post('/api/programmes').send({ ...launch, name: 'Autre nom' }), 409, 'PROGRAMME.ALREADY_LAUNCHED');
    expect(conflict.detail).toBe('Ce programme est déjà lancé, avec d’autres informations.');
    const unauthenticated = await request(api.http).post('/api/programmes').send(launch);
    expect(unauthenticated.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(unauthenticated.body).toMatchObject({ status: 401, code: 'AUTH.UNAUTHENTICATED', type: '/api/problems/AUTH.UNAUTHENTICATED' });
  });

  it('answers an unknown API address with a 404 problem, not an English message', async () => {
    const problem = await refused(post('/api/nimporte-quoi').send({}), 404, 'ROUTE.NOT_FOUND');
    expect(problem.detail).toMatch(/^Aucune ressource de l’API/);
  });

  it('refuses a malformed or very long address with a French problem, and a long id by validation naming the field', async () => {
    await refused(post('/api/antennas/%E0%A4%A/inauguration').send({ place: 'Campus', effectiveDate: '2022-06-22' }), 400, 'ROUTE.INVALID');
    await refused(post(`/api/antennas/${'a'.repeat(1500)}/inauguration`).send({ place: 'Campus', effectiveDate: '2022-06-22' }), 414, 'ROUTE.INVALID');
    const long = await refused(post(`/api/antennas/${'a'.repeat(400)}/inauguration`).send({ place: 'Campus', effectiveDate: '2022-06-22' }), 400, 'INPUT.INVALID');
    expect(fieldsOf(long)).toEqual(['antennaId:isSlug']);
  });

  it('names no command-line option in an HTTP error (a history filter, named as the query names it)', async () => {
    const response = await request(api.http).get('/api/reports/history?from=2023-01-01&to=2022-01-01').set('Authorization', bearer()).expect(400);
    expect(response.body.code).toBe('INPUT.INVALID');
    expect(JSON.stringify(response.body)).not.toContain('--');
  });

  it('returns the id a command derives: the candidacy id of a submitted candidacy', async () => {
    const response = await post('/api/calls/ami-x/candidacies').send(submit).expect(201);
    expect(response.body.ids).toEqual({ candidacyId: 'ami-x--pays-de-montbeliard' });
    expect(response.body.streamId).toBe('candidacy-ami-x--pays-de-montbeliard');
  });
});
