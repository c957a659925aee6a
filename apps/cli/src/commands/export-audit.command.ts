import { antennaSubject, existingSealKey, JalonConfig, programmeSubject } from '@jalon/core';
import { assertWritableFile, auditExportLines, streamSink, writeWholeFile, type AuditExportReport } from '@jalon/event-store';
import { Command } from 'commander';
import { outputFile } from './export.command';
import { findSeal, sealForProof, storeForProof } from './integrity-seals';

/**
 * `jalon export-audit [--antenna ID] [--out FILE] [--from-seal SEAL] [--latest-seal]`: the audit trail of an antenna
 * (or of the whole programme) with each event's hash and inclusion proof under a signed seal
 * (sealed now if needed); format: libs/event-store/src/integrity/audit-export.ts.
 */
export function exportAuditCommand(config: () => JalonConfig): Command {
  return new Command('export-audit')
    .description('exporter la piste d’audit d’une antenne ou du programme avec, pour chaque événement, la preuve qu’il figure dans le journal scellé')
    .option('--antenna <id>', 'identifiant de l’antenne (défaut : tout le programme, hors utilisateurs)')
    .option('--out <fichier>', 'fichier à écrire (défaut : la sortie standard)')
    .option('--from-seal <sceau>', 'joindre la preuve que le journal d’un sceau antérieur (taille ou fichier) est inclus tel quel')
    .option('--latest-seal', 'prouver sous le dernier sceau du journal, sans sceller ni rien écrire dans DATA_DIR (une sauvegarde, un support en lecture seule) : les événements enregistrés après lui n’y figurent pas')
    .action(async (options: { antenna?: string; out?: string; fromSeal?: string; latestSeal?: boolean }) => {
      const file = outputFile(options.out);
      // Refused before the log is sealed: a refusal writes nothing.
      if (file !== undefined) await assertWritableFile(file);
      const base = config();
      // Under the latest seal, nothing is written: the store is only read (docs/decisions/0052).
      const store = await storeForProof(base, options.latestSeal === true);
      // stdout may carry the export: everything else goes to stderr then.
      const say = file !== undefined ? console.log : console.error;
      try {
        // An unknown antenna, a seal that is not in the log: refused before the log is sealed (a refusal writes nothing).
        const subject = options.antenna === undefined ? programmeSubject() : await antennaSubject(store, options.antenna);
        const fromSeal = options.fromSeal === undefined ? undefined : await findSeal(store, options.fromSeal);
        const seal = await sealForProof(store, base, options.latestSeal === true, say);
        // The file is signed as a whole by the seal's key when it is here (docs/decisions/0057): always
        // once the log is sealed now; under --latest-seal, only if the backup holds its key.
        const signer = existingSealKey(base);
        let report: AuditExportReport | undefined;
        const lines = auditExportLines(store, { subject, seal, ...(fromSeal ? { fromSeal } : {}), ...(signer ? { signer } : {}) }, (done) => (report = done));
        if (file !== undefined) {
          await writeWholeFile(file, async (sink) => {
            for await (const line of lines) await sink(line);
          });
          say(`Export d’audit écrit : ${file}`);
        } else {
          const sink = streamSink(process.stdout);
          for await (const line of lines) await sink(line);
        }
        say(report!.text);
        if (!report!.signed) {
          say('Fichier non signé : la clé qui a signé le sceau n’est pas dans DATA_DIR. jalon verify-export le refuse sans --unsigned, qui n’en vérifie que les lignes.');
        }
      } finally {
        await store.close();
      }
    });
}
