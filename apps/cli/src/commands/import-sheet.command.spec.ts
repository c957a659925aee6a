import { loadConfig } from '@jalon/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorLines } from '../error-output';
import { importSheetCommand } from './import-sheet.command';

/** `jalon import-sheet FILE`: a file that cannot be read is said in French, naming the file, before any store is opened. */
describe('jalon import-sheet and the file it is given', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'jalon-import-sheet-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const linesOf = async (file: string): Promise<string[]> => {
    const run = importSheetCommand(() => loadConfig({ DATA_DIR: dataDir })).parseAsync([file, '--antenna', 'montbeliard', '--kind', 'expenditures'], { from: 'user' });
    const error = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (error === undefined) throw new Error('the import ran');
    return errorLines(error);
  };

  it('rule: a missing file, or a folder given as the file, is refused in French naming it, never with the system’s English', async () => {
    const missing = join(dataDir, 'depenses.csv');
    expect(await linesOf(missing)).toEqual([expect.stringContaining(`le fichier ${missing} est introuvable`)]);
    expect(await linesOf(dataDir)).toEqual([expect.stringContaining(`${dataDir} est un dossier, pas un fichier`)]);
    for (const line of [...(await linesOf(missing)), ...(await linesOf(dataDir))]) expect(line).not.toMatch(/ENOENT|EISDIR|no such file|illegal operation/);
  });

  it('rule: a template that cannot be written (its folder missing) is refused in French naming the file', async () => {
    const out = join(dataDir, 'absent', 'modele.xlsx');
    const run = importSheetCommand(() => loadConfig({ DATA_DIR: dataDir })).parseAsync(['--template', 'budget', '--out', out], { from: 'user' });
    const error = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(errorLines(error)).toEqual([`Erreur TRANSFER.FILE_UNWRITABLE : fichier non écrit : ${out} : son dossier n’existe pas (ENOENT)`]);
  });
});
