import { verifyAuditExport } from '@jalon/event-store';
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, chromiumIsInstalled, DashboardUnderTest, launchChromium, newFrenchContext, signIn, startDashboard } from './dashboard-under-test';
import { fr } from '../../libs/reporting/src/testing/french-spaces';

/**
 * The web dashboard in a real browser (Debian's Chromium driven by playwright-core), on the demo
 * history. Without Chromium the suite says so in one test rather than skipping silently; in CI
 * (`JALON_BROWSER_TESTS=required`, set by .ci/run) a missing Chromium is a failure.
 */
const required = process.env.JALON_BROWSER_TESTS === 'required';

if (!chromiumIsInstalled() && !required) {
  describe('web dashboard in a browser', () => {
    it(`browser tests: not run because ${CHROMIUM} is missing (install the chromium package)`, () => {
      expect(chromiumIsInstalled()).toBe(false);
      console.warn(
        `Tests du tableau de bord dans un navigateur NON EXÉCUTÉS : ${CHROMIUM} est absent. ` +
          'Installez-le (apt-get install chromium) ou indiquez-en un autre avec JALON_CHROMIUM ; .ci/run les exige.',
      );
    });
  });
} else {
  describe('web dashboard in a browser', () => {
    let dashboard: DashboardUnderTest;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;

    beforeAll(async () => {
      if (!chromiumIsInstalled()) throw new Error(`JALON_BROWSER_TESTS=required but ${CHROMIUM} is missing: install the chromium package`);
      [dashboard, browser] = await Promise.all([startDashboard({ integrity: true }), launchChromium()]);
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
      await dashboard?.close();
    });
    beforeEach(async () => {
      context = await newFrenchContext(browser);
      page = await context.newPage();
    });
    afterEach(async () => {
      await context.close();
    });

    const antenna = () => `${dashboard.url}/antennes/montbeliard`;
    const trancheRow = (name: string) => page.locator('#rapprochement-bdt-amorcage-montbeliard tbody tr', { has: page.locator('th', { hasText: name }) });

    it('signs in with an API token (an unknown one is refused), offers a skip link to the keyboard, and the session expires', async () => {
      await page.goto(`${dashboard.url}/antennes/montbeliard`);
      expect(page.url()).toContain('/connexion');
      expect(await page.locator('html').getAttribute('lang')).toBe('fr');
      await page.getByLabel('Jeton d’accès').fill('jalon_inconnu');
      await page.getByRole('button', { name: 'Se connecter' }).click();
      expect(await page.locator('#erreur-jeton').textContent()).toContain('Ce jeton n’est pas reconnu');
      expect(await page.getByLabel('Jeton d’accès').getAttribute('aria-invalid')).toBe('true');

      await page.getByLabel('Jeton d’accès').fill(dashboard.tokens['programme-manager']);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await page.waitForURL('**/antennes/montbeliard');
      expect(await page.locator('.compte').textContent()).toContain('Claire Martin');
      const cookie = (await context.cookies()).find((c) => c.name === 'jalon_session');
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });

      await page.keyboard.press('Tab');
      expect(await page.evaluate('document.activeElement.textContent')).toBe('Aller au contenu');
      await page.keyboard.press('Enter');
      expect(page.url()).toContain('#contenu');

      dashboard.advanceSessionClock(31 * 60_000);
      await page.goto(`${dashboard.url}/financements`);
      expect(page.url()).toContain('/connexion?motif=expiree');
      expect(await page.getByRole('status').first().textContent()).toContain('Votre session a expiré');
    });

    it('shows the Montbéliard antenna of the demo history: phases (Gantt), budget per year (bars), funding reconciliation with its flags, history', async () => {
      await signIn(page, dashboard, 'programme-manager');
      expect(await page.locator('#antennes').textContent()).toContain('Cnam Montbéliard');
      await page.getByRole('link', { name: 'Cnam Montbéliard — Au cœur des territoires' }).click();
      await page.waitForURL('**/antennes/montbeliard');

      expect(await page.locator('h1').textContent()).toBe('Cnam Montbéliard — Au cœur des territoires');
      expect(await page.locator('#synthese').textContent()).toContain('22/06/2022, Campus universitaire de Montbéliard');
      expect(await page.locator('#synthese').textContent()).toContain(fr('786 000,00 €'));

      const gantt = page.locator('#phases svg[role="img"]');
      expect(await gantt.locator('title').first().textContent()).toContain('Calendrier des phases');
      expect(await gantt.locator('desc').textContent()).toContain('Phase 1, Espace d’accueil');
      expect(await gantt.locator('desc').textContent()).toContain('plan actuel du 01/03/2023 au 31/12/2024');
      expect(await page.locator('#table-phases').textContent()).toContain('Terminée');
      expect(await page.locator('#table-phases').textContent()).toContain('En cours');

      const bars = page.locator('#budget svg[role="img"]');
      expect(await bars.locator('desc').textContent()).toContain(fr('2021 : prévisionnel 120 000,00 €, versé 40 000,00 €, dépensé 50 500,00 €.'));
      expect(await bars.locator('rect title').count()).toBe(12);

      expect(await trancheRow('Première tranche').textContent()).toMatch(/Reçue.*40\u202f000,00\u00a0€.*VIR-BDT-2021-0915/s);
      expect(await trancheRow('Troisième tranche').textContent()).toContain('Versement annulé');
      expect(await trancheRow('Troisième tranche').textContent()).toContain('Versement non reçu dans le délai');

      const history = await page.locator('#historique-table').textContent();
      expect(history).toContain('Antenne inaugurée');
      expect(history).toContain('Saisie en double de la facture de l’inauguration');
      expect(history).toContain('Service financier (démo)');
      expect(history).toMatch(/23\/06\/2022 11:00/); // recorded the next day at 09:00 UTC, shown in Paris time
    });

    it('shows server-side validation messages next to their fields, keeps what was typed and writes nothing', async () => {
      await signIn(page, dashboard, 'finance', '/antennes/montbeliard/enregistrer-depense');
      const head = await dashboard.store.headPosition();
      await page.getByLabel('Identifiant de la dépense').fill('Loyer Mars');
      await page.getByLabel('Catégorie').selectOption('premises');
      await page.getByLabel('Montant', { exact: false }).first().fill('douze cents euros');
      await page.getByLabel('Date de la dépense').fill('12/03/2024');
      await page.getByRole('button', { name: 'Enregistrer la dépense' }).click();

      expect(await page.title()).toContain('Erreur');
      expect(await page.locator('#resume-erreurs').textContent()).toContain('La saisie comporte 3 erreurs');
      const amount = page.locator('#champ-amountCents');
      expect(await amount.getAttribute('aria-invalid')).toBe('true');
      expect(await amount.getAttribute('aria-describedby')).toContain('erreur-champ-amountCents');
      expect(await page.locator('#erreur-champ-amountCents').textContent()).toContain('« douze cents euros » n’est pas un montant');
      expect(await amount.inputValue()).toBe('douze cents euros');
      expect(await page.locator('#erreur-champ-expenditureId').textContent()).toContain('minuscules, chiffres et tirets');
      expect(await page.locator('#erreur-champ-description').textContent()).toContain('Ce champ est obligatoire');
      expect(await page.getByLabel('Identifiant de la dépense').inputValue()).toBe('Loyer Mars');
      expect(await page.locator('#champ-effectiveDate').getAttribute('aria-invalid')).toBeNull();
      expect(await dashboard.store.headPosition()).toBe(head);

      // The summary links to the field.
      await page.locator('#resume-erreurs a', { hasText: 'Montant' }).click();
      expect(await page.evaluate('document.activeElement.id')).toBe('champ-amountCents');
    });

    it('records a tranche release that then shows in the reconciliation table (after reversing the standing one, with its reason)', async () => {
      await signIn(page, dashboard, 'finance', '/antennes/montbeliard');
      await trancheRow('Troisième tranche').getByRole('link', { name: 'Annuler le versement de Troisième tranche' }).click();
      await page.getByLabel('Motif').fill('Versement adressé au mauvais compte');
      await page.getByLabel('Date de l’annulation').fill('11/03/2024');
      await page.getByRole('button', { name: 'Annuler le versement' }).click();
      await page.waitForURL(/\/antennes\/montbeliard\?apres=\d+#confirmation$/);
      expect(await page.getByRole('status').first().textContent()).toContain('Le versement a été annulé.');
      expect(await trancheRow('Troisième tranche').textContent()).toContain('Versement annulé (de nouveau prévue)');

      await trancheRow('Troisième tranche').getByRole('link', { name: 'Verser Troisième tranche' }).click();
      expect(await page.getByLabel('Tranche').inputValue()).toBe('bdt-amorcage-montbeliard/tranche-3');
      await page.getByLabel('Date du versement').fill('12/03/2024');
      await page.getByRole('button', { name: 'Enregistrer le versement' }).click();
      await page.waitForURL(/\/antennes\/montbeliard\?apres=\d+#confirmation$/);
      expect(await page.getByRole('status').first().textContent()).toContain('Le versement de la tranche a été enregistré.');
      const row = await trancheRow('Troisième tranche').textContent();
      expect(row).toContain('Versée');
      expect(row).toContain(fr('30 000,00 €'));
      expect(row).toContain('le 12/03/2024');
      expect(await page.locator('#historique-table tbody tr').first().textContent()).toContain('Julien Bernard');
    });

    it('redraws the whole antenna page as of a date chosen with the "as of" control', async () => {
      await signIn(page, dashboard, 'programme-manager', '/antennes/montbeliard');
      await page.getByLabel('État au').fill('21/06/2022');
      await page.getByRole('button', { name: 'Afficher' }).click();
      await page.waitForURL(/asOf=21%2F06%2F2022/);
      expect(await page.locator('.bandeau-date').textContent()).toContain('telle qu’elle était le 21/06/2022');
      expect(await page.locator('#synthese').textContent()).toContain('pas encore inaugurée');
      expect(await page.locator('#phases svg text', { hasText: 'Au 21/06/2022' }).count()).toBe(1);
      expect(await page.locator('#table-phases').textContent()).not.toContain('Terminée');
      expect(await trancheRow('Deuxième tranche').textContent()).toContain('Prévue');
      expect(await page.locator('#historique-table').textContent()).not.toContain('Antenne inaugurée');
      expect(await page.locator('a[href*="/antennes/montbeliard/"]:not([href*="/justificatifs"])').count()).toBe(0); // no form on the past

      await page.getByLabel('État au').fill('22/06/2022');
      await page.getByRole('button', { name: 'Afficher' }).click();
      await page.waitForURL(/asOf=22%2F06%2F2022/);
      expect(await page.locator('#synthese').textContent()).toContain('22/06/2022, Campus universitaire de Montbéliard');
      expect(await page.locator('#historique-table').textContent()).toContain('Antenne inaugurée');

      await page.getByRole('link', { name: 'Revenir à aujourd’hui' }).click();
      expect(await page.locator('.bandeau-date').count()).toBe(0);
    });

    it('lets an auditor see every page and no write form; a write is refused with 403', async () => {
      await signIn(page, dashboard, 'auditor', '/programme');
      expect(await page.locator('.compte').textContent()).toContain('Audit');
      expect(await page.getByRole('link', { name: 'Déposer une candidature' }).count()).toBe(0);
      for (const path of ['/programme', '/antennes/montbeliard', '/financements']) {
        const response = await page.goto(`${dashboard.url}${path}`);
        expect(response?.status()).toBe(200);
        expect(await page.locator('main form[method="post"]').count()).toBe(0);
        expect(await page.locator('a[href*="/antennes/montbeliard/"]:not([href*="/justificatifs"]), a[href^="/programme/"]').count()).toBe(0);
      }
      expect(await page.locator('#table-accords').textContent()).toContain('Enveloppe d’amorçage');

      const form = await page.goto(`${antenna()}/verser-tranche`);
      expect(form?.status()).toBe(403);
      expect(await page.locator('main').textContent()).toContain('Votre rôle (Audit) ne permet pas cette action');

      const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
      const head = await dashboard.store.headPosition();
      const post = await page.request.post(`${antenna()}/verser-tranche`, {
        form: { _csrf: csrf, tranche: 'bdt-amorcage-montbeliard/tranche-3', effectiveDate: '12/03/2024' },
      });
      expect(post.status()).toBe(403);
      expect(await dashboard.store.headPosition()).toBe(head);
    });

    it('shows the log’s integrity (verification, seal, public key) and downloads verifiable exports that verify-export accepts, at 320 px without overflow', async () => {
      await signIn(page, dashboard, 'auditor', '/programme');
      await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Intégrité du journal' }).click();
      await page.waitForURL('**/integrite');
      expect(await page.locator('h1').textContent()).toBe('Intégrité du journal');
      expect(await page.getByRole('alert').count()).toBe(0);
      const verification = await page.locator('#verification').textContent();
      expect(verification).toContain('Intact');
      expect(verification).toContain('15/03/2024 à 11:00');
      expect(verification).toContain(`Jusqu’à la position${await dashboard.store.headPosition()}`);
      expect(await page.locator('#sceau').textContent()).toMatch(/les \d+ premiers événements du journal/);
      const publicKey = (await page.locator('#cle-publique').textContent())!.trim();
      expect(await page.locator('#commande-verification').textContent()).toBe(`jalon verify-export FICHIER --public-key ${publicKey}`);

      const [programme] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Télécharger l’export vérifiable' }).click()]);
      expect(programme.suggestedFilename()).toBe('jalon-audit-programme.jsonl');
      const programmeReport = await verifyAuditExport(readFileSync((await programme.path())!, 'utf8').split('\n').filter((line) => line !== ''), { publicKey });
      expect(programmeReport).toMatchObject({ ok: true, keyMatches: true });

      await page.goto(antenna());
      const [montbeliard] = await Promise.all([page.waitForEvent('download'), page.locator('#historique').getByRole('link', { name: 'Télécharger l’export vérifiable' }).click()]);
      expect(montbeliard.suggestedFilename()).toBe('jalon-audit-montbeliard.jsonl');
      const lines = readFileSync((await montbeliard.path())!, 'utf8').split('\n').filter((line) => line !== '');
      const report = await verifyAuditExport(lines, { publicKey });
      expect(report).toMatchObject({ ok: true, keyMatches: true });
      expect(report.events).toBeGreaterThan(10);

      // Readable on a narrow phone: nothing wider than the screen (the key and the command wrap).
      await page.setViewportSize({ width: 320, height: 640 });
      await page.goto(`${dashboard.url}/integrite`);
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(320);
      const keyBox = (await page.locator('#cle-publique').boundingBox())!;
      expect(keyBox.x + keyBox.width).toBeLessThanOrEqual(320);
    });

    it('shows the integrity page to a finance officer without the export, which is refused', async () => {
      await signIn(page, dashboard, 'finance', '/integrite');
      expect(await page.locator('h1').textContent()).toBe('Intégrité du journal');
      expect(await page.locator('#export').textContent()).toContain('réservé aux rôles Audit et Administration');
      expect(await page.getByRole('link', { name: 'Télécharger l’export vérifiable' }).count()).toBe(0);
      const refused = await page.goto(`${dashboard.url}/integrite/export-verifiable`);
      expect(refused?.status()).toBe(403);
    });
  });
}

