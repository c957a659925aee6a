import { DocumentService } from '@jalon/core';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { csrfOf } from '../../../test/support/forms';
import { DashboardUnderTest, Role, startDashboard } from '../../../test/browser/dashboard-under-test';

/** The dashboard's supporting documents, over HTTP as a browser without script sends them (a multipart form). */
describe('dashboard supporting documents', () => {
  let dashboard: DashboardUnderTest;
  const invoice = Buffer.from('%PDF-1.4\nFacture F-2022-061 : cocktail d’inauguration\n%%EOF\n', 'utf8');

  beforeAll(async () => {
    dashboard = await startDashboard();
  }, 30_000);
  afterAll(async () => {
    await dashboard.close();
  });

  const actionOf = (markup: string) => /<form method="post" action="([^"]+)" enctype="multipart\/form-data"/.exec(markup)?.[1]?.replace(/&amp;/g, '&') ?? '';
  const eventCount = async () => {
    let count = 0;
    for await (const _event of dashboard.store.readAll()) count++;
    return count;
  };

  const as = (role: Role) => dashboard.signedIn(role);

  async function attach(role: Role, fields: Record<string, string>, file: { bytes: Buffer; name: string }, status: number): Promise<request.Response> {
    const agent = await as(role);
    const page = await agent.get('/antennes/montbeliard/justificatifs').expect(200);
    // The session's token first, as a browser sends the form's hidden field.
    let post = agent.post(actionOf(page.text)).field('_csrf', csrfOf(page.text));
    for (const [name, value] of Object.entries(fields)) post = post.field(name, value);
    return post.attach('file', file.bytes, file.name).expect(status);
  }

  it('rule: the antenna page links to the documents page from its budget and funding sections; the page has a multipart form without script', async () => {
    const agent = await as('finance');
    const antenna = await dashboard.readWhenCaughtUp('finance', '/antennes/montbeliard');
    expect(antenna.status).toBe(200);
    expect(antenna.text.match(/href="\/antennes\/montbeliard\/justificatifs"/g)?.length).toBe(2);
    const page = await agent.get('/antennes/montbeliard/justificatifs').expect(200);
    // The token travels in the body, as a hidden field before the file, never in the address.
    expect(actionOf(page.text)).toBe('/antennes/montbeliard/justificatifs');
    const form = page.text.slice(page.text.indexOf('enctype="multipart/form-data"'));
    expect(form.indexOf('name="_csrf"')).toBeGreaterThan(0);
    expect(form.indexOf('name="_csrf"')).toBeLessThan(form.indexOf('name="file"'));
    expect(page.text).toContain('<input type="file" id="fichier" name="file"');
    expect(page.text).toContain('name="subject.kind" value="expenditure"');
    expect(page.text).toContain('name="subject.kind" value="tranche-receipt"');
    expect(page.text).not.toContain('<script');
  });

  it('rule: a document attached to an expenditure from the form is listed, and its link downloads it byte for byte through the session', async () => {
    const done = await attach('programme-manager', { 'subject.kind': 'expenditure', 'subject.expenditureId': 'inauguration-2022', effectiveDate: '01/07/2022' }, { bytes: invoice, name: 'facture-inauguration.pdf' }, 303);
    // The page opens on the confirmation, once the read models include the attachment (read your writes).
    expect(done.headers.location).toMatch(/^\/antennes\/montbeliard\/justificatifs\?apres=\d+#confirmation$/);
    const agent = await as('auditor');
    const page = await agent.get(done.headers.location!.replace(/#.*$/, '')).expect(200);
    expect(page.text).not.toContain('n’apparaît peut-être pas encore');
    // Named as the audit trail names it (its description), not by its id.
    expect(page.text).toContain('<th scope="row">Dépense « Inauguration du 22 juin 2022 sur le campus universitaire »</th>');
    expect(page.text).not.toContain('Dépense inauguration-2022');
    const link = /<a href="(\/justificatifs\/[0-9a-f]{64}\?nom=[^"]+)" download>facture-inauguration\.pdf<\/a>/.exec(page.text)?.[1]?.replace(/&amp;/g, '&');
    expect(link).toContain(createHash('sha256').update(invoice).digest('hex'));
    // An auditor reads and downloads, and is offered no form.
    expect(page.text).not.toContain('enctype="multipart/form-data"');
    const file = await agent.get(link!).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(Buffer.compare(file.body as Buffer, invoice)).toBe(0);
    expect(file.headers['content-disposition']).toContain('filename="facture-inauguration.pdf"');
  });

  it('rule: a download link offering a name whose extension is not the content’s (a PDF as .html, .exe) offers the hash instead', async () => {
    const sha = createHash('sha256').update(invoice).digest('hex');
    const agent = await as('auditor');
    for (const nom of ['facture.html', 'facture.pdf.exe']) {
      const file = await agent.get(`/justificatifs/${sha}`).query({ nom }).expect(200);
      expect(file.headers['content-disposition']).toBe(`attachment; filename="${sha}"; filename*=UTF-8''${sha}`);
    }
  });

  it('rule: a refused upload from the form leaves no file in the documents folder (bad date 400, date before the subject or in the future, unknown subject 404, wrong role 403); bytes attached elsewhere stay', async () => {
    const directory = dashboard.app.get(DocumentService).store.directory;
    const pathOf = (bytes: Buffer) => {
      const sha = createHash('sha256').update(bytes).digest('hex');
      return join(directory, sha.slice(0, 2), sha.slice(2, 4), sha);
    };
    const refused = Buffer.from('Facture refusée depuis le tableau de bord\n');
    const expenditure = { 'subject.kind': 'expenditure', 'subject.expenditureId': 'inauguration-2022' };
    const before = await eventCount();
    await attach('finance', { ...expenditure, effectiveDate: '31/02/2022' }, { bytes: refused, name: 'facture.txt' }, 400);
    expect((await attach('finance', { ...expenditure, effectiveDate: '01/01/2019' }, { bytes: refused, name: 'facture.txt' }, 422)).text).toContain('DOCUMENT.ATTACHED_BEFORE_SUBJECT');
    await attach('finance', { ...expenditure, effectiveDate: '01/01/2025' }, { bytes: refused, name: 'facture.txt' }, 422);
    await attach('finance', { 'subject.kind': 'expenditure', 'subject.expenditureId': 'pas-de-depense' }, { bytes: refused, name: 'facture.txt' }, 404);
    const page = await (await as('programme-manager')).get('/antennes/montbeliard/justificatifs').expect(200);
    await (await as('programme-manager')).post(actionOf(page.text)).field('_csrf', csrfOf(page.text)).field('subject.kind', 'funding-agreement').field('subject.agreementId', 'bdt-amorcage-montbeliard').attach('file', refused, 'facture.txt').expect(403);
    expect(existsSync(pathOf(refused))).toBe(false);
    expect(await eventCount()).toBe(before);

    // Attached to one expenditure, then refused for another: the bytes stay.
    const shared = Buffer.from('Relevé joint depuis le tableau de bord\n');
    await attach('finance', { ...expenditure, effectiveDate: '02/07/2022' }, { bytes: shared, name: 'releve.txt' }, 303);
    await attach('finance', { 'subject.kind': 'expenditure', 'subject.expenditureId': 'pas-de-depense' }, { bytes: shared, name: 'releve.txt' }, 404);
    expect(readFileSync(pathOf(shared)).equals(shared)).toBe(true);
  });

  it('rule: a document sent with the anti-forgery token only in the address (or a wrong one in the body) is refused (403 AUTH.CSRF): no event, no file stored; with the token in the body it is attached', async () => {
    const directory = dashboard.app.get(DocumentService).store.directory;
    const bytes = Buffer.from('Facture envoyée avec le jeton dans l’adresse\n');
    const sha = createHash('sha256').update(bytes).digest('hex');
    const stored = join(directory, sha.slice(0, 2), sha.slice(2, 4), sha);
    const finance = await as('finance');
    const page = await finance.get('/antennes/montbeliard/justificatifs').expect(200);
    const csrf = csrfOf(page.text);
    expect(csrf).not.toBe('');
    const fields = { 'subject.kind': 'expenditure', 'subject.expenditureId': 'inauguration-2022', effectiveDate: '03/07/2022' };
    const before = await eventCount();
    for (const post of [
      finance.post(`/antennes/montbeliard/justificatifs?_csrf=${encodeURIComponent(csrf)}`),
      finance.post('/antennes/montbeliard/justificatifs').field('_csrf', 'faux'),
    ]) {
      let sent = post;
      for (const [name, value] of Object.entries(fields)) sent = sent.field(name, value);
      const refused = await sent.attach('file', bytes, 'facture.txt').expect(403);
      expect(refused.text).toContain('Ce formulaire a expiré ou ne provient pas de Jalon.');
      expect(refused.text).toContain('AUTH.CSRF');
    }
    expect(existsSync(stored)).toBe(false);
    expect(await eventCount()).toBe(before);
    await attach('finance', fields, { bytes, name: 'facture.txt' }, 303);
    expect(readFileSync(stored).equals(bytes)).toBe(true);
    expect(await eventCount()).toBe(before + 1);
  });

  it('rule: a refusal about one field is shown beside it (aria-invalid, aria-describedby) and linked from the summary; a list left on « — » reads as a choice to make, not as an identifier rule', async () => {
    const before = await eventCount();
    const empty = await attach('finance', { 'subject.kind': 'expenditure', 'subject.expenditureId': '' }, { bytes: invoice, name: 'facture.pdf' }, 400);
    expect(empty.text).toMatch(/<select id="depense" name="subject\.expenditureId" aria-describedby="aide-depense erreur-depense" aria-invalid="true">/);
    expect(empty.text).toContain('<p class="message-erreur" id="erreur-depense"><span class="sr">Erreur : </span>Choisissez une dépense dans la liste.</p>');
    expect(empty.text).toContain('<li><a href="#depense">Dépense : Choisissez une dépense dans la liste.</a></li>');
    expect(empty.text).not.toContain('identifiant en minuscules');
    const date = await attach('finance', { 'subject.kind': 'expenditure', 'subject.expenditureId': 'inauguration-2022', effectiveDate: '31/02/2022' }, { bytes: invoice, name: 'facture.pdf' }, 400);
    expect(date.text).toMatch(/id="date-effet" name="effectiveDate" value="31\/02\/2022" aria-describedby="aide-date-effet erreur-date-effet" aria-invalid="true"/);
    expect(date.text).toContain('<a href="#date-effet">Date : ');
    // Unknown to the decider (EXPENDITURE.NOT_FOUND names subject.expenditureId): beside the list too.
    const unknown = await attach('finance', { 'subject.kind': 'expenditure', 'subject.expenditureId': 'pas-de-depense' }, { bytes: invoice, name: 'facture.pdf' }, 404);
    expect(unknown.text).toContain('id="erreur-depense"');
    expect(unknown.text).toContain('EXPENDITURE.NOT_FOUND');
    expect(await eventCount()).toBe(before);
  });

  it('rule: a refused upload comes back on the page with its French reason and code, and writes nothing', async () => {
    const before = await eventCount();
    const mismatch = await attach('finance', { 'subject.kind': 'expenditure', 'subject.expenditureId': 'inauguration-2022' }, { bytes: invoice, name: 'facture.png' }, 400);
    expect(mismatch.text).toContain('Le justificatif n’a pas été joint');
    expect(mismatch.text).toContain('DOCUMENT.NAME_MISMATCH');
    const unknown = await attach('finance', { 'subject.kind': 'expenditure', 'subject.expenditureId': 'pas-de-depense' }, { bytes: invoice, name: 'facture.pdf' }, 404);
    expect(unknown.text).toContain('EXPENDITURE.NOT_FOUND');
    expect(await eventCount()).toBe(before);
  });
});
