import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertBuilt, CLI, jalon } from './cli';

/**
 * End to end, as the compiled CLI runs: every command that reads the seal key file
 * (`$DATA_DIR/seal-key.pem`), on a file replaced by a folder (or holding no key), refuses with one
 * French line naming the file and saying what is wrong with it, exit 1, no stack trace.
 */
describe('jalon commands that read the seal key, on a key file that cannot be read', () => {
  let dataDir: string;
  let keyFile: string;
  beforeAll(() => {
    assertBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'jalon-seal-key-e2e-'));
    keyFile = join(dataDir, 'seal-key.pem');
    expect(jalon(['demo'], dataDir).status).toBe(0);
  }, 60_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  afterEach(() => rmSync(keyFile, { recursive: true, force: true }));

  const folder = () => `Erreur INTEGRITY.SEAL_KEY_UNREADABLE : la clé de scellement ${keyFile} ne peut pas être lue : c’est un dossier, pas un fichier (EISDIR)\n`;

  it.each([['verify'], ['seal'], ['export-audit']])(
    'rule: `%s` with seal-key.pem replaced by a folder is refused in French naming the file (a folder), exit 1, no stack trace',
    (...args) => {
      mkdirSync(keyFile);

      const run = jalon(args, dataDir);

      expect(run.status).toBe(1);
      expect(run.stderr).toBe(folder());
    },
  );

  it('rule: `prove-extends` from a seal of the log, with seal-key.pem replaced by a folder since, is refused in French naming the file (a folder), exit 1, no stack trace', () => {
    // The seal it proves from must be in the log (a seal that is not is refused first, sealing nothing).
    const sealed = jalon(['seal'], dataDir);
    expect(sealed.status).toBe(0);
    const size = /Journal scellé : (\d+) événement/.exec(sealed.stdout)?.[1];
    expect(size).toBeDefined();
    rmSync(keyFile);
    mkdirSync(keyFile);

    const run = jalon(['prove-extends', '--from-seal', size!], dataDir);

    expect(run.status).toBe(1);
    expect(run.stderr).toBe(folder());
  });

  it('rule: `serve` with seal-key.pem replaced by a folder does not start: refused in French naming the file, exit 1, before the first administrator is created', () => {
    const fresh = mkdtempSync(join(tmpdir(), 'jalon-seal-key-serve-e2e-'));
    try {
      const key = join(fresh, 'seal-key.pem');
      mkdirSync(key);

      const run = spawnSync(process.execPath, [CLI, 'serve'], { env: { ...process.env, DATA_DIR: fresh, PORT: '0' }, encoding: 'utf8', timeout: 15_000 });

      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(`Erreur INTEGRITY.SEAL_KEY_UNREADABLE : la clé de scellement ${key} ne peut pas être lue : c’est un dossier, pas un fichier (EISDIR)\n`);
      expect(readdirSync(fresh)).toEqual(['seal-key.pem']);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('rule: `verify` with a seal-key.pem that holds no key is refused in French naming the file, exit 1, no stack trace', () => {
    writeFileSync(keyFile, 'pas une clé\n');

    const run = jalon(['verify'], dataDir);

    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`Erreur INTEGRITY.SEAL_KEY_UNREADABLE : la clé de scellement ${keyFile} ne peut pas être lue : ce n’est pas une clé privée Ed25519 au format PEM\n`);
  });
  it.each([
    ['a session-key that holds no key', (file: string) => writeFileSync(file, 'garbage\n'), (file: string) => `${file} ne contient pas une clé de 32 octets en base64`],
    ['a folder in place of session-key', (file: string) => mkdirSync(file), (file: string) => `la clé des sessions du tableau de bord, ${file}, ne peut pas être lue : c’est un dossier, pas un fichier`],
  ])('rule: `serve` with %s does not start: refused in French naming the file, exit 1, before anything is created (it said so in English, after creating the store)', (_name, make, says) => {
    const fresh = mkdtempSync(join(tmpdir(), 'jalon-session-key-serve-e2e-'));
    try {
      const key = join(fresh, 'session-key');
      make(key);

      const run = spawnSync(process.execPath, [CLI, 'serve'], { env: { ...process.env, DATA_DIR: fresh, PORT: '0' }, encoding: 'utf8', timeout: 15_000 });

      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(new RegExp(`^Erreur CONFIG\\.INVALID : ${says(key).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      expect(readdirSync(fresh)).toEqual(['session-key']);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('rule: `serve` with a dashboard setting it cannot honour (JALON_SESSION_MINUTES=0) is refused in French before anything is created', () => {
    const fresh = mkdtempSync(join(tmpdir(), 'jalon-session-minutes-e2e-'));
    try {
      const run = spawnSync(process.execPath, [CLI, 'serve'], { env: { ...process.env, DATA_DIR: fresh, PORT: '0', JALON_SESSION_MINUTES: '0' }, encoding: 'utf8', timeout: 15_000 });
      expect(run.status).toBe(1);
      expect(run.stderr).toBe('Erreur CONFIG.INVALID : JALON_SESSION_MINUTES doit être un nombre entier de minutes de 1 à 1440, pas « 0 »\n');
      expect(readdirSync(fresh)).toEqual([]);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});
