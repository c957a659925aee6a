import { ClaimOutcome, CommandResult, recordMissingClaims, UpgradeReport } from '@jalon/application';
import { JalonConfig, RunCommand } from '@jalon/core';
import { EventStoreError, STORE_UNAVAILABLE } from '@jalon/event-store';
import { formatDate } from '@jalon/reporting';
import { Command } from 'commander';
import { accessSync, constants, existsSync } from 'node:fs';
import { join } from 'node:path';
import { localAdministrator, withCore } from '../core-context';
import { errorLines } from '../error-output';

/**
 * `jalon upgrade`, run once after upgrading: records what a history recorded by an earlier version
 * lacks for today's rules (docs/decisions/0064): the registration of each candidacy on its call
 * (0062) and the attachment of each funding agreement to its antenna (0060), by sending each
 * original command again, unchanged, through the one command path. Run again, it writes nothing.
 */
export function upgradeCommand(config: () => JalonConfig): Command {
  return new Command('upgrade')
    .description('à lancer une fois après une mise à jour : inscrire à leur appel les candidatures et rattacher à leur antenne les conventions de financement enregistrées avant que les appels et les antennes ne les listent')
    .action(async () => {
      const base = config();
      assertLogWritable(base);
      await withCore({ config: base, existingStore: true }, async ({ commandBus, store }) => {
        const actor = localAdministrator();
        const send = (name: string, input: unknown) => commandBus.execute<RunCommand, CommandResult>(new RunCommand(name, input, actor));
        const report = await recordMissingClaims(store, send);
        for (const line of reportLines(report)) console.log(line);
        const refused = report.outcomes.filter((outcome) => outcome.outcome === 'refused');
        for (const outcome of refused) {
          const [first = '', ...rest] = errorLines(outcome.error);
          console.error(`${claimName(outcome)} : refusée. ${first}`);
          for (const line of rest) console.error(line);
        }
        if (refused.length > 0) {
          console.error(`${refused.length} inscription(s) ou rattachement(s) refusé(s) : rien n’a été écrit pour eux ; corrigez la cause puis relancez jalon upgrade.`);
          process.exitCode = 1;
        }
      });
    });
}

/** The embedded store's file and folder must take writes: refused before anything is read or built, rather than at the first claim. */
function assertLogWritable(config: JalonConfig): void {
  if (config.eventStore !== 'sqlite') return;
  const file = join(config.dataDir, 'jalon.sqlite');
  for (const path of [config.dataDir, file]) {
    if (!existsSync(path)) continue;
    try {
      accessSync(path, constants.W_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'EROFS' ? 'support en lecture seule' : code === 'EACCES' || code === 'EPERM' ? 'écriture refusée' : (code ?? String(error));
      throw new EventStoreError(
        STORE_UNAVAILABLE,
        `le journal ne peut pas être écrit (${path} : ${why}) : jalon upgrade y inscrit ce qui manque ; rien n’a été lu ni écrit. Lancez-le sur le dossier de données du service, accessible en écriture`,
      );
    }
  }
}

function reportLines(report: UpgradeReport): string[] {
  const recorded = report.outcomes.filter((outcome) => outcome.outcome === 'recorded');
  const totals = `${report.registrations} inscription(s) de candidature, ${report.attachments} convention(s) rattachée(s)`;
  const lines = [recorded.length === 0 ? `Mise à niveau : ${totals} ; rien ne manquait, rien n’a été écrit.` : `Mise à niveau : ${totals}.`];
  for (const outcome of recorded) lines.push(`  ${claimName(outcome)} : ${outcome.kind === 'registration' ? 'inscrite' : 'rattachée'} à la date du ${formatDate(outcome.effectiveDate)}.`);
  const left = [
    ...(report.submissionsToClosedCalls > 0 ? [`${report.submissionsToClosedCalls} candidature(s) d’appels déjà clos`] : []),
    ...(report.commitmentsOfClosedAntennas > 0 ? [`${report.commitmentsOfClosedAntennas} convention(s) d’antennes déjà fermées`] : []),
  ];
  if (left.length > 0) lines.push(`Laissées telles quelles, leur clôture étant déjà enregistrée (il n’y a plus de clôture à garder) : ${left.join(', ')}.`);
  return lines;
}

function claimName({ kind, id, parentId }: ClaimOutcome): string {
  return kind === 'registration' ? `Candidature ${id} à l’appel ${parentId}` : `Convention de financement ${id} de l’antenne ${parentId}`;
}
