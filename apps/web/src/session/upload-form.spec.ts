import fastifyMultipart from '@fastify/multipart';
import Fastify, { FastifyInstance } from 'fastify';
import { UploadForms } from './upload-form';
import { CsrfRejectedError, WebRequest } from './web-session.guard';
import { WebSession, WebSessions } from './web-sessions';

/** A multipart body whose parts come in the order given; a part with a file name is a file. */
function multipart(parts: readonly { readonly name: string; readonly value: string; readonly fileName?: string }[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = 'limite-du-formulaire';
  const text = parts
    .map((part) =>
      part.fileName === undefined
        ? `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`
        : `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.fileName}"\r\nContent-Type: text/csv\r\n\r\n${part.value}\r\n`,
    )
    .join('');
  return { payload: Buffer.from(`${text}--${boundary}--\r\n`, 'utf8'), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('dashboard upload forms', () => {
  let fastify: FastifyInstance;
  const token = 'jeton-de-la-session';
  // Only the token comparison is used: the session guard found the session before the route reads its form.
  const sessions = { csrfMatches: (session: { csrfToken: string }, given: unknown) => given === session.csrfToken } as unknown as WebSessions;

  beforeAll(async () => {
    fastify = Fastify();
    await fastify.register(fastifyMultipart);
    fastify.post('/envoi', async (request, reply) => {
      (request as WebRequest).webSession = { csrfToken: token } as WebSession;
      try {
        const form = await new UploadForms(sessions).read(request as WebRequest, 1024);
        return await reply.send({ fields: form.fields, files: form.files.map((file) => file.fileName) });
      } catch (error) {
        return reply.status(error instanceof CsrfRejectedError ? 403 : 500).send({ error: (error as Error).name });
      }
    });
    await fastify.ready();
  });
  afterAll(() => fastify.close());

  const send = (url: string, parts: Parameters<typeof multipart>[0]) => fastify.inject({ method: 'POST', url, ...multipart(parts) });

  it('rule: the form is read once its _csrf field, before the file, matches the session; the token is not among the fields the route gets', async () => {
    const read = await send('/envoi', [
      { name: '_csrf', value: token },
      { name: 'kind', value: 'expenditures' },
      { name: 'file', value: 'Libellé;Montant\n', fileName: 'depenses.csv' },
    ]);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual({ fields: { kind: 'expenditures' }, files: ['depenses.csv'] });
    const noFile = await send('/envoi', [{ name: '_csrf', value: token }, { name: 'kind', value: 'budget' }]);
    expect(noFile.json()).toEqual({ fields: { kind: 'budget' }, files: [] });
  });

  it('rule: a token only in the address, a wrong or empty one, or one after the file is refused (CsrfRejectedError)', async () => {
    const file = { name: 'file', value: 'Libellé;Montant\n', fileName: 'depenses.csv' };
    for (const [url, parts] of [
      [`/envoi?_csrf=${token}`, [{ name: 'kind', value: 'expenditures' }, file]],
      [`/envoi?_csrf=${token}`, [{ name: 'kind', value: 'expenditures' }]],
      ['/envoi', [{ name: '_csrf', value: 'faux' }, file]],
      ['/envoi', [{ name: '_csrf', value: '' }, file]],
      ['/envoi', [file, { name: '_csrf', value: token }]],
    ] as const) {
      const refused = await send(url, parts);
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toEqual({ error: 'CsrfRejectedError' });
    }
  });
});
