import { ReportService } from '@jalon/application';
import { JalonConfig, sealForStatement } from '@jalon/core';
import { ProjectionRunner } from '@jalon/projections';
import { isCsvBundle, isReportFormat, REPORT_FORMATS, REPORT_KINDS, renderReport } from '@jalon/reporting';
import { Command, InvalidArgumentError } from 'commander';
import { assertWritableFile, writeWholeContent } from '@jalon/event-store';
import { statementNeedsWritableDataDir, withReadingCore } from '../core-context';
import { outputFile } from './export.command';
import { sealedLatest } from './integrity-seals';
import { reportQueryOf, reportQueryOptions } from './report-options';
import { readModelsCaughtUp, ReadModelsBehindError, SERVICE_CATCH_UP_WAIT_MS } from './projection-lease-hold';

/** `serviceWaitMs`: how long to wait for a running service to commit the read models up to the log's head (tests shorten it). */
export function reportCommand(config: () => JalonConfig, { serviceWaitMs = SERVICE_CATCH_UP_WAIT_MS }: { serviceWaitMs?: number } = {}): Command {
  const command = new Command('report')
    .description('produire un rapport à partir des projections (rejouées à la date demandée pour --as-of / --known-at)')
    .argument('<rapport>', REPORT_KINDS.join(' | '));
  // The options that fill the report query, declared once in report-options.ts.
  for (const option of reportQueryOptions()) command.addOption(option);
  return command
    .option('--format <format>', REPORT_FORMATS.join(' | '), 'table')
    .option('--out <fichier>', 'écrire dans un fichier plutôt que sur la sortie standard')
    .action(async (kind: string, options: { asOf?: string; knownAt?: string; format: string; out?: string } & Record<string, unknown>) => {
      if (!isReportFormat(options.format)) throw new InvalidArgumentError(`--format : ${REPORT_FORMATS.join(', ')}`);
      const format = options.format;
      // Refused before anything is read or sealed (a statement seals the log): a refusal writes nothing.
      const file = outputFile(options.out);
      if (file !== undefined) await assertWritableFile(file);
      await withReadingCore(config(), async ({ app, store, readOnly }) => {
        const runner = app.get(ProjectionRunner);
        // Read models caught up under the projection lease, or as the running service that holds it commits them.
        const caughtUp = () => readModelsCaughtUp(app, config(), runner, store, serviceWaitMs);
        try {
          if (!options.asOf && !options.knownAt) await caughtUp();
          const say = file !== undefined ? console.log : console.error;
          const report = await app.get(ReportService).build(reportQueryOf(kind, options), {
            // A statement of expenditure is produced under a seal (the log verified, then sealed if needed), read models caught up to it.
            // On a data directory that cannot be written, refused before any key is read or created: the medium is what is missing.
            sealForStatement: () =>
              readOnly
                ? Promise.reject(statementNeedsWritableDataDir(config()))
                : sealForStatement(store, () => sealedLatest(store, config(), say), { waitForPosition: async () => (await caughtUp(), true) }),
          });
          const rendered = await renderReport(report, format);
          if (file !== undefined) {
            // Whole or not at all: a full disk leaves the file that was there, never a cut one.
            await writeWholeContent(file, rendered);
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

