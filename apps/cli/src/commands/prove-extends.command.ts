import { JalonConfig, openEventStore } from '@jalon/core';
import { assertWritableFile, proveExtends, writeWholeFile } from '@jalon/event-store';
import { Command } from 'commander';
import { outputFile } from './export.command';
import { findSeal, sealedLatest } from './integrity-seals';

/** `jalon prove-extends --from-seal SEAL [--out FILE]`: the consistency proof from a kept seal to the latest one. */
export function proveExtendsCommand(config: () => JalonConfig): Command {
  return new Command('prove-extends')
    .description('prouver que le journal d’un sceau conservé est le début inchangé du journal actuel (preuve de cohérence RFC 9162)')
    .requiredOption('--from-seal <sceau>', 'le sceau conservé : sa taille (nombre d’événements couverts) ou un fichier qui le contient')
    .option('--out <fichier>', 'fichier à écrire (défaut : la sortie standard)')
    .action(async (options: { fromSeal: string; out?: string }) => {
      const file = outputFile(options.out);
      // Refused before the log is sealed: a refusal writes nothing.
      if (file !== undefined) await assertWritableFile(file);
      const base = config();
      const store = await openEventStore(base, { existing: true });
      const say = file !== undefined ? console.log : console.error;
      try {
        const latest = await sealedLatest(store, base, say);
        const from = await findSeal(store, options.fromSeal);
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
