import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertBuilt, CLI, jalon } from './cli';

/**
 * End to end, as the compiled CLI runs: a start whose event store cannot be opened (its file
 * replaced by a folder, or by a file that is not a SQLite database) fails with one French line
 * naming the file and the cause, exit 1, and leaves the data directory as it found it: no
 * read-model file, session key, seal key or documents folder is created before the failure.
 */
describe('jalon on a DATA_DIR whose jalon.sqlite cannot be opened', () => {
  let root: string;
  beforeAll(() => {
    assertBuilt();
    root = mkdtempSync(join(tmpdir(), 'jalon-store-unopenable-e2e-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const FAULTS = [
    {
      name: 'a folder in place of jalon.sqlite',
      make: (file: string) => mkdirSync(file),
      cause: 'c’est un dossier, pas un fichier (SQLITE_CANTOPEN)',
    },
    {
      name: 'a file that is not a SQLite database',
      make: (file: string) => writeFileSync(file, 'ceci n’est pas une base SQLite, mais un texte assez long pour en occuper l’en-tête\n'),
      cause: 'ce n’est pas une base SQLite (SQLITE_NOTADB)',
    },
  ] as const;

  const refusal = (file: string, cause: string) =>
    `Erreur STORE.UNAVAILABLE : le magasin d’événements ne peut pas s’ouvrir : ${file} : ${cause}. ` +
    'Remettez à sa place le fichier du magasin (sauvegarde) ou choisissez un autre DATA_DIR. Rien n’a été créé.\n';

  it.each(FAULTS.map((fault) => [fault.name, fault] as const))(
    'rule: a failed start creates nothing — `serve` with %s is refused in one French line naming the file and the cause, exit 1, the data directory unchanged',
    (_name, fault) => {
      const dataDir = mkdtempSync(join(root, 'serve-'));
      const file = join(dataDir, 'jalon.sqlite');
      fault.make(file);

      const run = spawnSync(process.execPath, [CLI, 'serve'], { env: { ...process.env, DATA_DIR: dataDir, PORT: '0' }, encoding: 'utf8', timeout: 30_000 });

      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(refusal(file, fault.cause));
      expect(readdirSync(dataDir)).toEqual(['jalon.sqlite']);
    },
  );

  it.each(FAULTS.map((fault) => [fault.name, fault] as const))(
    'rule: a failed start creates nothing — `status` (a command that only reads) with %s is refused in one French line naming the file and the cause, exit 1, the data directory unchanged',
    (_name, fault) => {
      const dataDir = mkdtempSync(join(root, 'status-'));
      const file = join(dataDir, 'jalon.sqlite');
      fault.make(file);

      const run = jalon(['status'], dataDir);

      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(refusal(file, fault.cause));
      expect(readdirSync(dataDir)).toEqual(['jalon.sqlite']);
    },
  );
});
