import { formatInteger, formatSeconds } from '@jalon/reporting';
import { JalonConfig, openEventStore } from '@jalon/core';
import { importHistoryFile, verifyHistoryFile, type TransferProgress, type TransferReport } from '@jalon/event-store';
import { Command } from 'commander';
import { resolve } from 'node:path';

/**
 * `jalon import <FICHIER>`: loads an export into the configured store, which must be empty (or
 * hold the beginning of this same history: an interrupted import then resumes).
 */
export function importCommand(config: () => JalonConfig): Command {
  return new Command('import')
    .description('importer un historique exporté (NDJSON) dans la base configurée, vide ; reprend un import interrompu')
    .argument('<fichier>', 'fichier produit par jalon export')
    .action(async (path: string) => {
      const file = resolve(path);
      // Checked before the store is even opened: a bad file touches nothing.
      const verified = await verifyHistoryFile(file);
      console.log(`Fichier vérifié : ${verified.count} événement(s), empreinte ${verified.checksum}.`);
      const store = await openEventStore(config());
      try {
        const report = await resumableTransfer('Import', verified.count, (onProgress) => importHistoryFile(file, store, { onProgress }));
        printTransferReport(report, 'Import');
      } finally {
        await store.close();
      }
    });
}

/**
 * Runs an import or a migration, printing its progress; when it stops midway (a full disk, a lost
 * connection), says first how many events of the history the target already holds, since the
 * error itself only speaks of the batch it refused, and that the same command resumes after them.
 */
export async function resumableTransfer<R>(
  what: 'Import' | 'Migration',
  total: number | undefined,
  run: (onProgress: (progress: TransferProgress) => void) => Promise<R>,
): Promise<R> {
  const print = progressPrinter(total);
  let last: TransferProgress | undefined;
  try {
    return await run((progress) => {
      last = progress;
      print(progress);
    });
  } catch (error) {
    if (last !== undefined && last.written > 0) {
      console.error(
        `${what} interrompu${what === 'Migration' ? 'e' : ''} : la base cible contient déjà ${last.alreadyPresent + last.written} événement(s) de cet historique ; ` +
          `relancez la même commande une fois la cause corrigée : l’${what.toLowerCase()} reprendra après eux, sans doublon.`,
      );
    }
    throw error;
  }
}

/** Prints progress at most once a second: events read, written, and the rate. */
export function progressPrinter(total?: number): (progress: TransferProgress) => void {
  let lastPrinted = Date.now();
  return (progress) => {
    const now = Date.now();
    if (now - lastPrinted < 1_000) return;
    lastPrinted = now;
    const of = total === undefined ? '' : ` / ${total}`;
    const what = progress.phase === 'compare' ? 'déjà présents dans la cible' : 'écrits';
    const count = progress.phase === 'compare' ? progress.alreadyPresent : progress.written;
    console.log(`  … ${progress.read}${of} événement(s) lus, ${count} ${what} (${formatInteger(rate(progress.read, progress.elapsedMs))} év. lus/s)`);
  };
}

export function printTransferReport(report: TransferReport, what: 'Import' | 'Migration'): void {
  const resumed = report.alreadyPresent > 0 ? `, ${report.alreadyPresent} déjà présent(s) (reprise)` : '';
  console.log(
    `${what} terminé${what === 'Migration' ? 'e' : ''} : ${report.written} événement(s) écrit(s)${resumed}, ` +
      `en ${formatSeconds(report.elapsedMs / 1000)} (${formatInteger(rate(report.written, report.elapsedMs))} év./s).`,
  );
  console.log(`Source : ${report.source.count} événement(s), empreinte ${report.source.checksum}`);
  console.log(`Cible  : ${report.target.count} événement(s), empreinte ${report.target.checksum}`);
  console.log('Vérification : mêmes événements, même ordre, même empreinte.');
  console.log(READ_MODELS_AFTER_TRANSFER);
}

/** What happens to read models: they name the store they were read from (issue 13). */
export const READ_MODELS_AFTER_TRANSFER =
  'Modèles de lecture : ceux d’un autre magasin (read-models.sqlite gardé ou copié) ne sont jamais servis ; ' +
  'au démarrage sur la cible, le service les reconstruit à partir de ses événements (signalé dans le journal et dans /health, code READ_MODEL.OTHER_STORE).';

function rate(events: number, elapsedMs: number): number {
  return Math.round(events / Math.max(elapsedMs / 1000, 0.001));
}
