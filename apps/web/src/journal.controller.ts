import { isSlug } from '@jalon/domain';
import { ReportOf, ReportQueries } from '@jalon/queries';
import { isAuditedEventType, renderReport, ReportSubjectNotFoundError } from '@jalon/reporting';
import { Controller, Get, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '@jalon/api';
import { DATE_OUT_OF_RANGE, parseDate } from './forms/parse';
import { DashboardReads } from './read/dashboard-reads';
import { WebRequest, WebSessionGuard } from './session/web-session.guard';
import { JOURNAL_FILTER_LABELS, JOURNAL_PAGE_SIZE, JOURNAL_PATH, JournalQuery, journalView } from './views/journal.view';
import { WebExceptionFilter, WebParameterRefusedError } from './web-exception.filter';
import { securityHeaders, WebPages } from './web-pages';

type QueryParameters = Record<string, string | string[] | undefined>;

const one = (value: string | string[] | undefined): string | undefined => {
  const text = Array.isArray(value) ? value[0] : value;
  return typeof text === 'string' && text.trim() !== '' ? text.trim() : undefined;
};

/**
 * The journal's address, read leniently: a filter that is not valid is left out and explained
 * beside its field, the page still shows (a mistyped date never makes an error page).
 */
export function readJournalQuery(query: QueryParameters): JournalQuery {
  const errors: Record<string, string> = {};
  const typed: { du?: string; au?: string } = {};
  const date = (name: 'du' | 'au'): string | undefined => {
    const raw = one(query[name]);
    if (raw === undefined) return undefined;
    const parsed = parseDate(raw);
    if (parsed.ok) return parsed.value;
    errors[name] = parsed.outOfRange ? DATE_OUT_OF_RANGE : `Saisissez une date valide (JJ/MM/AAAA) : ${parsed.message}.`;
    typed[name] = raw.slice(0, 40);
    return undefined;
  };
  const from = date('du');
  let to = date('au');
  if (from !== undefined && to !== undefined && to < from) {
    errors.au = 'Cette date précède la date de début : choisissez une date égale ou postérieure.';
    // Left out of the filter, but kept in its field beside the message about it.
    typed.au = one(query.au)!.slice(0, 40);
    to = undefined;
  }
  const slug = (name: 'antenne' | 'par', message: string): string | undefined => {
    const raw = one(query[name]);
    if (raw === undefined) return undefined;
    if (isSlug(raw)) return raw;
    errors[name] = message;
    return undefined;
  };
  const antennaId = slug('antenne', 'Choisissez une antenne dans la liste.');
  const actor = slug('par', 'Choisissez une personne dans la liste.');
  const rawType = one(query.evenement);
  const eventType = rawType !== undefined && isAuditedEventType(rawType) ? rawType : undefined;
  if (rawType !== undefined && eventType === undefined) errors.evenement = 'Choisissez un type de fait dans la liste.';
  const rawPage = one(query.page);
  const page = rawPage !== undefined && /^\d{1,6}$/.test(rawPage) && Number(rawPage) >= 1 ? Number(rawPage) : 1;
  return {
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    ...(antennaId !== undefined ? { antennaId } : {}),
    ...(actor !== undefined ? { actor } : {}),
    ...(eventType !== undefined ? { eventType } : {}),
    page,
    typed,
    errors,
  };
}

const UNKNOWN_ANTENNA = 'Aucune antenne ne porte cet identifiant : choisissez-en une dans la liste.';

/** « Journal d’audit »: the programme-wide audit trail with its filters, pages and exports (every role reads it). */
@ApiExcludeController()
@Public()
@UseGuards(WebSessionGuard)
@UseFilters(WebExceptionFilter)
@Controller()
export class JournalController {
  constructor(
    private readonly reports: ReportQueries,
    private readonly reads: DashboardReads,
    private readonly pages: WebPages,
  ) {}

  @Get('journal')
  async journal(@Query() query: QueryParameters, @Req() request: WebRequest, @Res() response: FastifyReply): Promise<void> {
    // Read your writes, as every page: `?apres=<position>` waits (bounded) for the read models.
    await this.reads.waitFor(one(query.apres));
    let journalQuery = readJournalQuery(query);
    let report = await this.trail(journalQuery, { page: journalQuery.page, pageSize: JOURNAL_PAGE_SIZE });
    if (report === undefined) {
      // An antenna the trail does not know: said beside the field, the rest of the filters kept.
      const { antennaId: _unknown, ...rest } = journalQuery;
      journalQuery = { ...rest, errors: { ...rest.errors, antenne: UNKNOWN_ANTENNA } };
      report = (await this.trail(journalQuery, { page: journalQuery.page, pageSize: JOURNAL_PAGE_SIZE }))!;
    }
    if (report.data.total > 0 && report.data.page > report.data.pageCount) {
      // A page past the last one (a link kept after the filters narrowed the results): the last page, saying so.
      journalQuery = { ...journalQuery, page: report.data.pageCount, pastLastPage: journalQuery.page };
      report = (await this.trail(journalQuery, { page: journalQuery.page, pageSize: JOURNAL_PAGE_SIZE }))!;
    }
    const body = journalView({ query: journalQuery, report, timeZone: this.reads.timeZone });
    this.pages.send(response, 200, this.pages.frame(request, 'Journal d’audit', 'journal'), body);
  }

  @Get('journal/export.csv')
  exportCsv(@Query() query: QueryParameters, @Res() response: FastifyReply): Promise<void> {
    return this.export('csv', query, response);
  }

  @Get('journal/export.xlsx')
  exportXlsx(@Query() query: QueryParameters, @Res() response: FastifyReply): Promise<void> {
    return this.export('xlsx', query, response);
  }

  /**
   * Every page of the journal with the page's filters, in the page's order, rendered as the other
   * exports. A filter the page would leave out and explain is refused here (400, nothing
   * exported): read without it, the file would hold more facts than its link says.
   */
  private async export(format: 'csv' | 'xlsx', query: QueryParameters, response: FastifyReply): Promise<void> {
    const journalQuery = readJournalQuery(query);
    const refused = Object.entries(journalQuery.errors)[0];
    if (refused) throw new WebParameterRefusedError(JOURNAL_FILTER_LABELS[refused[0] as keyof typeof JOURNAL_FILTER_LABELS] ?? refused[0], refused[1]);
    const report = await this.trail(journalQuery, {});
    if (report === undefined) throw new WebParameterRefusedError(JOURNAL_FILTER_LABELS.antenne, UNKNOWN_ANTENNA);
    const rendered = await renderReport(report, format, { timeZone: this.reads.timeZone });
    securityHeaders(response);
    response.header('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    response.header('Content-Disposition', `attachment; filename="jalon-journal-${this.reads.today()}.${format}"`);
    void response.status(200).send(rendered);
  }

  /** The trail for these filters, the most recent first; undefined when the antenna is unknown. */
  private async trail(query: JournalQuery, page: { readonly page?: number; readonly pageSize?: number }): Promise<ReportOf<'history'> | undefined> {
    try {
      return await this.reports.report('history', {
        order: 'desc',
        ...(query.antennaId !== undefined ? { antennaId: query.antennaId } : {}),
        ...(query.from !== undefined ? { from: query.from } : {}),
        ...(query.to !== undefined ? { to: query.to } : {}),
        ...(query.actor !== undefined ? { actor: query.actor } : {}),
        ...(query.eventType !== undefined ? { eventType: query.eventType } : {}),
        ...page,
      });
    } catch (error) {
      if (error instanceof ReportSubjectNotFoundError && query.antennaId !== undefined) return undefined;
      throw error;
    }
  }
}

export { JOURNAL_PATH };
