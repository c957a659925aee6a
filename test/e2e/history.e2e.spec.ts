import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertBuilt, jalon } from './cli';

/** The programme-wide audit trail from the command line, on the demo history: filters, pages, exports. */
describe('jalon report history, end to end', () => {
  let dataDir: string;
  beforeAll(() => {
    assertBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'jalon-e2e-history-'));
    expect(jalon(['demo'], dataDir).status).toBe(0);
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const history = (...args: string[]) => {
    const result = jalon(['report', 'history', ...args], dataDir);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    return result.stdout;
  };

  it('rule: without --antenna the trail covers the whole programme, in French, with no id and no ISO date', () => {
    const table = history();
    expect(table).toMatch(/^Journal d’audit du programme/);
    expect(table).toContain('Programme « Au cœur des territoires » lancé par Cnam');
    expect(table).toContain('Tranche « Troisième tranche » versée par Banque des Territoires');
    expect(table).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    for (const id of ['bdt-amorcage-montbeliard', 'tranche-3', 'phase-2-portes-du-jura', 'ami-2--pays-de-montbeliard']) expect(table).not.toContain(id);
  });

  it('rule: --from/--to (effective dates), --actor, --event filter; --page/--page-size paginate and the JSON carries the total', () => {
    const releases = JSON.parse(history('--event', 'BudgetTrancheReleased', '--actor', 'demo-service-financier', '--from', '2022-01-01', '--to', '2023-12-31', '--format', 'json'));
    // Tranche 2 (05/07/2022), tranche 3 (03/07/2023), tranche 3 again after its reversal (04/09/2023).
    expect(releases.data.entries.map((entry: { effectiveDate: string }) => entry.effectiveDate)).toEqual(['2022-07-05', '2023-07-03', '2023-09-04']);
    expect(releases.notes[0]).toBe('Filtres : date d’effet du 01/01/2022 au 31/12/2023, enregistré par Service financier (démo), événements « Tranche versée ».');
    const all = JSON.parse(history('--format', 'json')).data;
    const page = JSON.parse(history('--page', '2', '--page-size', '5', '--order', 'desc', '--format', 'json')).data;
    expect(page).toMatchObject({ total: all.total, page: 2, pageSize: 5, pageCount: Math.ceil(all.total / 5) });
    expect(page.entries.map((entry: { position: string }) => entry.position)).toEqual(all.entries.slice(-10, -5).reverse().map((entry: { position: string }) => entry.position));
  });

  it('rule: the same filters export as CSV for a French spreadsheet', () => {
    const file = join(dataDir, 'reversals.csv');
    history('--event', 'TrancheReleaseReversed', '--format', 'csv', '--out', file);
    const csv = readFileSync(file, 'utf8');
    expect(csv).toContain('Versement du 03/07/2023 annulé');
    expect(csv).not.toContain('Tranche « Première tranche »');
  });

  it('rule: a bad filter is refused naming it, with exit code 1', () => {
    const result = jalon(['report', 'history', '--from', '2023-01-01', '--to', '2022-01-01'], dataDir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('to');
    expect(result.stderr).toContain('ne peut pas précéder');
  });
});
