import { JalonConfig, openEventStore } from '@jalon/core';
import { exportHistory, exportHistoryToFile, streamSink } from '@jalon/event-store';
import { Command } from 'commander';
import { resolve } from 'node:path';

/** `jalon export [--out FICHIER]`: the whole history as NDJSON (format: libs/event-store/src/transfer/history-file.ts). */
export function exportCommand(config: () => JalonConfig): Command {
  return new Command('export')
    .description('exporter tout l’historique (tous les flux, dans l’ordre global) en NDJSON, avec son empreinte SHA-256')
    .option('--out <fichier>', 'fichier à écrire (défaut : la sortie standard)')
    .action(async (options: { out?: string }) => {
      const base = config();
      const store = await openEventStore(base);
      try {
        if (options.out) {
          const file = resolve(options.out);
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
