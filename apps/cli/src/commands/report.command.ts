import { ReportService } from '@jalon/application';
import { JalonConfig } from '@jalon/core';
import { ProjectionRunner } from '@jalon/projections';
import { isReportFormat, REPORT_FORMATS, REPORT_KINDS, renderReport } from '@jalon/reporting';
import { Command, InvalidArgumentError } from 'commander';
import { writeFileSync } from 'node:fs';
import { withCore } from '../core-context';

export function reportCommand(config: () => JalonConfig): Command {
  return new Command('report')
    .description('produire un rapport à partir des projections (rejouées à la date demandée pour --as-of / --known-at)')
    .argument('<rapport>', REPORT_KINDS.join(' | '))
    .option('--antenna <id>', 'une antenne (ex. montbeliard)')
    .option('--as-of <date>', 'date d’effet AAAA-MM-JJ : ce qui s’était passé à cette date')
    .option('--known-at <instant>', 'instant ISO 8601 : ce que le système savait alors (avant les corrections ultérieures)')
    .option('--receipt-delay-days <jours>', 'financement : jours après un versement au-delà desquels une réception manquante est signalée', integer)
    .option('--within-days <jours>', 'échéancier : tranches à échoir dans ce nombre de jours (30 par défaut)', integer)
    .option('--format <format>', REPORT_FORMATS.join(' | '), 'table')
    .option('--out <fichier>', 'écrire dans un fichier plutôt que sur la sortie standard')
    .action(async (kind: string, options: { antenna?: string; asOf?: string; knownAt?: string; receiptDelayDays?: number; withinDays?: number; format: string; out?: string }) => {
      if (!isReportFormat(options.format)) throw new InvalidArgumentError(`--format : ${REPORT_FORMATS.join(', ')}`);
      const format = options.format;
      await withCore({ config: config() }, async ({ app }) => {
        if (!options.asOf && !options.knownAt) await app.get(ProjectionRunner).catchUp();
        const report = await app.get(ReportService).build({
          kind,
          ...(options.antenna ? { antennaId: options.antenna } : {}),
          ...(options.asOf ? { asOf: options.asOf } : {}),
          ...(options.knownAt ? { knownAt: options.knownAt } : {}),
          ...(options.receiptDelayDays !== undefined ? { receiptDelayDays: options.receiptDelayDays } : {}),
          ...(options.withinDays !== undefined ? { withinDays: options.withinDays } : {}),
        });
        const rendered = await renderReport(report, format);
        if (options.out) {
          writeFileSync(options.out, rendered);
          console.log(`Rapport ${kind} écrit dans ${options.out}`);
        } else {
          process.stdout.write(rendered);
        }
      });
    });
}

function integer(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('un nombre entier de jours est attendu');
  return Number(value);
}
