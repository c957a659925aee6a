import {
  Actor,
  describeProblem,
  errorMessageOf,
  IdentityService,
  ImportFileError,
  ImportRejectedError,
  isSheetKind,
  SHEET_KINDS,
  SheetImportOutcome,
  SheetImportService,
  sheetTemplate,
} from '@jalon/application';
import { JalonConfig } from '@jalon/core';
import { writeWholeContent } from '@jalon/event-store';
import { Command, InvalidArgumentError } from 'commander';
import { readFileSync } from 'node:fs';
import { localAdministrator, withCore } from '../core-context';
import { outputFile } from './export.command';

interface ImportSheetOptions {
  antenna?: string;
  kind?: string;
  dryRun?: boolean;
  effectiveDate?: string;
  reason?: string;
  as?: string;
  template?: string;
  out?: string;
}

function kindOption(value: string): string {
  if (!isSheetKind(value)) throw new InvalidArgumentError(`attendu : ${SHEET_KINDS.join(' ou ')}`);
  return value;
}

/** The user the import is recorded as: `--as ID` (an active user, with their role), or the local administrator. */
async function actorOf(identity: IdentityService, userId: string | undefined): Promise<Actor> {
  if (userId === undefined) return localAdministrator();
  const user = (await identity.listUsers()).find((candidate) => candidate.id === userId);
  if (user === undefined) throw new InvalidArgumentError(`--as : aucun utilisateur ne porte l’identifiant ${userId} (voir users list)`);
  if (!user.active) throw new InvalidArgumentError(`--as : l’utilisateur ${userId} est désactivé`);
  return { id: user.id, name: user.name, role: user.role };
}

/** The file's bytes, or a refusal in French naming it (never the system's English: `ENOENT: no such file…`). */
function sheetFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InvalidArgumentError(`le fichier ${file} est introuvable`);
    if (code === 'EISDIR') throw new InvalidArgumentError(`${file} est un dossier, pas un fichier : donnez le tableur à importer (.xlsx ou .csv)`);
    if (code === 'EACCES' || code === 'EPERM') throw new InvalidArgumentError(`le fichier ${file} ne peut pas être lu (accès refusé)`);
    throw new InvalidArgumentError(`le fichier ${file} ne peut pas être lu (${code ?? String(error)})`);
  }
}

function summary(outcome: SheetImportOutcome): string {
  const rows = `${outcome.rows} ligne${outcome.rows > 1 ? 's' : ''}`;
  const known = outcome.alreadyRecorded > 0 ? `, dont ${outcome.alreadyRecorded} déjà enregistrée${outcome.alreadyRecorded > 1 ? 's' : ''}` : '';
  if (outcome.dryRun) return `Vérification réussie (${outcome.command}) : ${rows}${known} ; ${outcome.events} événement(s) seraient écrits. Rien n’a été écrit.`;
  if (!outcome.written) return `Rien à écrire (${outcome.command}) : ${rows}, toutes déjà enregistrées telles quelles.`;
  return `Import enregistré (${outcome.command}) : ${rows}${known} ; ${outcome.events} événement(s) écrit(s) sur ${outcome.result?.streamId ?? ''}, position ${outcome.result?.position ?? ''}.`;
}

/**
 * `jalon import-sheet FILE --antenna ID --kind budget|expenditures [--dry-run]`: a spreadsheet of
 * forecast lines or expenditures through the same service as the API; `--template KIND --out FILE`
 * writes the template to fill.
 */
export function importSheetCommand(config: () => JalonConfig): Command {
  return new Command('import-sheet')
    .description('importer un tableur (XLSX ou CSV) de lignes du budget prévisionnel ou de dépenses ; --template pour écrire le modèle à remplir')
    .argument('[fichier]', 'le tableur à importer (.xlsx, ou .csv en UTF-8 avec point-virgule)')
    .option('--antenna <id>', 'l’antenne (ex. montbeliard)')
    .option('--kind <type>', `${SHEET_KINDS.join(' | ')}`, kindOption)
    .option('--dry-run', 'vérifier chaque ligne sans rien écrire')
    .option('--effective-date <date>', 'budget : date d’effet du prévisionnel ou de sa révision (JJ/MM/AAAA ou AAAA-MM-JJ)')
    .option('--reason <motif>', 'budget : motif de la révision, quand le prévisionnel est déjà établi')
    .option('--as <id>', 'enregistrer au nom de cet utilisateur, avec son rôle (voir users list) ; par défaut, l’administrateur local')
    .option('--template <type>', `écrire le modèle à remplir : ${SHEET_KINDS.join(' | ')}`, kindOption)
    .option('--out <fichier>', 'avec --template : le fichier à écrire (.xlsx, ou .csv)')
    .action(async (file: string | undefined, options: ImportSheetOptions) => {
      if (options.template !== undefined) {
        if (!options.out) throw new InvalidArgumentError('--template demande --out FICHIER (.xlsx ou .csv)');
        const extension = /\.(xlsx|csv)$/i.exec(options.out)?.[1]?.toLowerCase();
        // The format is the name's: a workbook written under another name would open as nothing.
        if (extension === undefined) throw new InvalidArgumentError(`--out : ${options.out} doit finir par .xlsx ou .csv (le format du modèle)`);
        const format = extension as 'xlsx' | 'csv';
        // Whole or not at all: a full disk leaves the file that was there, never a cut one.
        await writeWholeContent(outputFile(options.out)!, await sheetTemplate(options.template as (typeof SHEET_KINDS)[number], format));
        console.log(`Modèle ${options.template} (${format.toUpperCase()}) écrit dans ${options.out}`);
        return;
      }
      if (file === undefined) throw new InvalidArgumentError('le fichier à importer manque (ou --template pour écrire le modèle)');
      if (options.antenna === undefined) throw new InvalidArgumentError('--antenna ID est obligatoire');
      if (options.kind === undefined) throw new InvalidArgumentError(`--kind est obligatoire : ${SHEET_KINDS.join(' ou ')}`);
      const bytes = sheetFile(file);
      await withCore({ config: config() }, async ({ app, identity }) => {
        const actor = await actorOf(identity, options.as);
        try {
          const outcome = await app.get(SheetImportService).importSheet(
            {
              kind: options.kind as (typeof SHEET_KINDS)[number],
              antennaId: options.antenna!,
              file: bytes,
              dryRun: options.dryRun === true,
              ...(options.effectiveDate !== undefined ? { effectiveDate: options.effectiveDate } : {}),
              ...(options.reason !== undefined ? { reason: options.reason } : {}),
            },
            actor,
          );
          console.log(summary(outcome));
        } catch (error) {
          if (!(error instanceof ImportRejectedError || error instanceof ImportFileError)) throw error;
          // Every problem on its own line, by row and column; nothing was written.
          console.error(`Erreur ${error.code} : ${errorMessageOf(error.code)}`);
          for (const problem of error.problems) console.error(`  - ${describeProblem(problem)}`);
          process.exitCode = 1;
        }
      });
    });
}
