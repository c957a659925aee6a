import { inputFromQuery, InputValidationError, queryParametersOf, ReadModelBehindError, ReportQueryInput, ReportService } from '@jalon/application';
import { ProjectionRunner, REPORT_READ_MODELS } from '@jalon/projections';
import { contentTypeOf, fileExtensionOf, isReportFormat, renderReport, REPORT_FORMATS, REPORT_KINDS, ReportKind } from '@jalon/reporting';
import { EVENT_STORE, LogIntegrityService, sealForStatement } from '@jalon/core';
import { EventStore } from '@jalon/event-store';
import { Controller, Get, Inject, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { routeQuery } from '../http/route-query';
import { ApiQueryParameters } from '../openapi/query-parameters';

const WAIT_LIMIT_MS = 5000;
/** A global position as a command returns it: digits only (`1e3`, `0x10` are not positions). */
const POSITION = /^\d{1,19}$/;

/** The query parameters a report reads: the fields of its one input declaration (ReportQueryInput) declared as such, under their query names. */
const REPORT_QUERY = queryParametersOf(ReportQueryInput);

/** What the route accepts: the report's parameters and the route's own, each once (routeQuery refuses any other). */
const REPORT_PARAMETERS = [...REPORT_QUERY.map((parameter) => parameter.name), 'format', 'waitForPosition'];

/** The reports users work with, computed from the read models (or replayed for a past cut). Every role may read them. */
@ApiBearerAuth()
@ApiTags('rapports')
@Controller('api/reports')
export class ReportsController {
  constructor(
    private readonly reports: ReportService,
    private readonly runner: ProjectionRunner,
    private readonly integrity: LogIntegrityService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get(':kind')
  @ApiOperation({ summary: 'Un rapport : budget, phases, history, funding, kpis ou echeancier (tranches en retard et à échoir)' })
  @ApiParam({ name: 'kind', enum: [...REPORT_KINDS] })
  @ApiQueryParameters(ReportQueryInput)
  @ApiQuery({ name: 'format', required: false, enum: [...REPORT_FORMATS], description: 'format de la réponse : json (par défaut), csv, xlsx, pdf ou table (tableau en français)' })
  @ApiQuery({
    name: 'waitForPosition',
    required: false,
    description: 'position renvoyée par une commande : attendre que les lectures l’aient intégrée',
    schema: { type: 'string', pattern: POSITION.source },
  })
  async report(@Param('kind') kind: string, @Query() rawQuery: Record<string, unknown>) {
    const query = routeQuery(rawQuery, REPORT_PARAMETERS, 'les rapports');
    const { format = 'json', waitForPosition } = query;
    if (!isReportFormat(format)) {
      throw new InputValidationError([{ field: 'format', rule: 'isIn', message: 'format doit valoir json, csv, xlsx, pdf ou table' }]);
    }
    if (waitForPosition !== undefined) await this.waitFor(waitForPosition, kind);
    const input: Readonly<Record<string, unknown>> = { kind, ...inputFromQuery(REPORT_QUERY, query) };
    const report = await this.reports.build(input, {
      // Refusals name the parameters as the client sent them (`antenna`, not the field `antennaId`).
      naming: 'queryParameter',
      // A statement of expenditure is produced under the latest seal (the log sealed first if needed), and lists only what it covers.
      sealForStatement: () => sealForStatement(this.store, () => this.integrity.sealedLatest(), input.asOf || input.knownAt ? undefined : this.runner),
    });
    if (format === 'json') return report;
    const rendered = await renderReport(report, format);
    return new StreamableFile(typeof rendered === 'string' ? Buffer.from(rendered, 'utf8') : rendered, {
      type: contentTypeOf(format, report),
      ...(format === 'table' ? {} : { disposition: `attachment; filename="jalon-${kind}${input.antennaId ? `-${String(input.antennaId)}` : ''}.${fileExtensionOf(format, report)}"` }),
    });
  }

  /**
   * Waits for the report's read models (REPORT_READ_MODELS); one that is stopped answers at once (READ_MODEL.UNAVAILABLE,
   * from the report service). A position the log still does not hold once the wait is over was not
   * returned by a command of this store: refused naming the parameter (400), not "try again" (503).
   * Only then: a node that lags behind the one that appended gets the whole wait to catch up.
   */
  private async waitFor(position: string, kind: string): Promise<void> {
    if (!POSITION.test(position)) {
      throw new InputValidationError([{ field: 'waitForPosition', rule: 'isPosition', message: 'waitForPosition doit être une position renvoyée par une commande' }]);
    }
    const projections = (REPORT_KINDS as readonly string[]).includes(kind) ? REPORT_READ_MODELS[kind as ReportKind] : [kind];
    if (!(await this.runner.waitForPosition(BigInt(position), WAIT_LIMIT_MS, projections)) && projections.every((projection) => this.runner.unavailability(projection) === undefined)) {
      const head = await this.store.headPosition();
      if (BigInt(position) > head) {
        throw new InputValidationError([
          {
            field: 'waitForPosition',
            rule: 'isLoggedPosition',
            message: `waitForPosition (${position}) dépasse la dernière position du journal (${head.toString()}) : donnez une position renvoyée par une commande`,
          },
        ]);
      }
      throw new ReadModelBehindError(position);
    }
  }
}
