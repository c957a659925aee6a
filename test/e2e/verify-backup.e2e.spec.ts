/**
 * End to end, as the compiled CLI runs: `jalon verify`, `jalon export-audit --latest-seal`,
 * `jalon prove-extends --latest-seal`, `jalon events`, `jalon report` and `jalon status` on a
 * backup kept on a read-only medium (an auditor's copy, a write-blocked disk). As root, `chmod`
 * stops nothing: the medium is a small tmpfs remounted read-only for real. The verification reads
 * the log as it is there, alters nothing, and finds a change made before the medium was locked;
 * the export proves the antenna's events under the backup's latest seal, writing nothing there.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mountSmallDisk, SmallDisk } from '../support/small-disk';
import { assertBuilt, jalon } from './cli';

describe('jalon verify and export-audit on a backup on a read-only medium', () => {
  let disk: SmallDisk;
  let dataDir: string;
  /** Every file of the data directory, byte for byte. */
  const contents = () =>
    Object.fromEntries(
      readdirSync(dataDir, { recursive: true, encoding: 'utf8' })
        .filter((name) => statSync(join(dataDir, name)).isFile())
        .map((name) => [name, createHash('sha256').update(readFileSync(join(dataDir, name))).digest('hex')]),
    );

  /** Runs `work` with the medium locked read-only, unlocked after whatever happens. */
  const whileLocked = (work: () => void) => {
    disk.readOnly();
    try {
      work();
    } finally {
      disk.readWrite();
    }
  };
  /** What a command says on stderr, alone, when it reads the log from a copy. */
  const readFromCopy = (what: string) => new RegExp(`^Support en lecture seule : le journal est ${what} sur une copie, .*jalon\\.sqlite, supprimée à la fin\\.\\n$`);
  /** The refusal of a statement of expenditure on a data directory that cannot be written, key or no key. */
  const statementRefused = () =>
    `Erreur STORE.READ_ONLY : un état des dépenses scelle le journal et demande donc un dossier de données où l’on peut écrire ; ${dataDir} ne peut pas être écrit ` +
    '(une sauvegarde sur un support en lecture seule ?) : rien n’a été écrit. Produisez l’état sur le dossier de données d’origine.\n';
  /** A proof command without --latest-seal must seal first, which a read-only medium refuses: exit 1, the option named. */
  const expectRefusedNamingLatestSeal = (args: readonly string[]) => {
    const sealing = jalon([...args], dataDir);
    expect(sealing.status).toBe(1);
    expect(sealing.stderr).toContain('--latest-seal');
  };

  beforeAll(() => {
    assertBuilt();
    disk = mountSmallDisk(32 * 1024);
    dataDir = join(disk.path, 'sauvegarde');
  });
  afterAll(() => disk.unmount());

  it('rule: an audit export of a backup on a read-only medium is proved under its latest seal, without sealing: it verifies offline, names what it leaves out, and nothing on the medium changed; its streams are listed there too', () => {
    const exportDir = mkdtempSync(join(tmpdir(), 'jalon-export-'));
    const file = join(exportDir, 'montbeliard.jsonl');
    try {
      expect(jalon(['demo'], dataDir).status).toBe(0);
      expect(jalon(['seal'], dataDir).stdout).toContain('Journal scellé : 43 événement(s)');
      // Recorded after the last seal: not proved by it.
      expect(jalon(['users', 'add', '--name', 'Julien Bernard', '--role', 'finance'], dataDir).status).toBe(0);
      const before = contents();

      whileLocked(() => {
        expectRefusedNamingLatestSeal(['export-audit', '--antenna', 'montbeliard', '--out', file]);
        const exported = jalon(['export-audit', '--antenna', 'montbeliard', '--latest-seal', '--out', file], dataDir);
        expect(exported.stderr).toMatch(readFromCopy('lu'));
        expect(exported.stdout).toContain('Sceau utilisé : le dernier du journal, position 44 ; 1 événement(s) enregistré(s) après lui n’y figure(nt) pas.');
        expect(exported.stdout).toContain('Export d’audit de l’antenne montbeliard : 37 événement(s) de 4 flux');
        expect(exported.status).toBe(0);
        // A stream is read there too, as it is.
        const listed = jalon(['events', 'antenna-montbeliard'], dataDir);
        expect(listed.stderr).toMatch(readFromCopy('lu'));
        expect(listed.stdout).toMatch(/AntennaInaugurated v1 {2}effet 2022-06-22/);
        expect(listed.stdout).toMatch(/\n\d+ événement\(s\)\.\n$/);
        expect(listed.status).toBe(0);
        expect(contents()).toEqual(before);
      });

      const checked = jalon(['verify-export', file], dataDir);
      expect(checked.stdout).toContain('Sceau : 43 événement(s)');
      expect(checked.status).toBe(0);
    } finally {
      rmSync(exportDir, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('rule: on a backup on a read-only medium, the proof that an older seal’s log is the unchanged start of the log is made up to its latest seal, without sealing; it verifies offline, and nothing on the medium changed', () => {
    const proofDir = mkdtempSync(join(tmpdir(), 'jalon-proof-'));
    const proof = join(proofDir, 'extends.json');
    try {
      expect(jalon(['demo'], dataDir).status).toBe(0);
      const publicKey = /Clé publique de scellement : (\S+)/.exec(jalon(['seal'], dataDir).stdout)?.[1];
      expect(publicKey).toBeDefined();
      expect(jalon(['users', 'add', '--name', 'Inès Lefèvre', '--role', 'auditor'], dataDir).status).toBe(0);
      expect(jalon(['seal'], dataDir).status).toBe(0);
      // Recorded after the last seal: not covered by the proof.
      expect(jalon(['users', 'add', '--name', 'Julien Bernard', '--role', 'finance'], dataDir).status).toBe(0);
      const before = contents();

      whileLocked(() => {
        expectRefusedNamingLatestSeal(['prove-extends', '--from-seal', '43', '--out', proof]);
        const proved = jalon(['prove-extends', '--from-seal', '43', '--latest-seal', '--out', proof], dataDir);
        expect(proved.stderr).toMatch(readFromCopy('lu'));
        expect(proved.stdout).toContain('Sceau utilisé : le dernier du journal, position 46 ; 1 événement(s) enregistré(s) après lui n’y figure(nt) pas.');
        expect(proved.stdout).toContain('est le début, inchangé, du journal scellé');
        expect(proved.status).toBe(0);
        expect(contents()).toEqual(before);
      });
      expect(jalon(['verify-extends', proof, '--public-key', publicKey!], dataDir).status).toBe(0);
    } finally {
      rmSync(proofDir, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('rule: reports and status of a backup on a read-only medium are produced from it as it is, the read models brought up to date in a temporary copy; nothing on the medium changes, and a statement, which seals the log, is refused in French', () => {
    const temporary = () => readdirSync(tmpdir()).filter((name) => name.startsWith('jalon-lecture-'));
    try {
      expect(jalon(['demo'], dataDir).status).toBe(0);
      const before = contents();
      const copiesBefore = temporary();

      whileLocked(() => {
        const budget = jalon(['report', 'budget', '--antenna', 'montbeliard'], dataDir);
        expect(budget.stderr).toContain(`Dossier de données en lecture seule (${dataDir}) : rien n’y est modifié`);
        expect(budget.stdout).toMatch(/^Total\s+786\s000,00\s€/m);
        expect(budget.status).toBe(0);
        const status = jalon(['status'], dataDir);
        expect(status.stdout).toMatch(/^Journal : position \d+ \(sqlite\)$/m);
        expect(status.status).toBe(0);
        const statement = jalon(['report', 'etat-depenses', '--antenna', 'montbeliard', '--format', 'xlsx', '--out', join(tmpdir(), 'jalon-etat-refuse.xlsx')], dataDir);
        expect(statement.stderr).toContain(`\n${statementRefused()}`);
        expect(statement.status).toBe(1);
        expect(contents()).toEqual(before);
      });
      // The temporary copies are gone.
      expect(temporary()).toEqual(copiesBefore);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it.each([
    ['holds no seal key', []],
    ['holds the seal key, events recorded after its last seal', [['seal'], ['users', 'add', '--name', 'Julien Bernard', '--role', 'finance']]],
    ['holds the seal key, the log sealed to its end', [['seal']]],
  ] as const)(
    'rule: a statement of expenditure (which seals the log) of a data directory on a read-only medium that %s is refused STORE.READ_ONLY, in French, saying it needs a writable data directory; exit 1, nothing written',
    (_case, before) => {
      const out = mkdtempSync(join(tmpdir(), 'jalon-statement-'));
      try {
        expect(jalon(['demo'], dataDir).status).toBe(0);
        for (const args of before) expect(jalon([...args], dataDir).status).toBe(0);
        const files = contents();

        whileLocked(() => {
          const statement = jalon(['report', 'etat-depenses', '--antenna', 'montbeliard', '--format', 'xlsx', '--out', join(out, 'etat.xlsx')], dataDir);
          const [notice, ...refusal] = statement.stderr.split('\n');
          expect(notice).toContain(`Dossier de données en lecture seule (${dataDir}) : rien n’y est modifié`);
          expect(refusal.join('\n')).toBe(statementRefused());
          expect(statement.stdout).toBe('');
          expect(statement.status).toBe(1);
          expect(contents()).toEqual(files);
        });
        expect(readdirSync(out)).toEqual([]);
      } finally {
        rmSync(out, { recursive: true, force: true });
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  );

  it('rule: reports and status of a backup on a read-only medium whose read-models.sqlite is a folder are refused (READ_MODEL.STORAGE_FAILED) naming the file in the data directory, in French, exit 1, nothing written', () => {
    const temporary = () => readdirSync(tmpdir()).filter((name) => name.startsWith('jalon-lecture-'));
    const readModels = join(dataDir, 'read-models.sqlite');
    try {
      expect(jalon(['demo'], dataDir).status).toBe(0);
      rmSync(readModels);
      mkdirSync(readModels);
      const before = contents();
      const copiesBefore = temporary();

      whileLocked(() => {
        for (const args of [['report', 'budget', '--antenna', 'montbeliard'], ['status']]) {
          const run = jalon(args, dataDir);
          expect(run.stderr).toBe(`Erreur READ_MODEL.STORAGE_FAILED : les modèles de lecture ne peuvent pas être lus : ${readModels} est un dossier, pas un fichier. Rien n’a été écrit dans le dossier de données.\n`);
          expect(run.stdout).toBe('');
          expect(run.status).toBe(1);
        }
        expect(contents()).toEqual(before);
        expect(readdirSync(readModels)).toEqual([]);
      });
      expect(temporary()).toEqual(copiesBefore);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('rule: a backup on a read-only medium is verified as it is: intact, exit 0, nothing on the medium changed; once one byte was altered before, exit 1 naming the event', () => {
    expect(jalon(['demo'], dataDir).status).toBe(0);
    const before = contents();

    whileLocked(() => {
      const verified = jalon(['verify'], dataDir);
      expect(verified.stdout).toContain('Journal vérifié : intact.');
      expect(verified.stdout).toContain('43 événement(s)');
      expect(verified.stderr).toMatch(readFromCopy('vérifié'));
      expect(verified.status).toBe(0);
      expect(contents()).toEqual(before);
    });

    const db = new Database(join(dataDir, 'jalon.sqlite'));
    const row = db
      .prepare<[], { position: number; stream_id: string; revision: number; data: string }>("SELECT position, stream_id, revision, data FROM events WHERE type = 'BudgetTrancheReleased' ORDER BY position LIMIT 1")
      .get()!;
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run(row.data.replace(/"amountCents":(\d)/, (_m, digit: string) => `"amountCents":${(Number(digit) + 1) % 10}`), row.position);
    db.close();

    whileLocked(() => {
      const refused = jalon(['verify'], dataDir);
      expect(refused.status).toBe(1);
      expect(refused.stdout).toContain(`Position ${row.position}, flux ${row.stream_id}, révision ${row.revision} : son contenu`);
    });
  });
});
