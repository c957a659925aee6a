import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertBuilt, jalon } from './cli';
import { fr } from '../../libs/reporting/src/testing/french-spaces';
import { unzipSync } from 'fflate';
import { PROJECTIONS } from '@jalon/projections';

/** The read side from the command line, on the demo history: what issue #4 says must hold. */
describe('jalon report / replay / status, end to end', () => {
  let dataDir: string;
  beforeAll(() => {
    assertBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'jalon-e2e-reports-'));
    expect(jalon(['demo'], dataDir).status).toBe(0);
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const report = (...args: string[]) => {
    const result = jalon(['report', ...args], dataDir);
    expect(result.stderr).toBe('');
    return result.stdout;
  };

  it('shows the 786 000,00 € forecast over 2021–2024 and the 100 000,00 € Banque des Territoires commitment', () => {
    const budget = report('budget', '--antenna', 'montbeliard');
    for (const year of ['2021', '2022', '2023', '2024']) expect(budget).toMatch(new RegExp(`^ *${year} `, 'm')); // years are numbers: right-aligned
    expect(budget).toMatch(/^Total +786\u202f000,00\u00a0€ +786\u202f000,00\u00a0€ +100\u202f000,00\u00a0€/m);
    expect(budget).toContain('Banque des Territoires');
  });

  it('reconciles every tranche of the demo and flags the reversed and the unreceived release', () => {
    const funding = report('funding', '--antenna', 'montbeliard');
    expect(funding).toMatch(/Première tranche .* Reçue .* 40\u202f000,00\u00a0€ .* VIR-BDT-2021-0915/);
    expect(funding).toMatch(/Deuxième tranche .* Reçue .* 30\u202f000,00\u00a0€ .* VIR-BDT-2022-0705/);
    expect(funding).toMatch(/Troisième tranche .* Versée .* 04\/09\/2023/);
    expect(funding).toMatch(/Versement annulé/);
    expect(funding).toMatch(/Versement non reçu dans le délai/);
  });

  it('watches the tranche schedule: tranche 3 released 66 days after its due date, due and not released as of 2023-07-31, in the échéancier', () => {
    const funding = report('funding', '--antenna', 'montbeliard');
    expect(funding).toContain(fr('Échéance le 30/06/2023, versé le 04/09/2023 (30 000,00 €) : 66 jours après l’échéance.'));
    expect(funding).toMatch(/Reste à encaisser/);
    expect(funding).toMatch(/30\u202f000,00\u00a0€ +32\u202f800,00\u00a0€/); // reste à encaisser, solde
    expect(report('funding', '--antenna', 'montbeliard', '--as-of', '2023-07-31')).toContain(
      fr('Échéance le 30/06/2023 (30 000,00 € prévus), toujours pas versée au 31/07/2023 : 31 jours de retard.'),
    );
    expect(report('echeancier', '--as-of', '2023-07-31')).toMatch(/En retard +30\/06\/2023 +31 /);
    expect(report('echeancier', '--as-of', '2023-06-01', '--within-days', '29')).toMatch(/À échoir +30\/06\/2023 +29 /);
  });

  it('rule: every report is the same from the live read model and after `jalon replay`', () => {
    const kinds = [['budget'], ['budget', '--antenna', 'montbeliard'], ['funding'], ['phases', '--antenna', 'montbeliard'], ['kpis'], ['history', '--antenna', 'montbeliard']];
    const before = kinds.map((args) => report(...args, '--format', 'json'));
    const replay = jalon(['replay'], dataDir);
    // Numbers written the French way: a decimal comma, thousands apart (« 0,01 s », « 3 020 événements/s »).
    expect(replay.stdout).toMatch(/événements rejoués en \d+,\d\d s \([\d\u202f]+ événements\/s\), 7 projections reconstruites/);
    expect(kinds.map((args) => report(...args, '--format', 'json'))).toEqual(before);
    // The budget read model, at its current version, caught up and serving.
    const budget = PROJECTIONS.find((projection) => projection.name === 'budget')!;
    expect(jalon(['status'], dataDir).stdout).toMatch(new RegExp(`budget@${budget.version} +position +\\d+ +retard +0 événement`));
  });

  it('rule: --as-of and --known-at change the figures exactly as the history says (tranche 3 released, reversed, released again)', () => {
    const released = (args: string[]) => /^Total .*$/m.exec(report('budget', '--antenna', 'montbeliard', ...args))![0];
    expect(released(['--as-of', '2023-07-05'])).toMatch(/100\u202f000,00\u00a0€ +100\u202f000,00\u00a0€ +70\u202f000,00\u00a0€/);
    expect(released(['--as-of', '2023-07-31'])).toMatch(/100\u202f000,00\u00a0€ +70\u202f000,00\u00a0€ +70\u202f000,00\u00a0€/);
    expect(released(['--as-of', '2023-09-30'])).toMatch(/100\u202f000,00\u00a0€ +100\u202f000,00\u00a0€ +70\u202f000,00\u00a0€/);
    // The demo records each fact now; what is known "now minus nothing" is everything. Only the heading
    // « Connu au … » names the instant asked for, as precisely as it was given (to the millisecond here).
    const heading = /^Connu au \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}(,\d{3})?$/m;
    const figuresOf = (text: string) => text.replace(heading, 'Connu au (instant demandé)');
    const knownNow = report('kpis', '--known-at', new Date().toISOString());
    expect(knownNow).toMatch(heading);
    expect(figuresOf(knownNow)).toBe(figuresOf(report('kpis', '--known-at', new Date(Date.now() + 1000).toISOString())));
    expect(report('kpis', '--known-at', '2020-01-01T00:00:00Z')).not.toBe(report('kpis'));
  });

  it('writes CSV for a French spreadsheet (a ZIP of one CSV per table for a report of several tables) and XLSX files with --out', () => {
    const zipFile = join(dataDir, 'budget.zip');
    report('budget', '--antenna', 'montbeliard', '--format', 'csv', '--out', zipFile);
    const csv = Buffer.from(unzipSync(readFileSync(zipFile))['01-budget-par-annee.csv']!);
    expect(csv.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.toString('utf8')).toContain('786000,00');
    const xlsxFile = join(dataDir, 'funding.xlsx');
    jalon(['report', 'funding', '--format', 'xlsx', '--out', xlsxFile], dataDir);
    expect(readFileSync(xlsxFile).subarray(0, 2).toString()).toBe('PK');
  });

  it('refuses a bad date or an unknown antenna with a clear message and a non-zero exit', () => {
    const bad = jalon(['report', 'budget', '--as-of', '22/06/2022'], dataDir);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/asOf doit être une date ISO valide/);
    const unknown = jalon(['report', 'budget', '--antenna', 'atlantis'], dataDir);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/Antenne inconnue/);
  });
});
