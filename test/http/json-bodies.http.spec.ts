import request from 'supertest';
import { ApiUnderTest, startApi } from './api-under-test';
import { openSqliteStoreUnderTest } from './sqlite-store-under-test';
import { PROGRAMME_LAUNCH } from '../support/programme-launch';

const launch = PROGRAMME_LAUNCH;
const commit = {
  agreementId: 'bdt',
  funder: 'Banque des Territoires',
  label: 'Amorçage',
  amountCents: 100,
  tranches: [
    { trancheId: 't1', amountCents: 60, dueOn: '2021-06-01' },
    { trancheId: 't2', amountCents: 40, dueOn: '2021-09-01' },
  ],
  effectiveDate: '2021-05-01',
};
const BOM = '\uFEFF';

/**
 * How the API reads a JSON body at its edges (docs/decisions/0038-http-edges-absolute-form-duplicate-keys-bom.md):
 * a key given twice in one object is refused naming the field, as an amount Jalon cannot choose
 * between; a byte order mark at the start is ignored (RFC 8259 §8.1). Never a 5xx.
 */
describe('HTTP API: JSON bodies', () => {
  let api: ApiUnderTest;
  const post = (path: string) => request(api.http).post(path).set('Authorization', `Bearer ${api.tokens.admin}`).set('Content-Type', 'application/json');

  beforeAll(async () => {
    api = await startApi(openSqliteStoreUnderTest);
  }, 30_000);
  afterAll(async () => {
    await api.close();
  });

  /** Sends the text as it is, expects 400 INPUT.INVALID naming exactly these fields with the rule `uniqueKey`, and nothing written. */
  async function refusedAsRepeated(path: string, text: string, fields: readonly string[]): Promise<Record<string, any>> {
    const before = await api.fingerprint();
    const response = await post(path).send(text);
    expect({ status: response.status, type: response.headers['content-type'], code: response.body.code }).toEqual({
      status: 400,
      type: 'application/problem+json; charset=utf-8',
      code: 'INPUT.INVALID',
    });
    expect(response.body.errors).toEqual(fields.map((field) => ({ field, rule: 'uniqueKey', message: `${field} figure plusieurs fois dans le même objet JSON : donnez-le une seule fois` })));
    expect(await api.fingerprint()).toBe(before);
    return response.body;
  }

  describe('a key given twice in one object', () => {
    it('rule: a repeated amount is refused (400, French, naming the field and the rule), not read as its last value, and nothing is written', async () => {
      const text = JSON.stringify(commit).replace('"amountCents":100', '"amountCents":100,"amountCents":999999');
      const problem = await refusedAsRepeated('/api/antennas/montbeliard/funding-agreements', text, ['amountCents']);
      expect(problem).toMatchObject({ status: 400, detail: 'Un champ est invalide : amountCents.', instance: '/api/antennas/montbeliard/funding-agreements' });
    });

    it('rule: a repeated key inside a list item is named with its path (`tranches.1.amountCents`)', async () => {
      const text = JSON.stringify(commit).replace('"amountCents":40', '"amountCents":40,"amountCents":4000');
      await refusedAsRepeated('/api/antennas/montbeliard/funding-agreements', text, ['tranches.1.amountCents']);
    });

    it('rule: an escaped spelling of the same key is the same key; every repeated field is named', async () => {
      const text = JSON.stringify(launch).replace('"programmeId":', '"programme\\u0049d":"autre-programme","programmeId":').replace('"antennaCount":100', '"antennaCount":100,"antennaCount":1');
      const problem = await refusedAsRepeated('/api/programmes', text, ['programmeId', 'targets.antennaCount']);
      expect(problem.detail).toBe('2 champs sont invalides : programmeId, targets.antennaCount.');
    });

    it('rule: a launch sent with its id twice is refused, and the same launch without the repetition is then written', async () => {
      const repeated = JSON.stringify(launch).replace('{', '{"programmeId":"autre-programme",');
      await refusedAsRepeated('/api/programmes', repeated, ['programmeId']);
      const written = await post('/api/programmes').send(JSON.stringify(launch)).expect(201);
      expect(written.body.streamId).toBe('programme-au-coeur-des-territoires');
    });

    it('rule: the same key in sibling and nested objects is not a repetition: the command reaches its rules', async () => {
      // Top-level amountCents and one per tranche: validated, then refused by the domain (no such antenna).
      const response = await post('/api/antennas/inconnue/funding-agreements').send(JSON.stringify(commit));
      expect({ status: response.status, code: response.body.code }).toEqual({ status: 404, code: 'ANTENNA.NOT_FOUND' });
    });

    it('rule: a body of the largest size made of repeated keys is refused with a bounded list, never a 5xx', async () => {
      // Just under the 1 MiB limit: 65,000 objects each repeating one key.
      const items = Array.from({ length: 65_000 }, () => '{"a":1,"a":2}').join(',');
      const text = `{"lines":[${items}]}`;
      expect(text.length).toBeGreaterThan(900_000);
      expect(text.length).toBeLessThan(1024 * 1024);
      const before = await api.fingerprint();
      const response = await post('/api/programmes').send(text);
      expect({ status: response.status, code: response.body.code }).toEqual({ status: 400, code: 'INPUT.INVALID' });
      expect(response.body.errors).toHaveLength(101);
      expect(response.body.errors[0]).toEqual({ field: 'lines.0.a', rule: 'uniqueKey', message: 'lines.0.a figure plusieurs fois dans le même objet JSON : donnez-le une seule fois' });
      expect(response.body.errors[100]).toEqual({ field: '', rule: 'maxViolations', message: 'et 64\u202f900 autres clés répétées' });
      expect(await api.fingerprint()).toBe(before);
    });

    it('rule: a body that is not JSON is still told so first (400 INPUT.MALFORMED), repeated keys or not', async () => {
      const response = await post('/api/programmes').send('{"programmeId":"a","programmeId":');
      expect({ status: response.status, code: response.body.code, detail: response.body.detail }).toEqual({
        status: 400,
        code: 'INPUT.MALFORMED',
        detail: 'Le corps de la requête n’est pas du JSON valide.',
      });
    });
  });

  describe('a byte order mark', () => {
    it('rule: a body starting with a byte order mark is read as the same body without it (it got 400 « pas du JSON valide »)', async () => {
      const call = { callId: 'ami-2', programmeId: launch.programmeId, title: 'AMI', number: 2, opensOn: '2020-10-01', closesOn: '2020-12-15', criteria: ['Partenariat'], effectiveDate: '2020-10-01' };
      await post('/api/programmes').send(JSON.stringify(launch));
      const withMark = await post('/api/calls').set('Idempotency-Key', 'bom-call').send(`${BOM}${JSON.stringify(call)}`);
      expect({ status: withMark.status, written: withMark.body.written }).toEqual({ status: 201, written: true });
      // The same key with the body without the mark: the same request (its hash is the parsed body's), so the first result, nothing written again.
      const before = await api.fingerprint();
      const without = await post('/api/calls').set('Idempotency-Key', 'bom-call').send(JSON.stringify(call));
      expect({ status: without.status, position: without.body.position }).toEqual({ status: 201, position: withMark.body.position });
      expect(await api.fingerprint()).toBe(before);
      const events = await request(api.http).get('/api/streams/call-ami-2/events').set('Authorization', `Bearer ${api.tokens.admin}`).expect(200);
      expect(JSON.stringify(events.body)).not.toContain(BOM);
    });

    it('rule: a mark alone is an empty body, refused by validation naming the missing fields', async () => {
      const response = await post('/api/programmes').send(BOM);
      expect({ status: response.status, code: response.body.code }).toEqual({ status: 400, code: 'INPUT.INVALID' });
      expect(response.body.errors.map((error: { field: string; rule: string }) => `${error.field}:${error.rule}`)).toContain('programmeId:isSlug');
    });

    it('rule: a mark anywhere but at the very start, or twice, is not JSON: 400 INPUT.MALFORMED, never a 5xx', async () => {
      for (const text of [` ${BOM}{}`, `${BOM}${BOM}{}`, `{${BOM}"programmeId":"x"}`]) {
        const before = await api.fingerprint();
        const response = await post('/api/programmes').send(text);
        expect({ text, status: response.status, code: response.body.code }).toEqual({ text, status: 400, code: 'INPUT.MALFORMED' });
        expect(await api.fingerprint()).toBe(before);
      }
    });
  });
});
