import request from 'supertest';
import { DashboardUnderTest, Role, startDashboard } from '../../../test/browser/dashboard-under-test';
import { csrfOf } from '../../../test/support/forms';

/** The dashboard's spreadsheet import, over HTTP as a browser without script sends it (a multipart form). */
describe('dashboard spreadsheet import', () => {
  let dashboard: DashboardUnderTest;

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

  /** Sends the page's form with a file and « Vérifier » or « Importer ». */
  async function upload(role: Role, file: string, action: 'verifier' | 'importer', status: number, fields: Record<string, string> = { kind: 'expenditures' }): Promise<request.Response> {
    const agent = await as(role);
    const page = await agent.get('/antennes/montbeliard/import').expect(200);
    // The session's token first, as a browser sends the form's hidden field.
    let post = agent.post(actionOf(page.text)).field('_csrf', csrfOf(page.text)).field('_action', action);
    for (const [name, value] of Object.entries(fields)) post = post.field(name, value);
    return post.attach('file', Buffer.from(file, 'utf8'), { filename: 'depenses.csv', contentType: 'text/csv' }).expect(status);
  }

  it('rule: the page offers the templates, the file field, « Vérifier » and « Importer », and the antenna page links to it', async () => {
    const agent = await as('finance');
    const antenna = await dashboard.readWhenCaughtUp('finance', '/antennes/montbeliard');
    expect(antenna.status).toBe(200);
    expect(antenna.text).toContain('href="/antennes/montbeliard/import"');
    const page = await agent.get('/antennes/montbeliard/import').expect(200);
    expect(page.text).toContain('<input type="file" id="fichier" name="file"');
    // The token travels in the body, as a hidden field before the file, never in the address.
    expect(actionOf(page.text)).toBe('/antennes/montbeliard/import');
    const form = page.text.slice(page.text.indexOf('enctype="multipart/form-data"'));
    expect(form.indexOf('name="_csrf"')).toBeGreaterThan(0);
    expect(form.indexOf('name="_csrf"')).toBeLessThan(form.indexOf('name="file"'));
    expect(page.text).toContain('value="verifier" class="secondaire">Vérifier</button>');
    expect(page.text).toContain('value="importer">Importer</button>');
    expect(page.text).not.toContain('<script');
    const template = await agent.get('/import/modeles/jalon-modele-depenses.csv').expect(200);
    expect(template.headers['content-disposition']).toBe('attachment; filename="jalon-modele-depenses.csv"');
    expect(template.text).toContain('Identifiant;Date;Catégorie;Montant;Description;Accord de financement');
    await agent.get('/import/modeles/autre.xlsx').expect(404);
  });

  it('rule: « Vérifier » and « Importer » with three bad rows list the three rows by line and column, and write nothing', async () => {
    const file = 'Identifiant;Date;Catégorie;Montant;Description\nloyer-2024-t1;31/01/2024;Locaux;30.000,00;Loyer\nloyer-2024-t2;31/02/2024;Locaux;4 500,00;Loyer\nloyer-2024-t3;01/03/2024;Fournitures;4 500,00;Loyer\n';
    const before = await eventCount();
    for (const action of ['verifier', 'importer'] as const) {
      const response = await upload('finance', file, action, 422);
      expect(response.text).toContain('Le tableur comporte 3 problèmes : rien n’a été enregistré');
      expect(response.text).toContain('<tr><td>2</td><td>Montant</td><td>30.000,00 n’est pas un montant en euros (ex. 30 000,00)</td>');
      expect(response.text).toContain('<tr><td>3</td><td>Date</td><td>le 31/02/2024 n’existe pas dans le calendrier</td>');
      expect(response.text).toContain('<tr><td>4</td><td>Catégorie</td>');
    }
    expect(await eventCount()).toBe(before);
  });

  it('rule: « Vérifier » writes nothing; « Importer » records the rows and says so; the same file again writes nothing', async () => {
    const file = 'Identifiant;Date;Catégorie;Montant;Description\nloyer-2024-t1;31/01/2024;Locaux;4 500,00;Loyer de janvier\n';
    const before = await eventCount();
    const checked = await upload('programme-manager', file, 'verifier', 200);
    expect(checked.text).toContain('Vérification réussie : rien n’a été enregistré');
    expect(await eventCount()).toBe(before);
    const done = await upload('programme-manager', file, 'importer', 303);
    expect(done.headers.location).toMatch(/^\/antennes\/montbeliard\?apres=\d+#confirmation$/);
    const page = await (await as('programme-manager')).get(done.headers.location!.replace(/#.*$/, '')).expect(200);
    expect(page.text).toContain('Le tableur depenses.csv a été importé : 1 ligne, 1 fait enregistré.');
    expect(await eventCount()).toBe(before + 1);
    await upload('programme-manager', file, 'importer', 303);
    expect(await eventCount()).toBe(before + 1);
  });

  it('rule: a revision reason over 1 000 characters is refused naming the rule, never cut and recorded', async () => {
    const file = 'Année;Catégorie;Montant\n2024;Autres;1 234,00\n';
    const before = await eventCount();
    for (const action of ['verifier', 'importer'] as const) {
      const response = await upload('finance', file, action, 422, { kind: 'budget', effectiveDate: '01/03/2024', reason: 'r'.repeat(1001) });
      expect(response.text).toContain('Motif de la révision');
      expect(response.text).toContain('1000 caractères au plus');
    }
    expect(await eventCount()).toBe(before);
  });

  it('rule: an auditor has no import page and cannot post one; a post without the session’s token is refused', async () => {
    const auditor = await as('auditor');
    await auditor.get('/antennes/montbeliard/import').expect(403);
    const antenna = await auditor.get('/antennes/montbeliard').expect(200);
    expect(antenna.text).not.toContain('/antennes/montbeliard/import');
    const before = await eventCount();
    const csrf = csrfOf(antenna.text);
    await auditor.post('/antennes/montbeliard/import').field('_csrf', csrf).field('kind', 'expenditures').attach('file', Buffer.from('x'), 'x.csv').expect(403);
    const finance = await as('finance');
    await finance.post('/antennes/montbeliard/import').field('kind', 'expenditures').attach('file', Buffer.from('x'), 'x.csv').expect(403);
    expect(await eventCount()).toBe(before);
  });

  it('rule: an upload’s anti-forgery token counts only in the form’s body, before the file: one in the address only, a wrong one, or one after the file is refused (403 AUTH.CSRF) and writes nothing', async () => {
    const file = 'Identifiant;Date;Catégorie;Montant;Description\nloyer-2024-t0;15/01/2024;Locaux;4 500,00;Caution\n';
    const finance = await as('finance');
    const page = await finance.get('/antennes/montbeliard/import').expect(200);
    const csrf = csrfOf(page.text);
    expect(csrf).not.toBe('');
    const sheet = () => ({ bytes: Buffer.from(file, 'utf8'), name: 'depenses.csv' });
    const before = await eventCount();
    const refusals = [
      // The session's own token, but in the address (as the form used to send it): proxies' logs and histories keep addresses.
      finance.post(`/antennes/montbeliard/import?_csrf=${encodeURIComponent(csrf)}`).field('_action', 'importer').field('kind', 'expenditures'),
      finance.post('/antennes/montbeliard/import').field('_csrf', 'faux').field('_action', 'importer').field('kind', 'expenditures'),
      finance.post('/antennes/montbeliard/import').field('_csrf', '').field('_action', 'importer').field('kind', 'expenditures'),
    ];
    for (const post of refusals) {
      const refused = await post.attach('file', sheet().bytes, sheet().name).expect(403);
      expect(refused.text).toContain('Ce formulaire a expiré ou ne provient pas de Jalon.');
      expect(refused.text).toContain('AUTH.CSRF');
    }
    // The right token after the file: the file would be read before the token is known.
    await finance.post('/antennes/montbeliard/import').field('_action', 'importer').field('kind', 'expenditures').attach('file', sheet().bytes, sheet().name).field('_csrf', csrf).expect(403);
    expect(await eventCount()).toBe(before);
    // The same upload with the token in the body, first: recorded.
    await finance.post('/antennes/montbeliard/import').field('_csrf', csrf).field('_action', 'importer').field('kind', 'expenditures').attach('file', sheet().bytes, sheet().name).expect(303);
    expect(await eventCount()).toBe(before + 1);
  });
});
