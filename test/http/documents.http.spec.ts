import { DocumentStore, SqliteEventStore } from '@jalon/event-store';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { recordDemoHistory } from '../support/demo-history';
import { ApiUnderTest, startApi } from './api-under-test';

type Role = keyof ApiUnderTest['tokens'];

/** A small but real PDF: what an invoice scan starts with, and bytes that are not UTF-8 text. */
const INVOICE_PDF = Buffer.concat([Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n', 'latin1'), Buffer.from([0x00, 0xff, 0x10, 0x80]), Buffer.from('\n%%EOF\n')]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const binary = (res: NodeJS.ReadableStream, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

describe('HTTP supporting documents (upload, download, refusals)', () => {
  let dir: string;
  let api: ApiUnderTest;
  let documentsDir: string;

  const upload = (fields: Record<string, string>, file: { bytes: Buffer; name: string } | undefined, role: Role = 'finance') => {
    let call = request(api.http).post('/api/antennas/montbeliard/documents').set('Authorization', `Bearer ${api.tokens[role]}`);
    for (const [name, value] of Object.entries(fields)) call = call.field(name, value);
    if (file) call = call.attach('file', file.bytes, file.name);
    return call;
  };
  const toExpenditure = { 'subject.kind': 'expenditure', 'subject.expenditureId': 'inauguration-2022', effectiveDate: '2022-07-01' };
  const download = (sha: string, role: Role = 'auditor') =>
    request(api.http).get(`/api/documents/${sha}`).set('Authorization', `Bearer ${api.tokens[role]}`).buffer(true).parse(binary as never);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-documents-http-'));
    documentsDir = join(dir, 'documents');
    const store = SqliteEventStore.open({ file: join(dir, 'jalon.sqlite') });
    await recordDemoHistory(store);
    api = await startApi(async () => ({ store, dispose: () => store.close() }), { dataDir: dir });
  });
  afterAll(async () => {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rule (done when): a document attached to an expenditure is downloaded byte-identical, and the event records its hash, name, size, type and who attached it', async () => {
    const response = await upload(toExpenditure, { bytes: INVOICE_PDF, name: 'facture-inauguration.pdf' }, 'programme-manager').expect(201);
    const sha = sha256(INVOICE_PDF);
    expect(response.body.document).toMatchObject({ sha256: sha, fileName: 'facture-inauguration.pdf', sizeBytes: INVOICE_PDF.length, mediaType: 'application/pdf' });
    expect(response.body.streamId).toBe('budget-montbeliard');

    const events = (await request(api.http).get('/api/streams/budget-montbeliard/events?direction=backwards&maxCount=1').set('Authorization', `Bearer ${api.tokens.auditor}`).expect(200)).body;
    const [attached] = events.events ?? events;
    expect(attached).toMatchObject({
      type: 'DocumentAttached',
      version: 1,
      data: { antennaId: 'montbeliard', subject: { kind: 'expenditure', expenditureId: 'inauguration-2022' }, sha256: sha, fileName: 'facture-inauguration.pdf', sizeBytes: INVOICE_PDF.length, mediaType: 'application/pdf', effectiveDate: '2022-07-01' },
      metadata: { actorName: 'Claire Martin', role: 'programme-manager' },
    });

    const got = await download(sha).expect(200);
    expect(Buffer.compare(got.body as Buffer, INVOICE_PDF)).toBe(0);
    expect(got.headers['content-type']).toBe('application/pdf');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    // Stored under its hash, in shard directories.
    expect(readFileSync(join(documentsDir, sha.slice(0, 2), sha.slice(2, 4), sha)).equals(INVOICE_PDF)).toBe(true);
  });

  it('rule: the same upload again is a repeat (200, nothing written); the same file on another subject is another attachment', async () => {
    const before = await api.fingerprint();
    await upload(toExpenditure, { bytes: INVOICE_PDF, name: 'facture-inauguration.pdf' }).expect(200);
    expect(await api.fingerprint()).toBe(before);
    const receipt = await upload(
      { 'subject.kind': 'tranche-receipt', 'subject.agreementId': 'bdt-amorcage-montbeliard', 'subject.trancheId': 'tranche-2', effectiveDate: '2022-07-20' },
      { bytes: PNG, name: 'releve.PNG' },
    ).expect(201);
    expect(receipt.body.document.mediaType).toBe('image/png');
    expect(receipt.body.streamId).toMatch(/^funding-/);
  });

  it('rule: the type is read from the content: a PDF named .png, a text named .pdf, and an executable are refused, nothing stored nor written', async () => {
    const before = await api.fingerprint();
    const mismatch = await upload(toExpenditure, { bytes: Buffer.concat([INVOICE_PDF, Buffer.from('x')]), name: 'facture.png' }).expect(400);
    expect(mismatch.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(mismatch.body).toMatchObject({ code: 'DOCUMENT.NAME_MISMATCH', errors: [{ field: 'fileName' }] });
    expect(mismatch.body.detail).toMatch(/un PDF/);
    await upload(toExpenditure, { bytes: Buffer.from('Montant;Date\n12;2022\n'), name: 'facture.pdf' }).expect(400);
    const elf = await upload(toExpenditure, { bytes: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00]), name: 'facture.pdf' }).expect(415);
    expect(elf.body).toMatchObject({ code: 'DOCUMENT.UNSUPPORTED_TYPE', title: expect.stringMatching(/PDF, PNG, JPEG/) });
    await upload(toExpenditure, { bytes: Buffer.alloc(0), name: 'vide.txt' }).expect(400);
    expect(await api.fingerprint()).toBe(before);
  });

  it('rule: a file over the size limit is refused with 413 and a French message', async () => {
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(20 * 1024 * 1024, 0x20)]);
    const response = await upload(toExpenditure, { bytes: big, name: 'scan.pdf' }).expect(413);
    expect(response.body).toMatchObject({ code: 'DOCUMENT.TOO_LARGE', errors: [{ field: 'file' }] });
    expect(response.body.title).toMatch(/taille maximale/);
  });

  it('rule: the subject must exist: an unknown expenditure is 404, a release not recorded is 404, an unknown kind is 400 naming the field', async () => {
    const unknown = await upload({ ...toExpenditure, 'subject.expenditureId': 'pas-enregistree' }, { bytes: PNG, name: 'x.png' }).expect(404);
    expect(unknown.body.code).toBe('EXPENDITURE.NOT_FOUND');
    const release = await upload({ 'subject.kind': 'tranche-receipt', 'subject.agreementId': 'bdt-amorcage-montbeliard', 'subject.trancheId': 'tranche-9' }, { bytes: PNG, name: 'x.png' }).expect(404);
    expect(release.body.code).toBe('TRANCHE.NOT_FOUND');
    const kind = await upload({ 'subject.kind': 'facture' }, { bytes: PNG, name: 'x.png' }).expect(400);
    expect(kind.body.errors).toEqual([expect.objectContaining({ field: 'subject.kind', rule: 'isIn' })]);
    const noFile = await upload(toExpenditure, undefined).expect(400);
    expect(noFile.body.errors).toEqual([expect.objectContaining({ field: 'file' })]);
  });

  it('rule: a refused upload leaves no file in the documents folder (bad date 400, date before the subject, unknown subject 404, wrong role 403); bytes attached elsewhere stay', async () => {
    const pathOf = (sha: string) => join(documentsDir, sha.slice(0, 2), sha.slice(2, 4), sha);
    const refused = Buffer.from('Facture refusée, à ne pas garder\n');
    const before = await api.fingerprint();
    const badDate = await upload({ ...toExpenditure, effectiveDate: '2022-13-45' }, { bytes: refused, name: 'facture.txt' }).expect(400);
    expect(badDate.body.errors).toEqual([expect.objectContaining({ field: 'effectiveDate' })]);
    expect((await upload({ ...toExpenditure, effectiveDate: '2019-01-01' }, { bytes: refused, name: 'facture.txt' }).expect(422)).body.code).toBe('DOCUMENT.ATTACHED_BEFORE_SUBJECT');
    await upload({ ...toExpenditure, 'subject.expenditureId': 'pas-enregistree' }, { bytes: refused, name: 'facture.txt' }).expect(404);
    await upload({ 'subject.kind': 'funding-agreement', 'subject.agreementId': 'bdt-amorcage-montbeliard' }, { bytes: refused, name: 'facture.txt' }, 'programme-manager').expect(403);
    expect(existsSync(pathOf(sha256(refused)))).toBe(false);
    expect(await api.fingerprint()).toBe(before);

    // The same bytes, attached to one subject while a concurrent upload of them to an unknown subject is refused: kept, and a later refusal removes nothing.
    const shared = Buffer.from('Relevé partagé entre deux faits\n');
    const [accepted, concurrent] = await Promise.all([
      upload({ ...toExpenditure, effectiveDate: '2022-07-06' }, { bytes: shared, name: 'releve.txt' }),
      upload({ ...toExpenditure, 'subject.expenditureId': 'pas-enregistree' }, { bytes: shared, name: 'releve.txt' }),
    ]);
    expect([accepted.status, concurrent.status]).toEqual([201, 404]);
    await upload({ ...toExpenditure, effectiveDate: '2022-13-45' }, { bytes: shared, name: 'releve.txt' }).expect(400);
    expect(readFileSync(pathOf(sha256(shared))).equals(shared)).toBe(true);
    await download(sha256(shared)).expect(200);
  });

  it('rule: roles: an auditor attaches nothing (403, nothing stored) but downloads; funding documents are for finance, not the programme manager', async () => {
    const bytes = Buffer.from('Relevé de compte, auditeur\n');
    await upload(toExpenditure, { bytes, name: 'releve.txt' }, 'auditor').expect(403);
    const sha = sha256(bytes);
    await download(sha).expect(404);
    const forbidden = await upload({ 'subject.kind': 'funding-agreement', 'subject.agreementId': 'bdt-amorcage-montbeliard' }, { bytes, name: 'releve.txt' }, 'programme-manager').expect(403);
    expect(forbidden.body.code).toBe('AUTH.FORBIDDEN');
    await upload({ 'subject.kind': 'funding-agreement', 'subject.agreementId': 'bdt-amorcage-montbeliard', effectiveDate: '2021-07-02' }, { bytes, name: 'convention.txt' }).expect(201);
    await download(sha, 'auditor').expect(200);
  });

  it('rule: the JSON attach route refuses a hash whose file is not stored, and multipart is refused on every other route (415)', async () => {
    const body = { subject: { kind: 'expenditure', expenditureId: 'inauguration-2022' }, sha256: 'f'.repeat(64), fileName: 'x.pdf', sizeBytes: 10, mediaType: 'application/pdf', effectiveDate: '2022-07-02' };
    const missing = await request(api.http).post('/api/antennas/montbeliard/budget-document-attachments').set('Authorization', `Bearer ${api.tokens.finance}`).send(body).expect(404);
    expect(missing.body.code).toBe('DOCUMENT.NOT_FOUND');
    const stored = { ...body, sha256: sha256(PNG), fileName: 'releve.png', sizeBytes: PNG.length, mediaType: 'application/pdf' };
    const wrongType = await request(api.http).post('/api/antennas/montbeliard/budget-document-attachments').set('Authorization', `Bearer ${api.tokens.finance}`).send(stored).expect(400);
    expect(wrongType.body.errors).toEqual([expect.objectContaining({ field: 'mediaType' })]);
    await request(api.http).post('/api/antennas/montbeliard/budget-document-attachments').set('Authorization', `Bearer ${api.tokens.finance}`).send({ ...stored, mediaType: 'image/png' }).expect(201);
    const json = await request(api.http).post('/api/antennas/montbeliard/expenditures').set('Authorization', `Bearer ${api.tokens.finance}`).field('expenditureId', 'x').expect(415);
    expect(json.body.code).toBe('INPUT.UNSUPPORTED_MEDIA_TYPE');
  });

  it('rule: a stored file altered since it was attached is never served (409, French), and /health says so until it is restored', async () => {
    const bytes = Buffer.from('Devis signé\n');
    const sha = sha256(bytes);
    await upload({ ...toExpenditure, effectiveDate: '2022-07-03' }, { bytes, name: 'devis.txt' }).expect(201);
    const path = join(documentsDir, sha.slice(0, 2), sha.slice(2, 4), sha);
    writeFileSync(path, 'Devis modifié\n');
    const altered = await request(api.http).get(`/api/documents/${sha}`).set('Authorization', `Bearer ${api.tokens.auditor}`).expect(409);
    expect(altered.body).toMatchObject({ code: 'DOCUMENT.ALTERED' });
    const health = (await request(api.http).get('/health').expect(200)).body;
    expect(health.status).toBe('degraded');
    expect(health.documents).toMatchObject({ status: 'degraded', altered: [{ sha256: sha }] });
    // Uploading the right bytes again puts them back.
    await upload({ ...toExpenditure, effectiveDate: '2022-07-03' }, { bytes, name: 'devis.txt' }).expect(200);
    expect((await request(api.http).get('/health').expect(200)).body.documents.status).toBe('ok');
  });

  it('rule: a document directory that cannot be written answers 503 DOCUMENT.STORE_UNAVAILABLE, nothing appended, /health degraded; it recovers by itself', async () => {
    const bytes = Buffer.from('Facture, disque en panne\n');
    const sha = sha256(bytes);
    // The shard directory replaced by a file: the write fails (as root, unlike chmod).
    const shard = join(documentsDir, sha.slice(0, 2));
    rmSync(shard, { recursive: true, force: true });
    writeFileSync(shard, 'not a directory');
    const before = await api.fingerprint();
    const refused = await upload({ ...toExpenditure, effectiveDate: '2022-07-04' }, { bytes, name: 'facture.txt' }).expect(503);
    expect(refused.body.code).toBe('DOCUMENT.STORE_UNAVAILABLE');
    expect(await api.fingerprint()).toBe(before);
    const health = (await request(api.http).get('/health').expect(200)).body;
    expect(health.documents).toMatchObject({ status: 'degraded', writable: false });
    rmSync(shard, { force: true });
    mkdirSync(shard);
    await upload({ ...toExpenditure, effectiveDate: '2022-07-04' }, { bytes, name: 'facture.txt' }).expect(201);
    expect((await request(api.http).get('/health').expect(200)).body.documents).toMatchObject({ status: 'ok', writable: true });
  });

  it('the document store used by the service is the one under the data directory', () => {
    expect(new DocumentStore(documentsDir).pathOf('a'.repeat(64))).toBe(join(documentsDir, 'aa', 'aa', 'a'.repeat(64)));
  });
});
