import { Actor, commandNamed, isAsOfInFuture } from '@jalon/application';
import { isSlug } from '@jalon/domain';
import { contentTypeOf, fileExtensionOf, formatDate, formatTimestamp, renderReport, ReportSubjectNotFoundError } from '@jalon/reporting';
import { DEFAULT_ECHEANCIER_WITHIN_DAYS } from '@jalon/queries';
import { Controller, Get, Param, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '@jalon/api';
import { FORMS, SPREADSHEET_IMPORT } from './forms/form-catalogue';
import { FormChoices } from './forms/form-choices';
import { DATE_OUT_OF_RANGE, parseDate } from './forms/parse';
import { href, html, segment } from './html';
import { AUDIT_EXPORT_ROLES } from './integrity-pages.controller';
import { DashboardReads, LiveExpenditure } from './read/dashboard-reads';
import { WebRequest, WebSessionGuard } from './session/web-session.guard';
import { antennaView } from './views/antenna.view';
import { readKnownAt, timeTravelControl } from './views/known-at.view';
import { echeancierView, readWithinDays } from './views/echeancier.view';
import { financeExport, financeRows, financeView } from './views/finance.view';
import { OverviewAntenna, overviewView } from './views/overview.view';
import { WebExceptionFilter, WebNotFoundError, WebParameterRefusedError } from './web-exception.filter';
import { securityHeaders, WebPages } from './web-pages';

type QueryParameters = Record<string, string | undefined>;

/**
 * `?asOf=` of a page: a past day (or today), or a French message to show beside the control. A day
 * in the future is judged by the report service's own rule (isAsOfInFuture), worded for the form.
 */
export function readAsOf(raw: unknown, today: string): { asOf?: string; error?: string; typed?: string } {
  if (raw === undefined || raw === '') return {};
  if (typeof raw !== 'string') return { error: 'Saisissez une date valide (JJ/MM/AAAA).' };
  const parsed = parseDate(raw);
  if (!parsed.ok) return { error: parsed.outOfRange ? DATE_OUT_OF_RANGE : 'Saisissez une date valide (JJ/MM/AAAA).', typed: raw.slice(0, 40) };
  if (isAsOfInFuture(parsed.value, today)) return { error: 'Choisissez une date passée ou aujourd’hui : l’avenir n’est pas encore enregistré.', typed: raw.slice(0, 40) };
  return { asOf: parsed.value };
}

/**
 * `?asOf=` of an export: the page's rule and message ({@link readAsOf}), but refused (400) rather
 * than explained beside a field, since an export read without its date would be today's figures
 * under another name.
 */
export function exportedAsOf(raw: unknown, today: string): string | undefined {
  const { asOf, error } = readAsOf(raw, today);
  if (error !== undefined) throw new WebParameterRefusedError('État au', error);
  return asOf;
}

export function mayRun(actor: Actor, command: string): boolean {
  return commandNamed(command).roles.includes(actor.role);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The dashboard's pages: programme overview, antenna page, finance page and its exports. */
@ApiExcludeController()
@Public()
@UseGuards(WebSessionGuard)
@UseFilters(WebExceptionFilter)
@Controller()
export class PagesController {
  private readonly choices: FormChoices;

  constructor(
    private readonly reads: DashboardReads,
    private readonly pages: WebPages,
  ) {
    this.choices = new FormChoices(reads);
  }

  @Get('programme')
  async overview(@Query() query: QueryParameters, @Req() request: WebRequest, @Res() response: FastifyReply): Promise<void> {
    const actor = request.webSession!.actor;
    const staleRead = !(await this.reads.waitFor(query.apres));
    const today = this.reads.today();
    const { asOf, error, typed } = readAsOf(query.asOf, today);
    const data = await this.reads.overview(asOf);
    const callTitles = this.reads.callTitles();
    for (const call of data.kpis.calls) if (!callTitles.has(call.callId)) callTitles.set(call.callId, call.title ?? call.callId);

    // Each antenna of the phases report carries its territory, region and call (as of the same day).
    const antennas: OverviewAntenna[] = data.programmes.flatMap((programme) =>
      programme.antennas.map((antenna) => ({
        antenna,
        region: antenna.territory.region,
        callId: antenna.callId,
        callTitle: callTitles.get(antenna.callId) ?? antenna.callId,
      })),
    );
    const withAntenna = this.reads.candidaciesWithAntenna();
    const candidacies = asOf
      ? undefined
      : (await this.reads.candidacies()).map((view) => ({
          view,
          callTitle: view.callId ? (callTitles.get(view.callId) ?? view.callId) : '—',
          hasAntenna: withAntenna.has(view.candidacyId),
        }));
    const forms = asOf ? [] : FORMS.filter((form) => form.scope === 'programme' && mayRun(actor, form.command));
    // A form that can only be refused now (a programme's launch once one is launched) is not offered: the menu says why.
    const unavailableForms = await this.choices.unavailableAmong(forms, undefined);
    const body = overviewView({
      ...(asOf ? { asOf } : {}),
      ...(error ? { asOfError: error, asOfTyped: typed } : {}),
      today,
      referenceDate: data.referenceDate,
      kpis: data.kpis,
      programmeName: data.kpis.programme?.name ?? data.programmes[0]?.name ?? 'Programme',
      antennas,
      filters: { ...(text(query.region) ? { region: text(query.region) } : {}), ...(text(query.statut) ? { status: text(query.statut) } : {}), ...(text(query.appel) ? { call: text(query.appel) } : {}) },
      regions: [...new Set(antennas.flatMap((row) => (row.region ? [row.region] : [])))].sort((a, b) => a.localeCompare(b, 'fr')),
      calls: [...callTitles].map(([callId, title]) => ({ callId, title })),
      ...(candidacies ? { candidacies } : {}),
      may: {
        submit: !asOf && mayRun(actor, 'SubmitCandidacy'),
        select: !asOf && mayRun(actor, 'SelectCandidacy'),
        open: !asOf && mayRun(actor, 'OpenAntenna'),
      },
      forms: new Set(forms.map((form) => form.slug)),
      unavailableForms,
      staleRead,
    });
    this.pages.send(response, 200, this.pages.frame(request, 'Avancement du programme', 'programme'), body);
  }

  @Get('antennes/:antennaId')
  async antenna(@Param('antennaId') antennaId: string, @Query() query: QueryParameters, @Req() request: WebRequest, @Res() response: FastifyReply): Promise<void> {
    // Not an identifier at all (`NOPE`, `a b`, `__proto__`, 65 characters): no antenna can bear it.
    if (!isSlug(antennaId)) throw new WebNotFoundError('Aucune antenne ne porte cet identifiant.');
    const actor = request.webSession!.actor;
    const staleRead = !(await this.reads.waitFor(query.apres));
    const today = this.reads.today();
    const { asOf, error, typed } = readAsOf(query.asOf, today);
    // « Connu au »: the page as the log stood at an instant (views/known-at.view.ts).
    const known = readKnownAt(query.knownAt, today, this.reads.timeZone);
    const knownAt = known.knownAt;
    const base = `/antennes/${segment(antennaId)}`;
    let data;
    try {
      data = await this.reads.antenna(antennaId, asOf, knownAt);
    } catch (failure) {
      if (!(failure instanceof ReportSubjectNotFoundError)) throw failure;
      const situation = asOf || knownAt ? this.reads.antennaSituation(antennaId) : undefined;
      if (!situation) throw new WebNotFoundError(`Aucune antenne n’a été ouverte sous l’identifiant « ${antennaId} ».`);
      const frame = this.pages.frame(request, 'Antenne', 'programme', [{ label: 'Programme', href: '/programme' }, { label: antennaId }]);
      this.pages.send(
        response,
        200,
        frame,
        html`<h1>${situation.name}</h1>
${timeTravelControl({ action: base, timeZone: this.reads.timeZone, ...(asOf ? { asOf } : {}), ...(knownAt ? { knownAt } : {}) })}
<p class="bandeau-date" role="status">${asOf ? `Le ${formatDate(asOf)}` : `Le ${formatTimestamp(knownAt!, this.reads.timeZone)}`}, cette antenne n’était pas encore ouverte : rien n’était enregistré à son sujet.</p>`,
      );
      return;
    }
    const candidacy = await this.reads.candidacy(data.antenna.candidacyId);
    const callTitle = this.reads.callTitles().get(data.antenna.callId);
    const past = asOf !== undefined || knownAt !== undefined;
    // The antenna's forms and the spreadsheet import (imports.controller.ts) that the role may use.
    const forms = past ? [] : [...FORMS, SPREADSHEET_IMPORT].filter((form) => form.scope === 'antenna' && mayRun(actor, form.command));
    // A form the antenna can only refuse now (most of them once it is closed, a second inauguration,
    // a resumption of an active antenna…) is not offered: the menu says why instead (form-choices.ts).
    const unavailableForms = await this.choices.unavailableAmong(forms, antennaId);
    const may = new Set(forms.filter((form) => !unavailableForms.has(form.slug)).map((form) => form.slug));
    const expenditures: LiveExpenditure[] | undefined = past
      ? undefined
      : await this.reads.liveExpenditures(antennaId);
    const body = antennaView({
      antennaId,
      ...(asOf ? { asOf } : {}),
      ...(error ? { asOfError: error, asOfTyped: typed } : {}),
      ...(knownAt ? { knownAt } : {}),
      ...(known.error ? { knownAtError: known.error, ...(known.typed ? { knownAtTyped: known.typed } : {}) } : {}),
      today,
      timeZone: this.reads.timeZone,
      data,
      candidacy,
      ...(callTitle ? { callTitle } : {}),
      may,
      unavailableForms,
      ...(expenditures ? { expenditures } : {}),
      staleRead,
      auditExport: AUDIT_EXPORT_ROLES.has(actor.role),
    });
    const frame = this.pages.frame(request, data.antenna.name, 'programme', [{ label: 'Programme', href: href('/programme', { asOf }) }, { label: data.antenna.name }]);
    this.pages.send(response, 200, frame, body);
  }

  @Get('financements')
  async finance(@Query() query: QueryParameters, @Req() request: WebRequest, @Res() response: FastifyReply): Promise<void> {
    const staleRead = !(await this.reads.waitFor(query.apres));
    const today = this.reads.today();
    const { asOf, error, typed } = readAsOf(query.asOf, today);
    const financeQuery = { ...(asOf ? { asOf } : {}), onlyFlagged: query.ecarts === 'oui' };
    const { report, data } = await this.reads.funding(asOf);
    const body = financeView({
      query: financeQuery,
      ...(error ? { asOfError: error, asOfTyped: typed } : {}),
      today,
      timeZone: this.reads.timeZone,
      data,
      rows: financeRows(report, financeQuery),
    });
    const stale = staleRead ? html`<div class="alerte attention" role="status"><p>Votre saisie est enregistrée mais n’apparaît peut-être pas encore.</p></div>` : '';
    this.pages.send(response, 200, this.pages.frame(request, 'Financements', 'financements'), html`${stale}${body}`);
  }

  @Get('financements/echeancier')
  async echeancier(@Query() query: QueryParameters, @Req() request: WebRequest, @Res() response: FastifyReply): Promise<void> {
    const staleRead = !(await this.reads.waitFor(query.apres));
    const today = this.reads.today();
    const { asOf, error, typed } = readAsOf(query.asOf, today);
    const { withinDays, error: withinDaysError } = readWithinDays(query.jours, DEFAULT_ECHEANCIER_WITHIN_DAYS);
    const report = await this.reads.echeancier(asOf, withinDays);
    const body = echeancierView({
      query: { ...(asOf ? { asOf } : {}), withinDays },
      ...(error ? { asOfError: error, asOfTyped: typed } : {}),
      ...(withinDaysError ? { withinDaysError } : {}),
      timeZone: this.reads.timeZone,
      report,
    });
    const stale = staleRead ? html`<div class="alerte attention" role="status"><p>Votre saisie est enregistrée mais n’apparaît peut-être pas encore.</p></div>` : '';
    const frame = this.pages.frame(request, 'Échéancier des tranches', 'financements', [{ label: 'Financements', href: href('/financements', { asOf }) }, { label: 'Échéancier' }]);
    this.pages.send(response, 200, frame, html`${stale}${body}`);
  }

  @Get('financements/echeancier/export.csv')
  echeancierCsv(@Query() query: QueryParameters, @Res() response: FastifyReply): Promise<void> {
    return this.exportEcheancier('csv', query, response);
  }

  @Get('financements/echeancier/export.xlsx')
  echeancierXlsx(@Query() query: QueryParameters, @Res() response: FastifyReply): Promise<void> {
    return this.exportEcheancier('xlsx', query, response);
  }

  /** Exactly the page's report (same date, same horizon), rendered as the other exports. */
  private async exportEcheancier(format: 'csv' | 'xlsx', query: QueryParameters, response: FastifyReply): Promise<void> {
    const today = this.reads.today();
    const asOf = exportedAsOf(query.asOf, today);
    const { withinDays, error } = readWithinDays(query.jours, DEFAULT_ECHEANCIER_WITHIN_DAYS);
    // The page says a horizon it cannot read beside its field; its export is refused, never the default's file under the link's name.
    if (error !== undefined) throw new WebParameterRefusedError('Tranches à échoir dans les', error);
    const report = await this.reads.echeancier(asOf, withinDays);
    const rendered = await renderReport(report, format, { timeZone: this.reads.timeZone });
    securityHeaders(response);
    response.header('Content-Type', contentTypeOf(format, report));
    response.header('Content-Disposition', `attachment; filename="jalon-echeancier-${asOf ?? today}-${withinDays}j.${fileExtensionOf(format, report)}"`);
    void response.status(200).send(rendered);
  }

  /** The legal open-data export (SCDL « subventions »), today's, in the national format; a missing mandatory field is the error page, never a file. */
  @Get('financements/subventions.csv')
  async subventions(@Res() response: FastifyReply): Promise<void> {
    const report = await this.reads.subventions();
    const rendered = await renderReport(report, 'csv');
    securityHeaders(response);
    response.header('Content-Type', 'text/csv; charset=utf-8');
    response.header('Content-Disposition', `attachment; filename="subventions-${this.reads.today()}.csv"`);
    void response.status(200).send(rendered);
  }

  @Get('financements/export.csv')
  exportCsv(@Query() query: QueryParameters, @Res() response: FastifyReply): Promise<void> {
    return this.export('csv', query, response);
  }

  @Get('financements/export.xlsx')
  exportXlsx(@Query() query: QueryParameters, @Res() response: FastifyReply): Promise<void> {
    return this.export('xlsx', query, response);
  }

  private async export(format: 'csv' | 'xlsx', query: QueryParameters, response: FastifyReply): Promise<void> {
    const today = this.reads.today();
    const asOf = exportedAsOf(query.asOf, today);
    const financeQuery = { ...(asOf ? { asOf } : {}), onlyFlagged: query.ecarts === 'oui' };
    const { report: funding, data } = await this.reads.funding(asOf);
    const report = financeExport(financeRows(funding, financeQuery), data, financeQuery);
    const rendered = await renderReport(report, format, { timeZone: this.reads.timeZone });
    securityHeaders(response);
    // A CSV of several tables is a ZIP of one CSV per table.
    response.header('Content-Type', contentTypeOf(format, report));
    response.header('Content-Disposition', `attachment; filename="jalon-financements-${asOf ?? today}.${fileExtensionOf(format, report)}"`);
    void response.status(200).send(rendered);
  }
}
