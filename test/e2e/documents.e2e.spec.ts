/**
 * End to end: `jalon verify` (the CLI program, in a child process) checks the supporting documents
 * the log names: a file altered since it was attached, or missing, is named and exits 1.
 */
import { CommandExecutor, timeOrderedIds, runCommand } from '@jalon/application';
import { DocumentStore, SqliteEventStore } from '@jalon/event-store';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FINANCE_OFFICER } from '../../apps/cli/src/demo/montbeliard-history';
import { recordDemoHistory } from '../support/demo-history';
import { tsNodeArgs } from '../support/spawn-ts';

const MAIN = join(__dirname, '..', '..', 'apps', 'cli', 'src', 'main.ts');

function jalon(args: string[], dataDir: string) {
  const result = spawnSync(process.execPath, tsNodeArgs(MAIN, ...args), { env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('jalon verify and supporting documents, end to end', () => {
  let dir: string;
  const invoice = Buffer.from('%PDF-1.4\nFacture F-2022-061 : cocktail d’inauguration\n%%EOF\n', 'utf8');
  const statement = Buffer.from('Date;Libellé;Montant\n2022-07-19;VIR BDT;30000,00\n', 'utf8');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-documents-e2e-'));
    const store = SqliteEventStore.open({ file: join(dir, 'jalon.sqlite') });
    try {
      await recordDemoHistory(store);
      // What an upload does: the bytes first, then the event through the one command path.
      const documents = new DocumentStore(join(dir, 'documents'));
      const executor = new CommandExecutor({ store, clock: { now: () => new Date('2024-03-15T09:00:00Z') }, ids: timeOrderedIds, timeZone: 'Europe/Paris' });
      const attach = async (command: string, bytes: Buffer, fileName: string, mediaType: string, subject: Record<string, unknown>) => {
        const { sha256, sizeBytes } = await documents.put(bytes);
        await runCommand(executor, command, { antennaId: 'montbeliard', subject, sha256, fileName, sizeBytes, mediaType, effectiveDate: '2024-03-15' }, FINANCE_OFFICER);
        return sha256;
      };
      invoiceSha = await attach('AttachBudgetDocument', invoice, 'facture-inauguration.pdf', 'application/pdf', { kind: 'expenditure', expenditureId: 'inauguration-2022' });
      statementSha = await attach('AttachFundingDocument', statement, 'releve-juillet-2022.csv', 'text/csv', {
        kind: 'tranche-receipt',
        agreementId: 'bdt-amorcage-montbeliard',
        trancheId: 'tranche-2',
      });
    } finally {
      await store.close();
    }
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let invoiceSha = '';
  let statementSha = '';
  const pathOf = (sha: string) => join(dir, 'documents', sha.slice(0, 2), sha.slice(2, 4), sha);

  it('rule: with every document intact, verify exits 0 and says it read them', () => {
    const verified = jalon(['verify'], dir);
    expect(verified.stdout).toContain('Journal vérifié : intact.');
    expect(verified.stdout).toContain('2 fichier(s) justificatif(s) relu(s)');
    expect(verified.status).toBe(0);
  }, 120_000);

  it('rule: files no event names (an upload refused or cut short after its bytes were stored, a temporary a stop left) are listed by verify, which still exits 0: they prove nothing, and do not go unseen', async () => {
    const orphan = Buffer.from('%PDF-1.4\nDevis refusé\n%%EOF\n', 'utf8');
    const { sha256: orphanSha } = await new DocumentStore(join(dir, 'documents')).put(orphan);
    const leftover = join(dir, 'documents', invoiceSha.slice(0, 2), invoiceSha.slice(2, 4), `.${invoiceSha}.0a1b2c3d4e5f.tmp`);
    writeFileSync(leftover, 'moitié');
    const verified = jalon(['verify'], dir);
    expect(verified.status).toBe(0);
    expect(verified.stdout).toContain('Journal vérifié : intact.');
    expect(verified.stdout).toContain('2 fichier(s) justificatif(s) relu(s)');
    expect(verified.stdout).toMatch(/ 2 fichier\(s\) du dossier des justificatifs \(\d+ octets\) ne sont nommés par aucun événement/);
    expect(verified.stdout).toContain(`    ${pathOf(orphanSha)}\n`);
    expect(verified.stdout).toContain(`    ${leftover}\n`);
    unlinkSync(pathOf(orphanSha));
    unlinkSync(leftover);
    expect(jalon(['verify'], dir).stdout).not.toContain('ne sont nommés par aucun événement');
  }, 120_000);

  it('rule (done when): a stored file altered is reported by jalon verify, naming the event and the file; a missing one too; exit 1', () => {
    writeFileSync(pathOf(invoiceSha), Buffer.concat([invoice, Buffer.from(' ')]));
    unlinkSync(pathOf(statementSha));
    const verified = jalon(['verify'], dir);
    expect(verified.status).toBe(1);
    expect(verified.stdout).toContain('Journal altéré : 2 problème(s).');
    expect(verified.stdout).toMatch(new RegExp(`Position \\d+, flux budget-montbeliard, révision \\d+ : le justificatif « facture-inauguration\\.pdf » \\(empreinte ${invoiceSha}\\) a été modifié`));
    expect(verified.stdout).toMatch(new RegExp(`Position \\d+, flux funding-bdt-amorcage-montbeliard, révision \\d+ : le justificatif « releve-juillet-2022\\.csv » \\(empreinte ${statementSha}\\) est absent`));
  }, 120_000);
});
