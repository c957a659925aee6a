import { SqliteEventStore } from '@jalon/event-store';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { recordDemoHistory } from '../support/demo-history';
import { ApiUnderTest, startApi } from './api-under-test';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 9)]);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const BOUNDARY = 'JalonBoundary7MA4YWxkTrZu0gW';

/** A multipart body part by part, each given as written on the wire (so that a test can cut it or repeat a name). */
function field(name: string, value: string): Buffer {
  return Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`, 'utf8');
}
function filePart(name: string, fileNameHeader: string, bytes: Buffer, type = 'application/octet-stream'): Buffer {
  return Buffer.concat([Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"; ${fileNameHeader}\r\nContent-Type: ${type}\r\n\r\n`, 'utf8'), bytes, Buffer.from('\r\n')]);
}
const END = Buffer.from(`--${BOUNDARY}--\r\n`);

describe('HTTP supporting documents: a multipart upload’s edges, and a file that cannot be read', () => {
  let dir: string;
  let api: ApiUnderTest;
  let documentsDir: string;

  const post = (body: Buffer, contentType = `multipart/form-data; boundary=${BOUNDARY}`) =>
    request(api.http).post('/api/antennas/montbeliard/documents').set('Authorization', `Bearer ${api.tokens.finance}`).set('Content-Type', contentType).send(body);
  const expenditure = (date: string) => [field('subject.kind', 'expenditure'), field('subject.expenditureId', 'inauguration-2022'), field('effectiveDate', date)];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-documents-edges-'));
    documentsDir = join(dir, 'documents');
    const store = SqliteEventStore.open({ file: join(dir, 'jalon.sqlite') });
    await recordDemoHistory(store);
    api = await startApi(async () => ({ store, dispose: () => store.close() }), { dataDir: dir });
  });
  afterAll(async () => {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rule: a multipart body cut short (its last part, the effective date, unfinished; no closing delimiter) is refused 400 INPUT.MALFORMED, never read as a form without that part: nothing stored nor written', async () => {
    const bytes = Buffer.from('Facture tronquée\n');
    const before = await api.fingerprint();
    const body = Buffer.concat([filePart('file', 'filename="facture.txt"', bytes), field('subject.kind', 'expenditure'), field('subject.expenditureId', 'inauguration-2022'), Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="effectiveDate"\r\n\r\n2022-07`)]);
    const response = await post(body);
    expect({ status: response.status, code: response.body.code }).toEqual({ status: 400, code: 'INPUT.MALFORMED' });
    // The code's wording speaks of a form too, not of JSON only.
    expect(response.body.title).toMatch(/formulaire/);
    expect(response.body.detail).toMatch(/délimiteur de fin/);
    expect(await api.fingerprint()).toBe(before);
    const sha = sha256(bytes);
    expect(existsSync(join(documentsDir, sha.slice(0, 2), sha.slice(2, 4), sha))).toBe(false);
  });

  it('rule: a multipart body that stops between two parts, without its closing delimiter, is refused 400 INPUT.MALFORMED, nothing written', async () => {
    const before = await api.fingerprint();
    const body = Buffer.concat([filePart('file', 'filename="facture2.txt"', Buffer.from('Facture 2\n')), field('subject.kind', 'expenditure'), field('subject.expenditureId', 'inauguration-2022')]);
    const response = await post(body);
    expect({ status: response.status, code: response.body.code }).toEqual({ status: 400, code: 'INPUT.MALFORMED' });
    expect(await api.fingerprint()).toBe(before);
  });

  it('rule: a form field given twice is refused (400, field named, rule uniqueKey), as a JSON key given twice: which copy counts is not Jalon’s to choose', async () => {
    const before = await api.fingerprint();
    const body = Buffer.concat([filePart('file', 'filename="releve.png"', PNG), ...expenditure('2022-07-05'), field('subject.expenditureId', 'inauguration-2022'), END]);
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'subject.expenditureId', rule: 'uniqueKey' })]);
    expect(await api.fingerprint()).toBe(before);
  });

  it('rule: a file name in UTF-8 (what browsers send) is recorded as sent, accents intact', async () => {
    const bytes = Buffer.from('Facture électricité\n');
    const body = Buffer.concat([filePart('file', 'filename="facture-électricité.txt"', bytes), ...expenditure('2022-07-06'), END]);
    const response = await post(body);
    expect(response.status).toBe(201);
    expect(response.body.document.fileName).toBe('facture-électricité.txt');
  });

  it('rule: a file name given as filename* (RFC 5987, percent-encoded UTF-8) is recorded decoded', async () => {
    const bytes = Buffer.from('Facture été\n');
    const body = Buffer.concat([filePart('file', `filename*=UTF-8''facture-%C3%A9t%C3%A9.txt`, bytes), ...expenditure('2022-07-06'), END]);
    const response = await post(body);
    expect(response.status).toBe(201);
    expect(response.body.document.fileName).toBe('facture-été.txt');
  });

  it('rule: a multipart content type without its boundary is 400 INPUT.MALFORMED', async () => {
    const response = await post(Buffer.concat([filePart('file', 'filename="a.png"', PNG), END]), 'multipart/form-data');
    expect({ status: response.status, code: response.body.code }).toEqual({ status: 400, code: 'INPUT.MALFORMED' });
  });

  it('rule: two files in one upload are refused (400), nothing written', async () => {
    const before = await api.fingerprint();
    const response = await post(Buffer.concat([filePart('file', 'filename="a.png"', PNG), filePart('file', 'filename="b.txt"', Buffer.from('b\n')), ...expenditure('2022-07-06'), END]));
    expect(response.status).toBe(400);
    expect(await api.fingerprint()).toBe(before);
  });

  it('rule: a file name with a control character, NUL, a bidirectional override, no base name or over 255 characters is refused naming fileName; a directory sent with it is dropped', async () => {
    const before = await api.fingerprint();
    const refusals: Array<[string, string]> = [];
    for (const name of ['fac\u0001ture.txt', 'fac\u0000ture.txt', 'a\u202Etxt.exe.txt', '.txt', `${'a'.repeat(300)}.txt`, '..', '']) {
      const response = await post(Buffer.concat([filePart('file', `filename="${name}"`, Buffer.from(`texte ${name.length}\n`)), ...expenditure('2022-07-07'), END]));
      expect(response.status).toBe(400);
      refusals.push([response.body.errors?.[0]?.field, response.body.code]);
    }
    expect(refusals.every(([field, code]) => field === 'fileName' && (code === 'INPUT.INVALID' || code === 'DOCUMENT.NAME_MISMATCH'))).toBe(true);
    expect(await api.fingerprint()).toBe(before);
    const path = await post(Buffer.concat([filePart('file', 'filename="../../etc/releve.txt"', Buffer.from('Relevé\n')), ...expenditure('2022-07-07'), END])).expect(201);
    expect(path.body.document.fileName).toBe('releve.txt');
  });

  it('rule: the name offered for a download agrees with the content as at upload: a text offered as .html or .bat is refused naming name (never saved as a page or a script)', async () => {
    const bytes = Buffer.from('<html><script>alert(1)</script></html>\n');
    await post(Buffer.concat([filePart('file', 'filename="note.txt"', bytes), ...expenditure('2022-07-10'), END])).expect(201);
    const sha = sha256(bytes);
    const get = (name: string) => request(api.http).get(`/api/documents/${sha}`).query({ name }).set('Authorization', `Bearer ${api.tokens.auditor}`);
    for (const name of ['rapport.html', 'facture.pdf.bat', 'facture']) {
      const refused = await get(name).expect(400);
      expect(refused.body).toMatchObject({ code: 'DOCUMENT.NAME_MISMATCH', errors: [{ field: 'name' }] });
      expect(refused.headers['content-disposition']).toBeUndefined();
    }
    const served = await get('note.TXT').expect(200);
    expect(served.headers['content-disposition']).toContain('filename="note.TXT"');
    expect((await get('note.csv').expect(200)).headers['content-type']).toBe('text/csv; charset=utf-8');
  });

  it('rule: the offered name is a valid RFC 8187 filename*: an apostrophe, parentheses and a star are percent-encoded (a strict parser refuses them bare), the ASCII fallback keeps them', async () => {
    const bytes = Buffer.from('Lettre d’engagement\n');
    await post(Buffer.concat([filePart('file', 'filename="lettre.txt"', bytes), ...expenditure('2022-07-11'), END])).expect(201);
    const french = await request(api.http).get(`/api/documents/${sha256(bytes)}`).query({ name: 'lettre d’engagement l\'acte (1)*.txt' }).set('Authorization', `Bearer ${api.tokens.auditor}`).expect(200);
    expect(french.headers['content-disposition']).toBe(`attachment; filename="lettre d_engagement l'acte (1)*.txt"; filename*=UTF-8''lettre%20d%E2%80%99engagement%20l%27acte%20%281%29%2A.txt`);
  });

  it('rule: a document whose file cannot be read (a directory in its place) is answered 503, never served, and /health lists it as unreadable until it reads again', async () => {
    const bytes = Buffer.from('Facture qui deviendra un dossier\n');
    await post(Buffer.concat([filePart('file', 'filename="dossier.txt"', bytes), ...expenditure('2022-07-08'), END])).expect(201);
    const sha = sha256(bytes);
    const path = join(documentsDir, sha.slice(0, 2), sha.slice(2, 4), sha);
    rmSync(path);
    mkdirSync(path);
    const got = await request(api.http).get(`/api/documents/${sha}`).set('Authorization', `Bearer ${api.tokens.auditor}`).expect(503);
    expect(got.body.code).toBe('DOCUMENT.STORE_UNAVAILABLE');
    const health = (await request(api.http).get('/health')).body;
    expect(health.status).toBe('degraded');
    expect(health.documents.status).toBe('degraded');
    expect(health.documents.unreadable).toEqual([expect.objectContaining({ sha256: sha })]);
    rmSync(path, { recursive: true });
    writeFileSync(path, bytes);
    expect((await request(api.http).get('/health')).body.documents.status).toBe('ok');
  });
});
