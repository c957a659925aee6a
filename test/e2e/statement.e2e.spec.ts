import ExcelJS from 'exceljs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertBuilt, jalon } from './cli';

/**
 * Issue 14: « a statement of expenditure per agreement (« état récapitulatif des dépenses ») for a
 * chosen period, as XLSX and PDF, listing releases, receipts and the expenditures charged to the
 * agreement with their documents' references, and carrying the seal it was produced under
 * (position and root hash), so the funder can verify it. »
 */
describe('jalon report etat-depenses, end to end on the demo', () => {
  let dataDir: string;
  beforeAll(() => {
    assertBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'jalon-e2e-statement-'));
    expect(jalon(['demo'], dataDir).status).toBe(0);
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is produced under a seal of the log that it names (size and root hash), one the log really holds', () => {
    const result = jalon(['report', 'etat-depenses', '--antenna', 'montbeliard', '--format', 'json'], dataDir);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as { data: { seal: { treeSize: number; rootHash: string; lastPosition: string }; totals: Record<string, number> } };
    expect(report.data.totals).toEqual({ releasedCents: 10_000_000, receivedCents: 7_000_000, spentCents: 3_720_000, balanceCents: 3_280_000 });
    const seals = jalon(['events', 'integrity-seals', '--json'], dataDir);
    expect(seals.status).toBe(0);
    expect(seals.stdout).toContain(report.data.seal.rootHash);
    expect(seals.stdout).toContain(`"treeSize":${report.data.seal.treeSize}`);
  });

  it('writes the period asked for as XLSX (the seal on its own sheet) and as PDF', async () => {
    const xlsx = join(dataDir, 'etat.xlsx');
    const pdf = join(dataDir, 'etat.pdf');
    const period = ['--from', '2022-01-01', '--to', '2022-12-31'];
    expect(jalon(['report', 'etat-depenses', '--antenna', 'montbeliard', ...period, '--format', 'xlsx', '--out', xlsx], dataDir).status).toBe(0);
    expect(jalon(['report', 'etat-depenses', '--antenna', 'montbeliard', ...period, '--format', 'pdf', '--out', pdf], dataDir).status).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsx);
    const cells = workbook.worksheets.flatMap((sheet) => sheet.getSheetValues().flat().map(String));
    expect(cells.some((cell) => /^[0-9a-f]{64}$/.test(cell))).toBe(true); // the seal's root hash
    expect(readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('refuses an unknown agreement in French, writing nothing', () => {
    const result = jalon(['report', 'etat-depenses', '--antenna', 'montbeliard', '--agreement', 'inconnue'], dataDir);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('Convention de financement inconnue');
  });
});
