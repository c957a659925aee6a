import { JalonConfig, verifyStore } from '@jalon/core';
import { Command, InvalidArgumentError } from 'commander';
import { toJson, verificationLines } from './integrity-output';
import { storeToRead } from './integrity-seals';

/**
 * `jalon verify [--from POSITION] [--json]`: every event's hash, every stream's chain, every seal's
 * root and signature, gaps in positions (docs/decisions/0011). Exits 1 when anything differs.
 */
export function verifyCommand(config: () => JalonConfig): Command {
  return new Command('verify')
    .description('vérifier tout le journal : empreintes, chaînes des flux, sceaux signés, positions ; code de sortie 1 si altéré')
    .option('--from <position>', 'partir du dernier sceau valide à cette position ou avant (ce qu’il couvre n’est pas relu)', parsePosition)
    .option('--json', 'le rapport complet en JSON')
    .action(async (options: { from?: bigint; json?: boolean }) => {
      const base = config();
      // Read-only: an audit never alters what it checks, and a backup may be on a read-only medium.
      const store = await storeToRead(base, 'vérifié');
      try {
        let lastPrinted = Date.now();
        const report = await verifyStore(store, base, {
          ...(options.from === undefined ? {} : { from: options.from }),
          onProgress: (events) => {
            if (options.json || Date.now() - lastPrinted < 2_000) return;
            lastPrinted = Date.now();
            console.error(`  … ${events} événement(s) vérifiés`);
          },
        });
        if (options.json) console.log(toJson(report));
        else for (const line of verificationLines(report, base.timeZone)) console.log(line);
        if (!report.ok) process.exitCode = 1;
      } finally {
        await store.close();
      }
    });
}

export function parsePosition(value: string): bigint {
  if (!/^\d{1,19}$/.test(value)) throw new InvalidArgumentError('une position est un entier positif');
  return BigInt(value);
}
