import { JalonConfig } from '@jalon/core';
import { sealOf, verifyExtends } from '@jalon/event-store';
import { formatInteger, formatTimestamp } from '@jalon/reporting';
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { publicKeyArgument, safeTimeZone, toJson } from './integrity-output';
import { sealInFile } from './integrity-seals';

/** `jalon verify-extends FILE [--public-key KEY] [--from-seal FILE]`: checks a consistency proof offline, from the seal kept when given. */
export function verifyExtendsCommand(config: () => JalonConfig): Command {
  return new Command('verify-extends')
    .description('vérifier hors ligne qu’un journal scellé est le début inchangé d’un journal scellé plus tard (fichier de jalon prove-extends)')
    .argument('<fichier>', 'fichier produit par jalon prove-extends')
    .option('--public-key <clé>', 'clé publique du service obtenue par un autre canal (fichier PEM, base64 ou identifiant de clé)')
    .option('--from-seal <fichier>', 'le sceau conservé (un fichier qui le contient : un export, une preuve antérieure) : la preuve doit partir de lui')
    .option('--json', 'le rapport en JSON')
    .action((file: string, options: { publicKey?: string; fromSeal?: string; json?: boolean }) => {
      let document: unknown;
      try {
        document = JSON.parse(readFileSync(file, 'utf8'));
      } catch (error) {
        document = undefined;
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`fichier introuvable : ${file}`);
      }
      const publicKey = publicKeyArgument(options.publicKey);
      // The seal the controller kept, read as `prove-extends --from-seal FILE` reads it, and checked as a seal.
      const keptSeal = options.fromSeal === undefined ? undefined : sealOf(sealInFile(options.fromSeal), 'le sceau conservé');
      const check = verifyExtends(document, { ...(publicKey === undefined ? {} : { publicKey }), ...(keptSeal ? { keptSeal } : {}) });
      if (options.json) console.log(toJson(check));
      else {
        const timeZone = safeTimeZone(config);
        if (check.ok) console.log(`Preuve de cohérence vérifiée : ${file}`);
        else {
          console.log(`Preuve de cohérence NON vérifiée : ${check.problems.length} problème(s).`);
          for (const problem of check.problems) console.log(`  ${problem}.`);
        }
        if (check.from && check.to) {
          console.log(
            `  Du sceau de ${formatInteger(check.from.treeSize)} événement(s) (${formatTimestamp(check.from.sealedAt, timeZone)}, racine ${check.from.rootHash}) ` +
              `au sceau de ${formatInteger(check.to.treeSize)} événement(s) (${formatTimestamp(check.to.sealedAt, timeZone)}, racine ${check.to.rootHash}), clé ${check.to.keyId}.`,
          );
        }
        if (check.keyMatches === undefined && check.ok) console.log('  Clé non comparée : donnez --public-key pour vérifier que les sceaux viennent bien du service.');
        if (!keptSeal && check.ok) console.log('  Sceau de départ non comparé : donnez --from-seal avec le sceau que vous avez conservé, ou comparez sa racine ci-dessus.');
      }
      if (!check.ok) process.exitCode = 1;
    });
}

