import { verifyAuditExport } from '@jalon/event-store';
import { formatInteger, formatTimestamp } from '@jalon/reporting';
import { JalonConfig } from '@jalon/core';
import { Command } from 'commander';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { publicKeyArgument, safeTimeZone, toJson } from './integrity-output';

/** `jalon verify-export FILE [--public-key KEY]`: checks an audit export offline; exits 1 naming each bad line. */
export function verifyExportCommand(config: () => JalonConfig): Command {
  return new Command('verify-export')
    .description('vérifier hors ligne un export d’audit : empreintes, preuves d’inclusion, signature du sceau (et sa clé, avec --public-key) et du fichier entier')
    .argument('<fichier>', 'fichier produit par jalon export-audit')
    .option('--public-key <clé>', 'clé publique du service obtenue par un autre canal (fichier PEM, base64 ou identifiant de clé)')
    .option('--unsigned', 'accepter un fichier non signé dans son ensemble (version 1, ou produit sans la clé) : seules ses lignes sont alors prouvées, pas qu’aucune n’a été retirée')
    .option('--json', 'le rapport en JSON')
    .action(async (file: string, options: { publicKey?: string; unsigned?: boolean; json?: boolean }) => {
      if (!existsSync(file)) throw new Error(`fichier introuvable : ${file}`);
      if (statSync(file).isDirectory()) throw new Error(`${file} est un dossier, pas un fichier`);
      const publicKey = publicKeyArgument(options.publicKey);
      const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
      const report = await verifyAuditExport(lines, { ...(publicKey === undefined ? {} : { publicKey }), acceptUnsigned: options.unsigned === true });
      if (options.json) console.log(toJson(report));
      else {
        const timeZone = safeTimeZone(config);
        if (report.ok) console.log(`Export d’audit vérifié : ${file}`);
        else {
          console.log(`Export d’audit NON vérifié : ${report.problems.length} problème(s).`);
          for (const problem of report.problems) console.log(`  ${problem.line > 0 ? `Ligne ${problem.line}` : 'Fichier'} : ${problem.message}.`);
        }
        if (report.subject) console.log(`  Sujet : ${report.subject} ; ${formatInteger(report.events)} événement(s) de ${formatInteger(report.streams)} flux.`);
        if (report.seal) {
          console.log(`  Sceau : ${formatInteger(report.seal.treeSize)} événement(s), scellé le ${formatTimestamp(report.seal.sealedAt, timeZone)}, clé ${report.seal.keyId}.`);
        }
        if (report.keyMatches === true) console.log('  Le sceau est signé par la clé publique donnée.');
        else if (report.keyMatches === undefined && report.seal) console.log('  Clé non comparée : donnez --public-key pour vérifier que le sceau vient bien du service.');
        if (report.signed) console.log('  Le fichier entier est signé par la clé du sceau : aucune ligne n’en a été retirée ni modifiée.');
        else if (report.ok) console.log('  Fichier non signé dans son ensemble (accepté par --unsigned) : ses lignes sont prouvées, pas qu’aucune n’a été retirée.');
        if (report.fromSeal) console.log(`  Inclut tel quel le journal du sceau de ${formatInteger(report.fromSeal.treeSize)} événement(s) du ${formatTimestamp(report.fromSeal.sealedAt, timeZone)}.`);
      }
      if (!report.ok) process.exitCode = 1;
    });
}
