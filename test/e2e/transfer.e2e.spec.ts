/**
 * End to end: `jalon export`, `import` and `migrate`, run as the compiled CLI (dist/, built by
 * `npm test` before Jest), moving the demo history between embedded stores and the EventStoreDB
 * test double (test/doubles/eventstoredb), always with the same checksum.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEventStoreDbTestDouble, type EventStoreDbTestDouble } from '../doubles/eventstoredb/eventstoredb-test-double';
import { assertBuilt, CLI } from './cli';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI without blocking this process (the test double answers gRPC from here). The
 * store comes from `env` only: EVENT_STORE and EVENTSTORE_URL are cleared unless given.
 */
function jalon(args: string[], env: Record<string, string>): Promise<Run> {
  const { EVENT_STORE: _store, EVENTSTORE_URL: _url, ...inherited } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...inherited, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

const CHECKSUM = /[0-9a-f]{64}/;
const exported = (run: Run) => /Empreinte SHA-256 de l’historique : ([0-9a-f]{64})/.exec(run.stdout + run.stderr)?.[1];
const target = (run: Run) => /^Cible {2}: (\d+) événement\(s\), empreinte ([0-9a-f]{64})$/m.exec(run.stdout);

describe('jalon export / import / migrate, end to end', () => {
  let dir: string;
  const embedded = (name: string) => ({ DATA_DIR: join(dir, name) });
  let demoChecksum: string;
  let demoCount: number;
  let file: string;
  let double: EventStoreDbTestDouble | undefined;

  beforeAll(async () => {
    assertBuilt();
    dir = mkdtempSync(join(tmpdir(), 'jalon-transfer-e2e-'));
    const demo = await jalon(['demo'], embedded('demo'));
    expect(demo.status).toBe(0);
    file = join(dir, 'demo.ndjson');
    const run = await jalon(['export', '--out', file], embedded('demo'));
    expect(run.status).toBe(0);
    demoChecksum = exported(run)!;
    demoCount = Number(/(\d+) événement\(s\) vers/.exec(run.stdout)?.[1]);
  }, 60_000);

  afterEach(async () => {
    await double?.stop();
    double = undefined;
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('rule: `demo`, `export --out`, then `import` into another DATA_DIR: same count and checksum on both sides', async () => {
    expect(demoChecksum).toMatch(CHECKSUM);
    expect(demoCount).toBeGreaterThan(38);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ format: 'jalon-events', version: 1 });
    expect(JSON.parse(lines[lines.length - 1]!)).toEqual({ count: demoCount, checksum: demoChecksum });

    const imported = await jalon(['import', file], embedded('copy'));
    expect(imported.stderr).toBe('');
    expect(imported.status).toBe(0);
    expect(target(imported)?.slice(1)).toEqual([String(demoCount), demoChecksum]);

    // The copy exports to the same history (stdout carries the NDJSON only).
    const again = await jalon(['export'], embedded('copy'));
    expect(again.status).toBe(0);
    const trailer = JSON.parse(again.stdout.trim().split('\n').pop()!) as { checksum: string };
    expect(trailer.checksum).toBe(demoChecksum);
    expect(exported(again)).toBe(demoChecksum);
    // And the application reads it: the antenna's events are there.
    expect((await jalon(['events', 'antenna-montbeliard'], embedded('copy'))).stdout).toMatch(/AntennaInaugurated v1 {2}effet 2022-06-22/);

    const twice = await jalon(['import', file], embedded('copy'));
    expect(twice.status).toBe(0);
    expect(twice.stdout).toMatch(/0 événement\(s\) écrit\(s\), \d+ déjà présent\(s\)/);
  }, 60_000);

  it('rule: an import into a non-empty, unrelated store exits non-zero with a clear message and writes nothing', async () => {
    expect((await jalon(['users', 'add', '--name', 'Claire Martin', '--role', 'finance'], embedded('busy'))).status).toBe(0);
    const before = readFileSync(join(dir, 'busy', 'jalon.sqlite'));
    const refused = await jalon(['import', file], embedded('busy'));
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/la base cible n’est pas vide et ne commence pas par cet historique : import refusé/);
    expect(readFileSync(join(dir, 'busy', 'jalon.sqlite')).equals(before)).toBe(true);
  }, 60_000);

  it('rule: a truncated file is refused with a non-zero exit, before the store is touched', async () => {
    const truncated = join(dir, 'truncated.ndjson');
    writeFileSync(truncated, readFileSync(file, 'utf8').trim().split('\n').slice(0, -1).join('\n'));
    const refused = await jalon(['import', truncated], embedded('never'));
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/TRANSFER\.FILE_TRUNCATED.*tronqué/);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  }, 60_000);

  it('rule: `migrate --to esdb://…` (test double), then back with `migrate --to sqlite:…` from EVENT_STORE=eventstoredb: same checksum all along', async () => {
    double = await startEventStoreDbTestDouble();
    const toEsdb = await jalon(['migrate', '--to', double.connectionString], embedded('demo'));
    expect(toEsdb.stderr).toBe('');
    expect(toEsdb.status).toBe(0);
    expect(toEsdb.stdout).toMatch(/Migration terminée : \d+ événement\(s\) écrit\(s\)/);
    expect(target(toEsdb)?.slice(1)).toEqual([String(demoCount), demoChecksum]);

    const onEsdb = { EVENT_STORE: 'eventstoredb', EVENTSTORE_URL: double.connectionString };
    const exportedFromEsdb = await jalon(['export', '--out', join(dir, 'from-esdb.ndjson')], onEsdb);
    expect(exported(exportedFromEsdb)).toBe(demoChecksum);

    const back = await jalon(['migrate', '--to', `sqlite:${join(dir, 'back')}`], onEsdb);
    expect(back.status).toBe(0);
    expect(target(back)?.slice(1)).toEqual([String(demoCount), demoChecksum]);
    expect(exported(await jalon(['export', '--out', join(dir, 'back.ndjson')], embedded('back')))).toBe(demoChecksum);

    // Migrating again finds everything already there: nothing written, still verified.
    const again = await jalon(['migrate', '--to', double.connectionString], embedded('demo'));
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/0 événement\(s\) écrit\(s\), \d+ déjà présent\(s\) \(reprise\)/);
  }, 120_000);

  it('rule: `migrate` refuses an unknown target and the source itself', async () => {
    const unknown = await jalon(['migrate', '--to', 'postgres://ailleurs'], embedded('demo'));
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/cible inconnue/);
    const itself = await jalon(['migrate', '--to', `sqlite:${join(dir, 'demo')}`], embedded('demo'));
    expect(itself.status).toBe(1);
    expect(itself.stderr).toMatch(/la base source elle-même/);
  }, 60_000);
});
