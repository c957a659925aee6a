import { ForbiddenError, ImportFileError, ImportRejectedError, isSheetKind, SheetImportService, sheetTemplate, SHEET_KINDS, SheetKind, templateFileName, XLSX_MEDIA_TYPE, CSV_MEDIA_TYPE } from '@jalon/application';
import { isSlug } from '@jalon/domain';
import { FileTooLargeError, Public } from '@jalon/api';
import { Controller, Get, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { href, segment } from './html';
import { mayRun } from './pages.controller';
import { DashboardReads } from './read/dashboard-reads';
import { UploadForms } from './session/upload-form';
import { ReadsUploadForm, WebRequest, WebSessionGuard } from './session/web-session.guard';
import { importView, ImportPageModel } from './views/import.view';
import { CONFIRMATION_ID } from './views/layout';
import { WebExceptionFilter, WebNotFoundError } from './web-exception.filter';
import { securityHeaders, WebPages } from './web-pages';

/** A spreadsheet of 500 rows takes a few dozen KiB; the API reads at most 1 MiB too. */
const SHEET_MAX_BYTES = 1024 * 1024;

/** The import page's form fields, as sent. */
interface ImportForm {
  readonly kind: SheetKind;
  readonly effectiveDate: string;
  readonly reason: string;
}

/**
 * The dashboard's spreadsheet import (docs/decisions/0016-spreadsheet-import.md): one page per
 * antenna with a file field, « Vérifier » (a dry run) and « Importer », through the same service as
 * the API and the CLI, as the signed-in user; and the templates to download through the session.
 */
@ApiExcludeController()
@Public()
@UseGuards(WebSessionGuard)
@UseFilters(WebExceptionFilter)
@Controller()
export class ImportsPageController {
  constructor(
    private readonly reads: DashboardReads,
    private readonly pages: WebPages,
    private readonly uploads: UploadForms,
    private readonly imports: SheetImportService,
  ) {}

  @Get('antennes/:antennaId/import')
  show(@Param('antennaId') antennaId: string, @Req() request: WebRequest, @Res() response: FastifyReply): void {
    const subject = this.subjectOf(antennaId, request);
    this.render(response, request, 200, { antennaId, subject, values: { kind: 'expenditures', effectiveDate: '', reason: '' } });
  }

  @Post('antennes/:antennaId/import')
  @ReadsUploadForm()
  async submit(@Param('antennaId') antennaId: string, @Req() request: WebRequest, @Res() response: FastifyReply): Promise<void> {
    const subject = this.subjectOf(antennaId, request);
    const actor = request.webSession!.actor;
    let form;
    try {
      form = await this.uploads.read(request, SHEET_MAX_BYTES);
    } catch (error) {
      if (!(error instanceof FileTooLargeError)) throw error;
      return this.render(response, request, 413, { antennaId, subject, values: { kind: 'expenditures', effectiveDate: '', reason: '' }, formError: 'Le fichier dépasse 1 Mio : un tableur de 500 lignes en fait bien moins. Vérifiez le fichier choisi.' });
    }
    const values: ImportForm = {
      kind: isSheetKind(form.fields.kind) ? form.fields.kind : 'expenditures',
      // As typed, never cut: the service judges their length (a reason over 1 000 characters is refused, not recorded shortened);
      // the form's fields are bounded by the multipart limits already.
      effectiveDate: form.fields.effectiveDate ?? '',
      reason: form.fields.reason ?? '',
    };
    const base = { antennaId, subject, values };
    const file = form.files.find((candidate) => candidate.field === 'file' && candidate.bytes.length > 0);
    if (!isSheetKind(form.fields.kind)) return this.render(response, request, 400, { ...base, formError: 'Choisissez le type de tableur : budget prévisionnel ou dépenses.' });
    if (file === undefined) return this.render(response, request, 400, { ...base, formError: 'Choisissez le fichier à importer (XLSX ou CSV).' });
    const dryRun = form.fields._action !== 'importer';
    let outcome;
    try {
      outcome = await this.imports.importSheet(
        {
          kind: values.kind,
          antennaId,
          file: file.bytes,
          dryRun,
          ...(values.effectiveDate.trim() !== '' ? { effectiveDate: values.effectiveDate } : {}),
          ...(values.reason.trim() !== '' ? { reason: values.reason } : {}),
        },
        actor,
      );
    } catch (error) {
      if (error instanceof ImportFileError || error instanceof ImportRejectedError) {
        const status = error instanceof ImportFileError ? 400 : 422;
        return this.render(response, request, status, { ...base, problems: error.problems, unreadable: error instanceof ImportFileError, fileName: file.fileName });
      }
      throw error;
    }
    if (dryRun) return this.render(response, request, 200, { ...base, checked: outcome, fileName: file.fileName });
    request.webSession!.flash = outcome.written
      ? `Le tableur ${file.fileName} a été importé : ${outcome.rows} ligne${outcome.rows > 1 ? 's' : ''}, ${outcome.events} fait${outcome.events > 1 ? 's' : ''} enregistré${outcome.events > 1 ? 's' : ''}.`
      : `Rien de nouveau à enregistrer : les lignes du tableur ${file.fileName} l’étaient déjà, à l’identique.`;
    this.pages.redirect(response, `${href(`/antennes/${segment(antennaId)}`, { apres: outcome.result?.position ?? undefined })}#${CONFIRMATION_ID}`);
  }

  @Get('import/modeles/:file')
  async template(@Param('file') name: string, @Res() response: FastifyReply): Promise<void> {
    for (const kind of SHEET_KINDS) {
      for (const format of ['xlsx', 'csv'] as const) {
        if (name !== templateFileName(kind, format)) continue;
        securityHeaders(response);
        void response
          .type(format === 'xlsx' ? XLSX_MEDIA_TYPE : `${CSV_MEDIA_TYPE}; charset=utf-8`)
          .header('Content-Disposition', `attachment; filename="${name}"`)
          .send(await sheetTemplate(kind, format));
        return;
      }
    }
    throw new WebNotFoundError('Ce modèle de tableur n’existe pas.');
  }

  /** The antenna's name and town; 404 for an antenna never opened, 403 for a role that may not record the budget. */
  private subjectOf(antennaId: string, request: WebRequest): string {
    const actor = request.webSession!.actor;
    if (!mayRun(actor, 'RecordExpenditure')) throw new ForbiddenError(actor.role, 'l’import d’un tableur de budget ou de dépenses');
    if (!isSlug(antennaId)) throw new WebNotFoundError('Aucune antenne ne porte cet identifiant.');
    const antenna = this.reads.antennaSituation(antennaId);
    if (!antenna) throw new WebNotFoundError(`Aucune antenne n’a été ouverte sous l’identifiant « ${antennaId} ».`);
    return `Antenne : ${antenna.name} (${antenna.town})`;
  }

  private render(response: FastifyReply, request: WebRequest, status: number, model: Omit<ImportPageModel, 'csrfToken'>): void {
    const session = request.webSession!;
    const frame = this.pages.frame(request, 'Importer un tableur', 'programme', [
      { label: 'Programme', href: '/programme' },
      { label: model.subject.replace(/^Antenne : /, ''), href: `/antennes/${segment(model.antennaId)}` },
      { label: 'Importer un tableur' },
    ]);
    this.pages.send(response, status, frame, importView({ ...model, csrfToken: session.csrfToken }));
  }
}
