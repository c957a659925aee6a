import { InputValidationError, ReadModelBehindError, ReportService } from '@jalon/application';
import { ProjectionRunner, REPORT_PROJECTION } from '@jalon/projections';
import { contentTypeOf, fileExtensionOf, isReportFormat, renderReport, REPORT_KINDS, ReportKind } from '@jalon/reporting';
import { Controller, Get, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';

const WAIT_LIMIT_MS = 5000;

/** The reports users work with, computed from the read models (or replayed for a past cut). Every role may read them. */
@ApiBearerAuth()
@ApiTags('rapports')
@Controller('api/reports')
export class ReportsController {
  constructor(
    private readonly reports: ReportService,
    private readonly runner: ProjectionRunner,
  ) {}

  @Get(':kind')
  @ApiOperation({ summary: 'Un rapport : budget, phases, history, funding, kpis ou echeancier (tranches en retard et à échoir)' })
  @ApiParam({ name: 'kind', enum: [...REPORT_KINDS] })
  @ApiQuery({ name: 'antenna', required: false, description: 'identifiant de l’antenne (ex. montbeliard)' })
  @ApiQuery({ name: 'asOf', required: false, description: 'date d’effet AAAA-MM-JJ : ce qui s’était passé à cette date' })
  @ApiQuery({ name: 'knownAt', required: false, description: 'instant ISO 8601 : ce que le système savait alors' })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv', 'xlsx', 'table'] })
  @ApiQuery({ name: 'receiptDelayDays', required: false, type: Number })
  @ApiQuery({ name: 'withinDays', required: false, type: Number, description: 'échéancier : tranches à échoir dans ce nombre de jours (30 par défaut)' })
  @ApiQuery({ name: 'waitForPosition', required: false, description: 'position renvoyée par une commande : attendre que les lectures l’aient intégrée' })
  async report(@Param('kind') kind: string, @Query() query: Record<string, string | undefined>) {
    const { antenna, asOf, knownAt, format = 'json', receiptDelayDays, withinDays, waitForPosition } = query;
    if (!isReportFormat(format)) {
      throw new InputValidationError([{ field: 'format', rule: 'isIn', message: 'format doit valoir json, csv, xlsx ou table' }]);
    }
    if (waitForPosition !== undefined) await this.waitFor(waitForPosition, kind);
    const report = await this.reports.build({
      kind,
      ...(antenna !== undefined ? { antennaId: antenna } : {}),
      ...(asOf !== undefined ? { asOf } : {}),
      ...(knownAt !== undefined ? { knownAt } : {}),
      ...(receiptDelayDays !== undefined ? { receiptDelayDays: /^\d+$/.test(receiptDelayDays) ? Number(receiptDelayDays) : receiptDelayDays } : {}),
      ...(withinDays !== undefined ? { withinDays: /^\d+$/.test(withinDays) ? Number(withinDays) : withinDays } : {}),
    });
    if (format === 'json') return report;
    const rendered = await renderReport(report, format);
    return new StreamableFile(typeof rendered === 'string' ? Buffer.from(rendered, 'utf8') : rendered, {
      type: contentTypeOf(format),
      ...(format === 'table' ? {} : { disposition: `attachment; filename="jalon-${kind}${antenna ? `-${antenna}` : ''}.${fileExtensionOf(format)}"` }),
    });
  }

  /** Waits for the report's own projection; one that is stopped answers at once (READ_MODEL.UNAVAILABLE, from the report service). */
  private async waitFor(position: string, kind: string): Promise<void> {
    if (!/^\d{1,19}$/.test(position)) {
      throw new InputValidationError([{ field: 'waitForPosition', rule: 'isPosition', message: 'waitForPosition doit être une position renvoyée par une commande' }]);
    }
    const projection = (REPORT_KINDS as readonly string[]).includes(kind) ? REPORT_PROJECTION[kind as ReportKind] : kind;
    if (!(await this.runner.waitForPosition(BigInt(position), WAIT_LIMIT_MS, [projection])) && this.runner.unavailability(projection) === undefined) {
      throw new ReadModelBehindError(position);
    }
  }
}
