import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, chromiumIsInstalled, DashboardUnderTest, launchChromium, newFrenchContext, signIn, startDashboard } from './dashboard-under-test';
import { fr } from '../../libs/reporting/src/testing/french-spaces';

/**
 * The whole life of a NEW antenna through the dashboard only, each fact through its form, as the
 * people allowed to record it (a programme manager, a finance officer): a call opened, a
 * candidacy submitted with partners added row by row, selected, its antenna opened, a phase
 * planned, rescheduled and started, a milestone, the inauguration, a budget forecast set and
 * revised, a funding commitment with three tranches, a tranche released and received, an
 * expenditure, learners reported, the antenna suspended and resumed, the call closed, the antenna
 * closed. Identifiers are never typed: each is proposed from the name it belongs to.
 */
const required = process.env.JALON_BROWSER_TESTS === 'required';

if (!chromiumIsInstalled() && !required) {
  describe('the life of a new antenna, through the dashboard only', () => {
    it(`browser tests: not run because ${CHROMIUM} is missing (install the chromium package)`, () => {
      expect(chromiumIsInstalled()).toBe(false);
    });
  });
} else {
  describe('the life of a new antenna, through the dashboard only', () => {
    let dashboard: DashboardUnderTest;
    let browser: Browser;
    const contexts: BrowserContext[] = [];

    beforeAll(async () => {
      if (!chromiumIsInstalled()) throw new Error(`JALON_BROWSER_TESTS=required but ${CHROMIUM} is missing: install the chromium package`);
      [dashboard, browser] = await Promise.all([startDashboard(), launchChromium()]);
    }, 60_000);
    afterAll(async () => {
      for (const context of contexts) await context.close();
      await browser?.close();
      await dashboard?.close();
    });

    async function personSignedIn(role: 'programme-manager' | 'finance'): Promise<Page> {
      const context = await newFrenchContext(browser);
      contexts.push(context);
      const page = await context.newPage();
      await signIn(page, dashboard, role, '/programme');
      return page;
    }

    /** Opens a form from the « Saisir un fait » menu of the page the person is on. */
    async function openForm(page: Page, title: string): Promise<void> {
      await page.locator('nav[aria-label="Saisir un fait"]').getByRole('link', { name: title, exact: true }).click();
      await page.waitForLoadState('domcontentloaded');
      expect(await page.locator('h1').textContent()).toBe(title);
    }

    /** Records the form with its button and checks the page says it was recorded. */
    async function record(page: Page, button: string, done: string): Promise<void> {
      await page.getByRole('button', { name: button, exact: true }).click();
      await page.waitForLoadState('domcontentloaded');
      const flash = await page.locator('.alerte.succes').textContent().catch(() => null);
      if (flash === null || !flash.includes(done)) {
        const errors = await page.locator('.alerte.erreur').allTextContents();
        throw new Error(`« ${button} » was not recorded: ${errors.join(' | ') || (await page.locator('main').textContent())}`);
      }
    }

    const fill = (page: Page, control: string, value: string) => page.locator(`#champ-${control.replace(/[^A-Za-z0-9_-]/g, '-')}`).fill(value);
    const choose = (page: Page, control: string, value: string) => page.locator(`#champ-${control.replace(/[^A-Za-z0-9_-]/g, '-')}`).selectOption(value);
    /** The text of an element (amounts with their French spaces: compare with `fr(…)`). */
    const text = async (page: Page, selector: string) => (await page.locator(selector).textContent()) ?? '';
    const addRow = (page: Page, list: string) => page.locator(`button[name="_action"][value="ajouter:${list}"]`).click();

    it('walks a new antenna from its call for applications to its closing, each fact through its form, and the pages show each result', async () => {
      const manager = await personSignedIn('programme-manager');

      // A call for applications, its identifier proposed from its title.
      await openForm(manager, 'Ouvrir un appel à manifestation d’intérêt');
      await fill(manager, 'title', 'AMI 2024 des villes moyennes');
      await fill(manager, 'number', '5');
      await fill(manager, 'opensOn', '08/01/2024');
      await fill(manager, 'closesOn', '30/06/2024');
      await fill(manager, 'criteria', 'Dynamique partenariale locale\nBesoins du bassin d’emploi');
      await fill(manager, 'effectiveDate', '08/01/2024');
      await record(manager, 'Ouvrir l’appel', 'L’appel a été ouvert.');

      // A candidacy to it: only open calls are offered; partners added row by row, without script.
      await openForm(manager, 'Déposer une candidature');
      const calls = await manager.locator('#champ-callId option').evaluateAll((options) => options.map((option) => (option as unknown as { value: string }).value));
      expect(calls).toContain('ami-2024-des-villes-moyennes');
      await choose(manager, 'callId', 'ami-2024-des-villes-moyennes');
      await fill(manager, 'territory.name', 'Pays de Langres');
      await choose(manager, 'territory.kind', 'agglomeration');
      await fill(manager, 'territory.region', 'Grand Est');
      await manager.locator('#champ-territory-actionCoeurDeVille').check();
      await fill(manager, 'partners.0.name', 'Ville de Langres');
      await choose(manager, 'partners.0.kind', 'local-authority');
      await addRow(manager, 'partners');
      expect(await manager.locator('#champ-partners-0-name').inputValue()).toBe('Ville de Langres');
      await fill(manager, 'partners.1.name', 'Lycée Diderot');
      await choose(manager, 'partners.1.kind', 'training-provider');
      await addRow(manager, 'partners');
      await fill(manager, 'partners.2.name', 'Partenaire en trop');
      await manager.locator('button[name="_action"][value="retirer:partners.2"]').click();
      expect(await manager.locator('#champ-partners-2-name').count()).toBe(0);
      await fill(manager, 'trainingNeeds', 'Remise à niveau\nIndustrie et maintenance');
      await fill(manager, 'projectedBudgetCents', '450 000,00');
      await fill(manager, 'effectiveDate', '15/01/2024');
      await record(manager, 'Déposer la candidature', 'La candidature a été déposée.');
      expect(await text(manager, '#candidatures')).toContain('Pays de Langres');

      const candidacyId = 'ami-2024-des-villes-moyennes--pays-de-langres';
      await openForm(manager, 'Retenir une candidature');
      await choose(manager, 'candidacyId', candidacyId);
      await fill(manager, 'criteria', 'Dynamique partenariale locale');
      await fill(manager, 'effectiveDate', '25/01/2024');
      await record(manager, 'Retenir la candidature', 'La candidature a été retenue.');

      await openForm(manager, 'Ouvrir une antenne');
      await choose(manager, 'candidacyId', candidacyId);
      await fill(manager, 'name', 'Cnam Langres');
      await fill(manager, 'town', 'Langres');
      await fill(manager, 'effectiveDate', '01/02/2024');
      await record(manager, 'Ouvrir l’antenne', 'L’antenne a été ouverte.');
      expect(manager.url()).toMatch(/\/antennes\/cnam-langres\?apres=\d+#confirmation$/);
      expect(await manager.locator('h1').textContent()).toBe('Cnam Langres');

      await openForm(manager, 'Planifier une phase');
      await fill(manager, 'name', 'Accueil et orientation');
      await fill(manager, 'site', 'Médiathèque');
      await fill(manager, 'plannedStart', '05/02/2024');
      await fill(manager, 'plannedEnd', '30/06/2024');
      await fill(manager, 'effectiveDate', '02/02/2024');
      await record(manager, 'Planifier la phase', 'La phase a été planifiée.');

      await openForm(manager, 'Replanifier une phase');
      expect(await manager.locator('#champ-phaseId').inputValue()).toBe('accueil-et-orientation');
      await fill(manager, 'plannedStart', '12/02/2024');
      await fill(manager, 'plannedEnd', '31/07/2024');
      await fill(manager, 'reason', 'Travaux de la médiathèque prolongés');
      await fill(manager, 'effectiveDate', '05/02/2024');
      await record(manager, 'Replanifier la phase', 'La phase a été replanifiée.');

      await openForm(manager, 'Démarrer une phase');
      await fill(manager, 'effectiveDate', '12/02/2024');
      await record(manager, 'Enregistrer le démarrage', 'Le démarrage de la phase a été enregistré.');

      await openForm(manager, 'Enregistrer un jalon');
      await fill(manager, 'name', 'Premier module à distance ouvert');
      await fill(manager, 'effectiveDate', '20/02/2024');
      await record(manager, 'Enregistrer le jalon', 'Le jalon a été enregistré.');
      const phases = await text(manager, '#phases');
      expect(phases).toContain('Accueil et orientation');
      expect(phases).toContain('31/07/2024');

      await openForm(manager, 'Enregistrer l’inauguration');
      await fill(manager, 'place', 'Médiathèque de Langres');
      await fill(manager, 'effectiveDate', '22/02/2024');
      await record(manager, 'Enregistrer l’inauguration', 'L’inauguration a été enregistrée.');
      expect(await text(manager, '#synthese')).toContain('22/02/2024, Médiathèque de Langres');

      // Budget and funding: a finance officer.
      const finance = await personSignedIn('finance');
      await finance.goto(`${dashboard.url}/antennes/cnam-langres`);
      await openForm(finance, 'Établir le budget prévisionnel');
      await fill(finance, 'lines.0.year', '2024');
      await choose(finance, 'lines.0.category', 'staff');
      await fill(finance, 'lines.0.amountCents', '120 000,00');
      await addRow(finance, 'lines');
      await fill(finance, 'lines.1.year', '2024');
      await choose(finance, 'lines.1.category', 'premises');
      await fill(finance, 'lines.1.amountCents', '30 000,00');
      await addRow(finance, 'lines');
      await fill(finance, 'lines.2.year', '2025');
      await choose(finance, 'lines.2.category', 'staff');
      await fill(finance, 'lines.2.amountCents', '125 000,00');
      await fill(finance, 'effectiveDate', '23/02/2024');
      await record(finance, 'Enregistrer le budget', 'Le budget prévisionnel a été enregistré.');
      expect(await text(finance, '#synthese')).toContain(fr('275 000,00 €'));

      // A revision restates the whole forecast: it opens on the lines in force, to change rather than retype.
      await openForm(finance, 'Réviser le budget prévisionnel');
      expect((await finance.locator('#champ-lines-2-amountCents').inputValue()).replace(/\s/g, '')).toBe('125000,00');
      await fill(finance, 'lines.0.amountCents', '110 000,00');
      await finance.locator('button[name="_action"][value="retirer:lines.1"]').click();
      expect(await finance.locator('#champ-lines-0-amountCents').inputValue()).toBe('110 000,00');
      expect(await finance.locator('#champ-lines-1-year').inputValue()).toBe('2025');
      expect(await finance.locator('#champ-lines-2-year').count()).toBe(0);
      await fill(finance, 'lines.1.amountCents', '130 000,00');
      await fill(finance, 'reason', 'Locaux mis à disposition par la ville');
      await fill(finance, 'effectiveDate', '26/02/2024');
      await record(finance, 'Enregistrer la révision', 'Le budget prévisionnel a été révisé.');
      expect(await text(finance, '#synthese')).toContain(fr('240 000,00 €'));

      await openForm(finance, 'Engager un financement');
      await fill(finance, 'funder', 'Banque des Territoires');
      await fill(finance, 'label', 'Amorçage Langres');
      await fill(finance, 'amountCents', '90 000,00');
      const tranches = [
        ['Première tranche', '01/03/2024'],
        ['Deuxième tranche', '01/09/2024'],
        ['Troisième tranche', '01/03/2025'],
      ] as const;
      for (const [index, [label, dueOn]] of tranches.entries()) {
        if (index > 0) await addRow(finance, 'tranches');
        await fill(finance, `tranches.${index}.label`, label);
        await fill(finance, `tranches.${index}.amountCents`, '30 000,00');
        await fill(finance, `tranches.${index}.dueOn`, dueOn);
      }
      await fill(finance, 'effectiveDate', '27/02/2024');
      await record(finance, 'Enregistrer l’engagement', 'L’engagement a été enregistré.');
      const agreement = finance.locator('#rapprochement-amorcage-langres-titre');
      expect(await agreement.textContent()).toContain('Amorçage Langres — Banque des Territoires');

      await openForm(finance, 'Verser une tranche');
      await choose(finance, 'tranche', 'amorcage-langres/premiere-tranche');
      await fill(finance, 'effectiveDate', '01/03/2024');
      await record(finance, 'Enregistrer le versement', 'Le versement de la tranche a été enregistré.');

      await openForm(finance, 'Constater la réception d’une tranche');
      expect(await finance.locator('#champ-tranche').inputValue()).toBe('amorcage-langres/premiere-tranche');
      await fill(finance, 'amountCents', '30 000,00');
      await fill(finance, 'bankReference', 'VIR-2024-0304');
      await fill(finance, 'effectiveDate', '04/03/2024');
      await record(finance, 'Enregistrer la réception', 'La réception de la tranche a été enregistrée.');
      const funding = await text(finance, '#financements');
      expect(funding).toContain(fr('30 000,00 € / 30 000,00 €'));

      await openForm(finance, 'Enregistrer une dépense');
      await choose(finance, 'category', 'staff');
      await fill(finance, 'amountCents', '12 500,00');
      await fill(finance, 'description', 'Coordination de l’antenne, février 2024');
      await choose(finance, 'fundingAgreementId', 'amorcage-langres');
      await fill(finance, 'effectiveDate', '05/03/2024');
      await record(finance, 'Enregistrer la dépense', 'La dépense a été enregistrée.');
      expect(await text(finance, '#synthese')).toContain(fr('12 500,00 €'));

      // Back to the programme manager: learners, suspension and resumption, the call closed, the antenna closed.
      await manager.goto(`${dashboard.url}/antennes/cnam-langres`);
      await openForm(manager, 'Déclarer les apprenants d’un mois');
      await fill(manager, 'period', '2024-02');
      await fill(manager, 'learners', '18');
      await fill(manager, 'effectiveDate', '06/03/2024');
      await record(manager, 'Enregistrer la déclaration', 'La déclaration a été enregistrée.');

      await openForm(manager, 'Suspendre l’antenne');
      await fill(manager, 'reason', 'Dégât des eaux dans la médiathèque');
      await fill(manager, 'effectiveDate', '07/03/2024');
      await record(manager, 'Suspendre l’antenne', 'L’antenne a été suspendue.');
      expect(await text(manager, '#synthese')).toContain('Dégât des eaux dans la médiathèque');

      await openForm(manager, 'Reprendre l’activité de l’antenne');
      await fill(manager, 'effectiveDate', '11/03/2024');
      await record(manager, 'Enregistrer la reprise', 'La reprise de l’antenne a été enregistrée.');

      await manager.goto(`${dashboard.url}/programme`);
      await openForm(manager, 'Clore un appel');
      await choose(manager, 'callId', 'ami-2024-des-villes-moyennes');
      await fill(manager, 'effectiveDate', '12/03/2024');
      await record(manager, 'Clore l’appel', 'L’appel a été clos.');
      // A closed call is no longer offered to a candidacy.
      await manager.goto(`${dashboard.url}/programme/deposer-candidature`);
      expect(await manager.locator('#champ-callId option[value="ami-2024-des-villes-moyennes"]').count()).toBe(0);

      await manager.goto(`${dashboard.url}/antennes/cnam-langres`);
      await openForm(manager, 'Fermer l’antenne');
      await fill(manager, 'reason', 'Regroupement avec le centre de Chaumont');
      await fill(manager, 'effectiveDate', '14/03/2024');
      await record(manager, 'Fermer l’antenne', 'L’antenne a été fermée.');
      expect(await text(manager, '#synthese')).toContain('Regroupement avec le centre de Chaumont');

      // The history tells the whole life, and a closed antenna's forms say why they cannot serve.
      const history = await text(manager, '#historique');
      for (const day of ['01/02/2024', '22/02/2024', '27/02/2024', '14/03/2024']) expect(history).toContain(day);
      await manager.goto(`${dashboard.url}/antennes/cnam-langres/planifier-phase`);
      expect(await text(manager, '#indisponible')).toContain('L’antenne a été fermée le 14/03/2024');
      expect(await manager.locator('form[action$="/planifier-phase"]').count()).toBe(0);
    }, 120_000);
  });
}
