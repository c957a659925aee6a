import { JalonConfig } from '@jalon/core';
import { eventsAfter, ProjectionRunner } from '@jalon/projections';
import { Command } from 'commander';
import { withCore } from '../core-context';

export function statusCommand(config: () => JalonConfig): Command {
  return new Command('status')
    .description('position et retard de chaque projection par rapport au journal')
    .action(async () => {
      await withCore({ config: config() }, async ({ app, store }) => {
        const head = await store.headPosition();
        console.log(`Journal : position ${head} (${config().eventStore})`);
        for (const status of app.get(ProjectionRunner).status()) {
          const lag = await eventsAfter(store, BigInt(status.position));
          const state = status.serving ? 'sert les lectures' : status.caughtUp ? 'à jour' : 'en construction';
          console.log(`${status.id.padEnd(14)} position ${status.position.padStart(8)}  retard ${String(lag).padStart(6)} événement(s)  ${state}`);
        }
      });
    });
}
