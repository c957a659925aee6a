import request from 'supertest';
import { DashboardUnderTest, Role, startDashboard } from '../../../test/browser/dashboard-under-test';
import { csrfOf } from '../../../test/support/forms';

/**
 * What the programme and antenna pages say about the demo history (issue 12): learners are the
 * latest headcount, inaugurations are counted against the target, each budget revision shows what
 * it moved per year and category, a write's confirmation comes first, and every page links to the
 * accessibility statement, which needs no session.
 */

/** A page's text as read: tags dropped, every kind of space (no-break, narrow) one plain space; minus signs kept as they are (U+2212 is read « moins », `-` « tiret »). */
function textOf(markup: string): string {
  return markup
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#39;|&rsquo;/g, '’')
    .replace(/[\u00a0\u202f\s]+/g, ' ');
}

describe('programme figures and accessibility pages over HTTP', () => {
  let dashboard: DashboardUnderTest;

  beforeAll(async () => {
    dashboard = await startDashboard();
  }, 30_000);
  afterAll(async () => {
    await dashboard.close();
  });

  const http = () => dashboard.app.getHttpServer();

  const as = (role: Role) => dashboard.signedIn(role);

  it('rule: the programme page counts inaugurated antennas against the target beside the opened ones, and learners as the latest headcount (120, not 45 + 120)', async () => {
    const programme = await dashboard.readWhenCaughtUp('auditor', '/programme', (response) => response.status === 200 && textOf(response.text).includes('Antennes ouvertes 1 / 100'));
    expect(programme.status).toBe(200);
    const page = textOf(programme.text);
    expect(page).toContain('Antennes ouvertes 1 / 100');
    expect(page).toContain('Antennes inaugurées 1 / 100 1,00 % de l’objectif ; 1 inaugurée(s) au plus tard le 31/12/2022');
    expect(page).toContain('Apprenants (dernier effectif déclaré) 120 Effectif du dernier mois déclaré par chaque antenne');
    expect(page).not.toContain('165');
  });

  it('rule: before the 2023-06 report the learner figure is June 2022’s headcount (as of 2023-01-01: 45)', async () => {
    const page = textOf((await (await as('auditor')).get('/programme?asOf=01%2F01%2F2023').expect(200)).text);
    expect(page).toContain('Apprenants (dernier effectif déclaré) 45');
  });

  it('rule: the antenna page shows each budget revision with what it moved per year and category (786 000 € → 786 000 € hides Locaux −10 000 € and Enseignement +10 000 €)', async () => {
    const markup = (await (await as('auditor')).get('/antennes/montbeliard').expect(200)).text;
    const page = textOf(markup);
    expect(page).toContain('Révision n° 1 du 15/11/2022');
    expect(page).toContain('786 000,00 € → 786 000,00 €, variation 0,00 €');
    expect(page).toContain('Locaux 2023 50 000,00 € → 40 000,00 € ( \u221210 000,00 € )');
    expect(page).not.toMatch(/\(\s*-\d/); // never the hyphen-minus, read « tiret »
    expect(page).toContain('Enseignement 2023 40 000,00 € → 50 000,00 € ( +10 000,00 € )');
    // The same detail as a table, for reading cell by cell.
    expect(markup).toContain('id="table-revisions-categories"');
  });

  it('rule: after a write the redirect targets the confirmation, a status region first in the main content', async () => {
    const finance = await as('finance');
    const form = await finance.get('/antennes/montbeliard/enregistrer-depense').expect(200);
    const revisions = /name="_revisions" value="([^"]*)"/.exec(form.text)?.[1] ?? '';
    const written = await finance
      .post('/antennes/montbeliard/enregistrer-depense')
      .type('form')
      .send({ _csrf: csrfOf(form.text), _revisions: revisions, expenditureId: 'affiches-2024', category: 'communication', amountCents: '120,00', description: 'Affiches', effectiveDate: '12/03/2024' })
      .expect(303);
    expect(written.headers.location).toMatch(/^\/antennes\/montbeliard\?apres=\d+#confirmation$/);
    const page = (await finance.get(written.headers.location!.replace(/#.*$/, '')).expect(200)).text;
    const main = page.slice(page.indexOf('<main'));
    expect(main).toMatch(/^<main id="contenu" tabindex="-1">\s*<div class="conteneur"><div class="alerte succes confirmation" id="confirmation" role="status" tabindex="-1"><p>La dépense a été enregistrée\.<\/p>/);
    // Shown once: a reload does not show it again.
    expect((await finance.get('/antennes/montbeliard').expect(200)).text).not.toContain('id="confirmation"');
  });

  it('rule: the accessibility statement needs no session, and every page, signed in or not, links to it from its footer', async () => {
    const statement = await request(http()).get('/accessibilite').expect(200);
    expect(textOf(statement.text)).toContain('Le tableau de bord Jalon est partiellement conforme avec le référentiel général d’amélioration de l’accessibilité (RGAA), version 4.1');
    const footerLink = /<footer[\s\S]*<a href="\/accessibilite">Déclaration d’accessibilité<\/a>/;
    expect(statement.text).toMatch(footerLink);
    expect((await request(http()).get('/connexion').expect(200)).text).toMatch(footerLink);
    const admin = await as('admin');
    for (const path of ['/programme', '/antennes/montbeliard', '/financements', '/financements/echeancier', '/integrite', '/utilisateurs', '/antennes/montbeliard/verser-tranche']) {
      expect((await admin.get(path).expect(200)).text).toMatch(footerLink);
    }
    expect((await admin.get('/nulle-part').expect(404)).text).toMatch(footerLink);
  });
});
