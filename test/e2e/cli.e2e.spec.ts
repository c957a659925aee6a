import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { AddressInfo, createServer } from 'node:net';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertBuilt, CLI, jalon, jalonLoading, serve } from './cli';

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
    expect(first.stdout).toMatch(/39 commandes, 43 événement\(s\) écrit\(s\), 0 étape\(s\) déjà enregistrée\(s\)/);
    const digest = databaseDigest();
    const second = jalon(['demo'], dataDir);
    expect(second.stdout).toMatch(/0 événement\(s\) écrit\(s\), 39 étape\(s\) déjà enregistrée\(s\)/);
    expect(databaseDigest()).toBe(digest);

    const antenna = jalon(['events', 'antenna-montbeliard'], dataDir);
    expect(antenna.stdout).toMatch(/AntennaInaugurated v1 {2}effet 2022-06-22/);
    const funding = jalon(['events', 'funding-bdt-amorcage-montbeliard', '--json'], dataDir);
    const events = funding.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; data: { amountCents?: number } });
    expect(events[0]).toMatchObject({ type: 'FundingCommitted', data: { amountCents: 10_000_000 } });
    expect(events.filter((e) => e.type === 'BudgetTrancheReleased')).toHaveLength(4);
  });

  it('rule: a command loads only what it uses: the workbook, PDF and EventStoreDB libraries and the HTTP service wait for a command that needs them (each would cost every command its load time)', () => {
    expect(jalon(['demo'], dataDir).status).toBe(0);
    const heavy = (loaded: string[]) => ({
      exceljs: loaded.some((file) => file.includes('/node_modules/exceljs/')),
      pdfmake: loaded.some((file) => file.includes('/node_modules/pdfmake/')),
      eventStoreDbClient: loaded.some((file) => file.includes('/node_modules/@eventstore/db-client/')),
      httpService: loaded.some((file) => file.includes('/dist/apps/api/')),
      dashboard: loaded.some((file) => file.includes('/dist/apps/web/')),
    });
    const none = { exceljs: false, pdfmake: false, eventStoreDbClient: false, httpService: false, dashboard: false };

    const status = jalonLoading(['status'], dataDir);
    expect(status.status).toBe(0);
    expect(heavy(status.loaded)).toEqual(none);
    const table = jalonLoading(['report', 'budget', '--antenna', 'montbeliard'], dataDir);
    expect(table.stdout).toMatch(/Total\s+786\s000,00/);
    expect(heavy(table.loaded)).toEqual(none);

    // The same watch sees each library once a command needs it.
    const workbook = jalonLoading(['report', 'budget', '--antenna', 'montbeliard', '--format', 'xlsx', '--out', join(dataDir, 'budget.xlsx')], dataDir);
    expect(workbook.status).toBe(0);
    expect(heavy(workbook.loaded)).toEqual({ ...none, exceljs: true });
    const pdf = jalonLoading(['report', 'budget', '--antenna', 'montbeliard', '--format', 'pdf', '--out', join(dataDir, 'budget.pdf')], dataDir);
    expect(pdf.status).toBe(0);
    expect(heavy(pdf.loaded)).toEqual({ ...none, pdfmake: true });
  });

  it('rule: serve on a port another program holds exits 1 with one French line naming the port and what to change, without Nest’s English report, before creating or printing anything (no store, no administrator’s token)', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    try {
      const port = (holder.address() as AddressInfo).port;
      const fresh = join(dataDir, 'premier-demarrage');
      const refused = jalon(['serve', '--port', String(port)], fresh);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toBe(
        `Erreur HTTP.PORT_IN_USE : le service ne démarre pas : le port ${port} de 127.0.0.1 est déjà utilisé par un autre programme (un autre Jalon ?) : arrêtez-le, ou choisissez un autre port (PORT, ou --port).\n`,
      );
      expect(refused.stdout).toBe('');
      expect(existsSync(fresh) ? readdirSync(fresh) : []).toEqual([]);
      // A port that is not one: refused as a setting, nothing created either.
      const mistyped = jalon(['serve', '--port', '30OO'], fresh);
      expect([mistyped.status, mistyped.stdout, mistyped.stderr]).toEqual([1, '', 'Erreur CONFIG.INVALID : --port doit être un numéro de port TCP, un entier de 0 à 65535, pas « 30OO »\n']);
      expect(existsSync(fresh) ? readdirSync(fresh) : []).toEqual([]);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('rule: serve outlives whoever read its output (`jalon serve | head -1`): its next lines meet a closed pipe, and the service still answers (it once ended with EPIPE’s stack)', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'jalon-serve-pipe-'));
    // A port free now (taken, then let go): the service is reached there once its output is gone.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const child = spawn(process.execPath, [CLI, 'serve'], { env: { ...process.env, DATA_DIR: fresh, PORT: String(port) } });
    try {
      // The reader goes away after the first line, as `head -1` does: the lines printed after it fail.
      await once(child.stdout, 'data');
      child.stdout.destroy();
      child.stderr.destroy();
      let health: number | undefined;
      for (const deadline = Date.now() + 20_000; health === undefined && Date.now() < deadline && child.exitCode === null; ) {
        health = await fetch(`http://127.0.0.1:${port}/health`).then((response) => response.status, () => undefined);
        if (health === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect({ exitCode: child.exitCode, health }).toEqual({ exitCode: null, health: 200 });
    } finally {
      if (child.exitCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(fresh, { recursive: true, force: true });
    }
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

  it('`jalon users deactivate|revoke-token|rotate-token` end access, and `events identity-users` shows no token hash', async () => {
    const tokenOf = (stdout: string) => /Jeton[^:]*: (jalon_\S+)/.exec(stdout)?.[1] ?? '';
    const julien = tokenOf(jalon(['users', 'add', '--name', 'Julien Bernard', '--role', 'finance'], dataDir).stdout);
    const ines = tokenOf(jalon(['users', 'add', '--name', 'Inès Lefèvre', '--role', 'auditor'], dataDir).stdout);
    const rotated = jalon(['users', 'rotate-token', 'julien-bernard'], dataDir);
    expect(rotated.stdout).toContain('Nouveau jeton de julien-bernard ; l’ancien ne fonctionne plus.');
    const fresh = tokenOf(rotated.stdout);
    expect(fresh).toMatch(/^jalon_/);
    expect(jalon(['users', 'deactivate', 'ines-lefevre'], dataDir).stdout).toContain('Utilisateur ines-lefevre désactivé');
    expect(jalon(['users', 'revoke-token', 'ines-lefevre'], dataDir).stdout).toContain('Jeton de ines-lefevre révoqué');
    const unknown = jalon(['users', 'reactivate', 'personne'], dataDir);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('Erreur USER.NOT_FOUND');
    expect(jalon(['users', 'list'], dataDir).stdout).toContain('ines-lefevre\tauditor\tdésactivé\tjeton révoqué\tInès Lefèvre');

    const events = jalon(['events', 'identity-users', '--json'], dataDir).stdout;
    expect(events).toContain('"type":"UserTokenIssued"');
    expect(events).not.toContain('tokenHash');
    for (const token of [julien, ines, fresh]) expect(events).not.toContain(createHash('sha256').update(token).digest('hex'));

    const server = await serve(dataDir);
    try {
      const status = async (token: string) => (await fetch(`${server.url}/api/users/me`, { headers: { Authorization: `Bearer ${token}` } })).status;
      expect({ julien: await status(julien), fresh: await status(fresh), ines: await status(ines) }).toEqual({ julien: 401, fresh: 200, ines: 401 });
    } finally {
      await server.stop();
    }
  }, 120_000);
});
