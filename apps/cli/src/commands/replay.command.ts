import { formatInteger, formatSeconds } from '@jalon/reporting';
import { JalonConfig } from '@jalon/core';
import { ProjectionRunner } from '@jalon/projections';
import { Command } from 'commander';
import { withCore } from '../core-context';
import { holdingProjectionLease, ProjectionLeaseHeldError } from './projection-lease-hold';

/**
 * Rebuilds every projection, holding the projection lease meanwhile (refused, nothing written, while
 * a running service holds it). An event the store cannot decode is passed over and named, with the
 * projections that read its type (their figures miss it until it is repaired and replayed
 * again); the command then exits with 1, so that a script cannot miss it.
 */
export function replayCommand(config: () => JalonConfig): Command {
  return new Command('replay')
    .description('reconstruire toutes les projections depuis le premier événement (refusé tant qu’un service en marche tient le bail des projections : arrêtez-le d’abord)')
    .action(async () => {
      await withCore({ config: config(), existingStore: true }, async ({ app }) => {
        const runner = app.get(ProjectionRunner);
        let skipped: Awaited<ReturnType<ProjectionRunner['rebuild']>>['skipped'];
        try {
          skipped = await holdingProjectionLease(app, config(), async () => {
            const rebuilt = await runner.rebuild();
            const { events, seconds } = rebuilt;
            const rate = seconds > 0 ? Math.round(events / seconds) : events;
            console.log(`${formatInteger(events)} événements rejoués en ${formatSeconds(seconds, 2)} (${formatInteger(rate)} événements/s), ${runner.status().length} projections reconstruites.`);
            // Then the whole-programme time-travel snapshots, from the log (docs/decisions/0028): timed apart.
            const snapshots = runner.timeTravelSnapshots();
            if (snapshots) {
              const started = process.hrtime.bigint();
              await snapshots.catchUp();
              const { snapshots: count, fault } = snapshots.status();
              const took = formatSeconds(Number(process.hrtime.bigint() - started) / 1e9, 2);
              console.log(fault ? `Instantanés de voyage dans le temps : ${fault.reason}.` : `${count} instantané(s) de voyage dans le temps construit(s) en ${took}.`);
            }
            return rebuilt.skipped;
          });
        } catch (error) {
          if (!(error instanceof ProjectionLeaseHeldError)) throw error;
          console.error(`Reconstruction refusée : ${error.message}`);
          process.exitCode = 1;
          return;
        }
        const statuses = runner.status();
        if (skipped.length === 0) return;
        console.log(`Attention : ${skipped.length} événement(s) illisible(s) ignoré(s) ; les projections qui les lisent sont incomplètes et leurs rapports refusés tant qu’ils ne sont pas réparés :`);
        for (const event of skipped) {
          const readers = statuses.filter((status) => status.skipped.some((s) => s.position === event.position)).map((status) => status.id);
          console.log(
            `  - flux ${event.streamId}, révision ${event.revision}, position ${event.position}${event.type ? ` (${event.type})` : ''} : ${event.reason}` +
              ` — ${readers.length > 0 ? `ignoré par ${readers.join(', ')}` : 'lu par aucune projection'}`,
          );
        }
        process.exitCode = 1;
      });
    });
}
