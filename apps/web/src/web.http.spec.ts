import { hashToken, IdentityService, SYSTEM_ACTOR } from '@jalon/application';
import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import request from 'supertest';
import { DashboardUnderTest, Role, startDashboard } from '../../../test/browser/dashboard-under-test';
import { JALON_CSS_VERSION } from './assets/jalon-css';
import { fr } from '../../../libs/reporting/src/testing/french-spaces';
import { csrfOf } from '../../../test/support/forms';

/**
 * The dashboard over HTTP (no browser): sessions and their cookie, anti-forgery tokens, roles,
 * escaping, conflicts, read-your-writes, exports. The browser suite (test/browser) covers what a
 * person sees and does; this one covers what a browser cannot easily show.
 */

/** A response body as bytes (a ZIP, an XLSX). */
function binary(res: request.Response, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

describe('web dashboard over HTTP', () => {
  let dashboard: DashboardUnderTest;
  const agents = new Map<Role, request.Agent>();

  beforeAll(async () => {
    dashboard = await startDashboard();
  }, 30_000);
  afterAll(async () => {
    await dashboard.close();
  });

  const http = () => dashboard.app.getHttpServer();
  const revisionsOf = (markup: string) => /name="_revisions" value="([^"]*)"/.exec(markup)?.[1] ?? '';

  /** Signs in through the sign-in form, as a browser does: the form's anti-forgery token and cookie come from the page. */
  async function signIn(agent: request.Agent, fields: Record<string, string>, status: number, headers: Record<string, string> = {}): Promise<request.Response> {
    const form = await agent.get('/connexion').set(headers).expect(200);
    return agent.post('/connexion').set(headers).type('form').send({ _csrf: csrfOf(form.text), ...fields }).expect(status);
  }

  async function as(role: Role): Promise<request.Agent> {
    const known = agents.get(role);
    if (known) return known;
    const agent = request.agent(http());
    await signIn(agent, { jeton: dashboard.tokens[role], retour: '/programme' }, 303);
    agents.set(role, agent);
    return agent;
  }

  it('sends a visitor without a session to the sign-in page, and leaves the bearer-token API as it was', async () => {
    await request(http()).get('/programme').expect(303).expect('Location', '/connexion?motif=requise&retour=%2Fprogramme');
    await request(http()).get('/').expect(303).expect('Location', '/programme');
    const api = await request(http()).get('/api/users/me').expect(401);
    expect(api.body.code).toBe('AUTH.UNAUTHENTICATED');
    await request(http()).get('/api/users/me').set('Authorization', `Bearer ${dashboard.tokens.auditor}`).expect(200);
  });

  it('signs in with a token into an HttpOnly, SameSite=Strict session cookie (Secure behind HTTPS); pages forbid scripts and caching', async () => {
    const plain = await signIn(request.agent(http()), { jeton: dashboard.tokens.finance }, 303);
    // The session travels sealed (encrypted and authenticated, see docs/decisions/0015): its value is opaque.
    expect(plain.headers['set-cookie']).toContainEqual(expect.stringMatching(/^jalon_session=[A-Za-z0-9%]{100,}; Path=\/; HttpOnly; SameSite=Strict$/));
    // Behind HTTPS both cookies are Secure (so a plain-HTTP client keeps none: they are sent back by hand here).
    const httpsForm = await request(http()).get('/connexion').set('X-Forwarded-Proto', 'https').expect(200);
    const formCookie = httpsForm.headers['set-cookie']![0]!;
    expect(formCookie).toMatch(/^jalon_connexion=[A-Za-z0-9%]{100,}; Path=\/connexion; HttpOnly; SameSite=Strict; Secure$/);
    const proxied = await request(http())
      .post('/connexion')
      .set('X-Forwarded-Proto', 'https')
      .set('Cookie', formCookie.split(';')[0]!)
      .type('form')
      .send({ _csrf: csrfOf(httpsForm.text), jeton: dashboard.tokens.finance })
      .expect(303);
    expect(proxied.headers['set-cookie']).toContainEqual(expect.stringMatching(/^jalon_session=.*; Secure$/));
    const refused = await signIn(request.agent(http()), { jeton: 'jalon_faux', retour: 'https://ailleurs.example/' }, 401);
    expect(refused.text).toContain('Ce jeton n’est pas reconnu');
    expect(refused.text).toContain('value="/programme"'); // a foreign return address is not kept

    const page = await (await as('auditor')).get('/programme').expect(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['content-security-policy']).not.toContain('script-src');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).not.toContain('<script');
  });

  it('serves its style sheet itself, cached for a year under its versioned address', async () => {
    const css = await request(http()).get(`/assets/jalon.css?v=${JALON_CSS_VERSION}`).expect(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    await request(http()).get('/assets/jalon.css').set('If-None-Match', css.headers.etag!).expect(304);
  });

  it('refuses a form posted without the session’s anti-forgery token, and writes nothing', async () => {
    const agent = await as('finance');
    const head = await dashboard.store.headPosition();
    const response = await agent.post('/antennes/montbeliard/enregistrer-depense').type('form').send({ expenditureId: 'x', amountCents: '10', effectiveDate: '01/03/2024' }).expect(403);
    expect(response.text).toContain('Ce formulaire a expiré ou ne provient pas de Jalon');
    expect(await dashboard.store.headPosition()).toBe(head);
  });

  it('hides forms from roles that may not run their command and refuses them with 403 (an auditor writes nothing)', async () => {
    const auditor = await as('auditor');
    const antenna = await auditor.get('/antennes/montbeliard').expect(200);
    expect(antenna.text).not.toContain('/antennes/montbeliard/verser-tranche');
    expect(antenna.text).not.toContain('method="post" action="/antennes');
    const csrf = csrfOf(antenna.text);
    const head = await dashboard.store.headPosition();
    await auditor.get('/programme/deposer-candidature').expect(403);
    await auditor.post('/antennes/montbeliard/inaugurer').type('form').send({ _csrf: csrf, place: 'Ici', effectiveDate: '01/03/2024' }).expect(403);
    expect(await dashboard.store.headPosition()).toBe(head);

    // A finance officer sees funding forms, not the phases'.
    const finance = await (await as('finance')).get('/antennes/montbeliard').expect(200);
    expect(finance.text).toContain('/antennes/montbeliard/enregistrer-depense');
    expect(finance.text).not.toContain('/antennes/montbeliard/planifier-phase');
    await (await as('finance')).get('/antennes/montbeliard/planifier-phase').expect(403);
  });

  it('escapes what users typed everywhere it is shown (a territory named with a script tag)', async () => {
    const agent = await as('programme-manager');
    const form = await agent.get('/programme/deposer-candidature').expect(200);
    const saved = await agent
      .post('/programme/deposer-candidature')
      .type('form')
      .send({
        _csrf: csrfOf(form.text),
        _revisions: revisionsOf(form.text),
        callId: 'ami-2',
        'territory.id': 'ville-test',
        'territory.name': '<script>alert("x")</script>',
        'territory.kind': 'commune',
        'territory.region': 'Grand Est',
        'partners.0.name': 'Partenaire "test"',
        'partners.0.kind': 'employer',
        trainingNeeds: 'Numérique',
        effectiveDate: '01/12/2020',
      })
      .expect(303)
      .expect('Location', /^\/programme\?apres=\d+#confirmation$/);
    const overview = await agent.get(saved.headers.location!).expect(200);
    expect(overview.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(overview.text).not.toContain('<script>alert');
  });

  it('lists the expenditures the antenna’s budget stream holds, a reversed one marked and no longer offered for reversal', async () => {
    const page = await (await as('finance')).get('/antennes/montbeliard').expect(200);
    const table = /<table id="depenses">[\s\S]*?<\/table>/.exec(page.text)?.[0] ?? '';
    const rowOf = (id: string) => new RegExp(`<tr><th scope="row">${id}</th>.*?</tr>`).exec(table)?.[0] ?? '';
    for (const id of ['amenagement-aioa-2021', 'coordination-2021', 'inauguration-2022']) {
      expect(rowOf(id)).toContain('Enregistrée');
      expect(rowOf(id)).toContain(`depense=${id}`);
    }
    expect(rowOf('inauguration-2022-doublon')).toContain('Annulée');
    expect(rowOf('inauguration-2022-doublon')).not.toContain('depense=');
  });

  it('shows a broken rule in French with its code, beside the field it concerns', async () => {
    const agent = await as('programme-manager');
    const form = await agent.get('/antennes/montbeliard/demarrer-phase').expect(200);
    const response = await agent
      .post('/antennes/montbeliard/demarrer-phase')
      .type('form')
      .send({ _csrf: csrfOf(form.text), _revisions: revisionsOf(form.text), phaseId: 'phase-1-aioa', effectiveDate: '01/03/2024' })
      .expect(409);
    expect(response.text).toContain('Cette phase a déjà démarré.');
    expect(response.text).toContain('<span class="code">PHASE.ALREADY_STARTED</span>');
    expect(response.text).toContain('phase-1-aioa (n’est plus proposé)'); // the value is kept
  });

  it('explains a conflict with someone else’s write, keeps the input, and accepts it resubmitted', async () => {
    const agent = await as('programme-manager');
    const form = await agent.get('/antennes/montbeliard/planifier-phase').expect(200);
    expect(revisionsOf(form.text)).toMatch(/^antenna-montbeliard=\d+$/);
    // Meanwhile, someone records a milestone on the same antenna through the API.
    await request(http())
      .post('/api/antennas/montbeliard/phases/phase-2-portes-du-jura/milestones')
      .set('Authorization', `Bearer ${dashboard.tokens.admin}`)
      .send({ milestoneId: 'travaux-termines', name: 'Travaux terminés', effectiveDate: '2024-02-01' })
      .expect(201);
    const typed = { phaseId: 'phase-3-extension', name: 'Extension <au campus>', plannedStart: '01/09/2024', plannedEnd: '30/06/2025', effectiveDate: '14/03/2024' };
    const conflict = await agent
      .post('/antennes/montbeliard/planifier-phase')
      .type('form')
      .send({ _csrf: csrfOf(form.text), _revisions: revisionsOf(form.text), ...typed })
      .expect(409);
    expect(conflict.text).toContain('Quelqu’un d’autre a modifié ces données pendant votre saisie');
    // Worded by name, never by id (the audit trail's wording, libs/reporting/src/wording/history-sentences.ts).
    expect(conflict.text).toContain('Jalon « Travaux terminés » atteint (phase « Nouvelles formations sur le site de l’ancienne polyclinique des Portes du Jura »)');
    expect(conflict.text).toContain('par admin');
    expect(conflict.text).toContain('value="Extension &lt;au campus&gt;"');
    expect(conflict.text).toContain('value="30/06/2025"');
    expect(revisionsOf(conflict.text)).not.toBe(revisionsOf(form.text));

    const saved = await agent
      .post('/antennes/montbeliard/planifier-phase')
      .type('form')
      .send({ _csrf: csrfOf(conflict.text), _revisions: revisionsOf(conflict.text), ...typed })
      .expect(303);
    // Read your writes: the page waits for the read models to include the write it names.
    const page = await agent.get(saved.headers.location!).expect(200);
    expect(page.text).toContain('La phase a été planifiée.');
    expect(page.text).toContain('Extension &lt;au campus&gt;');
  });

  it('rule: a conflict with the user\'s own write (another tab) says so, not « someone else »', async () => {
    const agent = await as('programme-manager');
    const first = await agent.get('/antennes/montbeliard/planifier-phase').expect(200);
    const second = await agent.get('/antennes/montbeliard/planifier-phase').expect(200);
    const phase = (phaseId: string, name: string) => ({ phaseId, name, plannedStart: '01/09/2024', plannedEnd: '30/06/2025', effectiveDate: '14/03/2024' });
    const send = (form: string, typed: Record<string, string>) =>
      agent.post('/antennes/montbeliard/planifier-phase').type('form').send({ _csrf: csrfOf(form), _revisions: revisionsOf(form), _cle: /name="_cle" value="([^"]+)"/.exec(form)![1]!, ...typed });
    await send(first.text, phase('phase-onglet-a', 'Onglet A')).expect(303);
    const conflict = await send(second.text, phase('phase-onglet-b', 'Onglet B')).expect(409);
    expect(conflict.text).toContain('Vous avez vous-même modifié ces données pendant cette saisie');
    expect(conflict.text).not.toContain('Quelqu’un d’autre');
    expect(conflict.text).toContain('Onglet A');
  });

  it('rule: a form sent twice once recorded (a double click, sequential or at once) records once; the second answer says the entry is already recorded, neither the conflict page nor a fresh identifier', async () => {
    const agent = await as('finance');
    const form = await agent.get('/antennes/montbeliard/enregistrer-depense').expect(200);
    const key = /name="_cle" value="([^"]+)"/.exec(form.text)?.[1] ?? '';
    // The identifier is left empty: proposed from the description, it would be `double-clic-2` the second time.
    const body = { _csrf: csrfOf(form.text), _revisions: revisionsOf(form.text), _cle: key, expenditureId: '', category: 'operations', amountCents: '120,00', description: 'Double clic', effectiveDate: '14/03/2024' };
    const post = () => agent.post('/antennes/montbeliard/enregistrer-depense').type('form').send(body);
    const head = await dashboard.store.headPosition();
    const first = await post().expect(303);
    const second = await post().expect(303);
    expect(second.headers.location).toBe(first.headers.location);
    const page = await agent.get(second.headers.location!.replace(/#.*$/, '')).expect(200);
    expect(page.text).toContain('Votre saisie était déjà enregistrée');
    expect(page.text).not.toContain('double-clic-2');
    expect(await dashboard.store.headPosition()).toBe(head + 1n);

    // At once, from a form drawn afresh: one write, both answered with it.
    const again = await agent.get('/antennes/montbeliard/enregistrer-depense').expect(200);
    const twice = { ...body, _revisions: revisionsOf(again.text), _cle: /name="_cle" value="([^"]+)"/.exec(again.text)![1]!, description: 'Double clic simultané' };
    const both = await Promise.all([0, 1].map(() => agent.post('/antennes/montbeliard/enregistrer-depense').type('form').send(twice)));
    expect(both.map((response) => response.status)).toEqual([303, 303]);
    expect(await dashboard.store.headPosition()).toBe(head + 2n);

    // The same form sent back with another entry (after going back in the browser): not recorded, said so, a new key to record it.
    const changed = await agent.post('/antennes/montbeliard/enregistrer-depense').type('form').send({ ...twice, amountCents: '130,00' }).expect(409);
    expect(changed.text).toContain('Ce formulaire a déjà servi à enregistrer une saisie');
    expect(changed.text).not.toContain('Quelqu’un d’autre');
    const fresh = /name="_cle" value="([^"]+)"/.exec(changed.text)![1]!;
    expect(fresh).not.toBe(twice._cle);
    expect(await dashboard.store.headPosition()).toBe(head + 2n);
    await agent.post('/antennes/montbeliard/enregistrer-depense').type('form').send({ ...twice, _revisions: revisionsOf(changed.text), _cle: fresh, amountCents: '130,00' }).expect(303);
    expect(await dashboard.store.headPosition()).toBe(head + 3n);
  });

  it('exports what the finance page shows, discrepancies first, as CSV for French spreadsheets and as XLSX', async () => {
    const agent = await as('finance');
    const page = await agent.get('/financements?ecarts=oui').expect(200);
    expect(page.text).toContain('href="/financements/export.csv?ecarts=oui"');
    // Two tables: a ZIP of one CSV per table, in the page's order.
    const csv = await agent.get('/financements/export.csv?ecarts=oui').buffer(true).parse(binary).expect(200);
    expect(csv.headers['content-type']).toBe('application/zip');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="jalon-financements-2024-03-15.zip"');
    const files = unzipSync(csv.body as Buffer);
    expect(Object.keys(files).sort()).toEqual(['01-ecarts-constates.csv', '02-accords-de-financement.csv', 'LISEZMOI.txt']);
    expect(strFromU8(files['01-ecarts-constates.csv']!)).toContain('Versement annulé');
    expect(strFromU8(files['02-accords-de-financement.csv']!)).toContain('100000,00');

    const xlsx = await agent
      .get('/financements/export.xlsx?asOf=2022-06-21')
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(xlsx.headers['content-disposition']).toContain('jalon-financements-2022-06-21.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name).slice(0, 2)).toEqual(['Écarts constatés', 'Accords de financement']);
  });

  it('the échéancier page lists overdue tranches first at a chosen date and horizon, linked from the finance page, exported as CSV and XLSX', async () => {
    const agent = await as('finance');
    const finance = await agent.get('/financements?asOf=2023-07-31').expect(200);
    expect(finance.text).toContain('href="/financements/echeancier?asOf=2023-07-31"');
    // The demo's three tranches were all released by 15/03/2024: nothing overdue today.
    const today = await agent.get('/financements/echeancier').expect(200);
    expect(today.text).toContain(fr('Aucune tranche en retard ni à échoir dans les 30 jours.'));
    expect(today.text).toContain(fr('<option value="30" selected>30 jours</option>'));
    // On 31/07/2023 tranche 3 (due 30/06/2023) is 31 days overdue.
    const past = await agent.get('/financements/echeancier?asOf=31/07/2023&jours=90').expect(200);
    expect(past.text).toContain(fr('<option value="90" selected>90 jours</option>'));
    expect(past.text).toContain(fr('1 tranche en retard (30 000,00 €)'));
    expect(past.text).toMatch(/<tr>.*?En retard.*?30\/06\/2023.*?31/s);
    expect(past.text).toContain('href="/financements/echeancier/export.csv?asOf=2023-07-31&amp;jours=90"');
    const bad = await agent.get('/financements/echeancier?jours=abc').expect(200);
    expect(bad.text).toContain('Choisissez un nombre entier de jours entre 0 et 3650.');
    const csv = await agent.get('/financements/echeancier/export.csv?asOf=2023-07-31&jours=90').buffer(true).expect(200);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="jalon-echeancier-2023-07-31-90j.csv"');
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = csv.text.replace(/^\uFEFF/, '').split(/\r?\n/);
    // One table: the header is the first line.
    expect(lines[0]).toMatch(/^Situation;Échéance;Jours de retard/);
    expect(lines[1]).toMatch(/^En retard;30\/06\/2023;31;;/);
    const xlsx = await agent
      .get('/financements/echeancier/export.xlsx?asOf=2023-07-31&jours=90')
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    expect(workbook.worksheets[0]!.name).toBe('Tranches en retard et à échoir');
  });

  it('the finance page watches the tranche schedule: released after its due date, due and not released as of a date, « reste à encaisser » and « solde »', async () => {
    const agent = await as('finance');
    const page = await agent.get('/financements').expect(200);
    expect(page.text).toContain('Versement postérieur à l’échéance');
    expect(page.text).toContain(fr('Échéance le 30/06/2023, versé le 04/09/2023 (30 000,00 €) : 66 jours après l’échéance.'));
    const zip = unzipSync((await agent.get('/financements/export.csv').buffer(true).parse(binary).expect(200)).body as Buffer);
    const csv = strFromU8(zip['02-accords-de-financement.csv']!);
    // Committed 100 000, received 70 000, spent 37 200: reste à encaisser 30 000, solde 32 800.
    expect(csv).toContain('Reste à verser;Reste à encaisser;Solde');
    expect(csv).toMatch(/100000,00;100000,00;70000,00;37200,00;0,00;30000,00;32800,00;/);
    const past = await agent.get('/financements?asOf=2023-07-31').expect(200);
    expect(past.text).toContain('Échéance dépassée, tranche non versée');
    expect(past.text).toContain(fr('Échéance le 30/06/2023 (30 000,00 € prévus), toujours pas versée au 31/07/2023 : 31 jours de retard.'));
    const antenna = await agent.get('/antennes/montbeliard').expect(200);
    expect(antenna.text).toContain(fr('<dt>Reste à encaisser</dt><dd>30 000,00 €</dd>'));
    expect(antenna.text).toContain(fr('<dt>Solde (reçu − dépensé)</dt><dd>32 800,00 €</dd>'));
  });

  it('explains an invalid "as of" date beside its control, and an antenna that did not exist yet', async () => {
    const agent = await as('auditor');
    const invalid = await agent.get('/antennes/montbeliard?asOf=31/02/2022').expect(200);
    expect(invalid.text).toContain('<p class="message-erreur" id="erreur-asOf">Saisissez une date valide (JJ/MM/AAAA).</p>');
    expect(invalid.text).toContain('value="31/02/2022"');
    const future = await agent.get('/programme?asOf=2030-01-01').expect(200);
    expect(future.text).toContain('l’avenir n’est pas encore enregistré');
    const before = await agent.get('/antennes/montbeliard?asOf=2020-01-01').expect(200);
    expect(before.text).toContain('cette antenne n’était pas encore ouverte');
    const unknown = await agent.get('/antennes/inconnue').expect(404);
    expect(unknown.text).toContain('Aucune antenne n’a été ouverte sous l’identifiant « inconnue »');
  });

  it('rule: a future « État au » or « Connu au » is refused in French beside its field, by the report service’s own rule: the API refuses the same cut, and both accept the end of today', async () => {
    const agent = await as('auditor');
    const api = (query: string) => request(http()).get(`/api/reports/budget?antenna=montbeliard&${query}`).set('Authorization', `Bearer ${dashboard.tokens.auditor}`);
    // The dashboard's clock: 2024-03-15T10:00:00Z (DASHBOARD_NOW), Europe/Paris (UTC+1 in March 2024).
    const tomorrow = await agent.get('/antennes/montbeliard?asOf=16/03/2024').expect(200);
    expect(tomorrow.text).toContain('<p class="message-erreur" id="erreur-asOf">Choisissez une date passée ou aujourd’hui : l’avenir n’est pas encore enregistré.</p>');
    expect(tomorrow.text).toMatch(/id="champ-asOf" name="asOf" value="16\/03\/2024" aria-describedby="aide-asOf erreur-asOf" aria-invalid="true"/);
    expect((await api('asOf=2024-03-16').expect(400)).body.errors).toEqual([expect.objectContaining({ field: 'asOf', rule: 'notInFuture' })]);
    expect((await agent.get('/antennes/montbeliard?asOf=15/03/2024').expect(200)).text).not.toContain('id="erreur-asOf"');
    await api('asOf=2024-03-15').expect(200);

    // 00:30 on the 16th in Paris is tomorrow there; 23:30 on the 15th is still today.
    const late = await agent.get(`/antennes/montbeliard?knownAt=${encodeURIComponent('16/03/2024 00:30')}`).expect(200);
    expect(late.text).toContain('<p class="message-erreur" id="erreur-knownAt">Choisissez un instant passé : l’avenir n’est pas encore enregistré.</p>');
    expect((await api('knownAt=2024-03-15T23:30:00Z').expect(400)).body.errors).toEqual([expect.objectContaining({ field: 'knownAt', rule: 'notInFuture' })]);
    expect((await agent.get(`/antennes/montbeliard?knownAt=${encodeURIComponent('15/03/2024 23:30')}`).expect(200)).text).not.toContain('id="erreur-knownAt"');
    await api('knownAt=2024-03-15T22:30:00Z').expect(200);
  });

  it('rule: an « État au » or « Connu au » outside the calendar’s bounds is a French message beside its field naming them (01/01/1900, 31/12/2100), never the API’s refusal as an error page', async () => {
    const agent = await as('auditor');
    const beside = '<p class="message-erreur" id="erreur-asOf">Saisissez une date valide (JJ/MM/AAAA), du 01/01/1900 au 31/12/2100.</p>';
    for (const path of ['/antennes/montbeliard', '/programme', '/financements', '/financements/echeancier']) {
      const page = await agent.get(`${path}?asOf=${encodeURIComponent('31/12/1899')}`).expect(200);
      expect(page.text).toContain(beside);
      expect(page.text).toMatch(/id="champ-asOf" name="asOf" value="31\/12\/1899"/);
      expect(page.text).not.toContain('INPUT.INVALID');
    }
    const known = await agent.get(`/antennes/montbeliard?knownAt=${encodeURIComponent('31/12/1899 12:00')}`).expect(200);
    expect(known.text).toContain('<p class="message-erreur" id="erreur-knownAt">Saisissez une date et une heure valides (JJ/MM/AAAA HH:MM), du 01/01/1900 au 31/12/2100.</p>');
  });

  it('rule: an export refuses an « État au » its page refuses (a day that does not exist, the future, out of the bounds, not a date), by the page’s rule and message, never exporting today’s figures under it', async () => {
    const agent = await as('finance');
    // The dashboard's clock: 2024-03-15 (DASHBOARD_NOW), so 16/03/2024 is tomorrow.
    const cases = [
      ['29/02/2023', 'Saisissez une date valide (JJ/MM/AAAA).'],
      ['16/03/2024', 'Choisissez une date passée ou aujourd’hui : l’avenir n’est pas encore enregistré.'],
      ['31/12/1899', 'Saisissez une date valide (JJ/MM/AAAA), du 01/01/1900 au 31/12/2100.'],
      ['bonjour', 'Saisissez une date valide (JJ/MM/AAAA).'],
    ] as const;
    for (const path of ['/financements/export.csv', '/financements/export.xlsx', '/financements/echeancier/export.csv', '/financements/echeancier/export.xlsx']) {
      for (const [typed, message] of cases) {
        const page = await agent.get(path.replace(/\/export\.(csv|xlsx)$/, '')).query({ asOf: typed }).expect(200);
        expect(page.text).toContain(`id="erreur-asOf">${message}</p>`);
        const refused = await agent.get(path).query({ asOf: typed }).expect(400);
        expect(refused.headers['content-disposition']).toBeUndefined();
        expect(refused.headers['content-type']).toMatch(/^text\/html/);
        expect(refused.text).toContain(`« État au » : ${message} Rien n’a été exporté`);
      }
      await agent.get(path).query({ asOf: '15/03/2024' }).expect(200);
    }
  });

  it('rule: the échéancier\'s exports refuse a horizon its page refuses, instead of exporting the default horizon\'s tranches under the link\'s name', async () => {
    const agent = await as('finance');
    for (const path of ['/financements/echeancier/export.csv', '/financements/echeancier/export.xlsx']) {
      for (const typed of ['abc', '-1', '3651', '2.5']) {
        const page = await agent.get('/financements/echeancier').query({ jours: typed }).expect(200);
        expect(page.text).toContain('id="erreur-jours">Choisissez un nombre entier de jours entre 0 et 3650.</p>');
        const refused = await agent.get(path).query({ jours: typed }).expect(400);
        expect(refused.headers['content-disposition']).toBeUndefined();
        expect(refused.text).toContain('« Tranches à échoir dans les » : Choisissez un nombre entier de jours entre 0 et 3650. Rien n’a été exporté');
      }
      await agent.get(path).query({ jours: '60' }).expect(200);
    }
  });

  it('ends a session on sign-out, and after 30 minutes without activity', async () => {
    const agent = request.agent(http());
    await signIn(agent, { jeton: dashboard.tokens.auditor }, 303);
    const page = await agent.get('/programme').expect(200);
    // A copy of the cookie taken before sign-out (a stolen one) is refused after it: the id is on the sign-out list.
    const copied = ([] as string[]).concat(page.headers['set-cookie'] ?? []).find((cookie) => cookie.startsWith('jalon_session='))!.split(';')[0]!;
    await request(http()).get('/programme').set('Cookie', copied).expect(200);
    await agent.post('/deconnexion').type('form').send({ _csrf: csrfOf(page.text) }).expect(303).expect('Location', '/connexion?motif=deconnexion');
    await agent.get('/programme').expect(303);
    await request(http()).get('/programme').set('Cookie', copied).expect(303).expect('Location', /^\/connexion/);

    const idle = request.agent(http());
    await signIn(idle, { jeton: dashboard.tokens.auditor }, 303);
    dashboard.advanceSessionClock(29 * 60_000);
    await idle.get('/financements').expect(200);
    dashboard.advanceSessionClock(31 * 60_000);
    const expired = await idle.get('/financements').expect(303);
    expect(expired.headers.location).toBe('/connexion?motif=expiree&retour=%2Ffinancements');
    expect(expired.headers['set-cookie']![0]).toContain('Max-Age=0');
    agents.clear(); // every earlier session has expired too
  });

  it('refuses a sign-in without the sign-in form’s anti-forgery token, or with another browser’s, and opens no session', async () => {
    const attacker = request.agent(http());
    const attackerForm = await attacker.get('/connexion').expect(200);
    const victim = request.agent(http());
    await victim.get('/connexion').expect(200);
    for (const _csrf of [undefined, '', 'faux', csrfOf(attackerForm.text)]) {
      const refused = await victim.post('/connexion').type('form').send({ jeton: dashboard.tokens.admin, ...(_csrf === undefined ? {} : { _csrf }) }).expect(403);
      expect(refused.text).toContain('Ce formulaire de connexion a expiré ou ne provient pas de Jalon');
      expect(refused.headers['set-cookie'] ?? []).not.toContainEqual(expect.stringMatching(/^jalon_session=/));
      await victim.get('/programme').expect(303);
    }
    // Another site's page posting to /connexion has neither the cookie (SameSite=Strict) nor the token.
    await request(http()).post('/connexion').type('form').send({ jeton: dashboard.tokens.admin, _csrf: csrfOf(attackerForm.text) }).expect(403);
    // The form answered with its own token is accepted, once: signing in ends the form.
    const form = await victim.get('/connexion').expect(200);
    const signedIn = await victim.post('/connexion').type('form').send({ _csrf: csrfOf(form.text), jeton: dashboard.tokens.auditor }).expect(303);
    expect(signedIn.headers['set-cookie']).toEqual([expect.stringMatching(/^jalon_connexion=; Path=\/connexion;.*Max-Age=0$/), expect.stringMatching(/^jalon_session=/)]);
    await victim.get('/programme').expect(200);
  });

  it('rule: after signing in, only a path on this site is followed (retour=/%09/evil.example and friends go to the overview)', async () => {
    const hostile = [
      '/\t/evil.example',
      '/\\evil.example',
      '/\\/evil.example',
      '//evil.example',
      '/.//evil.example',
      '/\r\nSet-Cookie: x=1',
      '/\u0000/evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
      ' /programme',
      '/connexion',
      '/deconnexion',
    ];
    for (const retour of hostile) {
      const response = await signIn(request.agent(http()), { jeton: dashboard.tokens.auditor, retour }, 303);
      expect([retour, response.headers.location]).toEqual([retour, '/programme']);
    }
    const page = await request(http()).get('/connexion?retour=%2F%09%2Fevil.example').expect(200);
    expect(page.text).toContain('name="retour" value="/programme"');
    const kept = await signIn(request.agent(http()), { jeton: dashboard.tokens.auditor, retour: '/antennes/montbeliard?asOf=2022-06-21#historique' }, 303);
    expect(kept.headers.location).toBe('/antennes/montbeliard?asOf=2022-06-21#historique');
    const encoded = await signIn(request.agent(http()), { jeton: dashboard.tokens.auditor, retour: '/antennes/Montbéliard' }, 303);
    expect(encoded.headers.location).toBe('/antennes/Montb%C3%A9liard');
  });

  describe('users page (administrators)', () => {
    const identity = () => dashboard.app.get(IdentityService);
    const bearer = (token: string) => request(http()).get('/api/users/me').set('Authorization', `Bearer ${token}`);

    it('is for administrators only, lists users with their state and never a token or its hash', async () => {
      await (await as('finance')).get('/utilisateurs').expect(403);
      const page = await (await as('admin')).get('/utilisateurs').expect(200);
      expect(page.text).toContain('<a href="/utilisateurs" aria-current="page">Utilisateurs</a>');
      expect(page.text).toContain('<tr id="utilisateur-julien-bernard"><th scope="row">Julien Bernard</th>');
      for (const token of Object.values(dashboard.tokens)) {
        expect(page.text).not.toContain(token);
        expect(page.text).not.toContain(hashToken(token));
      }
      const programme = await (await as('finance')).get('/programme').expect(200);
      expect(programme.text).not.toContain('href="/utilisateurs"');
    });

    it('refuses an action posted without the session’s anti-forgery token, or by another role, and writes nothing', async () => {
      const head = await dashboard.store.headPosition();
      await (await as('admin')).post('/utilisateurs/julien-bernard/desactiver').type('form').send({}).expect(403);
      const finance = await as('finance');
      const csrf = csrfOf((await finance.get('/programme').expect(200)).text);
      await finance.post('/utilisateurs/julien-bernard/desactiver').type('form').send({ _csrf: csrf }).expect(403);
      expect(await dashboard.store.headPosition()).toBe(head);
    });

    it('deactivating a user ends their open session and refuses their token at once; reactivating gives both back', async () => {
      const { token } = await identity().addUser({ name: 'Paul Durand', role: 'finance' }, SYSTEM_ACTOR);
      const paul = request.agent(http());
      await signIn(paul, { jeton: token }, 303);
      await paul.get('/financements').expect(200);

      const admin = await as('admin');
      const csrf = csrfOf((await admin.get('/utilisateurs').expect(200)).text);
      await admin.post('/utilisateurs/paul-durand/desactiver').type('form').send({ _csrf: csrf }).expect(303).expect('Location', '/utilisateurs#confirmation');
      const list = await admin.get('/utilisateurs').expect(200);
      expect(list.text).toContain('Le compte de Paul Durand est désactivé : son jeton est refusé et ses sessions ont pris fin.');
      expect(/<tr id="utilisateur-paul-durand">.*?<\/tr>/s.exec(list.text)?.[0]).toContain('Désactivé');

      const ended = await paul.get('/financements').expect(303);
      expect(ended.headers.location).toBe('/connexion?motif=revoquee&retour=%2Ffinancements');
      expect(ended.headers['set-cookie']![0]).toMatch(/^jalon_session=;.*Max-Age=0$/);
      expect((await paul.get(ended.headers.location!).expect(200)).text).toContain('Votre session a pris fin : votre jeton d’accès a été révoqué ou remplacé, ou votre compte désactivé.');
      await bearer(token).expect(401);
      await signIn(request.agent(http()), { jeton: token }, 401);

      await admin.post('/utilisateurs/paul-durand/reactiver').type('form').send({ _csrf: csrf }).expect(303);
      await bearer(token).expect(200);
      await signIn(paul, { jeton: token }, 303);
    });

    it('revoking a token (API) ends the sessions opened with it at once; a new token (page) is shown once and the old one dies', async () => {
      const { token } = await identity().addUser({ name: 'Zoé Leroy', role: 'auditor' }, SYSTEM_ACTOR);
      const zoe = request.agent(http());
      await signIn(zoe, { jeton: token }, 303);
      await zoe.get('/programme').expect(200);
      await request(http()).post('/api/users/zoe-leroy/token-revocation').set('Authorization', `Bearer ${dashboard.tokens.admin}`).expect(200);
      expect((await zoe.get('/programme').expect(303)).headers.location).toBe('/connexion?motif=revoquee&retour=%2Fprogramme');
      await bearer(token).expect(401);

      const admin = await as('admin');
      const csrf = csrfOf((await admin.get('/utilisateurs').expect(200)).text);
      const issued = await admin.post('/utilisateurs/zoe-leroy/nouveau-jeton').type('form').send({ _csrf: csrf }).expect(200);
      const fresh = /<span class="code" id="nouveau-jeton">(jalon_[A-Za-z0-9_-]+)<\/span>/.exec(issued.text)?.[1];
      expect(fresh).toBeDefined();
      expect(issued.headers['cache-control']).toBe('no-store');
      expect((await admin.get('/utilisateurs').expect(200)).text).not.toContain(fresh!);
      await bearer(fresh!).expect(200);
      await bearer(token).expect(401);
      await signIn(zoe, { jeton: fresh! }, 303);
    });

    it('refuses to deactivate the last active administrator, in French with its code, and writes nothing', async () => {
      const admin = await as('admin');
      const csrf = csrfOf((await admin.get('/utilisateurs').expect(200)).text);
      const head = await dashboard.store.headPosition();
      const refused = await admin.post('/utilisateurs/admin/desactiver').type('form').send({ _csrf: csrf }).expect(422);
      expect(refused.text).toContain('Le dernier administrateur actif ne peut être ni désactivé');
      expect(refused.text).toContain('<span class="code">USER.LAST_ADMIN</span>');
      await admin.post('/utilisateurs/personne/desactiver').type('form').send({ _csrf: csrf }).expect(404);
      await admin.post('/utilisateurs/julien-bernard/effacer').type('form').send({ _csrf: csrf }).expect(404);
      expect(await dashboard.store.headPosition()).toBe(head);
      await admin.get('/programme').expect(200);
    });
  });
});
