import { InputValidationError, ReadModelBehindError, ReportService } from '@jalon/application';
import { ProjectionRunner } from '@jalon/projections';
import { contentTypeOf, fileExtensionOf, isReportFormat, renderReport } from '@jalon/reporting';
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
  @ApiOperation({ summary: 'Un rapport : budget, phases, history, funding ou kpis' })
  @ApiParam({ name: 'kind', enum: ['budget', 'phases', 'history', 'funding', 'kpis'] })
  @ApiQuery({ name: 'antenna', required: false, description: 'identifiant de l’antenne (ex. montbeliard)' })
  @ApiQuery({ name: 'asOf', required: false, description: 'date d’effet AAAA-MM-JJ : ce qui s’était passé à cette date' })
  @ApiQuery({ name: 'knownAt', required: false, description: 'instant ISO 8601 : ce que le système savait alors' })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv', 'xlsx', 'table'] })
  @ApiQuery({ name: 'receiptDelayDays', required: false, type: Number })
  @ApiQuery({ name: 'waitForPosition', required: false, description: 'position renvoyée par une commande : attendre que les lectures l’aient intégrée' })
  async report(@Param('kind') kind: string, @Query() query: Record<string, string | undefined>) {
    const { antenna, asOf, knownAt, format = 'json', receiptDelayDays, waitForPosition } = query;
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
    if (!(await this.runner.waitForPosition(BigInt(position), WAIT_LIMIT_MS, [kind])) && this.runner.unavailability(kind) === undefined) {
      throw new ReadModelBehindError(position);
    }
  }
}
