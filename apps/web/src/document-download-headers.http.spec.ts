import { createHash } from 'node:crypto';
import request from 'supertest';
import { zipOf } from '../../../test/support/zip-archive';
import { DashboardUnderTest, startDashboard } from '../../../test/browser/dashboard-under-test';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const zip = (entries: readonly [string, string][]) => zipOf(entries.map(([name, content]) => ({ name, content: Buffer.from(content), stored: true })));

/** One small file of each accepted type, with the name it is attached under. */
const FILES: readonly { readonly name: string; readonly bytes: Buffer; readonly type: string }[] = [
  { name: 'facture.pdf', bytes: Buffer.from('%PDF-1.4\nFacture F-2022-062\n%%EOF\n'), type: 'application/pdf' },
  { name: 'photo.png', bytes: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(16, 1)]), type: 'image/png' },
  { name: 'scan.jpg', bytes: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(16, 2)]), type: 'image/jpeg' },
  {
    name: 'depenses.xlsx',
    bytes: zip([
      ['[Content_Types].xml', '<Types/>'],
      ['xl/workbook.xml', '<workbook/>'],
    ]),
    type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  },
  {
    name: 'budget.ods',
    bytes: zip([
      ['mimetype', 'application/vnd.oasis.opendocument.spreadsheet'],
      ['content.xml', '<office:document-content/>'],
    ]),
    type: 'application/vnd.oasis.opendocument.spreadsheet',
  },
  { name: 'releve.csv', bytes: Buffer.from('date;montant\n22/06/2022;1 200,00\n'), type: 'text/csv; charset=utf-8' },
  { name: 'note.txt', bytes: Buffer.from('Note de frais : déplacement à Belfort.\n'), type: 'text/plain; charset=utf-8' },
];

/** The headers a response carries, but those that name the moment or the connection. */
const headersOf = (response: request.Response) => {
  const { date: _date, connection: _connection, 'keep-alive': _keepAlive, 'set-cookie': _cookie, ...rest } = response.headers as Record<string, string>;
  return rest;
};

const binary = (res: NodeJS.ReadableStream, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

describe('the headers of a downloaded supporting document (API and dashboard)', () => {
  let dashboard: DashboardUnderTest;

  beforeAll(async () => {
    dashboard = await startDashboard();
    for (const file of FILES) {
      await request(dashboard.app.getHttpServer())
        .post('/api/antennas/montbeliard/documents')
        .set('Authorization', `Bearer ${dashboard.tokens['programme-manager']}`)
        .field('subject.kind', 'expenditure')
        .field('subject.expenditureId', 'inauguration-2022')
        .field('effectiveDate', '2022-07-01')
        .attach('file', file.bytes, file.name)
        .expect(201);
    }
  }, 30_000);
  afterAll(async () => {
    await dashboard.close();
  });

  const fromApi = (sha: string, query: Record<string, string>) =>
    request(dashboard.app.getHttpServer()).get(`/api/documents/${sha}`).query(query).set('Authorization', `Bearer ${dashboard.tokens.auditor}`).buffer(true).parse(binary as never).expect(200);
  const fromDashboard = async (sha: string, query: Record<string, string>) =>
    (await dashboard.signedIn('auditor')).get(`/justificatifs/${sha}`).query(query).buffer(true).parse(binary as never).expect(200);

  it.each(FILES.map((file) => [file.name, file] as const))(
    'rule: one function decides the headers of a stored document: the API and the dashboard send %s with identical headers (type, name, no sniffing, sandbox, no caching)',
    async (_name, file) => {
      const sha = sha256(file.bytes);
      const api = await fromApi(sha, { name: file.name });
      const web = await fromDashboard(sha, { nom: file.name });
      expect(Buffer.compare(api.body as Buffer, file.bytes)).toBe(0);
      expect(Buffer.compare(web.body as Buffer, file.bytes)).toBe(0);
      expect(headersOf(web)).toEqual(headersOf(api));
      expect(headersOf(api)).toEqual({
        'content-type': file.type,
        'content-length': String(file.bytes.length),
        'content-disposition': `attachment; filename="${file.name}"; filename*=UTF-8''${file.name}`,
        etag: `"${sha}"`,
        'x-content-type-options': 'nosniff',
        'content-security-policy': "sandbox; default-src 'none'; frame-ancestors 'none'",
        'x-frame-options': 'DENY',
        'referrer-policy': 'same-origin',
        'cache-control': 'no-store',
      });
    },
  );

  it('rule: a stored document downloaded without a name is offered under its hash, as text/plain when it is text, identically by the API and the dashboard', async () => {
    for (const file of FILES.filter((candidate) => candidate.type.startsWith('text/'))) {
      const sha = sha256(file.bytes);
      const api = await fromApi(sha, {});
      const web = await fromDashboard(sha, {});
      expect(headersOf(web)).toEqual(headersOf(api));
      expect(api.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(api.headers['content-disposition']).toBe(`attachment; filename="${sha}"; filename*=UTF-8''${sha}`);
    }
  });
});
