/**
 * Refreshes the screenshots of the dashboard shown in the README (`npm run screenshots`): starts
 * the application on the demo history (the same fixture as the browser tests, with a fixed
 * "today"), signs in through the sign-in page and saves PNGs under docs/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import type { Locator } from 'playwright-core';
import { join, relative } from 'node:path';
import { CHROMIUM, chromiumIsInstalled, launchChromium, newFrenchContext, signIn, startDashboard } from './dashboard-under-test';

const OUTPUT = join(__dirname, '..', '..', 'docs', 'screenshots');

async function main(): Promise<void> {
  if (!chromiumIsInstalled()) throw new Error(`${CHROMIUM} is missing: install the chromium package (apt-get install chromium)`);
  mkdirSync(OUTPUT, { recursive: true });
  const [dashboard, browser] = await Promise.all([startDashboard(), launchChromium()]);
  const saved: string[] = [];
  const file = (name: string) => {
    const path = join(OUTPUT, name);
    saved.push(relative(process.cwd(), path));
    return path;
  };
  try {
    const context = await newFrenchContext(browser);
    const page = await context.newPage();
    await signIn(page, dashboard, 'programme-manager', '/programme');
    await page.screenshot({ path: file('programme.png'), fullPage: true });

    await page.goto(`${dashboard.url}/antennes/montbeliard`);
    // The top of the page: summary, phases (Gantt) and the budget per year.
    const budgetBottom = await bottomOf(page.locator('#table-budget'));
    await page.screenshot({ path: file('antenne.png'), fullPage: true, clip: { x: 0, y: 0, width: 1280, height: Math.ceil(budgetBottom) + 24 } });
    await page.locator('#financements').screenshot({ path: file('antenne-financements.png') });
    // The history, most recent first: its first rows.
    const historyTop = await topOf(page.locator('#historique'));
    await page.screenshot({ path: file('antenne-historique.png'), fullPage: true, clip: { x: 0, y: Math.floor(historyTop) - 8, width: 1280, height: 1100 } });

    await page.goto(`${dashboard.url}/antennes/montbeliard?asOf=2022-06-21`);
    const asOfBottom = await bottomOf(page.locator('#phases'));
    await page.screenshot({ path: file('antenne-au-21-06-2022.png'), fullPage: true, clip: { x: 0, y: 0, width: 1280, height: Math.ceil(asOfBottom) } });
    await context.close();

    const finance = await newFrenchContext(browser);
    const financePage = await finance.newPage();
    await signIn(financePage, dashboard, 'finance', '/financements');
    await financePage.screenshot({ path: file('financements.png'), fullPage: true });

    await financePage.goto(`${dashboard.url}/antennes/montbeliard/enregistrer-depense`);
    await financePage.getByLabel('Identifiant de la dépense').fill('loyer-2024-t1');
    await financePage.getByLabel('Catégorie').selectOption('premises');
    await financePage.locator('#champ-amountCents').fill('12 500,456');
    await financePage.getByLabel('Date de la dépense').fill('14/03/2024');
    await financePage.getByRole('button', { name: 'Enregistrer la dépense' }).click();
    await financePage.screenshot({ path: file('formulaire-erreurs.png'), fullPage: true });
    await finance.close();
  } finally {
    await browser.close();
    await dashboard.close();
  }
  console.log(`Captures d’écran enregistrées :\n${saved.map((path) => `  ${path}`).join('\n')}`);
}

/** Where an element starts and ends on the page (bounding boxes are relative to the scrolled viewport). */
async function boxOf(locator: Locator): Promise<{ top: number; bottom: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('element not shown');
  const scrolled = Number(await locator.page().evaluate('window.scrollY'));
  return { top: box.y + scrolled, bottom: box.y + scrolled + box.height };
}

async function topOf(locator: Locator): Promise<number> {
  return (await boxOf(locator)).top;
}

async function bottomOf(locator: Locator): Promise<number> {
  return (await boxOf(locator)).bottom;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
