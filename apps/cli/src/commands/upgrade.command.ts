import { ClaimOutcome, CommandResult, findMissingClaims, InputValidationError, MissingClaims, recordMissingClaims, UpgradeReport } from '@jalon/application';
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
    .option('--dry-run', 'dire ce qui serait inscrit ou rattaché, sans rien écrire')
    .action(async (options: { dryRun?: boolean }) => {
      const base = config();
      if (options.dryRun) {
        await withCore({ config: base, existingStore: true }, async ({ store }) => {
          for (const line of dryRunLines(await findMissingClaims(store))) console.log(line);
        });
        return;
      }
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
          // A recorded fact whose data today's input rules refuse is refused again at every run: nothing can be corrected, so that advice is not given for it.
          const lasting = refused.filter((outcome) => outcome.error instanceof InputValidationError).length;
          const parts = [`${refused.length} inscription(s) ou rattachement(s) refusé(s) : rien n’a été écrit pour eux`];
          if (lasting > 0) {
            parts.push(
              `${lasting} refusé(s) pour des données que les règles de saisie d’aujourd’hui n’acceptent plus, enregistrées avant elles : un fait enregistré ne se corrige pas, ce refus reviendra à chaque passage, et leur appel ou leur antenne ne les listera pas (sa clôture ne les attendra pas)`,
            );
          }
          if (lasting < refused.length) parts.push('pour les autres, corrigez la cause puis relancez jalon upgrade');
          console.error(`${parts.join(' ; ')}.`);
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
  return [...lines, ...leftLines(report)];
}

/** What a run leaves as it is: the candidacies of calls and the agreements of antennas already closed, counted, then each named. */
function leftLines(left: Pick<UpgradeReport, 'submissionsToClosedCalls' | 'commitmentsOfClosedAntennas'>): string[] {
  const { submissionsToClosedCalls: submissions, commitmentsOfClosedAntennas: commitments } = left;
  const parts = [
    ...(submissions.length > 0 ? [`${submissions.length} candidature(s) d’appels déjà clos`] : []),
    ...(commitments.length > 0 ? [`${commitments.length} convention(s) d’antennes déjà fermées`] : []),
  ];
  if (parts.length === 0) return [];
  return [
    `Laissées telles quelles, leur clôture étant déjà enregistrée (il n’y a plus de clôture à garder) : ${parts.join(', ')}.`,
    ...submissions.map((each) => `  ${claimName({ kind: 'registration', ...each })} : laissée telle quelle (appel déjà clos).`),
    ...commitments.map((each) => `  ${claimName({ kind: 'attachment', ...each })} : laissée telle quelle (antenne déjà fermée).`),
  ];
}

/** `--dry-run`: what a run would send, each with the date its claim would carry; nothing is written. */
function dryRunLines(missing: MissingClaims): string[] {
  const totals = `${missing.submissions.length} inscription(s) de candidature, ${missing.commitments.length} convention(s) à rattacher`;
  const lines = [`Mise à niveau (essai : rien n’est écrit dans le journal) : ${totals}.`];
  for (const submission of missing.submissions) {
    lines.push(`  ${claimName({ kind: 'registration', id: submission.candidacyId, parentId: submission.callId })} : serait inscrite à la date du ${formatDate(submission.effectiveDate)}.`);
  }
  for (const commitment of missing.commitments) {
    lines.push(`  ${claimName({ kind: 'attachment', id: commitment.agreementId, parentId: commitment.antennaId })} : serait rattachée à la date du ${formatDate(commitment.effectiveDate)}.`);
  }
  return [...lines, ...leftLines(missing)];
}

function claimName({ kind, id, parentId }: Pick<ClaimOutcome, 'kind' | 'id' | 'parentId'>): string {
  return kind === 'registration' ? `Candidature ${id} à l’appel ${parentId}` : `Convention de financement ${id} de l’antenne ${parentId}`;
}
