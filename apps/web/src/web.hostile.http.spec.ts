import request from 'supertest';
import { DashboardUnderTest, startDashboard } from '../../../test/browser/dashboard-under-test';
import { csrfOf } from '../../../test/support/forms';

/**
 * Hostile addresses and form values on the dashboard: each gets a French page (404 or 400),
 * never JSON, never a 500, and nothing is written.
 */
describe('web dashboard: hostile addresses and values', () => {
  let dashboard: DashboardUnderTest;
  let finance: request.Agent;


  beforeAll(async () => {
    dashboard = await startDashboard();
    finance = request.agent(dashboard.app.getHttpServer());
    const form = await finance.get('/connexion').expect(200);
    await finance.post('/connexion').type('form').send({ _csrf: csrfOf(form.text), jeton: dashboard.tokens.finance }).expect(303);
  }, 30_000);
  afterAll(async () => {
    await dashboard.close();
  });

  async function eventCount(): Promise<number> {
    let count = 0;
    for await (const _ of dashboard.store.readAll()) count++;
    return count;
  }

  const frenchPage = (response: request.Response, status: number) => {
    expect({ status: response.status, type: response.headers['content-type'] }).toEqual({ status, type: 'text/html; charset=utf-8' });
    expect(response.text).toContain('<html lang="fr"');
  };

  it.each([
    ['an antenna never opened', '/antennes/NOPE'],
    ['an id with a space', '/antennes/a%20b'],
    ['an id naming an object’s prototype', '/antennes/__proto__'],
    ['an id named constructor', '/antennes/constructor'],
    ['an id of 65 characters', `/antennes/${'a'.repeat(65)}`],
    ['an id with a percent sign that decodes to nothing', '/antennes/%25'],
    ['an address whose percent-encoding is broken', '/antennes/%E0%A4%A'],
    ['an id of 1,500 characters', `/antennes/${'a'.repeat(1500)}`],
    ['a form of an antenna never opened', '/antennes/inconnue/enregistrer-depense'],
    ['a form of an id with a space', '/antennes/a%20b/enregistrer-depense'],
    ['a form of an id naming an object’s prototype', '/antennes/__proto__/enregistrer-depense'],
    ['an unknown form', '/antennes/montbeliard/nimporte-quoi'],
    ['an unknown page', '/nimporte-quoi'],
    ['an unknown page under a known one', '/programme/nimporte-quoi/encore'],
  ])('answers a French 404 page for %s (%s)', async (_name, path) => {
    const response = await finance.get(path);
    frenchPage(response, 404);
    expect(response.text).toContain('Page introuvable');
  });

  it('answers a French 400 page for a form date that is not in the calendar (30 February), and writes nothing', async () => {
    const form = await finance.get('/antennes/montbeliard/enregistrer-depense').expect(200);
    const before = await eventCount();
    for (const effectiveDate of ['2021-02-30', '30/02/2021', '2021-13-01']) {
      const response = await finance
        .post('/antennes/montbeliard/enregistrer-depense')
        .type('form')
        .send({ _csrf: csrfOf(form.text), expenditureId: 'facture-hostile', category: 'equipment', amountCents: '10,00', description: 'Essai', effectiveDate });
      frenchPage(response, 400);
      expect(response.text).toContain('n’existe pas dans le calendrier');
    }
    expect(await eventCount()).toBe(before);
  });

  it('answers a French 400 page for one-line text with a line break, a bidi override or only invisible characters, and writes nothing', async () => {
    const form = await finance.get('/antennes/montbeliard/engager-financement').expect(200);
    const before = await eventCount();
    for (const funder of ['Banque\r\ndes Territoires', 'abc\u202Egnp.exe', '\u200B\u200B']) {
      const response = await finance.post('/antennes/montbeliard/engager-financement').type('form').send({
        _csrf: csrfOf(form.text),
        agreementId: 'accord-hostile',
        funder,
        label: 'Essai',
        amountCents: '10,00',
        effectiveDate: '01/03/2024',
        'tranches.0.trancheId': 't1',
        'tranches.0.amountCents': '10,00',
        'tranches.0.dueOn': '01/04/2024',
      });
      frenchPage(response, 400);
    }
    expect(await eventCount()).toBe(before);
  });

  it('rule: « Connu au » names a real instant: 30 February (which Date.parse reads as 2 March) is explained beside the field, not shown as another day', async () => {
    const response = await finance.get('/antennes/montbeliard?knownAt=2023-02-30T00:00:00Z');
    frenchPage(response, 200);
    expect(response.text).toContain('Saisissez une date et une heure valides (JJ/MM/AAAA HH:MM), ou une date seule pour la fin de ce jour.');
  });

  it('rule: a download offered under a name with a bidirectional override (« facture », U+202E, « fdp.exe » shows as « facture.exe.pdf ») is offered under its hash instead', async () => {
    const upload = await request(dashboard.app.getHttpServer())
      .post('/api/antennas/montbeliard/documents')
      .set('Authorization', `Bearer ${dashboard.tokens.admin}`)
      .field('subject.kind', 'expenditure')
      .field('subject.expenditureId', 'inauguration-2022')
      .attach('file', Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'), 'facture.pdf')
      .expect(201);
    const sha256 = upload.body.document.sha256 as string;
    const spoofed = await finance.get(`/justificatifs/${sha256}?nom=${encodeURIComponent('facture\u202Efdp.exe')}`).expect(200);
    expect(spoofed.headers['content-disposition']).toBe(`attachment; filename="${sha256}"; filename*=UTF-8''${sha256}`);
    const named = await finance.get(`/justificatifs/${sha256}?nom=facture.pdf`).expect(200);
    expect(named.headers['content-disposition']).toContain('filename="facture.pdf"');
  });

  it('answers a French 415 page to a form sent as another content type, and writes nothing', async () => {
    const before = await eventCount();
    const response = await finance.post('/antennes/montbeliard/enregistrer-depense').set('Content-Type', 'text/plain').send('expenditureId=x');
    frenchPage(response, 415);
    expect(await eventCount()).toBe(before);
  });
  it('rule: a field sent twice is refused beside it (which value was meant?), not recorded with the first value', async () => {
    const form = await finance.get('/antennes/montbeliard/enregistrer-depense').expect(200);
    const before = await eventCount();
    const body = `_csrf=${encodeURIComponent(csrfOf(form.text))}&expenditureId=deux-fois&category=other&amountCents=1&effectiveDate=10%2F01%2F2023&description=ok&description=ok2`;
    const response = await finance.post('/antennes/montbeliard/enregistrer-depense').type('form').send(body);
    frenchPage(response, 400);
    expect(response.text).toContain('Ce champ a été envoyé plusieurs fois : une seule valeur est acceptée.');
    expect(await eventCount()).toBe(before);
  });

  it('rule: a form whose %-escapes are not UTF-8 is refused 415 in French, not recorded with « � » in place of what was typed', async () => {
    const form = await finance.get('/antennes/montbeliard/enregistrer-depense').expect(200);
    const before = await eventCount();
    const body = `_csrf=${encodeURIComponent(csrfOf(form.text))}&expenditureId=octet-ff&category=other&amountCents=1&effectiveDate=10%2F01%2F2023&description=a%FFb`;
    const response = await finance.post('/antennes/montbeliard/enregistrer-depense').type('form').send(body);
    frenchPage(response, 415);
    expect(response.text).toContain('pas encodé en UTF-8');
    expect(await eventCount()).toBe(before);
  });

  it('rule: a date in the calendar but outside the range Jalon records is refused saying the range (01/01/1899)', async () => {
    const form = await finance.get('/antennes/montbeliard/enregistrer-depense').expect(200);
    const response = await finance
      .post('/antennes/montbeliard/enregistrer-depense')
      .type('form')
      .send({ _csrf: csrfOf(form.text), expenditureId: 'trop-ancienne', category: 'other', amountCents: '1,00', description: 'Essai', effectiveDate: '01/01/1899' });
    frenchPage(response, 400);
    expect(response.text).toContain('Saisissez une date valide (JJ/MM/AAAA), du 01/01/1900 au 31/12/2100.');
  });

  it('rule: the verifiable export refuses a misspelt parameter before sealing (`antene=` once gave, and sealed, the whole programme)', async () => {
    const auditor = await dashboard.signedIn('auditor');
    const before = await eventCount();
    const response = await auditor.get('/integrite/export-verifiable?antene=montbeliard');
    frenchPage(response, 400);
    expect(response.text).toContain('le paramètre antene n’est pas attendu par l’export vérifiable');
    expect(await eventCount()).toBe(before);
  });
});
