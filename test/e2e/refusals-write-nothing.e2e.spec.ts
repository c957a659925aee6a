import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mountSmallDisk, SmallDisk } from '../support/small-disk';
import { assertBuilt, jalon } from './cli';

/**
 * What an audit of the command line found written although the command was refused, or lost
 * because it failed: a seal appended before a bad `--from-seal` or `--out` was refused, a report
 * written over the previous file on a full disk, a sheet of expenditures imported with a forecast's
 * date it ignored. A refusal writes nothing; a failure leaves what was there.
 */
describe('jalon: a refused or failed command writes nothing and loses nothing', () => {
  let demo: string;
  let dataDir: string;
  beforeAll(() => {
    assertBuilt();
    demo = mkdtempSync(join(tmpdir(), 'jalon-e2e-refusals-demo-'));
    expect(jalon(['demo'], demo).status).toBe(0);
  });
  afterAll(() => rmSync(demo, { recursive: true, force: true }));
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'jalon-e2e-refusals-'));
    cpSync(demo, dataDir, { recursive: true });
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  /** The events of the log (a seal is one): the same count after a refusal. */
  const eventCount = () => {
    const listed = jalon(['verify'], dataDir);
    expect(listed.status).toBe(0);
    return Number(/(\d+) événement/.exec(listed.stdout)?.[1]);
  };

  it('rule: a proof from a seal that is not in the log is refused before the log is sealed (export-audit, prove-extends)', () => {
    // An event the latest seal does not cover: a proof made now would seal it first.
    expect(jalon(['users', 'add', '--name', 'Zoé Martin', '--role', 'auditor'], dataDir).status).toBe(0);
    const before = eventCount();
    for (const args of [
      ['prove-extends', '--from-seal', 'abc'],
      ['export-audit', '--antenna', 'montbeliard', '--from-seal', 'abc', '--out', join(dataDir, 'piste.jsonl')],
    ]) {
      const refused = jalon(args, dataDir);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/^Erreur INTEGRITY\.SEAL_NOT_FOUND : abc n’est ni une taille de sceau ni un fichier/m);
      expect(`${refused.stdout}${refused.stderr}`).not.toMatch(/scellé/);
    }
    expect(eventCount()).toBe(before);
    expect(existsSync(join(dataDir, 'piste.jsonl'))).toBe(false);
  });

  it('rule: a statement of expenditure to a path that cannot be written is refused before the log is sealed for it', () => {
    expect(jalon(['users', 'add', '--name', 'Zoé Martin', '--role', 'auditor'], dataDir).status).toBe(0);
    const before = eventCount();
    const refused = jalon(['report', 'etat-depenses', '--antenna', 'montbeliard', '--format', 'pdf', '--out', join(dataDir, 'absent', 'etat.pdf')], dataDir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/son dossier n’existe pas/);
    expect(refused.stdout).not.toMatch(/scellé/);
    expect(eventCount()).toBe(before);
    // An empty --out is refused as such, not taken for « no file ».
    const empty = jalon(['report', 'budget', '--out', ''], dataDir);
    expect([empty.status, empty.stdout]).toEqual([1, '']);
    expect(empty.stderr).toMatch(/l’option --out est vide/);
  });

  describe('on a disk that fills up', () => {
    let disk: SmallDisk;
    beforeEach(() => {
      disk = mountSmallDisk(1024);
    });
    afterEach(() => disk.unmount());

    it('rule: a report (or a template) written over a file on a full disk leaves that file whole, and no other (it once left a cut 4 KB file)', () => {
      const out = join(disk.path, 'budget.zip');
      expect(jalon(['report', 'budget', '--antenna', 'montbeliard', '--format', 'csv', '--out', out], dataDir).status).toBe(0);
      const whole = readFileSync(out);
      disk.fill();
      const failed = jalon(['report', 'history', '--format', 'pdf', '--out', out], dataDir);
      expect(failed.status).toBe(1);
      expect(failed.stderr).toMatch(/disque est plein/);
      expect(readFileSync(out).equals(whole)).toBe(true);
      const template = jalon(['import-sheet', '--template', 'budget', '--out', join(disk.path, 'modele.xlsx')], dataDir);
      expect(template.status).toBe(1);
      expect(readdirSync(disk.path).sort()).toEqual(['budget.zip', 'filler']);
    });
  });

  it('rule: a template is written under a name of its format (.xlsx, .csv); another name is refused', () => {
    const refused = jalon(['import-sheet', '--template', 'budget', '--out', join(dataDir, 'modele.doc')], dataDir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/modele\.doc doit finir par \.xlsx ou \.csv/);
    expect(existsSync(join(dataDir, 'modele.doc'))).toBe(false);
  });

  it('rule: a sheet of expenditures refuses the forecast’s --effective-date and --reason, which it would ignore, and writes nothing', () => {
    const sheet = join(dataDir, 'depenses.csv');
    writeFileSync(sheet, 'Identifiant;Date;Catégorie;Montant;Description\nloyer-2024-t3;30/09/2024;Locaux;4 500,00;Loyer\n', 'utf8');
    const before = eventCount();
    const refused = jalon(['import-sheet', sheet, '--antenna', 'montbeliard', '--kind', 'expenditures', '--effective-date', 'garbage'], dataDir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/effectiveDate ne s’applique qu’à l’import du budget prévisionnel/);
    expect(eventCount()).toBe(before);
  });

  it('rule: status says when the read models cannot be read (a folder in place of their file), exit 1, rather than projections at 0 serving the reads', () => {
    for (const name of readdirSync(dataDir).filter((file) => file.startsWith('read-models.sqlite'))) rmSync(join(dataDir, name));
    mkdirSync(join(dataDir, 'read-models.sqlite'));
    const status = jalon(['status'], dataDir);
    expect(status.status).toBe(1);
    expect(status.stdout).toMatch(/^Journal : position \d+/);
    expect(status.stdout).not.toMatch(/sert les lectures/);
    expect(status.stderr).toMatch(/^Projections : erreur READ_MODEL\.STORAGE_FAILED : les modèles de lecture \(read-models\.sqlite\) ne peuvent pas être ouverts/);
  });
});
