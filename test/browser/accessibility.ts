import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

/**
 * The checks every dashboard page goes through in the browser tests: axe-core's automated RGAA /
 * WCAG rules, and reflow at 320 CSS pixels (WCAG 1.4.10).
 */

/** axe-core's own build, injected as it is into each page (the pages load no script themselves). */
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The impacts that fail a page: axe's « serious » and « critical ». */
export const BLOCKING_IMPACTS: readonly string[] = ['serious', 'critical'];

/** The WCAG 2.1 A and AA rules (those RGAA 4.1 follows) and axe's best practices. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

export interface AxeFinding {
  readonly rule: string;
  readonly impact: string;
  readonly help: string;
  /** The CSS selectors of the elements at fault, with axe's summary of what is wrong. */
  readonly nodes: readonly string[];
}

/**
 * Runs axe-core on the page as it is now and returns its violations whose impact is serious or
 * critical, each with the elements at fault (so that a failing test says what to fix).
 *
 * The source is evaluated through the browser's protocol, which the pages' Content Security
 * Policy (no script at all) does not govern; the pages themselves stay script-free.
 */
export async function blockingAxeViolations(page: Page): Promise<AxeFinding[]> {
  const loaded = await page.evaluate('typeof window.axe === "object"');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const findings = (await page.evaluate(`
    window.axe
      .run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(AXE_TAGS)} }, resultTypes: ['violations'] })
      .then((results) => results.violations.map((v) => ({
        rule: v.id,
        impact: v.impact || 'unknown',
        help: v.help,
        nodes: v.nodes.map((n) => n.target.join(' ') + ' — ' + (n.failureSummary || '').replace(/\\s+/g, ' ')),
      })))
  `)) as AxeFinding[];
  return findings.filter((finding) => BLOCKING_IMPACTS.includes(finding.impact));
}

/** The width of the page's content in CSS pixels: more than the viewport means a horizontal scroll. */
export async function documentScrollWidth(page: Page): Promise<number> {
  return (await page.evaluate('document.documentElement.scrollWidth')) as number;
}

/** A short name for an element in a test's message: tag, id and classes. */
const DESCRIBE = `(el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
  (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '')`;

/**
 * The elements that stick out beyond the right edge of a narrow viewport (with where their right
 * edge is), for the test's message; content inside a region that clips or scrolls by itself is
 * left to that region. Empty when the page reflows.
 */
export async function elementsWiderThan(page: Page, width: number): Promise<string[]> {
  return (await page.evaluate(`(() => {
    const describe = ${DESCRIBE};
    const clippedByAncestor = (el) => {
      for (let parent = el.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
        if (getComputedStyle(parent).overflowX !== 'visible') return true;
      }
      return false;
    };
    return Array.from(document.querySelectorAll('body *'))
      .filter((el) => el.getBoundingClientRect().right > ${width} + 0.5 && !clippedByAncestor(el))
      .slice(0, 10)
      .map((el) => describe(el) + ' (' + Math.round(el.getBoundingClientRect().right) + ' px)');
  })()`)) as string[];
}

/**
 * The regions that scroll horizontally by themselves (`overflow-x: auto` or `scroll`, content
 * wider than the box) that are not a focusable, named region: WCAG 1.4.10 lets a data table
 * scroll in its own container, which a keyboard must be able to scroll and a screen reader to name.
 */
export async function unreachableScrollRegions(page: Page): Promise<string[]> {
  return (await page.evaluate(`(() => {
    const describe = ${DESCRIBE};
    return Array.from(document.querySelectorAll('body *'))
      .filter((el) => {
        const overflow = getComputedStyle(el).overflowX;
        if ((overflow !== 'auto' && overflow !== 'scroll') || el.scrollWidth <= el.clientWidth + 1) return false;
        const named = el.getAttribute('role') === 'region' && (el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby'));
        return !(el.tabIndex >= 0 && named);
      })
      .map(describe);
  })()`)) as string[];
}
