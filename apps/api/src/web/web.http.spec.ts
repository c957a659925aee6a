import ExcelJS from 'exceljs';
import request from 'supertest';
import { DashboardUnderTest, Role, startDashboard } from '../../../../test/browser/dashboard-under-test';
import { JALON_CSS_VERSION } from './assets/jalon-css';

/**
 * The dashboard over HTTP (no browser): sessions and their cookie, anti-forgery tokens, roles,
 * escaping, conflicts, read-your-writes, exports. The browser suite (test/browser) covers what a
 * person sees and does; this one covers what a browser cannot easily show.
 */
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
  const csrfOf = (markup: string) => /name="_csrf" value="([^"]+)"/.exec(markup)?.[1] ?? '';
  const revisionsOf = (markup: string) => /name="_revisions" value="([^"]*)"/.exec(markup)?.[1] ?? '';

  async function as(role: Role): Promise<request.Agent> {
    const known = agents.get(role);
    if (known) return known;
    const agent = request.agent(http());
    await agent.post('/connexion').type('form').send({ jeton: dashboard.tokens[role], retour: '/programme' }).expect(303).expect('Location', '/programme');
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
    const plain = await request(http()).post('/connexion').type('form').send({ jeton: dashboard.tokens.finance }).expect(303);
    expect(plain.headers['set-cookie']![0]).toMatch(/^jalon_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    const proxied = await request(http()).post('/connexion').set('X-Forwarded-Proto', 'https').type('form').send({ jeton: dashboard.tokens.finance }).expect(303);
    expect(proxied.headers['set-cookie']![0]).toContain('; Secure');
    const refused = await request(http()).post('/connexion').type('form').send({ jeton: 'jalon_faux', retour: 'https://ailleurs.example/' }).expect(401);
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
      .expect('Location', /^\/programme\?apres=\d+#candidatures$/);
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
    expect(conflict.text).toContain('Jalon travaux-termines atteint (phase phase-2-portes-du-jura) : Travaux terminés');
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

  it('exports what the finance page shows, discrepancies first, as CSV for French spreadsheets and as XLSX', async () => {
    const agent = await as('finance');
    const page = await agent.get('/financements?ecarts=oui').expect(200);
    expect(page.text).toContain('href="/financements/export.csv?ecarts=oui"');
    const csv = await agent.get('/financements/export.csv?ecarts=oui').buffer(true).expect(200);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="jalon-financements-2024-03-15.csv"');
    const text = csv.text.replace(/^\uFEFF/, '');
    expect(text.indexOf('Écarts constatés')).toBeLessThan(text.indexOf('Accords de financement'));
    expect(text).toContain('Versement annulé');
    expect(text).toContain('100000,00');

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

  it('ends a session on sign-out, and after 30 minutes without activity', async () => {
    const agent = request.agent(http());
    await agent.post('/connexion').type('form').send({ jeton: dashboard.tokens.auditor }).expect(303);
    const page = await agent.get('/programme').expect(200);
    await agent.post('/deconnexion').type('form').send({ _csrf: csrfOf(page.text) }).expect(303).expect('Location', '/connexion?motif=deconnexion');
    await agent.get('/programme').expect(303);

    const idle = request.agent(http());
    await idle.post('/connexion').type('form').send({ jeton: dashboard.tokens.auditor }).expect(303);
    dashboard.advanceSessionClock(29 * 60_000);
    await idle.get('/financements').expect(200);
    dashboard.advanceSessionClock(31 * 60_000);
    const expired = await idle.get('/financements').expect(303);
    expect(expired.headers.location).toBe('/connexion?motif=expiree&retour=%2Ffinancements');
    expect(expired.headers['set-cookie']![0]).toContain('Max-Age=0');
    agents.clear(); // every earlier session has expired too
  });
});
