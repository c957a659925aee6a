import ExcelJS from 'exceljs';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertBuilt, jalon } from './cli';

/** `jalon import-sheet`, as the README shows it, on the demo history. */
describe('jalon import-sheet, end to end', () => {
  let dataDir: string;
  beforeAll(() => {
    assertBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'jalon-e2e-import-'));
    expect(jalon(['demo'], dataDir).status).toBe(0);
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const databaseDigest = () => createHash('sha256').update(readFileSync(join(dataDir, 'jalon.sqlite'))).digest('hex');
  const file = (name: string, text: string) => {
    const path = join(dataDir, name);
    writeFileSync(path, text, 'utf8');
    return path;
  };

  it('rule: `--template KIND --out FILE` writes the template whose first sheet holds the documented headings', async () => {
    const out = join(dataDir, 'modele-depenses.xlsx');
    const written = jalon(['import-sheet', '--template', 'expenditures', '--out', out], dataDir);
    expect(written.stdout).toContain(`Modèle expenditures (XLSX) écrit dans ${out}`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Dépenses', 'Mode d’emploi']);
    expect((workbook.worksheets[0]!.getRow(1).values as unknown[]).slice(1, 7)).toEqual(['Identifiant', 'Date', 'Catégorie', 'Montant', 'Description', 'Accord de financement']);
  });

  it('rule: three bad rows are listed by line and column, exit code 1, and the database file is unchanged (dry run or not)', () => {
    const bad = file(
      'mauvais.csv',
      '\ufeffIdentifiant;Date;Catégorie;Montant;Description\n' +
        'loyer-2024-t1;31/03/2024;Locaux;4 500,00;Loyer\n' +
        'loyer-2024-t2;30/06/2024;Locaux;30.000,00;Loyer\n' +
        'loyer-2024-t3;31/09/2024;Locaux;4 500,00;Loyer\n' +
        'loyer-2024-t4;31/12/2024;Fournitures;4 500,00;Loyer\n',
    );
    const digest = databaseDigest();
    for (const dryRun of [['--dry-run'], []]) {
      const run = jalon(['import-sheet', bad, '--antenna', 'montbeliard', '--kind', 'expenditures', ...dryRun], dataDir);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('Erreur IMPORT.INVALID_ROWS');
      expect(run.stderr).toContain('  - Ligne 3, colonne « Montant » : 30.000,00 n’est pas un montant en euros (ex. 30 000,00)');
      expect(run.stderr).toContain('  - Ligne 4, colonne « Date » : le 31/09/2024 n’existe pas dans le calendrier');
      expect(run.stderr).toContain('  - Ligne 5, colonne « Catégorie » : Fournitures n’est pas une catégorie budgétaire');
    }
    expect(databaseDigest()).toBe(digest);
  });

  it('rule: an auditor (`--as`) cannot import; a finance officer can, once: the same file again writes nothing', () => {
    const good = file('depenses.csv', 'Identifiant;Date;Catégorie;Montant;Description\nloyer-2024-t1;31/03/2024;Locaux;4 500,00;Loyer\nloyer-2024-t2;30/06/2024;Locaux;4 500,00;Loyer\n');
    const auditor = /Utilisateur (\S+) \(auditor\)/.exec(jalon(['users', 'add', '--name', 'Aude Auditrice', '--role', 'auditor'], dataDir).stdout)?.[1];
    const finance = /Utilisateur (\S+) \(finance\)/.exec(jalon(['users', 'add', '--name', 'Julien Bernard', '--role', 'finance'], dataDir).stdout)?.[1];
    const digest = databaseDigest();
    const refused = jalon(['import-sheet', good, '--antenna', 'montbeliard', '--kind', 'expenditures', '--as', auditor!], dataDir);
    expect({ status: refused.status, stderr: refused.stderr }).toEqual({ status: 1, stderr: expect.stringContaining('Erreur AUTH.FORBIDDEN') });
    expect(databaseDigest()).toBe(digest);

    const dry = jalon(['import-sheet', good, '--antenna', 'montbeliard', '--kind', 'expenditures', '--as', finance!, '--dry-run'], dataDir);
    expect(dry.stdout).toContain('Vérification réussie (RecordExpenditures) : 2 lignes ; 2 événement(s) seraient écrits. Rien n’a été écrit.');
    expect(databaseDigest()).toBe(digest);
    const done = jalon(['import-sheet', good, '--antenna', 'montbeliard', '--kind', 'expenditures', '--as', finance!], dataDir);
    expect(done.stdout).toMatch(/^Import enregistré \(RecordExpenditures\) : 2 lignes ; 2 événement\(s\) écrit\(s\) sur budget-montbeliard/);
    const events = jalon(['events', 'budget-montbeliard', '--json'], dataDir).stdout.trim().split('\n').map((line) => JSON.parse(line) as { data: { expenditureId?: string }; metadata: { actor: string } });
    expect(events.slice(-2).map((event) => [event.data.expenditureId, event.metadata.actor])).toEqual([
      ['loyer-2024-t1', finance],
      ['loyer-2024-t2', finance],
    ]);
    const after = databaseDigest();
    const again = jalon(['import-sheet', good, '--antenna', 'montbeliard', '--kind', 'expenditures'], dataDir);
    expect(again.stdout).toContain('Rien à écrire (RecordExpenditures) : 2 lignes, toutes déjà enregistrées telles quelles.');
    expect(databaseDigest()).toBe(after);
  });

  it('rule: the demo’s revised forecast lines imported as a sheet are already recorded: nothing is written', () => {
    const lines = [
      [2021, 'Personnel', '70 000,00'], [2021, 'Locaux', '20 000,00'], [2021, 'Enseignement', '20 000,00'], [2021, 'Communication', '10 000,00'],
      [2022, 'Personnel', '100 000,00'], [2022, 'Locaux', '30 000,00'], [2022, 'Enseignement', '36 000,00'], [2022, 'Équipement', '10 000,00'], [2022, 'Communication', '10 000,00'],
      [2023, 'Personnel', '120 000,00'], [2023, 'Locaux', '40 000,00'], [2023, 'Enseignement', '50 000,00'], [2023, 'Équipement', '15 000,00'], [2023, 'Communication', '5 000,00'],
      [2024, 'Personnel', '130 000,00'], [2024, 'Locaux', '55 000,00'], [2024, 'Enseignement', '45 000,00'], [2024, 'Équipement', '10 000,00'], [2024, 'Communication', '10 000,00'],
    ];
    const sheet = file('budget.csv', `Année;Catégorie;Montant\n${lines.map((line) => `${line[0]};${line[1]};"${line[2]}"`).join('\n')}\n`);
    const digest = databaseDigest();
    const run = jalon(['import-sheet', sheet, '--antenna', 'montbeliard', '--kind', 'budget', '--effective-date', '15/11/2022', '--reason', 'Réaffectation après l’étude opérationnelle de 2022 (illustratif)'], dataDir);
    expect(run.stdout).toContain('Rien à écrire (ReviseBudgetForecast) : 19 lignes');
    expect(databaseDigest()).toBe(digest);
  });
});
