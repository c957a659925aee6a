import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { AddressInfo, connect } from 'node:net';
import { join } from 'node:path';
import request from 'supertest';
import { zipOf } from '../support/zip-archive';
import { useDemoApi } from './sqlite-store-under-test';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

/**
 * What an audit of the running service found past the command bodies: report queries, stream
 * reads, download names, compressed bodies, what Node's HTTP parser refuses, and the store's file
 * replaced under the service. Each is refused in French, naming the parameter and the rule, with
 * nothing written; a fault is a 503, never a 500.
 */
describe('HTTP API: hostile queries, headers and faults past the command bodies', () => {
  const demo = useDemoApi('hostile-queries');
  const get = (path: string) => request(demo.api.http).get(path).set('Authorization', `Bearer ${demo.api.tokens.admin}`);
  const fieldsOf = (response: request.Response) => (response.body.errors as { field: string; rule: string }[]).map((e) => `${e.field}:${e.rule}`);

  /** Expects a French problem with this status and code; returns it. */
  const problem = (response: request.Response, status: number, code: string) => {
    expect({ status: response.status, code: response.body.code }).toEqual({ status, code });
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    return response.body as { detail: string; errors?: { field: string; rule: string; message: string }[] };
  };

  it('rule: a report refuses a query parameter it does not read, naming it (a mistyped `antena=` once gave the whole programme’s figures)', async () => {
    for (const [query, field] of [
      ['antena=montbeliard', 'antena'],
      ['antenna[]=montbeliard', 'antenna[]'],
      ['__proto__=x', '__proto__'],
    ]) {
      const refused = problem(await get(`/api/reports/budget?${query}`), 400, 'INPUT.INVALID');
      expect(refused.errors).toEqual([{ field, rule: 'whitelistValidation', message: `le paramètre ${field} n’est pas attendu par les rapports` }]);
    }
    await get('/api/reports/budget?antenna=montbeliard&asOf=2023-07-31&format=json').expect(200);
  });

  it('rule: a report names its parameters as the query does (antenna, agreement), and names no command-line option', async () => {
    const antenna = problem(await get('/api/reports/budget?antenna=Pas%20un%20id'), 400, 'INPUT.INVALID');
    expect(antenna.errors).toEqual([expect.objectContaining({ field: 'antenna', rule: 'isSlug', message: expect.stringMatching(/^antenna doit être un identifiant/) })]);
    expect(antenna.detail).toBe('Un champ est invalide : antenna.');
    const agreement = await get('/api/reports/etat-depenses?antenna=montbeliard&agreement=Pas%20un%20id');
    problem(agreement, 400, 'INPUT.INVALID');
    expect(fieldsOf(agreement)).toEqual(['agreement:isSlug']);
    expect(JSON.stringify(agreement.body)).not.toContain('agreementId');
    const missing = await get('/api/reports/etat-depenses');
    expect(problem(missing, 400, 'REPORT.PARAMETER_REQUIRED').errors).toEqual([expect.objectContaining({ field: 'antenna' })]);
    expect(JSON.stringify(missing.body)).not.toContain('--');
  });

  it('rule: a number that is not a whole number is refused once as such, a negative one as too small (once « -1 est trop grand (3650 au plus) »)', async () => {
    expect(fieldsOf(await get('/api/reports/funding?receiptDelayDays=-1').expect(400))).toEqual(['receiptDelayDays:min']);
    expect(fieldsOf(await get('/api/reports/echeancier?withinDays=abc').expect(400))).toEqual(['withinDays:isInt']);
    // Given twice: refused as given twice (which copy would count?), not as « not a whole number ».
    expect(fieldsOf(await get('/api/reports/echeancier?withinDays=1&withinDays=2').expect(400))).toEqual(['withinDays:uniqueKey']);
    expect(fieldsOf(await get('/api/reports/history?page=-1').expect(400))).toEqual(['page:min']);
    expect(fieldsOf(await get('/api/reports/history?pageSize=1e9').expect(400))).toEqual(['pageSize:isInt']);
  });

  it('rule: knownAt names a real instant: 30 February and hour 24 are refused (Date.parse once read them as 2 March and the next day)', async () => {
    for (const knownAt of ['2023-02-30T00:00:00Z', '2023-04-31T12:00:00Z', '2023-07-11T24:00:00Z']) {
      expect(fieldsOf(await get(`/api/reports/budget?antenna=montbeliard&knownAt=${knownAt}`).expect(400))).toEqual(['knownAt:isInstant']);
    }
    await get('/api/reports/budget?antenna=montbeliard&knownAt=2023-07-12T00:00:00Z').expect(200);
  });

  it('rule: a cut in the future is refused, naming asOf or knownAt, as the dashboard refuses it (once answered with today\'s facts dated in the future); today and the end of today are accepted', async () => {
    // The service's clock: 2026-01-15T10:00:00Z (TEST_NOW), Europe/Paris.
    const asOf = problem(await get('/api/reports/budget?antenna=montbeliard&asOf=2026-01-16'), 400, 'INPUT.INVALID');
    expect(asOf.errors).toEqual([{ field: 'asOf', rule: 'notInFuture', message: 'asOf (2026-01-16) est dans l’avenir, qui n’est pas encore enregistré : au plus aujourd’hui, 15/01/2026' }]);
    const knownAt = problem(await get('/api/reports/budget?antenna=montbeliard&knownAt=2026-01-15T23:30:00Z'), 400, 'INPUT.INVALID');
    expect(knownAt.errors).toEqual([
      { field: 'knownAt', rule: 'notInFuture', message: 'knownAt (2026-01-15T23:30:00Z) est dans l’avenir, qui n’est pas encore enregistré : au plus la fin d’aujourd’hui, 15/01/2026' },
    ]);
    expect(fieldsOf(await get('/api/reports/history?asOf=2099-01-01&knownAt=2099-01-01T00:00:00Z&page=1').expect(400))).toEqual(['asOf:notInFuture', 'knownAt:notInFuture']);
    await get('/api/reports/budget?antenna=montbeliard&asOf=2026-01-15').expect(200);
    // 22:30 UTC is 23:30 in Paris: still today there.
    await get('/api/reports/budget?antenna=montbeliard&knownAt=2026-01-15T22:30:00Z').expect(200);
  });

  it('rule: a stream read takes its revision and count as digits only (1e3, 0x10 and an empty value were read as numbers)', async () => {
    for (const query of ['fromRevision=1e3', 'fromRevision=', 'fromRevision=%201', 'maxCount=0x10', 'maxCount=']) {
      const refused = problem(await get(`/api/streams/antenna-montbeliard/events?${query}`), 400, 'INPUT.INVALID');
      expect(refused.errors).toHaveLength(1);
    }
    const read = await get('/api/streams/antenna-montbeliard/events?fromRevision=1&maxCount=2').expect(200);
    expect(read.body.events.map((event: { revision: number }) => event.revision)).toEqual([1, 2]);
  });

  it('rule: a download name is one line of text: given twice (once a 500), with a bidirectional override or a line break, it is refused naming name', async () => {
    const upload = await request(demo.api.http)
      .post('/api/antennas/montbeliard/documents')
      .set('Authorization', `Bearer ${demo.api.tokens.admin}`)
      .field('subject.kind', 'expenditure')
      .field('subject.expenditureId', 'inauguration-2022')
      .attach('file', PDF, 'facture.pdf')
      .expect(201);
    const href = upload.body.document.href as string;
    for (const query of [`name=${encodeURIComponent('facture\u202Efdp.exe')}`, 'name=a%0Ab.pdf', 'name=']) {
      const refused = await get(`${href}?${query}`);
      problem(refused, 400, 'INPUT.INVALID');
      expect(fieldsOf(refused)).toEqual(['name:isFileName']);
    }
    const twice = await get(`${href}?name=a.pdf&name=b.pdf`);
    problem(twice, 400, 'INPUT.INVALID');
    expect(fieldsOf(twice)).toEqual(['name:uniqueKey']);
    const served = await get(`${href}?name=${encodeURIComponent('Facture n° 3.pdf')}`).expect(200);
    expect(served.headers['content-disposition']).toContain("filename*=UTF-8''Facture%20n%C2%B0%203.pdf");
  });

  it('rule: a compressed body (Content-Encoding) is refused 415 in French rather than misread, and nothing is written', async () => {
    const before = await demo.api.fingerprint();
    const body = JSON.stringify({ expenditureId: 'compressee', category: 'equipment', amountCents: 100, description: 'Essai', effectiveDate: '2023-03-01' });
    const refused = await request(demo.api.http)
      .post('/api/antennas/montbeliard/expenditures')
      .set('Authorization', `Bearer ${demo.api.tokens.admin}`)
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .send(body);
    expect(problem(refused, 415, 'INPUT.UNSUPPORTED_MEDIA_TYPE').detail).toBe('Le corps est compressé (Content-Encoding: gzip), ce que Jalon ne lit pas : envoyez-le sans compression.');
    expect(await demo.api.fingerprint()).toBe(before);
  });

  it('rule: what Node’s HTTP parser refuses (an address over 16 KiB, a malformed header) is a French problem, not Fastify’s English JSON', async () => {
    const long = problem(await get(`/api/reports/budget?antenna=${'a'.repeat(100_000)}`), 431, 'ROUTE.INVALID');
    expect(long.detail).toBe('L’adresse ou les en-têtes de la requête sont trop longs (16 Kio au plus).');
    if (!demo.api.http.address()) await new Promise<void>((resolve) => demo.api.http.listen(0, '127.0.0.1', resolve));
    const { port } = demo.api.http.address() as AddressInfo;
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write('GET /health HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString('utf8')));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(raw).toContain('Content-Type: application/problem+json; charset=utf-8');
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 400, code: 'ROUTE.INVALID', detail: 'La requête HTTP est mal formée (ligne de requête ou en-têtes illisibles).' });
  });

  it('rule: a spreadsheet under 1 MiB that inflates far past any import (a "zip bomb", declaring a small size) is refused 400 in French, and the service goes on (one of 1 MiB once ended the process)', async () => {
    const before = await demo.api.fingerprint();
    const sheet = Buffer.alloc(64 * 1024 * 1024, '<row><c t="inlineStr"><is><t>x</t></is></c></row>');
    const bomb = zipOf([{ name: 'xl/worksheets/sheet1.xml', content: sheet, declaredSize: 1000 }]);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const refused = await request(demo.api.http)
      .post('/api/antennas/montbeliard/imports/expenditures')
      .set('Authorization', `Bearer ${demo.api.tokens.finance}`)
      .set('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .send(bomb);
    expect(problem(refused, 400, 'IMPORT.UNREADABLE_FILE').detail).toMatch(/^Le fichier n’a pas pu être lu : le classeur décompressé dépasse 16 Mio/);
    expect(await demo.api.fingerprint()).toBe(before);
    await request(demo.api.http).get('/health').expect(200);
  });

  // Last: it takes the store's file away.
  it('rule: the store’s file replaced while the service runs, the audit export and the statement of expenditure answer 503 STORE.UNAVAILABLE in French (once a 500)', async () => {
    await get('/api/audit-export?antenna=montbeliard').expect(200);
    renameSync(join(demo.dir, 'jalon.sqlite'), join(demo.dir, 'ailleurs.sqlite'));
    mkdirSync(join(demo.dir, 'jalon.sqlite'));
    for (const path of ['/api/audit-export?antenna=montbeliard', '/api/reports/etat-depenses?antenna=montbeliard']) {
      expect(problem(await get(path), 503, 'STORE.UNAVAILABLE').detail).toMatch(/^Le fichier du magasin d’événements ne peut pas être ouvert pour vérifier le journal/);
    }
    rmSync(join(demo.dir, 'jalon.sqlite'), { recursive: true });
    renameSync(join(demo.dir, 'ailleurs.sqlite'), join(demo.dir, 'jalon.sqlite'));
    await get('/api/audit-export?antenna=montbeliard').expect(200);
  });
});
