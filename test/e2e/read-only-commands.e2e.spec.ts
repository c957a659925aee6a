import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertBuilt, jalon } from './cli';

/**
 * End to end, as the compiled CLI runs: the commands that only read the log, run against a mistyped
 * DATA_DIR, refuse in French naming the file they looked for, exit with 1, and create nothing there
 * (no store, no read-model file, no folder). A new, empty store would otherwise read as a history
 * of 0 events, which `verify` calls intact.
 */
describe('jalon read-only commands on a DATA_DIR that holds no store', () => {
  let root: string;
  beforeAll(() => {
    assertBuilt();
    root = mkdtempSync(join(tmpdir(), 'jalon-read-only-e2e-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const COMMANDS: readonly (readonly string[])[] = [
    ['verify'],
    ['status'],
    ['events', 'antenna-montbeliard'],
    ['seal'],
    ['report', 'budget'],
    ['replay'],
    ['compact'],
    ['upgrade'],
    ['users', 'list'],
    ['export-audit'],
    ['prove-extends', '--from-seal', '1'],
  ];

  it.each(COMMANDS.map((args) => [args.join(' '), args] as const))(
    'rule: `%s` on a DATA_DIR that does not exist is refused (STORE.NOT_FOUND, naming the file), exit 1, and creates nothing',
    (_name, args) => {
      const dataDir = join(root, `missing-${args[0]}-${args.length}`);

      const run = jalon([...args], dataDir);

      expect(run.status).toBe(1);
      expect(run.stderr).toBe(
        `Erreur STORE.NOT_FOUND : aucun magasin d’événements à lire : ${join(dataDir, 'jalon.sqlite')} n’existe pas ` +
          `(le dossier ${dataDir} n’existe pas non plus) ; vérifiez DATA_DIR. Rien n’a été créé.\n`,
      );
      expect(run.stdout).toBe('');
      expect(existsSync(dataDir)).toBe(false);
    },
  );

  it.each(COMMANDS.map((args) => [args.join(' '), args] as const))(
    'rule: `%s` on an existing folder without jalon.sqlite is refused (STORE.NOT_FOUND, naming the file), exit 1, and writes nothing in it',
    (_name, args) => {
      const dataDir = join(root, `empty-${args[0]}-${args.length}`);
      mkdirSync(dataDir);

      const run = jalon([...args], dataDir);

      expect(run.status).toBe(1);
      expect(run.stderr).toBe(
        `Erreur STORE.NOT_FOUND : aucun magasin d’événements à lire : ${join(dataDir, 'jalon.sqlite')} n’existe pas ` +
          `(le dossier ${dataDir} ne contient pas de magasin) ; vérifiez DATA_DIR. Rien n’a été créé.\n`,
      );
      expect(run.stdout).toBe('');
      expect(readdirSync(dataDir)).toEqual([]);
    },
  );
});
