import type { Browser, BrowserContext, Page } from 'playwright-core';
import { FORMS } from '../../apps/web/src/forms/form-catalogue';
import { blockingAxeViolations, documentScrollWidth, elementsWiderThan, unreachableScrollRegions } from './accessibility';
import { CHROMIUM, chromiumIsInstalled, DashboardUnderTest, launchChromium, newFrenchContext, Role, signIn, startDashboard } from './dashboard-under-test';

/**
 * RGAA 4.1 / WCAG 2.1 AA checks on every page of the dashboard, in a real browser on the demo
 * history: axe-core finds no serious or critical violation, every page reflows at 320 CSS pixels
 * (WCAG 1.4.10: no horizontal scroll; a wide data table scrolls in its own focusable, named
 * region), and every page links to the accessibility statement. Without Chromium the suite says
 * so in one test; `JALON_BROWSER_TESTS=required` makes a missing Chromium a failure.
 */
const required = process.env.JALON_BROWSER_TESTS === 'required';

const NARROW = { width: 320, height: 640 };
const WIDE = { width: 1280, height: 900 };
const STATEMENT = '/accessibilite';

/** One page to check: where it is, who looks at it, and how to reach its state when a GET is not enough. */
interface PageUnderTest {
  readonly name: string;
  readonly role: Role | null;
  readonly path: string;
  /** Brings the page to the state under test (a form sent back with errors, a write confirmed). */
  readonly reach?: (page: Page) => Promise<void>;
  readonly status?: number;
}

const ANTENNA = '/antennes/montbeliard';

const PAGES: readonly PageUnderTest[] = [
  { name: 'sign-in', role: null, path: '/connexion' },
  {
    name: 'sign-in refused',
    role: null,
    path: '/connexion',
    status: 401,
    reach: async (page) => {
      await page.getByLabel('Jeton d’accès').fill('jalon_inconnu');
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await page.waitForLoadState('domcontentloaded');
    },
  },
  { name: 'accessibility statement (signed out)', role: null, path: STATEMENT },
  { name: 'accessibility statement', role: 'admin', path: STATEMENT },
  { name: 'programme', role: 'admin', path: '/programme' },
  { name: 'programme as of 21/06/2022', role: 'auditor', path: '/programme?asOf=21%2F06%2F2022' },
  { name: 'antenna', role: 'admin', path: ANTENNA },
  { name: 'antenna as of 21/06/2022', role: 'auditor', path: `${ANTENNA}?asOf=21%2F06%2F2022` },
  { name: 'finance', role: 'finance', path: '/financements' },
  { name: 'échéancier', role: 'finance', path: '/financements/echeancier' },
  { name: 'log integrity', role: 'auditor', path: '/integrite' },
  { name: 'audit journal, filtered', role: 'auditor', path: '/journal?du=01%2F01%2F2022&evenement=BudgetTrancheReleased' },
  { name: 'audit journal with a filter in error', role: 'auditor', path: '/journal?du=31%2F02%2F2022' },
  { name: 'antenna as known at 11/07/2023 10:59', role: 'auditor', path: `${ANTENNA}?knownAt=11%2F07%2F2023+10%3A59` },
  { name: 'users', role: 'admin', path: '/utilisateurs' },
  { name: 'history (journal)', role: 'auditor', path: '/journal' },
  { name: 'supporting documents', role: 'admin', path: `${ANTENNA}/justificatifs` },
  { name: 'spreadsheet import', role: 'admin', path: `${ANTENNA}/import` },
  ...FORMS.map(
    (form): PageUnderTest => ({
      name: `form « ${form.title} »`,
      role: 'admin',
      path: form.scope === 'programme' ? `/programme/${form.slug}` : `${ANTENNA}/${form.slug}`,
    }),
  ),
  {
    name: 'form sent back with its errors',
    role: 'finance',
    path: `${ANTENNA}/enregistrer-depense`,
    status: 400,
    reach: async (page) => {
      await page.getByLabel('Montant', { exact: false }).first().fill('douze cents euros');
      await page.getByRole('button', { name: 'Enregistrer la dépense' }).click();
      await page.waitForLoadState('domcontentloaded');
    },
  },
  { name: 'page not found', role: 'admin', path: '/antennes/inconnue', status: 404 },
  { name: 'address not found', role: 'admin', path: '/nulle-part', status: 404 },
  { name: 'form refused to the role', role: 'auditor', path: `${ANTENNA}/verser-tranche`, status: 403 },
];

if (!chromiumIsInstalled() && !required) {
  describe('dashboard accessibility in a browser', () => {
    it(`browser tests: not run because ${CHROMIUM} is missing (install the chromium package)`, () => {
      expect(chromiumIsInstalled()).toBe(false);
      console.warn(`Tests d’accessibilité du tableau de bord NON EXÉCUTÉS : ${CHROMIUM} est absent (apt-get install chromium).`);
    });
  });
} else {
  describe('dashboard accessibility in a browser', () => {
    let dashboard: DashboardUnderTest;
    let browser: Browser;
    /**
     * One page per role (signed in once, and one signed out), reused by the page checks: each check
     * navigates it afresh. A new page costs a renderer and a new context another, about 0.4 s each,
     * and axe-core is injected again after every navigation anyway.
     */
    const pages = new Map<Role | null, Page>();

    beforeAll(async () => {
      if (!chromiumIsInstalled()) throw new Error(`JALON_BROWSER_TESTS=required but ${CHROMIUM} is missing: install the chromium package`);
      [dashboard, browser] = await Promise.all([startDashboard(), launchChromium()]);
      for (const role of [null, ...new Set(PAGES.map((target) => target.role).filter((role): role is Role => role !== null))]) {
        const rolePage = await (await newFrenchContext(browser)).newPage();
        if (role !== null) await signIn(rolePage, dashboard, role);
        pages.set(role, rolePage);
      }
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
      await dashboard?.close();
    });

    /** Opens the page in the state under test, in its role's signed-in page, at the given width. */
    async function open(target: PageUnderTest, viewport: { width: number; height: number }): Promise<Page> {
      const page = pages.get(target.role)!;
      await page.setViewportSize(viewport);
      const response = await page.goto(`${dashboard.url}${target.path}`);
      if (target.reach) await target.reach(page);
      else expect(response?.status()).toBe(target.status ?? 200);
      return page;
    }

    it.each(PAGES.map((target) => [target.name, target] as const))(
      'rule: RGAA / WCAG 2.1 AA — %s: no serious or critical axe-core violation, a link to the accessibility statement',
      async (_name, target) => {
        const page = await open(target, WIDE);
        expect(await blockingAxeViolations(page)).toEqual([]);
        const statement = page.locator('footer').getByRole('link', { name: 'Déclaration d’accessibilité' });
        expect(await statement.getAttribute('href')).toBe(STATEMENT);
      },
      30_000,
    );

    it.each(PAGES.map((target) => [target.name, target] as const))(
      'rule: WCAG 1.4.10 reflow — %s at 320 CSS px: no horizontal scroll; wide tables scroll in a focusable, named region',
      async (_name, target) => {
        const page = await open(target, NARROW);
        expect(await elementsWiderThan(page, NARROW.width)).toEqual([]);
        expect(await documentScrollWidth(page)).toBeLessThanOrEqual(NARROW.width);
        expect(await unreachableScrollRegions(page)).toEqual([]);
      },
      30_000,
    );

    describe('on a page of its own', () => {
      let context: BrowserContext;
      let page: Page;
      beforeEach(async () => {
        context = await newFrenchContext(browser);
        page = await context.newPage();
      });
      afterEach(async () => {
        await context.close();
      });

      it('rule: the checks can fail: axe-core reports a missing text alternative and an unlabelled field, reflow a wide block and a scroll region the keyboard cannot reach', async () => {
        await page.setViewportSize(NARROW);
        await page.setContent(`<!doctype html><html lang="fr"><head><title>Essai</title></head><body><main>
          <img src="data:," width="10" height="10"><input type="text">
          <div id="trop-large" style="width:600px">Un bloc plus large que l’écran</div>
          <div id="defile" style="overflow-x:auto"><div style="width:900px">Un tableau large</div></div>
          </main></body></html>`);
        const rules = (await blockingAxeViolations(page)).map((finding) => finding.rule);
        expect(rules).toEqual(expect.arrayContaining(['image-alt', 'label']));
        expect(await documentScrollWidth(page)).toBeGreaterThan(NARROW.width);
        expect(await elementsWiderThan(page, NARROW.width)).toEqual(['div#trop-large (608 px)']);
        expect(await unreachableScrollRegions(page)).toEqual(['div#defile']);
      });

      it('rule: after a write, the confirmation is the first thing in the main content, a status region the page opens on (no jump to a section that hides it)', async () => {
        await page.setViewportSize({ width: 1280, height: 720 });
        await signIn(page, dashboard, 'finance', `${ANTENNA}/enregistrer-depense`);
        await page.getByLabel('Identifiant de la dépense').fill('affiches-mars-2024');
        await page.getByLabel('Catégorie').selectOption('communication');
        await page.getByLabel('Description').fill('Affiches de la journée portes ouvertes');
        await page.getByLabel('Montant', { exact: false }).first().fill('350,00');
        await page.getByLabel('Date de la dépense').fill('12/03/2024');
        await page.getByRole('button', { name: 'Enregistrer la dépense' }).click();
        await page.waitForURL(/\/antennes\/montbeliard\?apres=\d+#confirmation$/);

        const confirmation = page.locator('#confirmation');
        expect(await confirmation.getAttribute('role')).toBe('status');
        expect(await confirmation.textContent()).toContain('La dépense a été enregistrée');
        // First in <main>: nothing (breadcrumbs, title, navigation) comes before it.
        expect(await page.evaluate('document.querySelector("main :is([role], h1, h2, nav, p, form, table)").id')).toBe('confirmation');
        // The page opened on it: it is inside the viewport, its top visible.
        const box = (await confirmation.boundingBox())!;
        expect(box.y).toBeGreaterThanOrEqual(0);
        expect(box.y + box.height).toBeLessThanOrEqual(720);
        // The next Tab starts from it: the keyboard goes on from the confirmation, not from the top of the page.
        await page.keyboard.press('Tab');
        const after = (await page.evaluate('document.activeElement.compareDocumentPosition(document.getElementById("confirmation"))')) as number;
        expect(after & 2).toBe(2); // Node.DOCUMENT_POSITION_PRECEDING: the confirmation comes before the focused element.
        // The new expenditure is on the page.
        expect(await page.locator('#depenses').textContent()).toContain('affiches-mars-2024');
      });

      it('rule: the accessibility statement (RGAA 4.1 model) says the conformity status, the tests run, the known non-conformities, a contact and the recourse to the Défenseur des droits', async () => {
        const response = await page.goto(`${dashboard.url}${STATEMENT}`);
        expect(response?.status()).toBe(200);
        expect(await page.locator('h1').textContent()).toBe('Déclaration d’accessibilité');
        const text = (await page.locator('main').textContent())!;
        expect(text).toContain('partiellement conforme');
        expect(text).toContain('RGAA');
        expect(text).toContain('axe-core');
        expect(text).toContain('320');
        expect(await page.locator('#non-conformites li').count()).toBeGreaterThan(0);
        expect(text).toContain('Défenseur des droits');
        expect(await page.getByRole('link', { name: /formulaire en ligne/ }).getAttribute('href')).toBe('https://formulaire.defenseurdesdroits.fr/');
      });
    });
  });
}
