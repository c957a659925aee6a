import { CommandResult, IdempotencyService, KeyedExecution } from '@jalon/application';
import { JalonConfig, RunCommand } from '@jalon/core';
import { Command } from 'commander';
import { withCore } from '../core-context';
import { loadHistory } from '../demo/load-history';
import { ANTENNA_ID, MONTBELIARD_HISTORY, SEED_AGREEMENT_ID } from '../demo/montbeliard-history';

export function demoCommand(config: () => JalonConfig): Command {
  return new Command('demo')
    .description('charger l’historique de démonstration (programme, AMI, candidature et antenne de Montbéliard, budget, financement)')
    .action(async () => {
      await withCore({ config: config() }, async ({ app, commandBus }) => {
        const send = (step: (typeof MONTBELIARD_HISTORY)[number], keyed: KeyedExecution) =>
          commandBus.execute<RunCommand, CommandResult>(new RunCommand(step.command, step.input, step.actor, keyed));
        const report = await loadHistory(MONTBELIARD_HISTORY, send, app.get(IdempotencyService));
        console.log(
          `Historique de démonstration : ${report.commands} commandes, ${report.eventsWritten} événement(s) écrit(s), ` +
            `${report.alreadyRecorded} étape(s) déjà enregistrée(s).`,
        );
        console.log(`Antenne : ${ANTENNA_ID} — voir : npm run jalon -- events antenna-${ANTENNA_ID}`);
        console.log(`Financement d’amorçage : npm run jalon -- events funding-${SEED_AGREEMENT_ID}`);
      });
    });
}
