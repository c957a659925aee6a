import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertBuilt, jalon, serve } from './cli';

/** End to end: the commands of the README, run as a newcomer runs them, on the embedded store. */
describe('jalon command line, end to end', () => {
  let dataDir: string;
  beforeAll(() => assertBuilt());
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'jalon-e2e-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const databaseDigest = () => createHash('sha256').update(readFileSync(join(dataDir, 'jalon.sqlite'))).digest('hex');

  it('rule: the demo history loads through the command path, and loading it again appends no event (file unchanged)', () => {
    const first = jalon(['demo'], dataDir);
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/38 commandes, 38 événement\(s\) écrit\(s\), 0 étape\(s\) déjà enregistrée\(s\)/);
    const digest = databaseDigest();
    const second = jalon(['demo'], dataDir);
    expect(second.stdout).toMatch(/0 événement\(s\) écrit\(s\), 38 étape\(s\) déjà enregistrée\(s\)/);
    expect(databaseDigest()).toBe(digest);

    const antenna = jalon(['events', 'antenna-montbeliard'], dataDir);
    expect(antenna.stdout).toMatch(/AntennaInaugurated v1 {2}effet 2022-06-22/);
    const funding = jalon(['events', 'funding-bdt-amorcage-montbeliard', '--json'], dataDir);
    const events = funding.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; data: { amountCents?: number } });
    expect(events[0]).toMatchObject({ type: 'FundingCommitted', data: { amountCents: 10_000_000 } });
    expect(events.filter((e) => e.type === 'BudgetTrancheReleased')).toHaveLength(4);
  });

  it('serves /health and the OpenAPI document, prints the first administrator token once, and accepts it', async () => {
    const first = await serve(dataDir);
    try {
      const token = /Jeton administrateur[^:]*: (jalon_\S+)/.exec(first.output())?.[1];
      expect(token).toBeDefined();
      expect((await fetch(`${first.url}/health`)).status).toBe(200);
      const openapi = (await (await fetch(`${first.url}/api/openapi.json`)).json()) as { paths: Record<string, unknown> };
      expect(Object.keys(openapi.paths)).toContain('/api/antennas/{antennaId}/inauguration');
      const me = await fetch(`${first.url}/api/users/me`, { headers: { Authorization: `Bearer ${token}` } });
      expect(await me.json()).toEqual({ id: 'admin', name: 'admin', role: 'admin' });
    } finally {
      await first.stop();
    }
    const second = await serve(dataDir);
    await second.stop();
    expect(second.output()).not.toMatch(/Jeton administrateur/);
  });

  it('`jalon users add` prints a token once, which the API accepts with its role', async () => {
    const added = jalon(['users', 'add', '--name', 'Julien Bernard', '--role', 'finance'], dataDir);
    const token = /Jeton[^:]*: (jalon_\S+)/.exec(added.stdout)?.[1];
    expect(token).toBeDefined();
    const server = await serve(dataDir);
    try {
      const me = await fetch(`${server.url}/api/users/me`, { headers: { Authorization: `Bearer ${token}` } });
      expect(await me.json()).toEqual({ id: 'julien-bernard', name: 'Julien Bernard', role: 'finance' });
    } finally {
      await server.stop();
    }
    const refused = jalon(['users', 'add', '--name', 'X', '--role', 'chef'], dataDir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/role/);
  });
});
