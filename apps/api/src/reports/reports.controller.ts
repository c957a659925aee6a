import { describeInput, InputValidationError, ReadModelBehindError, ReportQueryInput, ReportService } from '@jalon/application';
import { ProjectionRunner, REPORT_PROJECTION } from '@jalon/projections';
import { AUDITED_EVENT_TYPES, contentTypeOf, fileExtensionOf, isReportFormat, renderReport, REPORT_KINDS, ReportKind } from '@jalon/reporting';
import { EVENT_STORE, LogIntegrityService, sealForStatement } from '@jalon/core';
import { EventStore } from '@jalon/event-store';
import { Controller, Get, Inject, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';

const WAIT_LIMIT_MS = 5000;

/** Fields of the report query the HTTP query names otherwise: an error names the parameter the client sent. */
const PARAMETER_OF_FIELD: Readonly<Record<string, string>> = { antennaId: 'antenna', agreementId: 'agreement' };

/**
 * The query parameters a report reads: the fields of its one input declaration (ReportQueryInput)
 * as the query names them, but the kind (in the path), and the route's own; any other is refused,
 * naming it (`antena=montbeliard` must not give the whole programme).
 */
const REPORT_PARAMETERS: ReadonlySet<string> = new Set([
  ...describeInput(ReportQueryInput)
    .map((field) => field.name)
    .filter((name) => name !== 'kind')
    .map((name) => PARAMETER_OF_FIELD[name] ?? name),
  'format',
  'waitForPosition',
]);

/** A whole number typed in the query, negative included (`-1` is then "too small", not "not a number"); anything else as typed. */
const wholeNumber = (value: string): string | number => (/^-?\d{1,9}$/.test(value) ? Number(value) : value);

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
  @ApiQuery({ name: 'antenna', required: false, description: 'identifiant de l’antenne (ex. montbeliard)' })
  @ApiQuery({ name: 'asOf', required: false, description: 'date d’effet AAAA-MM-JJ : ce qui s’était passé à cette date' })
  @ApiQuery({ name: 'knownAt', required: false, description: 'instant ISO 8601 : ce que le système savait alors' })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv', 'xlsx', 'pdf', 'table'] })
  @ApiQuery({ name: 'receiptDelayDays', required: false, type: Number })
  @ApiQuery({ name: 'withinDays', required: false, type: Number, description: 'échéancier : tranches à échoir dans ce nombre de jours (30 par défaut)' })
  @ApiQuery({ name: 'agreement', required: false, description: 'état récapitulatif des dépenses (etat-depenses) : la convention de financement, facultative si l’antenne n’en a qu’une' })
  @ApiQuery({ name: 'periodFrom', required: false, description: 'état récapitulatif des dépenses : premier jour de la période (AAAA-MM-JJ)' })
  @ApiQuery({ name: 'periodTo', required: false, description: 'état récapitulatif des dépenses : dernier jour de la période (AAAA-MM-JJ)' })
  @ApiQuery({ name: 'from', required: false, description: 'historique : dates d’effet à partir de ce jour (AAAA-MM-JJ)' })
  @ApiQuery({ name: 'to', required: false, description: 'historique : dates d’effet jusqu’à ce jour inclus (AAAA-MM-JJ)' })
  @ApiQuery({ name: 'actor', required: false, description: 'historique : identifiant de la personne qui a enregistré les faits' })
  @ApiQuery({ name: 'eventType', required: false, enum: [...AUDITED_EVENT_TYPES], description: 'historique : un type d’événement' })
  @ApiQuery({ name: 'page', required: false, type: Number, description: 'historique : la page (1 pour la première), de pageSize événements' })
  @ApiQuery({ name: 'pageSize', required: false, type: Number, description: 'historique : événements par page (50 par défaut si page est donnée, 500 au plus)' })
  @ApiQuery({ name: 'order', required: false, enum: ['asc', 'desc'], description: 'historique : asc (ordre d’enregistrement, par défaut) ou desc (du plus récent au plus ancien)' })
  @ApiQuery({ name: 'waitForPosition', required: false, description: 'position renvoyée par une commande : attendre que les lectures l’aient intégrée' })
  async report(@Param('kind') kind: string, @Query() query: Record<string, string | undefined>) {
    const unknown = Object.keys(query).filter((name) => !REPORT_PARAMETERS.has(name));
    if (unknown.length > 0) {
      throw new InputValidationError(
        unknown.map((name) => ({ field: name.slice(0, 100), rule: 'whitelistValidation', message: `le paramètre ${name.slice(0, 100)} n’est pas attendu par les rapports` })),
      );
    }
    const { antenna, asOf, knownAt, format = 'json', receiptDelayDays, withinDays, waitForPosition, agreement, periodFrom, periodTo } = query;
    if (!isReportFormat(format)) {
      throw new InputValidationError([{ field: 'format', rule: 'isIn', message: 'format doit valoir json, csv, xlsx, pdf ou table' }]);
    }
    if (waitForPosition !== undefined) await this.waitFor(waitForPosition, kind);
    const report = await this.build({
      kind,
      ...(antenna !== undefined ? { antennaId: antenna } : {}),
      ...(asOf !== undefined ? { asOf } : {}),
      ...(knownAt !== undefined ? { knownAt } : {}),
      ...(receiptDelayDays !== undefined ? { receiptDelayDays: wholeNumber(receiptDelayDays) } : {}),
      ...(withinDays !== undefined ? { withinDays: wholeNumber(withinDays) } : {}),
      ...(agreement !== undefined ? { agreementId: agreement } : {}),
      ...(periodFrom !== undefined ? { periodFrom } : {}),
      ...(periodTo !== undefined ? { periodTo } : {}),
      ...historyQuery(query),
    }, {
      // A statement of expenditure is produced under the latest seal (the log sealed first if needed), and lists only what it covers.
      sealForStatement: () => sealForStatement(this.store, () => this.integrity.sealedLatest(), asOf || knownAt ? undefined : this.runner),
    });
    if (format === 'json') return report;
    const rendered = await renderReport(report, format);
    return new StreamableFile(typeof rendered === 'string' ? Buffer.from(rendered, 'utf8') : rendered, {
      type: contentTypeOf(format, report),
      ...(format === 'table' ? {} : { disposition: `attachment; filename="jalon-${kind}${antenna ? `-${antenna}` : ''}.${fileExtensionOf(format, report)}"` }),
    });
  }

  /** The report, its refusals naming the query's parameters as the client sent them (`antenna`, not the query field `antennaId`). */
  private async build(...args: Parameters<ReportService['build']>): ReturnType<ReportService['build']> {
    try {
      return await this.reports.build(...args);
    } catch (error) {
      if (!(error instanceof InputValidationError)) throw error;
      throw new InputValidationError(
        error.violations.map((violation) => {
          const parameter = PARAMETER_OF_FIELD[violation.field];
          return parameter === undefined ? violation : { ...violation, field: parameter, message: violation.message.replace(violation.field, parameter) };
        }),
      );
    }
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

/** The history's filters and page as the report query takes them: whole numbers as numbers, anything else as typed (refused with the field named). */
function historyQuery(query: Record<string, string | undefined>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const field of ['from', 'to', 'actor', 'eventType', 'order'] as const) {
    const value = query[field];
    if (value !== undefined) out[field] = value;
  }
  for (const field of ['page', 'pageSize'] as const) {
    const value = query[field];
    if (value !== undefined) out[field] = wholeNumber(value);
  }
  return out;
}
