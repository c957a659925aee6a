import { attachCommandFor, CommandResult, errorMessageOf, ForbiddenError, InputValidationError, isPlainFileName, localDate } from '@jalon/application';
import { FileTooLargeError, Public, storedDocumentHeaders, toHttpError } from '@jalon/api';
import { CLOCK, DocumentService, JALON_CONFIG, JalonConfig, RunCommand } from '@jalon/core';
import type { Clock } from '@jalon/application';
import { BUDGET_DOCUMENT_SUBJECT_KINDS, DomainError, FUNDING_DOCUMENT_SUBJECT_KINDS, isSlug } from '@jalon/domain';
import type { ExpenditureListItem, FundingReportAgreement } from '@jalon/queries';
import { agreementTrancheName, documentSubjectName, formatDate, formatEuros, HistoryNames, NO_HISTORY_NAMES, trancheInSchedule } from '@jalon/reporting';
import { Controller, Get, Inject, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { capitalise } from './forms/form-input';
import { DATE_OUT_OF_RANGE, parseDate } from './forms/parse';
import { href, segment } from './html';
import { mayRun } from './pages.controller';
import { DashboardReads } from './read/dashboard-reads';
import { UploadForms } from './session/upload-form';
import { ReadsUploadForm, WebRequest, WebSessionGuard } from './session/web-session.guard';
import { AttachedDocumentRow, documentsView, DocumentsPageModel, UPLOAD_CONTROLS } from './views/documents.view';
import { CONFIRMATION_ID } from './views/layout';
import { WebExceptionFilter, WebNotFoundError } from './web-exception.filter';
import { WebPages } from './web-pages';

const SUBJECT_FIELDS = ['subject.kind', 'subject.agreementId', 'subject.trancheId', 'subject.expenditureId', 'subject.revision'] as const;

/**
 * The dashboard's supporting documents (docs/decisions/0017): one page per antenna listing every
 * document attached to its facts, each downloadable through the session after its hash is checked,
 * and a plain multipart form to attach one, through the same document service and command path
 * as the API, as the signed-in user: a refused upload stores nothing (docs/decisions/0043).
 */
@ApiExcludeController()
@Public()
@UseGuards(WebSessionGuard)
@UseFilters(WebExceptionFilter)
@Controller()
export class DocumentsPageController {
  constructor(
    private readonly reads: DashboardReads,
    private readonly pages: WebPages,
    private readonly uploads: UploadForms,
    private readonly commandBus: CommandBus,
    private readonly documents: DocumentService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(JALON_CONFIG) private readonly config: JalonConfig,
  ) {}

  @Get('antennes/:antennaId/justificatifs')
  async show(@Param('antennaId') antennaId: string, @Query('apres') after: unknown, @Req() request: WebRequest, @Res() response: FastifyReply): Promise<void> {
    // After an attachment, the page waits for the read models to include it (read your writes).
    const staleRead = !(await this.reads.waitFor(typeof after === 'string' ? after : undefined));
    await this.render(response, request, 200, antennaId, {}, undefined, staleRead);
  }

  @Post('antennes/:antennaId/justificatifs')
  @ReadsUploadForm()
  async attach(@Param('antennaId') antennaId: string, @Req() request: WebRequest, @Res() response: FastifyReply): Promise<void> {
    const actor = request.webSession!.actor;
    this.subjectOf(antennaId);
    let form;
    try {
      form = await this.uploads.read(request, this.documents.maxBytes);
    } catch (error) {
      if (!(error instanceof FileTooLargeError)) throw error;
      const limit = Math.floor(this.documents.maxBytes / (1024 * 1024));
      return this.render(response, request, 413, antennaId, {}, { code: 'DOCUMENT.TOO_LARGE', message: `Le fichier dépasse ${limit} Mio : choisissez un fichier plus léger (un scan en PDF compressé, par exemple).` });
    }
    const values = Object.fromEntries([...SUBJECT_FIELDS, 'effectiveDate'].map((name) => [name, (form.fields[name] ?? '').slice(0, 200)]));
    const refuse = (status: number, code: string, message: string, fields: Readonly<Record<string, string>> = {}) =>
      this.render(response, request, status, antennaId, values, { code, message, fields });
    /** A refusal about one control: its message beside it, and in the summary linked to it. */
    const refuseField = (field: string, message: string) => refuse(400, 'INPUT.INVALID', message, { [field]: message });
    const file = form.files.find((candidate) => candidate.field === 'file' && candidate.bytes.length > 0);
    if (!file) return refuseField('file', 'Choisissez le fichier à joindre.');
    const command = attachCommandFor(values['subject.kind']!);
    if (!command) return refuseField('subject.kind', 'Choisissez ce que le document justifie.');
    if (!mayRun(actor, command)) throw new ForbiddenError(actor.role, `de joindre un justificatif à ce fait`);
    let effectiveDate = localDate(this.clock.now(), this.config.timeZone);
    if (values.effectiveDate!.trim() !== '') {
      const parsed = parseDate(values.effectiveDate!);
      if (!parsed.ok) return refuseField('effectiveDate', parsed.outOfRange ? DATE_OUT_OF_RANGE : `${capitalise(parsed.message)}.`);
      effectiveDate = parsed.value;
    }
    const subject: Record<string, unknown> = {};
    for (const name of SUBJECT_FIELDS) {
      const value = values[name]!.trim();
      if (value !== '') subject[name.slice('subject.'.length)] = name === 'subject.revision' && /^\d{1,5}$/.test(value) ? Number(value) : value;
    }
    let result: CommandResult;
    try {
      // Checked here; its bytes are stored only once the command is validated and decided without refusal.
      const upload = this.documents.checkUpload(file.bytes, file.fileName);
      result = await this.commandBus.execute<RunCommand, CommandResult>(new RunCommand(command, { antennaId, subject, ...upload.file, effectiveDate }, actor, {}, upload));
    } catch (error) {
      const problem = toHttpError(error);
      if (problem.statusCode >= 500 && problem.code === 'INTERNAL') throw error;
      const fields = fieldErrorsOf(error, values);
      const detail = error instanceof InputValidationError ? error.violations.map((violation) => violation.message).join(' ; ') : problem.message;
      return refuse(problem.statusCode, problem.code, detail.endsWith('.') ? detail : `${detail}.`, fields);
    }
    request.webSession!.flash = result.written ? `Le justificatif ${file.fileName} a été joint.` : `Le justificatif ${file.fileName} était déjà joint à ce fait : rien de nouveau.`;
    this.pages.redirect(response, `${href(`/antennes/${segment(antennaId)}/justificatifs`, { apres: result.position ?? undefined })}#${CONFIRMATION_ID}`);
  }

  @Get('justificatifs/:sha256')
  async download(@Param('sha256') sha256: string, @Query('nom') name: unknown, @Res() response: FastifyReply): Promise<void> {
    const bytes = await this.documents.read(sha256);
    // A name that is not one line of text (a bidirectional override, a directory, a list), or whose extension is not the content's, gives way to the hash.
    const fileName = isPlainFileName(name) && this.offerable(bytes, name) ? name : sha256.slice(0, 64);
    void response.headers(storedDocumentHeaders(bytes, sha256, fileName)).send(bytes);
  }

  private offerable(bytes: Buffer, name: string): boolean {
    try {
      this.documents.checkOfferedName(bytes, name, 'nom');
      return true;
    } catch {
      return false;
    }
  }

  /** The antenna's name and town; 404 for an antenna never opened. */
  private subjectOf(antennaId: string): string {
    if (!isSlug(antennaId)) throw new WebNotFoundError('Aucune antenne ne porte cet identifiant.');
    const antenna = this.reads.antennaSituation(antennaId);
    if (!antenna) throw new WebNotFoundError(`Aucune antenne n’a été ouverte sous l’identifiant « ${antennaId} ».`);
    return `Antenne : ${antenna.name} (${antenna.town})`;
  }

  private async render(
    response: FastifyReply,
    request: WebRequest,
    status: number,
    antennaId: string,
    values: Readonly<Record<string, string>>,
    formError?: DocumentsPageModel['formError'],
    staleRead = false,
  ): Promise<void> {
    const subject = this.subjectOf(antennaId);
    const actor = request.webSession!.actor;
    const funding = (await this.reads.antennaFunding(antennaId)).agreements;
    const spent = await this.reads.liveExpenditures(antennaId);
    const names = namesOf(antennaId, funding, spent);
    const agreements = funding.map((agreement) => ({ value: agreement.agreementId, label: `${agreement.label} — ${agreement.funder}` }));
    const tranches = funding.flatMap((agreement) =>
      agreement.tranches.map((tranche, index) => ({ agreementId: agreement.agreementId, value: tranche.trancheId, label: agreementTrancheName(agreement.label, tranche, index + 1) })),
    );
    const documents: AttachedDocumentRow[] = this.reads.attachedDocuments(antennaId).map((data) => ({
      // Named as the audit trail names it; what the read models do not know (a renamed subject) by its id.
      subject: documentSubjectName(antennaId, data.subject, names, 'by-id'),
      sha256: data.sha256,
      fileName: data.fileName,
      mediaType: data.mediaType,
      sizeBytes: data.sizeBytes,
      effectiveDate: data.effectiveDate,
    }));
    const expenditures = [...spent]
      .sort((a, b) => a.effectiveDate.localeCompare(b.effectiveDate) || a.expenditureId.localeCompare(b.expenditureId))
      .map((expenditure) => ({
        value: expenditure.expenditureId,
        label: `${expenditure.description} du ${formatDate(expenditure.effectiveDate)} : ${formatEuros(expenditure.amountCents)}${expenditure.reversed ? ' (annulée)' : ''}`,
      }));
    documents.sort((a, b) => b.effectiveDate.localeCompare(a.effectiveDate) || a.fileName.localeCompare(b.fileName));
    const kinds = [
      ...(mayRun(actor, 'AttachFundingDocument') ? FUNDING_DOCUMENT_SUBJECT_KINDS : []),
      ...(mayRun(actor, 'AttachBudgetDocument') ? BUDGET_DOCUMENT_SUBJECT_KINDS : []),
    ];
    const session = request.webSession!;
    const frame = this.pages.frame(request, 'Justificatifs', 'programme', [
      { label: 'Programme', href: '/programme' },
      { label: subject.replace(/^Antenne : /, ''), href: `/antennes/${segment(antennaId)}` },
      { label: 'Justificatifs' },
    ]);
    this.pages.send(
      response,
      status,
      frame,
      documentsView({ antennaId, subject, csrfToken: session.csrfToken, documents, kinds, agreements, tranches, expenditures, values, maxBytes: this.documents.maxBytes, ...(formError ? { formError } : {}), staleRead }),
    );
  }
}

/**
 * The names a document's subject is said with ({@link documentSubjectName}), from what the page
 * reads: the funding read model's agreements and tranches, the budget read model's expenditures.
 */
function namesOf(antennaId: string, agreements: readonly FundingReportAgreement[], expenditures: readonly ExpenditureListItem[]): HistoryNames {
  const agreementOf = (agreementId: string) => agreements.find((agreement) => agreement.agreementId === agreementId);
  return {
    ...NO_HISTORY_NAMES,
    agreement: (agreementId) => {
      const agreement = agreementOf(agreementId);
      return agreement && { funder: agreement.funder, label: agreement.label };
    },
    tranche: (agreementId, trancheId) => {
      const found = trancheInSchedule(agreementOf(agreementId)?.tranches ?? [], trancheId);
      if (!found) return undefined;
      return found.tranche.label ? { label: found.tranche.label, rank: found.rank } : { rank: found.rank };
    },
    expenditure: (of, expenditureId) => (of === antennaId ? expenditures.find((expenditure) => expenditure.expenditureId === expenditureId)?.description : undefined),
  };
}

/** What to do about a control the fact needs and that was left empty (a list left on « — » is a choice not made, not a malformed identifier). */
const LEFT_EMPTY: Readonly<Record<string, string>> = {
  'subject.agreementId': 'Choisissez un accord de financement dans la liste.',
  'subject.trancheId': 'Choisissez une tranche dans la liste.',
  'subject.expenditureId': 'Choisissez une dépense dans la liste.',
  'subject.revision': 'Saisissez le numéro de la révision du budget (1 pour la première).',
};

/** The form's control a field of the command is typed in (the file's name is the file's), if any. */
const controlOf = (field: string): string | undefined => (field === 'fileName' ? 'file' : UPLOAD_CONTROLS[field] !== undefined ? field : undefined);

function stripField(violation: { readonly field: string; readonly message: string }): string {
  return violation.message.startsWith(`${violation.field} `) ? violation.message.slice(violation.field.length + 1) : violation.message;
}

/** A refusal's messages by the control they are about, each to be shown beside it (the page's summary links to them). */
function fieldErrorsOf(error: unknown, values: Readonly<Record<string, string>>): Record<string, string> {
  const fields: Record<string, string> = {};
  if (error instanceof InputValidationError) {
    for (const violation of error.violations) {
      const control = controlOf(violation.field);
      if (control === undefined || fields[control] !== undefined) continue;
      const empty = (values[control] ?? '').trim() === '' ? LEFT_EMPTY[control] : undefined;
      fields[control] = empty ?? `${capitalise(stripField(violation)).replace(/\.$/, '')}.`;
    }
  } else if (error instanceof DomainError && typeof error.details.field === 'string') {
    const control = controlOf(error.details.field);
    if (control !== undefined) fields[control] = errorMessageOf(error.code);
  }
  return fields;
}
