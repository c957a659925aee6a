import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, chromiumIsInstalled, DashboardUnderTest, launchChromium, newFrenchContext, signIn, startDashboard } from './dashboard-under-test';

/**
 * The audit journal and « Connu au » in a real browser, by their labels as a person reads them:
 * filters chosen in the form (no script), the trail narrowed, and the antenna page as Jalon knew it
 * before a correction was recorded.
 */
const required = process.env.JALON_BROWSER_TESTS === 'required';

if (!chromiumIsInstalled() && !required) {
  describe('the audit journal in a browser', () => {
    it(`browser tests: not run because ${CHROMIUM} is missing (install the chromium package)`, () => {
      expect(chromiumIsInstalled()).toBe(false);
    });
  });
} else {
  describe('the audit journal in a browser', () => {
    let dashboard: DashboardUnderTest;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;

    beforeAll(async () => {
      if (!chromiumIsInstalled()) throw new Error(`JALON_BROWSER_TESTS=required but ${CHROMIUM} is missing: install the chromium package`);
      [dashboard, browser] = await Promise.all([startDashboard(), launchChromium()]);
      context = await newFrenchContext(browser);
      page = await context.newPage();
      await signIn(page, dashboard, 'auditor', '/programme');
    }, 60_000);
    afterAll(async () => {
      await context?.close();
      await browser?.close();
      await dashboard?.close();
    });

    it('rule: the journal is filtered by its labelled fields and says how many facts match', async () => {
      await page.getByRole('link', { name: 'Journal d’audit' }).click();
      await page.waitForLoadState('domcontentloaded');
      expect(await page.locator('h1').textContent()).toBe('Journal d’audit');
      await page.getByLabel('Type de fait').selectOption({ label: 'Tranche versée' });
      await page.getByLabel('Date d’effet à partir du').fill('01/01/2023');
      await page.getByRole('button', { name: 'Filtrer' }).click();
      await page.waitForURL(/evenement=BudgetTrancheReleased/);
      expect(await page.locator('#journal-resume').textContent()).toBe('2 faits correspondant à ces filtres — page 1 sur 1.');
      expect(await page.locator('#journal-table tbody tr').count()).toBe(2);
      expect(await page.locator('#journal-table tbody').textContent()).toContain('Tranche « Troisième tranche » versée par Banque des Territoires');
      expect(await page.getByRole('link', { name: 'CSV' }).getAttribute('href')).toBe('/journal/export.csv?du=01%2F01%2F2023&evenement=BudgetTrancheReleased');
    });

    it('rule: « Connu au » shows the antenna as Jalon knew it before a correction was recorded', async () => {
      await page.goto(`${dashboard.url}/antennes/montbeliard`);
      await page.getByLabel('Connu au').fill('11/07/2023 10:59');
      await page.getByRole('button', { name: 'Afficher' }).click();
      await page.waitForURL(/knownAt=/);
      expect(await page.locator('.bandeau-date').textContent()).toContain('telle que Jalon la connaissait le 11/07/2023 10:59');
      expect(await page.locator('#historique-table').textContent()).not.toContain('Versement du 03/07/2023 annulé');
    });
  });
}
