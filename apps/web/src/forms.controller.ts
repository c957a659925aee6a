import {
  Actor,
  CommandResult,
  commandNamed,
  errorMessageOf,
  ExecuteOptions,
  ForbiddenError,
  IdempotencyKeyReusedError,
  IdempotencyService,
  InputValidationError,
  KeyedExecution,
  suggestSlug,
  validateInput,
} from '@jalon/application';
import { RunCommand } from '@jalon/core';
import { DomainError, isSlug } from '@jalon/domain';
import { WrongExpectedRevisionError } from '@jalon/event-store';
import { formatFixed2 } from '@jalon/reporting';
import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import { Public } from '@jalon/api';
import { FormSpec, formNamed, formWithRows, rowCounts, withoutRow } from './forms/form-catalogue';
import { FormChoices, LoadedChoices, nothingToChoose } from './forms/form-choices';
import { controlFor, FieldError, fieldErrorsOf, formValuesOf, FormValues, inFieldOrder, repeatedFieldErrors, toCommandInput } from './forms/form-input';
import { href, segment } from './html';
import { DashboardReads } from './read/dashboard-reads';
import { WebRequest, WebSessionGuard } from './session/web-session.guard';
import { FormConflict, formView } from './views/form.view';
import { CONFIRMATION_ID } from './views/layout';
import { WebExceptionFilter, WebNotFoundError } from './web-exception.filter';
import { WebPages } from './web-pages';

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
  readonly unavailable?: string;
  /** The form was already used to record another entry: it is shown again under a new submission key. */
  readonly newSubmissionKey?: boolean;
}

/** The hidden field carrying the form's submission key: the request's `Idempotency-Key`, drawn when the form is drawn. */
const SUBMISSION_KEY = '_cle';
const isSubmissionKey = (value: string | undefined): value is string => value !== undefined && /^[A-Za-z0-9-]{16,64}$/.test(value);

/** What the dashboard says after a form was sent again (a double click, a reload) once its entry was recorded. */
export const ALREADY_RECORDED = 'Votre saisie était déjà enregistrée : le formulaire a été envoyé une seconde fois (un double clic, par exemple) et rien n’a été enregistré en double.';
/** …and when the form, once used, comes back with another entry (sent again after going back in the browser). */
export const FORM_ALREADY_USED =
  'Ce formulaire a déjà servi à enregistrer une saisie (vous êtes sans doute revenu en arrière dans le navigateur) : celle-ci, différente, n’a pas été enregistrée. Vérifiez-la, puis enregistrez de nouveau pour l’enregistrer comme un nouveau fait.';

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
  private readonly choices: FormChoices;

  constructor(
    private readonly reads: DashboardReads,
    private readonly pages: WebPages,
    private readonly commandBus: CommandBus,
    private readonly idempotency: IdempotencyService,
  ) {
    this.choices = new FormChoices(reads);
  }

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
    const antenna = this.reads.antennaSituation(antennaId);
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
    // Read your writes: what this session recorded last is in what the form proposes (identifiers not taken, lists).
    await this.reads.waitFor(request.webSession!.lastWritten);
    const unavailable = await this.choices.unavailable(target.form, target.antennaId);
    const values: Record<string, string> = { ...(await this.choices.startingValues(target.form, target.antennaId)), effectiveDate: this.reads.today() };
    const form = formWithRows(target.form, rowCounts(target.form, values));
    const options = await this.choices.options(form, target.antennaId);
    for (const [parameter, field] of Object.entries(form.preselect ?? {})) {
      const value = query[parameter];
      if (typeof value === 'string') values[field] = value;
    }
    // A choice with a single possibility is made already (the programme, the only open call).
    for (const field of form.fields) {
      const offered = field.options ? options.lists[field.options] : undefined;
      if (field.required && offered?.length === 1 && values[field.name] === undefined) values[field.name] = offered[0]!.value;
    }
    // Receiving a tranche: what was released is what is expected to arrive.
    if (form.command === 'RecordTrancheReceipt' && values.tranche) {
      const released = options.releasedTrancheAmounts.get(values.tranche);
      if (released !== undefined) values.amountCents = formatFixed2(released);
    }
    await this.render({ ...target, form }, options, { values, ...(unavailable ? { unavailable } : {}) }, 200, request, response);
  }

  private async submit(generic: FormTarget, body: unknown, request: WebRequest, response: FastifyReply): Promise<void> {
    const actor = request.webSession!.actor;
    // Read your writes: an identifier proposed now is never one this session has just taken (a second entry sent at once).
    await this.reads.waitFor(request.webSession!.lastWritten);
    const { values: sent, repeated } = formValuesOf(body);
    const action = sent._action;
    // « Ajouter une ligne », « Retirer »: the form again, with the row added or removed and what was typed kept.
    const typed = withoutRow(generic.form, sent, action);
    const form = formWithRows(generic.form, rowCounts(generic.form, typed, action));
    const target: FormTarget = { ...generic, form };
    const values = await this.withSuggestions(target, typed);
    const offered = await this.choices.options(form, target.antennaId);
    if (action !== undefined && action !== '') return this.render(target, offered, { values }, 200, request, response);
    // What is sent goes to the command even when the form offered nothing (a page kept open): the command stays the judge.

    // A name sent twice: which value was meant? Nothing is recorded.
    if (repeated.length > 0) return this.render(target, offered, { values, errors: repeatedFieldErrors(form, repeated) }, 400, request, response);

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
      return this.render(target, offered, { values, errors: [...converted.errors, ...others] }, 400, request, response);
    }

    const revisions = parseRevisions(values._revisions);
    const streamId = streamOf(form.command, converted.input);
    const expected = streamId === undefined ? undefined : revisions.get(streamId);
    const options: ExecuteOptions = form.tracksRevision && expected !== undefined ? { expectedRevision: expected } : {};

    // The form's submission key is the request's Idempotency-Key, as on the API: the same form sent
    // again once recorded (a double click) gets the first result back and writes nothing. The request
    // is the form as sent, not the command's input: an identifier proposed again would differ (`-2`).
    const key = values[SUBMISSION_KEY];
    const send = (keyed?: KeyedExecution) => this.commandBus.execute<RunCommand, CommandResult>(new RunCommand(form.command, converted.input, actor, { ...options, ...keyed }));
    let result: CommandResult;
    try {
      if (isSubmissionKey(key)) {
        const { _csrf: _token, [SUBMISSION_KEY]: _key, ...submitted } = sent;
        result = (await this.idempotency.run(actor, key, { command: form.command, input: submitted }, send)).result;
      } else {
        result = await send();
      }
    } catch (error) {
      if (error instanceof IdempotencyKeyReusedError) {
        return this.render(target, offered, { values, domainError: { code: 'IDEMPOTENCY.KEY_REUSED', message: FORM_ALREADY_USED }, newSubmissionKey: true }, 409, request, response);
      }
      if (error instanceof InputValidationError) {
        return this.render(target, offered, { values, errors: fieldErrorsOf(form, error.violations, values, converted.rows) }, 400, request, response);
      }
      if (error instanceof DomainError) {
        const message = errorMessageOf(error.code, error.details);
        const field = typeof error.details.field === 'string' ? controlFor(form, error.details.field, converted.rows) : '';
        const status = error.kind === 'not-found' ? 404 : error.kind === 'conflict' ? 409 : 422;
        return this.render(
          target,
          offered,
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
        const conflict: FormConflict = {
          streamId: error.streamId,
          expected: error.expected as number | 'no_stream',
          actual: error.actual as number | 'no_stream',
          changes,
          userId: actor.id,
        };
        return this.render(target, await this.choices.options(form, target.antennaId), { values, conflict }, 409, request, response);
      }
      throw error;
    }

    if (result.position !== null) request.webSession!.lastWritten = result.position;
    request.webSession!.flash = result.replayed ? ALREADY_RECORDED : result.written ? form.done : 'Rien de nouveau à enregistrer : ce fait l’était déjà, à l’identique.';
    const after = result.position ?? undefined;
    // The page opens on the confirmation, first in its main content (not on a section, which would hide it).
    const destination =
      form.scope === 'antenna'
        ? href(`/antennes/${segment(target.antennaId!)}`, { apres: after })
        : form.command === 'OpenAntenna'
          ? href(`/antennes/${segment(String(converted.input.antennaId))}`, { apres: after })
          : href('/programme', { apres: after });
    this.pages.redirect(response, `${destination}#${CONFIRMATION_ID}`);
  }

  private async render(target: FormTarget, options: LoadedChoices, state: RenderState, status: number, request: WebRequest, response: FastifyReply): Promise<void> {
    const session = request.webSession!;
    const revisions = state.unavailable ? '' : await this.revisionsFor(target, options);
    const nothing = nothingToChoose(target.form, options.lists);
    const body = formView({
      form: target.form,
      action: target.action,
      back: target.back,
      ...(target.subject ? { subject: target.subject } : {}),
      values: state.values,
      errors: inFieldOrder(target.form, state.errors ?? []),
      options: options.lists,
      revisions,
      submissionKey: !state.newSubmissionKey && isSubmissionKey(state.values[SUBMISSION_KEY]) ? state.values[SUBMISSION_KEY] : randomUUID(),
      csrfToken: session.csrfToken,
      timeZone: this.reads.timeZone,
      ...(state.domainError ? { domainError: state.domainError } : {}),
      ...(state.conflict ? { conflict: state.conflict } : {}),
      ...(state.unavailable ? { unavailable: state.unavailable } : {}),
      ...(nothing ? { nothingToChoose: nothing } : {}),
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
  private async revisionsFor(target: FormTarget, options: LoadedChoices): Promise<string> {
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

  /**
   * Identifiers left empty, proposed from the name they belong to (`Cnam Montbéliard` →
   * `cnam-montbeliard`), never one already taken; shown in the form so the person can change them.
   */
  private async withSuggestions(target: FormTarget, typed: Record<string, string>): Promise<Record<string, string>> {
    const values = { ...typed };
    const takenBy = new Map<string, Set<string>>();
    for (const field of target.form.fields) {
      const suggestion = field.suggest;
      if (!suggestion || (values[field.name] ?? '').trim() !== '') continue;
      const source = (values[suggestion.from] ?? '').trim();
      const rowUsed = field.row !== undefined && target.form.fields.some((other) => other.row === field.row && (values[other.name] ?? '').trim() !== '');
      if (source === '' && !rowUsed) continue;
      const key = field.row === undefined ? field.name : field.name.slice(field.row.length);
      let taken = takenBy.get(key);
      if (!taken) {
        taken = suggestion.taken ? await this.choices.taken(suggestion.taken, target.antennaId, values) : new Set<string>();
        // Within a list, the identifiers typed in other rows are taken too.
        for (const other of target.form.fields) if (other.row !== undefined && other.name.endsWith(key) && values[other.name]) taken.add(values[other.name]!.trim());
        takenBy.set(key, taken);
      }
      const proposed = suggestSlug(source, taken, suggestion.fallback);
      taken.add(proposed);
      values[field.name] = proposed;
    }
    return values;
  }
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

