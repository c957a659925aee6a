import { JalonConfig, openEventStore } from '@jalon/core';
import { proveExtends } from '@jalon/event-store';
import { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { findSeal, sealedLatest } from './integrity-seals';

/** `jalon prove-extends --from-seal SEAL [--out FILE]`: the consistency proof from a kept seal to the latest one. */
export function proveExtendsCommand(config: () => JalonConfig): Command {
  return new Command('prove-extends')
    .description('prouver que le journal d’un sceau conservé est le début inchangé du journal actuel (preuve de cohérence RFC 9162)')
    .requiredOption('--from-seal <sceau>', 'le sceau conservé : sa taille (nombre d’événements couverts) ou un fichier qui le contient')
    .option('--out <fichier>', 'fichier à écrire (défaut : la sortie standard)')
    .action(async (options: { fromSeal: string; out?: string }) => {
      const base = config();
      const store = await openEventStore(base);
      const say = options.out ? console.log : console.error;
      try {
        const latest = await sealedLatest(store, base, say);
        const from = await findSeal(store, options.fromSeal);
        const proof = await proveExtends(store, from, latest);
        const text = `${JSON.stringify(proof, null, 2)}\n`;
        if (options.out) await writeFile(resolve(options.out), text, 'utf8');
        else process.stdout.write(text);
        say(proof.text);
      } finally {
        await store.close();
      }
    });
}
