import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { blockingAxeViolations, documentScrollWidth } from './accessibility';
import { CHROMIUM, chromiumIsInstalled, DashboardUnderTest, launchChromium, newFrenchContext, signIn, startDashboard } from './dashboard-under-test';

/**
 * The dashboard's spreadsheet import in a real browser WITH JAVASCRIPT DISABLED: the upload, « Vérifier »
 * and « Importer » work as plain forms; problems are listed by line and column; the page passes axe-core
 * and reflows at 320 px. Without Chromium the suite says so in one test.
 */
const required = process.env.JALON_BROWSER_TESTS === 'required';

if (!chromiumIsInstalled() && !required) {
  describe('dashboard spreadsheet import in a browser', () => {
    it(`browser tests: not run because ${CHROMIUM} is missing (install the chromium package)`, () => {
      expect(chromiumIsInstalled()).toBe(false);
      console.warn(`Tests de l’import de tableurs dans un navigateur NON EXÉCUTÉS : ${CHROMIUM} est absent (apt-get install chromium).`);
    });
  });
} else {
  describe('dashboard spreadsheet import in a browser', () => {
    let dashboard: DashboardUnderTest;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let dir: string;

    beforeAll(async () => {
      if (!chromiumIsInstalled()) throw new Error(`JALON_BROWSER_TESTS=required but ${CHROMIUM} is missing: install the chromium package`);
      [dashboard, browser] = await Promise.all([startDashboard(), launchChromium()]);
      dir = mkdtempSync(join(tmpdir(), 'jalon-import-browser-'));
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
      await dashboard?.close();
      rmSync(dir, { recursive: true, force: true });
    });
    /** A French browser signed in as finance staff; without JavaScript unless the test runs axe-core (a script). */
    async function openBrowser(javaScriptEnabled: boolean): Promise<void> {
      context = await (javaScriptEnabled ? newFrenchContext(browser) : browser.newContext({ locale: 'fr-FR', javaScriptEnabled: false }));
      page = await context.newPage();
      await signIn(page, dashboard, 'finance');
    }
    afterEach(async () => {
      await context?.close();
    });

    const eventCount = async () => {
      let count = 0;
      for await (const _event of dashboard.store.readAll()) count++;
      return count;
    };
    const sheet = (name: string, lines: readonly string[]) => {
      const path = join(dir, name);
      writeFileSync(path, `${lines.join('\r\n')}\r\n`, 'utf8');
      return path;
    };

    it('rule: without JavaScript, the antenna page leads to the import; three bad rows are listed by line and column and nothing is recorded; a good file is', async () => {
      await openBrowser(false);
      const before = await eventCount();
      // Where the browser posts: no anti-forgery token in the address (proxies' logs, history); the form's body carries it,
      // or the upload would be refused.
      const posted: string[] = [];
      page.on('request', (sent) => {
        if (sent.method() === 'POST') posted.push(sent.url());
      });
      await page.goto(`${dashboard.url}/antennes/montbeliard`);
      await page.getByRole('link', { name: 'Importer un tableur (budget ou dépenses)' }).click();
      await page.getByLabel('Dépenses (une par ligne)').check();
      await page.getByLabel('Fichier XLSX ou CSV', { exact: false }).setInputFiles(
        sheet('mauvais.csv', [
          'Identifiant;Date;Catégorie;Montant;Description',
          'loyer-2024-t1;31/01/2024;Locaux;30.000,00;Loyer',
          'loyer-2024-t2;31/02/2024;Locaux;4 500,00;Loyer',
          'loyer-2024-t3;01/03/2024;Fournitures;4 500,00;Loyer',
        ]),
      );
      await page.getByRole('button', { name: 'Vérifier' }).click();
      await expect(page.getByRole('alert').first().textContent()).resolves.toContain('Le tableur comporte 3 problèmes : rien n’a été enregistré');
      const rows = await page.locator('#problemes tbody tr').allTextContents();
      expect(rows).toEqual([
        expect.stringMatching(/^2Montant30\.000,00 n’est pas un montant en euros/),
        expect.stringMatching(/^3Datele 31\/02\/2024 n’existe pas/),
        expect.stringMatching(/^4CatégorieFournitures n’est pas une catégorie budgétaire/),
      ]);
      expect(await eventCount()).toBe(before);

      await page.getByLabel('Dépenses (une par ligne)').check();
      await page.getByLabel('Fichier XLSX ou CSV', { exact: false }).setInputFiles(
        sheet('bon.csv', ['Identifiant;Date;Catégorie;Montant;Description', 'loyer-2024-t1;31/01/2024;Locaux;4 500,00;Loyer de janvier']),
      );
      await page.getByRole('button', { name: 'Importer', exact: true }).click();
      await expect(page.locator('#confirmation').textContent()).resolves.toContain('Le tableur bon.csv a été importé : 1 ligne, 1 fait enregistré.');
      expect(await page.locator('#depenses').textContent()).toContain('loyer-2024-t1');
      expect(await eventCount()).toBe(before + 1);
      expect(posted).toEqual([`${dashboard.url}/antennes/montbeliard/import`, `${dashboard.url}/antennes/montbeliard/import`]);
    }, 60_000);

    it('rule: RGAA / WCAG 2.1 AA — the import page, and its list of problems, at 1280 and 320 CSS px: no serious axe-core violation, no horizontal scroll', async () => {
      await openBrowser(true);
      await page.goto(`${dashboard.url}/antennes/montbeliard/import`);
      expect(await blockingAxeViolations(page)).toEqual([]);
      await page.getByLabel('Fichier XLSX ou CSV', { exact: false }).setInputFiles(sheet('faux.csv', ['Identifiant;Date;Catégorie;Montant;Description', 'a;31/02/2024;Locaux;1,00;x']));
      await page.getByRole('button', { name: 'Vérifier' }).click();
      await page.waitForSelector('#problemes');
      expect(await blockingAxeViolations(page)).toEqual([]);
      await page.setViewportSize({ width: 320, height: 640 });
      expect(await documentScrollWidth(page)).toBeLessThanOrEqual(320);
      expect(await blockingAxeViolations(page)).toEqual([]);
    }, 60_000);
  });
}
