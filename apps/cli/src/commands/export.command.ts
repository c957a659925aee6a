import { JalonConfig, openEventStore } from '@jalon/core';
import { exportHistory, exportHistoryToFile, streamSink, TransferError } from '@jalon/event-store';
import { Command } from 'commander';
import { resolve } from 'node:path';

/**
 * `--out`'s file, resolved; undefined without the option (the standard output). An empty value is
 * refused: it would otherwise send the export to the standard output as if no file had been named.
 */
export function outputFile(out: string | undefined): string | undefined {
  if (out === undefined) return undefined;
  if (out.trim() === '') throw new TransferError('TRANSFER.FILE_UNWRITABLE', 'fichier non écrit : l’option --out est vide (attendu : le chemin du fichier à écrire)');
  return resolve(out);
}

/** `jalon export [--out FICHIER]`: the whole history as NDJSON (format: libs/event-store/src/transfer/history-file.ts). */
export function exportCommand(config: () => JalonConfig): Command {
  return new Command('export')
    .description('exporter tout l’historique (tous les flux, dans l’ordre global) en NDJSON, avec son empreinte SHA-256')
    .option('--out <fichier>', 'fichier à écrire (défaut : la sortie standard)')
    .action(async (options: { out?: string }) => {
      const file = outputFile(options.out);
      const base = config();
      // The history to copy must exist: a mistyped DATA_DIR is refused, not exported as 0 events.
      const store = await openEventStore(base, { existing: true });
      try {
        if (file !== undefined) {
          const report = await exportHistoryToFile(store, file, { source: base.eventStore });
          console.log(`Historique exporté : ${report.count} événement(s) vers ${file}.`);
          console.log(`Empreinte SHA-256 de l’historique : ${report.checksum}`);
        } else {
          // stdout carries the NDJSON and nothing else; the summary goes to stderr.
          const report = await exportHistory(store, streamSink(process.stdout), { source: base.eventStore });
          console.error(`Historique exporté : ${report.count} événement(s). Empreinte SHA-256 de l’historique : ${report.checksum}`);
        }
      } finally {
        await store.close();
      }
    });
}
