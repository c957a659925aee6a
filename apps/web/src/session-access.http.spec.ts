import { IdentityService, SYSTEM_ACTOR } from '@jalon/application';
import request from 'supertest';
import { DashboardUnderTest, signInOverHttp, startDashboard } from '../../../test/browser/dashboard-under-test';
import { csrfOf } from '../../../test/support/forms';

/** Dashboard sessions and the user administration that ends them. */
describe('dashboard sessions and user administration', () => {
  let dashboard: DashboardUnderTest;
  beforeAll(async () => {
    dashboard = await startDashboard();
  }, 30_000);
  afterAll(async () => {
    await dashboard.close();
  });

  const http = () => dashboard.app.getHttpServer();
  const revisionsOf = (markup: string) => /name="_revisions" value="([^"]*)"/.exec(markup)?.[1] ?? '';
  const returnOf = (markup: string) => /name="retour" value="([^"]*)"/.exec(markup)?.[1];
  const signedIn = (token: string): Promise<request.Agent> => signInOverHttp(dashboard.app, token);
  /** Follows a redirect to the sign-in page as a browser does: the page, then its form posted with the token; where it leads. */
  async function signInAgain(agent: request.Agent, location: string, token: string): Promise<string> {
    const page = await agent.get(location).expect(200);
    const signed = await agent.post('/connexion').type('form').send({ _csrf: csrfOf(page.text), jeton: token, retour: returnOf(page.text) }).expect(303);
    return signed.headers.location!;
  }
  const NOT_RECORDED = 'ou a été fermée avant l’envoi du formulaire : votre action n’a pas été enregistrée.';

  it('rule: deactivating a user ends their open sessions even if they are reactivated before their next request; a new sign-in works', async () => {
    const { token } = await dashboard.app.get(IdentityService).addUser({ name: 'Paul Durand', role: 'finance' }, SYSTEM_ACTOR);
    const paul = await signedIn(token);
    await paul.get('/financements').expect(200);

    const admin = await signedIn(dashboard.tokens.admin);
    const csrf = csrfOf((await admin.get('/utilisateurs').expect(200)).text);
    await admin.post('/utilisateurs/paul-durand/desactiver').type('form').send({ _csrf: csrf }).expect(303);
    await admin.post('/utilisateurs/paul-durand/reactiver').type('form').send({ _csrf: csrf }).expect(303);

    // The page told the administrator that Paul's sessions had ended: they have.
    const ended = await paul.get('/financements').expect(303);
    expect(ended.headers.location).toBe('/connexion?motif=revoquee&retour=%2Ffinancements');
    // His token works again, for the API and for a new sign-in.
    await request(http()).get('/api/users/me').set('Authorization', `Bearer ${token}`).expect(200);
    const again = await signedIn(token);
    await again.get('/financements').expect(200);
    // Other users' sessions go on.
    await admin.get('/utilisateurs').expect(200);
  });

  it('rule: a form posted after the session expired leads, once signed in again, to the form’s own page (200), says the action was not recorded, records nothing, and the form sent again is recorded', async () => {
    const finance = await signedIn(dashboard.tokens.finance);
    const form = await finance.get('/antennes/montbeliard/enregistrer-depense').expect(200);
    const typed = { expenditureId: 'affiches-expirees', category: 'communication', amountCents: '80,00', description: 'Affiches', effectiveDate: '12/03/2024' };
    dashboard.advanceSessionClock(31 * 60_000);
    const head = await dashboard.store.headPosition();
    const refused = await finance
      .post('/antennes/montbeliard/enregistrer-depense')
      .type('form')
      .send({ _csrf: csrfOf(form.text), _revisions: revisionsOf(form.text), ...typed })
      .expect(303);
    // The form's address answers POST and GET (the form page): the sign-in leads back there, never to a 405.
    expect(refused.headers.location).toBe('/connexion?motif=formulaire-non-enregistre&retour=%2Fantennes%2Fmontbeliard%2Fenregistrer-depense');
    expect((await finance.get(refused.headers.location!).expect(200)).text).toContain(NOT_RECORDED);
    const landing = await signInAgain(finance, refused.headers.location!, dashboard.tokens.finance);
    expect(landing).toBe('/antennes/montbeliard/enregistrer-depense');
    const again = await finance.get(landing).expect(200);
    expect(await dashboard.store.headPosition()).toBe(head);
    // The new session's form token works: the action sent again is recorded, once.
    await finance
      .post(landing)
      .type('form')
      .send({ _csrf: csrfOf(again.text), _revisions: revisionsOf(again.text), ...typed })
      .expect(303)
      .expect('Location', /^\/antennes\/montbeliard\?apres=\d+#confirmation$/);
    expect(await dashboard.store.headPosition()).toBeGreaterThan(head);
    // A form posted by a browser that holds no session at all (signed out in another tab) is not recorded either.
    const stranger = await request(http()).post('/programme/deposer-candidature').type('form').send({ callId: 'ami-2' }).expect(303);
    expect(stranger.headers.location).toBe('/connexion?motif=formulaire-non-enregistre&retour=%2Fprogramme%2Fdeposer-candidature');
    // A file sent by an upload form: back to the upload page.
    const upload = await request(http()).post('/antennes/montbeliard/import').field('_csrf', 'jeton-du-formulaire').attach('fichier', Buffer.from('Libellé;Montant\n'), 'depenses.csv').expect(303);
    expect(upload.headers.location).toBe('/connexion?motif=formulaire-non-enregistre&retour=%2Fantennes%2Fmontbeliard%2Fimport');
  });

  it('rule: a form opened with a choice in its address (« Annuler » on an expenditure: ?depense=…) leads back, once signed in again, to that form with that choice; a Referer of another host or page keeps only the form’s address', async () => {
    const finance = await signedIn(dashboard.tokens.finance);
    const expenditure = /annuler-depense\?depense=([^"&]+)/.exec((await finance.get('/antennes/montbeliard').expect(200)).text)?.[1];
    expect(expenditure).toBeDefined();
    const shown = `/antennes/montbeliard/annuler-depense?depense=${expenditure}`;
    const form = await finance.get(shown).expect(200);
    dashboard.advanceSessionClock(31 * 60_000);
    const head = await dashboard.store.headPosition();
    const post = (referer: string) =>
      request(http()).post('/antennes/montbeliard/annuler-depense').set('Host', 'jalon.test').set('Referer', referer).type('form').send({ _csrf: csrfOf(form.text), reason: 'Erreur' }).expect(303);
    const retourOf = async (referer: string) => new URL((await post(referer)).headers.location!, 'http://jalon.test').searchParams.get('retour');

    expect(await retourOf(`http://jalon.test${shown}`)).toBe(shown);
    // Another host's page at the same path, or another page of this one: the form's own address only.
    expect(await retourOf(`https://evil.example${shown}`)).toBe('/antennes/montbeliard/annuler-depense');
    expect(await retourOf('http://jalon.test/antennes/montbeliard?depense=autre')).toBe('/antennes/montbeliard/annuler-depense');
    // Signed in again, the form opens with the expenditure chosen; nothing was recorded.
    const refused = await finance.post('/antennes/montbeliard/annuler-depense').set('Host', 'jalon.test').set('Referer', `http://jalon.test${shown}`).type('form').send({ _csrf: csrfOf(form.text) }).expect(303);
    const landing = await signInAgain(finance, refused.headers.location!, dashboard.tokens.finance);
    expect(landing).toBe(shown);
    expect((await finance.get(landing).expect(200)).text).toMatch(new RegExp(`<option value="${expenditure}"[^>]* selected`));
    expect(await dashboard.store.headPosition()).toBe(head);
  });

  it('rule: a form posted from a session ended by a deactivation (or a revoked token) says both why the session ended and that the action was not recorded, and records nothing', async () => {
    const { token } = await dashboard.app.get(IdentityService).addUser({ name: 'Léa Morel', role: 'finance' }, SYSTEM_ACTOR);
    const lea = await signedIn(token);
    const form = await lea.get('/antennes/montbeliard/enregistrer-depense').expect(200);
    const admin = await signedIn(dashboard.tokens.admin);
    const csrf = csrfOf((await admin.get('/utilisateurs').expect(200)).text);
    await admin.post('/utilisateurs/lea-morel/desactiver').type('form').send({ _csrf: csrf }).expect(303);
    const head = await dashboard.store.headPosition();

    const refused = await lea
      .post('/antennes/montbeliard/enregistrer-depense')
      .type('form')
      .send({ _csrf: csrfOf(form.text), _revisions: revisionsOf(form.text), expenditureId: 'affiches-revoquees', category: 'communication', amountCents: '80,00', description: 'Affiches', effectiveDate: '12/03/2024' })
      .expect(303);

    expect(refused.headers.location).toBe('/connexion?motif=revoquee-formulaire-non-enregistre&retour=%2Fantennes%2Fmontbeliard%2Fenregistrer-depense');
    const page = (await lea.get(refused.headers.location!).expect(200)).text;
    expect(page).toContain('Votre session a pris fin : votre jeton d’accès a été révoqué ou remplacé, ou votre compte désactivé. Votre action n’a pas été enregistrée.');
    expect(await dashboard.store.headPosition()).toBe(head);
  });

  it('rule: « Se déconnecter » sent after the session expired lands on the sign-in page saying the person is signed out, not that an action was lost', async () => {
    const finance = await signedIn(dashboard.tokens.finance);
    const page = await finance.get('/programme').expect(200);
    dashboard.advanceSessionClock(31 * 60_000);

    const out = await finance.post('/deconnexion').type('form').send({ _csrf: csrfOf(page.text) }).expect(303);

    // Exactly where a sign-out from a live session leads (web.http.spec.ts).
    expect(out.headers.location).toBe('/connexion?motif=deconnexion');
    const signIn = (await finance.get(out.headers.location!).expect(200)).text;
    expect(signIn).toContain('Vous êtes déconnecté.');
    expect(signIn).not.toContain('n’a pas été enregistrée');
    // Still signed out: the dashboard asks to sign in.
    expect((await finance.get('/programme').expect(303)).headers.location).toBe('/connexion?motif=requise&retour=%2Fprogramme');
  });

  it('rule: an action with no page of its own leads, after signing in, to the page the form was on (a Referer of this dashboard, never another site’s), else the page above it', async () => {
    const admin = await signedIn(dashboard.tokens.admin);
    const csrf = csrfOf((await admin.get('/utilisateurs').expect(200)).text);
    dashboard.advanceSessionClock(31 * 60_000);
    const head = await dashboard.store.headPosition();
    const post = (referer?: string) => {
      const sent = request(http()).post('/utilisateurs/julien-bernard/desactiver').set('Host', 'jalon.test');
      return (referer ? sent.set('Referer', referer) : sent).type('form').send({ _csrf: csrf }).expect(303);
    };
    const retourOf = async (referer?: string) => new URL((await post(referer)).headers.location!, 'http://jalon.test').searchParams.get('retour');
    // The page the form was on, on this host, with its query.
    expect(await retourOf('http://jalon.test/programme?asOf=2023-07-31')).toBe('/programme?asOf=2023-07-31');
    // Another site's page, an address of this site that answers only POST, a sign-in page, no Referer: the users' page above the action.
    for (const referer of ['https://evil.example/programme', 'http://jalon.test.evil.example/programme', 'http://jalon.test/utilisateurs/zoe/nouveau-jeton', 'http://jalon.test/connexion', 'javascript:alert(1)', undefined]) {
      expect([referer, await retourOf(referer)]).toEqual([referer, '/utilisateurs']);
    }
    // The admin, signed in again, lands there with 200; nothing was recorded.
    const refused = await admin.post('/utilisateurs/julien-bernard/desactiver').set('Referer', 'http://evil.example/programme').type('form').send({ _csrf: csrf }).expect(303);
    expect(refused.headers.location).toBe('/connexion?motif=formulaire-non-enregistre&retour=%2Futilisateurs');
    const landing = await signInAgain(admin, refused.headers.location!, dashboard.tokens.admin);
    expect(landing).toBe('/utilisateurs');
    expect((await admin.get(landing).expect(200)).text).toContain('<tr id="utilisateur-julien-bernard">');
    expect(await dashboard.store.headPosition()).toBe(head);
  });
});
