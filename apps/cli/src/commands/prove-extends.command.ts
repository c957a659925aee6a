import { JalonConfig } from '@jalon/core';
import { assertWritableFile, proveExtends, writeWholeFile } from '@jalon/event-store';
import { Command } from 'commander';
import { outputFile } from './export.command';
import { findSeal, sealForProof, storeForProof } from './integrity-seals';

/** `jalon prove-extends --from-seal SEAL [--out FILE] [--latest-seal]`: the consistency proof from a kept seal to the latest one (sealed now, or already in the log). */
export function proveExtendsCommand(config: () => JalonConfig): Command {
  return new Command('prove-extends')
    .description('prouver que le journal d’un sceau conservé est le début inchangé du journal actuel (preuve de cohérence RFC 9162)')
    .requiredOption('--from-seal <sceau>', 'le sceau conservé : sa taille (nombre d’événements couverts) ou un fichier qui le contient')
    .option('--out <fichier>', 'fichier à écrire (défaut : la sortie standard)')
    .option('--latest-seal', 'prouver jusqu’au dernier sceau du journal, sans sceller ni rien écrire dans DATA_DIR (une sauvegarde, un support en lecture seule) : les événements enregistrés après lui n’y figurent pas')
    .action(async (options: { fromSeal: string; out?: string; latestSeal?: boolean }) => {
      const file = outputFile(options.out);
      // Refused before the log is sealed: a refusal writes nothing.
      if (file !== undefined) await assertWritableFile(file);
      const base = config();
      // Up to the latest seal, nothing is written: the store is only read (docs/decisions/0052).
      const store = await storeForProof(base, options.latestSeal === true);
      const say = file !== undefined ? console.log : console.error;
      try {
        // A seal that is not in the log is refused before the log is sealed: a refusal writes nothing.
        const from = await findSeal(store, options.fromSeal);
        const latest = await sealForProof(store, base, options.latestSeal === true, say);
        const proof = await proveExtends(store, from, latest);
        const text = JSON.stringify(proof, null, 2);
        // Whole or not at all, as every file the command line writes: a full disk leaves no half proof.
        if (file !== undefined) await writeWholeFile(file, (sink) => sink(text));
        else process.stdout.write(`${text}\n`);
        say(proof.text);
      } finally {
        await store.close();
      }
    });
}
