import 'reflect-metadata';
import { IdentityService, SYSTEM_ACTOR } from '@jalon/application';
import { createJalonApp } from '@jalon/web';
import { LogIntegrityService, loadConfig } from '@jalon/core';
import { SqliteEventStore } from '@jalon/event-store';
import { INestApplication } from '@nestjs/common';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import type { HistoryStep } from '../../apps/cli/src/demo/montbeliard-history';
import { recordDemoHistory } from '../support/demo-history';
import { csrfOf } from '../support/forms';

/** Debian's Chromium (browser downloads are blocked here; `.ci/run` installs the package). */
export const CHROMIUM = process.env.JALON_CHROMIUM ?? '/usr/bin/chromium';

/** Flags this machine needs: without the background-networking ones Chromium's connections are refused. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--lang=fr-FR',
];

/** The day the dashboard under test believes it is (effective dates after it are "in the future"). */
export const DASHBOARD_NOW = new Date('2024-03-15T10:00:00Z');

export type Role = 'admin' | 'programme-manager' | 'finance' | 'auditor';

export interface DashboardUnderTest {
  readonly app: INestApplication;
  readonly url: string;
  readonly store: SqliteEventStore;
  readonly tokens: Readonly<Record<Role, string>>;
  /** Moves the sessions' clock forward (idle and absolute expiry). */
  advanceSessionClock(milliseconds: number): void;
  /** An HTTP client signed in with the role's token through the sign-in form, as a browser without script (one per role, kept). */
  signedIn(role: Role): Promise<request.Agent>;
  /**
   * Reads `path` as `role` once the read models have caught up with the demo history they follow in
   * the background: read again until `ready` holds (by default, the page exists), for 10 s at most;
   * the last answer is returned either way, for the test to judge.
   */
  readWhenCaughtUp(role: Role, path: string, ready?: (response: request.Response) => boolean): Promise<request.Response>;
  close(): Promise<void>;
}

/**
 * The real application on an ephemeral port, on a temporary embedded store holding the demo
 * history (recorded with a stepping clock, as in the other suites), or `history`'s steps instead
 * (none: an installation where nothing is recorded yet), with one user per role.
 */
export async function startDashboard(options: { integrity?: boolean; history?: readonly HistoryStep[] } = {}): Promise<DashboardUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), 'jalon-dashboard-'));
  const store = SqliteEventStore.open({ file: join(dir, 'jalon.sqlite') });
  await recordDemoHistory(store, options.history);
  let sessionOffset = 0;
  const app = await createJalonApp({
    config: loadConfig({ DATA_DIR: dir }),
    store,
    readModelsFile: ':memory:',
    clock: { now: () => DASHBOARD_NOW },
    logger: false,
    web: { sessions: { idleMinutes: 30, maxHours: 10, now: () => Date.now() + sessionOffset } },
  });
  const identity = app.get(IdentityService);
  const admin = await identity.bootstrapAdmin();
  if (!admin) throw new Error('the dashboard store was not empty');
  const add = async (name: string, role: Role) => (await identity.addUser({ name, role }, SYSTEM_ACTOR)).token;
  const tokens = {
    admin: admin.token,
    'programme-manager': await add('Claire Martin', 'programme-manager'),
    finance: await add('Julien Bernard', 'finance'),
    auditor: await add('Inès Lefèvre', 'auditor'),
  };
  if (options.integrity) await startIntegrity(app);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  const agents = new Map<Role, Promise<request.Agent>>();
  const signedIn = (role: Role): Promise<request.Agent> => {
    const known = agents.get(role);
    if (known) return known;
    const agent = signInOverHttp(app, tokens[role]);
    agents.set(role, agent);
    return agent;
  };
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    store,
    tokens,
    advanceSessionClock(milliseconds) {
      sessionOffset += milliseconds;
    },
    signedIn,
    async readWhenCaughtUp(role, path, ready = (response) => response.status !== 404) {
      const agent = await signedIn(role);
      let response = await agent.get(path);
      for (const deadline = Date.now() + 10_000; !ready(response) && Date.now() < deadline; response = await agent.get(path)) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return response;
    },
    async close() {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An HTTP client signed in with `token` through the sign-in form, as a browser without script. */
export async function signInOverHttp(app: INestApplication, token: string): Promise<request.Agent> {
  const agent = request.agent(app.getHttpServer());
  const form = await agent.get('/connexion').expect(200);
  await agent.post('/connexion').type('form').send({ _csrf: csrfOf(form.text), jeton: token, retour: '/programme' }).expect(303);
  return agent;
}

/**
 * Starts the log's verification and sealing as `npm start` does, and waits for the verification
 * at start and its seal, so that no seal lands in the middle of a test.
 */
async function startIntegrity(app: INestApplication): Promise<void> {
  const integrity = app.get(LogIntegrityService);
  integrity.start();
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { state, report } = integrity.lastVerification();
    if (state === 'suivi du journal' && report && (!report.ok || (report.lastSeal && report.eventsAfterLastSeal === 0))) return;
    if (Date.now() > deadline) throw new Error(`the log's verification at start did not end (${state})`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export async function newFrenchContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris', viewport: { width: 1280, height: 900 } });
}

/** Signs in through the sign-in page, as a person would. */
export async function signIn(page: Page, dashboard: DashboardUnderTest, role: Role, path = '/'): Promise<void> {
  await page.goto(`${dashboard.url}${path}`);
  await page.getByLabel('Jeton d’accès').fill(dashboard.tokens[role]);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForLoadState('domcontentloaded');
}

export function chromiumIsInstalled(): boolean {
  return existsSync(CHROMIUM);
}
