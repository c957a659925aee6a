import { ReportService } from '@jalon/application';
import { JalonConfig, sealForStatement } from '@jalon/core';
import { ProjectionRunner } from '@jalon/projections';
import { isCsvBundle, isReportFormat, REPORT_FORMATS, REPORT_KINDS, renderReport } from '@jalon/reporting';
import { Command, InvalidArgumentError } from 'commander';
import { writeFileSync } from 'node:fs';
import { withCore } from '../core-context';
import { sealedLatest } from './integrity-seals';
import { readModelsCaughtUp, ReadModelsBehindError, SERVICE_CATCH_UP_WAIT_MS } from './projection-lease-hold';

/** `serviceWaitMs`: how long to wait for a running service to commit the read models up to the log's head (tests shorten it). */
export function reportCommand(config: () => JalonConfig, { serviceWaitMs = SERVICE_CATCH_UP_WAIT_MS }: { serviceWaitMs?: number } = {}): Command {
  return new Command('report')
    .description('produire un rapport à partir des projections (rejouées à la date demandée pour --as-of / --known-at)')
    .argument('<rapport>', REPORT_KINDS.join(' | '))
    .option('--antenna <id>', 'une antenne (ex. montbeliard)')
    .option('--as-of <date>', 'date d’effet AAAA-MM-JJ : ce qui s’était passé à cette date')
    .option('--known-at <instant>', 'instant ISO 8601 : ce que le système savait alors (avant les corrections ultérieures)')
    .option('--receipt-delay-days <jours>', 'financement : jours après un versement au-delà desquels une réception manquante est signalée', integer)
    .option('--within-days <jours>', 'échéancier : tranches à échoir dans ce nombre de jours (30 par défaut)', integer)
    .option('--agreement <id>', 'état récapitulatif des dépenses : la convention de financement (facultatif si l’antenne n’en a qu’une)')
    .option('--from <date>', 'état récapitulatif des dépenses : premier jour de la période (AAAA-MM-JJ ; défaut : l’engagement) ; historique : dates d’effet à partir de ce jour')
    .option('--to <date>', 'état récapitulatif des dépenses : dernier jour de la période (AAAA-MM-JJ ; défaut : --as-of ou aujourd’hui) ; historique : dates d’effet jusqu’à ce jour inclus')
    .option('--actor <id>', 'historique : les faits enregistrés par cette personne (son identifiant, voir users list)')
    .option('--event <type>', 'historique : un type d’événement (ex. BudgetTrancheReleased)')
    .option('--page <n>', 'historique : la page (1 pour la première) de --page-size événements', wholeNumber)
    .option('--page-size <n>', 'historique : événements par page (50 par défaut avec --page, 500 au plus)', wholeNumber)
    .option('--order <ordre>', 'historique : asc (ordre d’enregistrement, par défaut) ou desc (du plus récent au plus ancien)')
    .option('--format <format>', REPORT_FORMATS.join(' | '), 'table')
    .option('--out <fichier>', 'écrire dans un fichier plutôt que sur la sortie standard')
    .action(async (kind: string, options: { antenna?: string; asOf?: string; knownAt?: string; receiptDelayDays?: number; withinDays?: number; agreement?: string; from?: string; to?: string; actor?: string; event?: string; page?: number; pageSize?: number; order?: string; format: string; out?: string }) => {
      if (!isReportFormat(options.format)) throw new InvalidArgumentError(`--format : ${REPORT_FORMATS.join(', ')}`);
      const format = options.format;
      await withCore({ config: config() }, async ({ app, store }) => {
        const runner = app.get(ProjectionRunner);
        // Read models caught up under the projection lease, or as the running service that holds it commits them.
        const caughtUp = () => readModelsCaughtUp(app, config(), runner, store, serviceWaitMs);
        try {
          if (!options.asOf && !options.knownAt) await caughtUp();
          const say = options.out ? console.log : console.error;
          const report = await app.get(ReportService).build({
            kind,
            ...(options.antenna ? { antennaId: options.antenna } : {}),
            ...(options.asOf ? { asOf: options.asOf } : {}),
            ...(options.knownAt ? { knownAt: options.knownAt } : {}),
            ...(options.receiptDelayDays !== undefined ? { receiptDelayDays: options.receiptDelayDays } : {}),
            ...(options.withinDays !== undefined ? { withinDays: options.withinDays } : {}),
            ...(options.agreement !== undefined ? { agreementId: options.agreement } : {}),
            // --from/--to: the history's effective dates, or a statement's period.
            ...(options.from !== undefined ? (kind === 'history' ? { from: options.from } : { periodFrom: options.from }) : {}),
            ...(options.to !== undefined ? (kind === 'history' ? { to: options.to } : { periodTo: options.to }) : {}),
            ...(options.actor !== undefined ? { actor: options.actor } : {}),
            ...(options.event !== undefined ? { eventType: options.event } : {}),
            ...(options.page !== undefined ? { page: options.page } : {}),
            ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
            ...(options.order !== undefined ? { order: options.order } : {}),
          }, {
            // A statement of expenditure is produced under a seal (the log verified, then sealed if needed), read models caught up to it.
            sealForStatement: () => sealForStatement(store, () => sealedLatest(store, config(), say), { waitForPosition: async () => (await caughtUp(), true) }),
          });
          const rendered = await renderReport(report, format);
          if (options.out) {
            writeFileSync(options.out, rendered);
            const bundle = format === 'csv' && kind !== 'subventions' && isCsvBundle(report);
            console.log(`Rapport ${kind} écrit dans ${options.out}${bundle ? ' (archive ZIP : un fichier CSV par tableau)' : ''}`);
          } else {
            process.stdout.write(rendered);
          }
        } catch (error) {
          if (!(error instanceof ReadModelsBehindError)) throw error;
          console.error(`Rapport impossible : ${error.message}.`);
          process.exitCode = 1;
        }
      });
    });
}

function integer(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('un nombre entier de jours est attendu');
  return Number(value);
}

function wholeNumber(value: string): number {
  if (!/^\d{1,9}$/.test(value)) throw new InvalidArgumentError('un nombre entier est attendu');
  return Number(value);
}
