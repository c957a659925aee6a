import {
  Actor,
  CommandResult,
  commandNamed,
  errorMessageOf,
  ExecuteOptions,
  ForbiddenError,
  InputValidationError,
  PARTNER_KINDS,
  TERRITORY_KINDS,
  validateInput,
} from '@jalon/application';
import { RunCommand } from '@jalon/core';
import { BUDGET_CATEGORIES, DomainError, isSlug } from '@jalon/domain';
import { WrongExpectedRevisionError } from '@jalon/event-store';
import { formatDate, formatEuros, formatFixed2 } from '@jalon/reporting';
import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth';
import { FormSpec, formNamed, OptionSource } from './forms/form-catalogue';
import { controlFor, FieldError, fieldErrorsOf, formValuesOf, FormValues, toCommandInput } from './forms/form-input';
import { href, segment } from './html';
import { DashboardReads } from './read/dashboard-reads';
import { BUDGET_CATEGORY_LABELS, FundingReportAgreement } from './read/read-model-shapes';
import { WebRequest, WebSessionGuard } from './session/web-session.guard';
import { FormConflict, formView, Option } from './views/form.view';
import { WebExceptionFilter, WebNotFoundError } from './web-exception.filter';
import { WebPages } from './web-pages';

const TERRITORY_KIND_LABELS: Readonly<Record<string, string>> = {
  commune: 'Commune',
  agglomeration: 'Agglomération, communauté de communes',
  'employment-area': 'Bassin d’emploi',
};

const PARTNER_KIND_LABELS: Readonly<Record<string, string>> = {
  academic: 'Enseignement supérieur, recherche',
  'local-authority': 'Collectivité territoriale',
  employer: 'Employeur',
  'training-provider': 'Organisme de formation',
  'employment-service': 'Service public de l’emploi',
  other: 'Autre',
};

interface FormTarget {
  readonly form: FormSpec;
  readonly antennaId?: string;
  /** The antenna's name and town, for the page. */
  readonly subject?: string;
  readonly action: string;
  readonly back: { readonly href: string; readonly label: string };
  readonly fixed: Readonly<Record<string, unknown>>;
}

interface RenderState {
  readonly values: FormValues;
  readonly errors?: readonly FieldError[];
  readonly domainError?: { readonly code: string; readonly message: string };
  readonly conflict?: FormConflict;
}

/**
 * The dashboard's forms: GET shows one, POST maps what was typed to the command's input and sends
 * it on the command bus as the signed-in user, exactly like the API. Invalid input comes back with
 * each message beside its field; a broken rule with its French wording and code; a write that
 * lost a race with someone else's is explained and the input kept. Success redirects (303) to
 * the page, which waits for the read models to include the write before showing it.
 */
@ApiExcludeController()
@Public()
@UseGuards(WebSessionGuard)
@UseFilters(WebExceptionFilter)
@Controller()
export class FormsController {
  constructor(
    private readonly reads: DashboardReads,
    private readonly pages: WebPages,
    private readonly commandBus: CommandBus,
  ) {}

  @Get('programme/:form')
  async showProgrammeForm(@Param('form') slug: string, @Query() query: Record<string, unknown>, @Req() request: WebRequest, @Res() response: FastifyReply) {
    await this.show(this.target('programme', slug, request.webSession!.actor), query, request, response);
  }

  @Post('programme/:form')
  async submitProgrammeForm(@Param('form') slug: string, @Body() body: unknown, @Req() request: WebRequest, @Res() response: FastifyReply) {
    await this.submit(this.target('programme', slug, request.webSession!.actor), body, request, response);
  }

  @Get('antennes/:antennaId/:form')
  async showAntennaForm(
    @Param('antennaId') antennaId: string,
    @Param('form') slug: string,
    @Query() query: Record<string, unknown>,
    @Req() request: WebRequest,
    @Res() response: FastifyReply,
  ) {
    await this.show(this.target('antenna', slug, request.webSession!.actor, antennaId), query, request, response);
  }

  @Post('antennes/:antennaId/:form')
  async submitAntennaForm(@Param('antennaId') antennaId: string, @Param('form') slug: string, @Body() body: unknown, @Req() request: WebRequest, @Res() response: FastifyReply) {
    await this.submit(this.target('antenna', slug, request.webSession!.actor, antennaId), body, request, response);
  }

  /** The form, refused (403) to roles that may not run its command, 404 for an unknown form or antenna. */
  private target(scope: FormSpec['scope'], slug: string, actor: Actor, antennaId?: string): FormTarget {
    const form = formNamed(scope, slug);
    if (!form) throw new WebNotFoundError('Ce formulaire n’existe pas.');
    if (!commandNamed(form.command).roles.includes(actor.role)) throw new ForbiddenError(actor.role, `la commande ${form.command}`);
    if (scope === 'programme') {
      return { form, action: `/programme/${segment(slug)}`, back: { href: '/programme', label: 'Revenir au programme' }, fixed: {} };
    }
    if (!isSlug(antennaId)) throw new WebNotFoundError('Aucune antenne ne porte cet identifiant.');
    const antenna = this.reads.livePhases(antennaId);
    if (!antenna) throw new WebNotFoundError(`Aucune antenne n’a été ouverte sous l’identifiant « ${antennaId} ».`);
    const page = `/antennes/${segment(antenna.antennaId)}`;
    return {
      form,
      antennaId: antenna.antennaId,
      subject: `Antenne : ${antenna.name} (${antenna.town})`,
      action: `${page}/${segment(slug)}`,
      back: { href: `${page}${form.section ? `#${form.section}` : ''}`, label: 'Revenir à l’antenne sans enregistrer' },
      fixed: { antennaId: antenna.antennaId },
    };
  }

  private async show(target: FormTarget, query: Record<string, unknown>, request: WebRequest, response: FastifyReply): Promise<void> {
    const options = await this.optionsFor(target);
    const values: Record<string, string> = { effectiveDate: this.reads.today() };
    for (const [parameter, field] of Object.entries(target.form.preselect ?? {})) {
      const value = query[parameter];
      if (typeof value === 'string') values[field] = value;
    }
    // Receiving a tranche: what was released is what is expected to arrive.
    if (target.form.slug === 'recevoir-tranche' && values.tranche) {
      const released = options.releasedTrancheAmounts.get(values.tranche);
      if (released !== undefined) values.amountCents = formatFixed2(released);
    }
    await this.render(target, options, { values }, 200, request, response);
  }

  private async submit(target: FormTarget, body: unknown, request: WebRequest, response: FastifyReply): Promise<void> {
    const actor = request.webSession!.actor;
    const { form } = target;
    const values = formValuesOf(body);
    const definition = commandNamed(form.command);
    const converted = toCommandInput(form, values, target.fixed);

    if (converted.errors.length > 0) {
      // Ask the catalogue about the other fields too, so that every message shows at once.
      let others: FieldError[] = [];
      try {
        validateInput(definition.input, converted.input);
      } catch (error) {
        if (!(error instanceof InputValidationError)) throw error;
        others = fieldErrorsOf(form, error.violations, values, converted.rows).filter((other) => !converted.errors.some((known) => known.field === other.field));
      }
      return this.render(target, await this.optionsFor(target), { values, errors: [...converted.errors, ...others] }, 400, request, response);
    }

    const revisions = parseRevisions(values._revisions);
    const streamId = streamOf(form.command, converted.input);
    const expected = streamId === undefined ? undefined : revisions.get(streamId);
    const options: ExecuteOptions = form.tracksRevision && expected !== undefined ? { expectedRevision: expected } : {};

    let result: CommandResult;
    try {
      result = await this.commandBus.execute<RunCommand, CommandResult>(new RunCommand(form.command, converted.input, actor, options));
    } catch (error) {
      if (error instanceof InputValidationError) {
        return this.render(target, await this.optionsFor(target), { values, errors: fieldErrorsOf(form, error.violations, values, converted.rows) }, 400, request, response);
      }
      if (error instanceof DomainError) {
        const message = errorMessageOf(error.code);
        const field = typeof error.details.field === 'string' ? controlFor(form, error.details.field, converted.rows) : '';
        const status = error.kind === 'not-found' ? 404 : error.kind === 'conflict' ? 409 : 422;
        return this.render(
          target,
          await this.optionsFor(target),
          { values, domainError: { code: error.code, message }, ...(field ? { errors: [{ field, message }] } : {}) },
          status,
          request,
          response,
        );
      }
      if (error instanceof WrongExpectedRevisionError) {
        await this.reads.catchUpWithStore();
        const candidacyId = typeof converted.input.candidacyId === 'string' ? converted.input.candidacyId : undefined;
        const changes = this.reads.changesSince(error.streamId, error.expected as number | 'no_stream', {
          ...(target.antennaId ? { antennaId: target.antennaId } : {}),
          ...(candidacyId ? { candidacyId } : {}),
        });
        const conflict: FormConflict = { streamId: error.streamId, expected: error.expected as number | 'no_stream', actual: error.actual as number | 'no_stream', changes };
        return this.render(target, await this.optionsFor(target), { values, conflict }, 409, request, response);
      }
      throw error;
    }

    request.webSession!.flash = result.written ? form.done : 'Rien de nouveau à enregistrer : ce fait l’était déjà, à l’identique.';
    const after = result.position ?? undefined;
    const destination =
      form.scope === 'antenna'
        ? `${href(`/antennes/${segment(target.antennaId!)}`, { apres: after })}${form.section ? `#${form.section}` : ''}`
        : form.command === 'OpenAntenna'
          ? href(`/antennes/${segment(String(converted.input.antennaId))}`, { apres: after })
          : `${href('/programme', { apres: after })}#candidatures`;
    this.pages.redirect(response, destination);
  }

  private async render(target: FormTarget, options: LoadedOptions, state: RenderState, status: number, request: WebRequest, response: FastifyReply): Promise<void> {
    const session = request.webSession!;
    const revisions = await this.revisionsFor(target, options);
    const body = formView({
      form: target.form,
      action: target.action,
      back: target.back,
      ...(target.subject ? { subject: target.subject } : {}),
      values: state.values,
      errors: state.errors ?? [],
      options: options.lists,
      revisions,
      csrfToken: session.csrfToken,
      timeZone: this.reads.timeZone,
      ...(state.domainError ? { domainError: state.domainError } : {}),
      ...(state.conflict ? { conflict: state.conflict } : {}),
    });
    const breadcrumbs = [
      { label: 'Programme', href: '/programme' },
      ...(target.antennaId ? [{ label: target.subject?.replace(/^Antenne : /, '') ?? target.antennaId, href: `/antennes/${segment(target.antennaId)}` }] : []),
      { label: target.form.title },
    ];
    const title = status >= 400 ? `Erreur — ${target.form.title}` : target.form.title;
    this.pages.send(response, status, this.pages.frame(request, title, 'programme', breadcrumbs), body);
  }

  /** `stream=revision;…` for every stream the form may write to, as they are now. */
  private async revisionsFor(target: FormTarget, options: LoadedOptions): Promise<string> {
    const { form } = target;
    if (!form.tracksRevision) return '';
    const candidates: Record<string, unknown>[] = [];
    const field = form.streamField ? form.fields.find((candidate) => candidate.name === form.streamField) : undefined;
    if (field?.options) {
      for (const option of options.lists[field.options] ?? []) {
        const [first, second] = field.splits ?? [field.name];
        const slash = option.value.indexOf('/');
        candidates.push({
          ...target.fixed,
          ...(second ? { [first!]: option.value.slice(0, slash), [second]: option.value.slice(slash + 1) } : { [first!]: option.value }),
        });
      }
    } else {
      candidates.push({ ...target.fixed });
    }
    const entries = new Map<string, number | 'no_stream'>();
    for (const candidate of candidates) {
      const streamId = streamOf(form.command, candidate);
      if (streamId !== undefined && !entries.has(streamId)) entries.set(streamId, await this.reads.revisionOf(form.command, streamId));
    }
    return [...entries].map(([streamId, revision]) => `${streamId}=${revision}`).join(';');
  }

  private async optionsFor(target: FormTarget): Promise<LoadedOptions> {
    const sources = new Set(target.form.fields.flatMap((field) => (field.options ? [field.options] : [])));
    const lists: Partial<Record<OptionSource, Option[]>> = {};
    const releasedTrancheAmounts = new Map<string, number>();
    const antennaId = target.antennaId;

    if (sources.has('categories')) lists.categories = BUDGET_CATEGORIES.map((category) => ({ value: category, label: BUDGET_CATEGORY_LABELS[category] }));
    if (sources.has('territoryKinds')) lists.territoryKinds = TERRITORY_KINDS.map((kind) => ({ value: kind, label: TERRITORY_KIND_LABELS[kind] ?? kind }));
    if (sources.has('partnerKinds')) lists.partnerKinds = PARTNER_KINDS.map((kind) => ({ value: kind, label: PARTNER_KIND_LABELS[kind] ?? kind }));
    if (sources.has('calls')) {
      lists.calls = [];
      for (const [callId, title] of this.reads.callTitles()) {
        const view = await this.reads.call(callId);
        const state = view.status === 'open' ? `ouvert${view.closesOn ? ` jusqu’au ${formatDate(view.closesOn)}` : ''}` : view.status === 'closed' ? 'clos' : 'pas encore ouvert';
        lists.calls.push({ value: callId, label: `${title} (${state})` });
      }
    }
    if (sources.has('submittedCandidacies') || sources.has('selectedCandidacies')) {
      const titles = this.reads.callTitles();
      const withAntenna = this.reads.candidaciesWithAntenna();
      const all = await this.reads.candidacies();
      const label = (view: (typeof all)[number]) => `${view.territory?.name ?? view.candidacyId} — ${view.callId ? (titles.get(view.callId) ?? view.callId) : ''}`;
      lists.submittedCandidacies = all.filter((view) => view.status === 'submitted').map((view) => ({ value: view.candidacyId, label: label(view) }));
      lists.selectedCandidacies = all
        .filter((view) => view.status === 'selected' && !withAntenna.has(view.candidacyId))
        .map((view) => ({ value: view.candidacyId, label: label(view) }));
    }
    if (antennaId && (sources.has('plannedPhases') || sources.has('startedPhases'))) {
      const phases = this.reads.livePhases(antennaId)?.phases ?? [];
      const phaseOption = (phase: (typeof phases)[number]) => ({ value: phase.phaseId, label: `${phase.name} (prévue du ${formatDate(phase.plannedStart)} au ${formatDate(phase.plannedEnd)})` });
      lists.plannedPhases = phases.filter((phase) => phase.status === 'planned').map(phaseOption);
      lists.startedPhases = phases.filter((phase) => phase.status === 'started').map(phaseOption);
    }
    if (antennaId && (sources.has('plannedTranches') || sources.has('releasedTranches') || sources.has('agreements'))) {
      const agreements: readonly FundingReportAgreement[] = (await this.reads.antennaFunding(antennaId)).agreements.filter((agreement) => agreement.closed === null);
      lists.agreements = agreements.map((agreement) => ({ value: agreement.agreementId, label: `${agreement.label} — ${agreement.funder}` }));
      lists.plannedTranches = [];
      lists.releasedTranches = [];
      for (const agreement of agreements) {
        for (const tranche of agreement.tranches) {
          const value = `${agreement.agreementId}/${tranche.trancheId}`;
          const name = `${agreement.funder} — ${tranche.label ?? tranche.trancheId}`;
          if (tranche.state === 'planned' || tranche.state === 'reversed') {
            lists.plannedTranches.push({ value, label: `${name} : ${formatEuros(tranche.scheduledCents)}, échéance ${formatDate(tranche.dueOn)}` });
          }
          if (tranche.state === 'released' && tranche.releasedCents !== null) {
            releasedTrancheAmounts.set(value, tranche.releasedCents);
            lists.releasedTranches.push({ value, label: `${name} : ${formatEuros(tranche.releasedCents)} versés le ${formatDate(tranche.releasedOn!)}` });
          }
        }
      }
    }
    if (antennaId && sources.has('openExpenditures')) {
      lists.openExpenditures = (await this.reads.liveExpenditures(antennaId))
        .filter((expenditure) => !expenditure.reversed)
        .sort((a, b) => a.expenditureId.localeCompare(b.expenditureId))
        .map(({ expenditureId, amountCents, year }) => ({ value: expenditureId, label: `${expenditureId} : ${formatEuros(amountCents)} (${year})` }));
    }
    return { lists, releasedTrancheAmounts };
  }
}

interface LoadedOptions {
  readonly lists: Partial<Record<OptionSource, Option[]>>;
  /** `agreement/tranche` → cents released, to prefill a receipt. */
  readonly releasedTrancheAmounts: ReadonlyMap<string, number>;
}

function parseRevisions(encoded: string | undefined): Map<string, number | 'no_stream'> {
  const revisions = new Map<string, number | 'no_stream'>();
  for (const part of (encoded ?? '').split(';')) {
    const match = /^([A-Za-z0-9-]+)=(\d{1,15}|no_stream)$/.exec(part);
    if (match) revisions.set(match[1]!, match[2] === 'no_stream' ? 'no_stream' : Number(match[2]));
  }
  return revisions;
}

/** The stream a command with this input writes to, if the input says enough to know it. */
function streamOf(command: string, input: Record<string, unknown>): string | undefined {
  try {
    const streamId = commandNamed(command).streamId(input as never);
    return /^[A-Za-z0-9-]+$/.test(streamId) && !streamId.includes('undefined') ? streamId : undefined;
  } catch {
    return undefined;
  }
}

