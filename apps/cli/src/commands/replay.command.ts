import { JalonConfig } from '@jalon/core';
import { ProjectionRunner } from '@jalon/projections';
import { Command } from 'commander';
import { withCore } from '../core-context';

export function replayCommand(config: () => JalonConfig): Command {
  return new Command('replay')
    .description('reconstruire toutes les projections depuis le premier événement (arrêtez le service pendant ce temps)')
    .action(async () => {
      await withCore({ config: config() }, async ({ app }) => {
        const runner = app.get(ProjectionRunner);
        const { events, seconds } = await runner.rebuild();
        const rate = seconds > 0 ? Math.round(events / seconds) : events;
        console.log(`${events} événements rejoués en ${seconds.toFixed(2)} s (${rate} événements/s), ${runner.status().length} projections reconstruites.`);
      });
    });
}
