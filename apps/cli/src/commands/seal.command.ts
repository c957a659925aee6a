import { systemClock } from '@jalon/application';
import { JalonConfig, openEventStore, verifyAndSeal } from '@jalon/core';
import { sealOf } from '@jalon/event-store';
import { formatInteger, formatTimestamp } from '@jalon/reporting';
import { Command } from 'commander';
import { verificationLines } from './integrity-output';

/** `jalon seal`: verifies the log and, if events are not covered yet, records a signed seal now. */
export function sealCommand(config: () => JalonConfig): Command {
  return new Command('seal')
    .description('vérifier le journal puis le sceller maintenant (racine de Merkle signée) s’il a des événements non scellés')
    .action(async () => {
      const base = config();
      const store = await openEventStore(base, { existing: true });
      try {
        const outcome = await verifyAndSeal(store, base, systemClock);
        if (outcome.createdKey) console.log(`Clé de scellement créée (seal-key.pem dans ${base.dataDir}).`);
        console.log(`Clé publique de scellement : ${outcome.key.publicKey}`);
        if (!outcome.report.ok) {
          for (const line of verificationLines(outcome.report, base.timeZone)) console.log(line);
          console.log('Aucun sceau posé : un sceau ne couvre qu’un journal intact.');
          process.exitCode = 1;
          return;
        }
        if (!outcome.latest) {
          console.log('Journal vide : rien à sceller.');
          return;
        }
        const seal = sealOf(outcome.latest);
        const what = `${formatInteger(seal.treeSize)} événement(s), racine ${seal.rootHash}, position ${outcome.latest.position}, le ${formatTimestamp(seal.sealedAt, base.timeZone)}`;
        console.log(outcome.sealed ? `Journal scellé : ${what}.` : `Rien à sceller : le dernier sceau couvre déjà tout le journal (${what}).`);
        if (outcome.witnessNotKept) console.error(`Attention : ${outcome.witnessNotKept}.`);
        if (outcome.report.beforeChain > 0 && outcome.sealed) {
          console.log(`  Il couvre ${formatInteger(outcome.report.beforeChain)} événement(s) antérieur(s) à la chaîne d’empreintes tels qu’ils sont aujourd’hui.`);
        }
      } finally {
        await store.close();
      }
    });
}
