import { attachCommandFor, CommandResult, commandNamed, ForbiddenError, IdempotencyService, InputValidationError, isPlainFileName, KeyedExecution, localDate } from '@jalon/application';
import { CLOCK, DocumentService, JALON_CONFIG, JalonConfig, RunCommand } from '@jalon/core';
import { Clock } from '@jalon/application';
import { Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../auth/auth';
import { executeOptionsOf } from '../commands/command-request';
import { header } from '../http/request-header';
import { routeQuery } from '../http/route-query';
import { storedDocumentHeaders } from '../http/document-download';
import { AcceptsMultipart, FileTooLargeError, readMultipart } from '../http/multipart';
import { DocumentError } from '@jalon/event-store';

/** The form fields an upload reads besides the file; anything else is refused, naming it. */
const SUBJECT_FIELDS = ['subject.kind', 'subject.agreementId', 'subject.trancheId', 'subject.expenditureId', 'subject.revision'] as const;
const FIELDS = new Set<string>([...SUBJECT_FIELDS, 'effectiveDate']);

/**
 * Supporting documents over HTTP (docs/decisions/0017, 0043): an upload is checked, then attached
 * to the fact it proves through the one command path, which stores its bytes only once the command
 * is accepted, before its event is appended; a download serves the bytes of a hash only after
 * checking that they still give it.
 */
@ApiBearerAuth()
@ApiTags('justificatifs')
@Controller('api')
export class DocumentsController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly idempotency: IdempotencyService,
    private readonly documents: DocumentService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(JALON_CONFIG) private readonly config: JalonConfig,
  ) {}

  @Post('antennas/:antennaId/documents')
  @AcceptsMultipart()
  @ApiOperation({
    operationId: 'UploadDocument',
    summary: 'Déposer un justificatif et le joindre à un fait (convention, versement, réception, dépense, révision du budget)',
    description:
      'Formulaire `multipart/form-data` : le fichier dans le champ `file` (PDF, PNG, JPEG, XLSX, ODS, CSV ou TXT, type lu dans le contenu, extension concordante), ' +
      '`subject.kind` (`funding-agreement`, `tranche-release`, `tranche-receipt` : rôle finance ; `expenditure`, `budget-revision` : rôles du budget), ' +
      '`subject.agreementId`, `subject.trancheId`, `subject.expenditureId` ou `subject.revision` selon le cas, et `effectiveDate` (aujourd’hui par défaut).',
  })
  @ApiConsumes('multipart/form-data')
  @ApiParam({ name: 'antennaId', type: String })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file', 'subject.kind'],
      properties: {
        file: { type: 'string', format: 'binary' },
        'subject.kind': { type: 'string', enum: ['funding-agreement', 'tranche-release', 'tranche-receipt', 'expenditure', 'budget-revision'] },
        'subject.agreementId': { type: 'string' },
        'subject.trancheId': { type: 'string' },
        'subject.expenditureId': { type: 'string' },
        'subject.revision': { type: 'string', pattern: '^[0-9]{1,5}$' },
        effectiveDate: { type: 'string', format: 'date' },
      },
    },
  })
  @ApiResponse({ status: 201, description: 'Fichier déposé et joint' })
  @ApiResponse({ status: 200, description: 'Ce fichier était déjà joint à ce fait : rien de nouveau' })
  @ApiResponse({ status: 400, description: 'Champ invalide, fichier vide, ou extension contraire au contenu' })
  @ApiResponse({ status: 413, description: 'Fichier trop volumineux' })
  @ApiResponse({ status: 415, description: 'Type de fichier non accepté' })
  @ApiResponse({ status: 503, description: 'Dossier des justificatifs indisponible : rien n’est enregistré' })
  async upload(@Param('antennaId') antennaId: string, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: FastifyReply) {
    const limit = this.documents.maxBytes;
    const form = await readMultipart(request, limit).catch((error: unknown) => {
      if (error instanceof FileTooLargeError) {
        throw new DocumentError('DOCUMENT.TOO_LARGE', `le fichier dépasse la taille maximale de ${limit} octets`, 'file', { maxBytes: limit });
      }
      throw error;
    });
    const violations = Object.keys(form.fields)
      .filter((name) => !FIELDS.has(name))
      .map((name) => ({ field: name.slice(0, 100), rule: 'whitelistValidation', message: `le champ ${name.slice(0, 100)} n’est pas attendu` }));
    const file = form.files.find((part) => part.field === 'file');
    if (!file || form.files.length !== 1) {
      violations.push({ field: 'file', rule: 'isDefined', message: 'file doit contenir le fichier à joindre (un seul, champ « file » du formulaire multipart/form-data)' });
    }
    const kind = form.fields['subject.kind'] ?? '';
    const command = attachCommandFor(kind);
    if (!command) {
      violations.push({
        field: 'subject.kind',
        rule: 'isIn',
        message: 'subject.kind doit valoir funding-agreement, tranche-release, tranche-receipt, expenditure ou budget-revision',
      });
    }
    if (violations.length > 0 || !file || !command) throw new InputValidationError(violations);
    // Refused before the file is even checked: the command path checks the role again before anything is stored.
    const definition = commandNamed(command);
    if (!definition.roles.includes(request.actor.role)) throw new ForbiddenError(request.actor.role, `la commande ${command}`);
    const options = executeOptionsOf(request);

    // Checked and hashed here, stored only once the command is validated and decided without refusal.
    const upload = this.documents.checkUpload(file.bytes, file.fileName);
    const input = {
      antennaId,
      subject: subjectOf(form.fields),
      ...upload.file,
      effectiveDate: form.fields.effectiveDate ?? localDate(this.clock.now(), this.config.timeZone),
    };
    const send = (keyed?: KeyedExecution) =>
      this.commandBus.execute<RunCommand, CommandResult>(new RunCommand(command, input, request.actor, keyed ? { ...options, ...keyed } : options, upload));
    const key = header(request, 'idempotency-key');
    const outcome = key === undefined ? { result: await send(), replayed: false } : await this.idempotency.run(request.actor, key, { command, input }, send);
    const { replayed: _flag, ...result } = outcome.result;
    response.status(result.written ? 201 : 200);
    if (result.nextExpectedRevision !== 'no_stream') response.header('ETag', `"${result.nextExpectedRevision}"`);
    if (outcome.replayed) response.header('Idempotency-Replayed', 'true');
    return { ...result, document: { ...upload.file, href: `/api/documents/${upload.file.sha256}` } };
  }

  @Get('documents/:sha256')
  @ApiOperation({
    operationId: 'DownloadDocument',
    summary: 'Télécharger un justificatif par son empreinte SHA-256 (vérifiée avant l’envoi)',
  })
  @ApiParam({ name: 'sha256', type: String, description: '64 chiffres hexadécimaux en minuscules' })
  @ApiQuery({ name: 'name', required: false, description: 'Le nom sous lequel l’enregistrer (celui du justificatif joint)' })
  @ApiResponse({ status: 200, description: 'Le fichier, octet pour octet' })
  @ApiResponse({ status: 400, description: 'Nom proposé invalide, ou dont l’extension ne correspond pas au contenu' })
  @ApiResponse({ status: 404, description: 'Aucun justificatif ne porte cette empreinte' })
  @ApiResponse({ status: 409, description: 'Le fichier a été modifié depuis son dépôt : il n’est pas servi' })
  async download(@Param('sha256') sha256: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) response: FastifyReply) {
    const { name: asked } = routeQuery(query, ['name'], 'le téléchargement d’un justificatif');
    const name: string | undefined = isPlainFileName(asked) ? asked : undefined;
    if (asked !== name) {
      throw new InputValidationError([
        {
          field: 'name',
          rule: 'isFileName',
          message: 'name doit être un seul nom de fichier, sans dossier, guillemet, caractère de contrôle ni caractère qui inverse le sens d’écriture, 255 caractères au plus',
        },
      ]);
    }
    const bytes = await this.documents.read(sha256);
    if (name !== undefined) this.documents.checkOfferedName(bytes, name, 'name');
    void response.headers(storedDocumentHeaders(bytes, sha256, name));
    return response.send(bytes);
  }
}

/** The subject from the form's dotted fields, with the revision as a number when it is one. */
function subjectOf(fields: Readonly<Record<string, string>>): Record<string, unknown> {
  const subject: Record<string, unknown> = {};
  for (const name of SUBJECT_FIELDS) {
    const value = fields[name];
    if (value === undefined || value === '') continue;
    const key = name.slice('subject.'.length);
    subject[key] = key === 'revision' && /^\d{1,5}$/.test(value) ? Number(value) : value;
  }
  return subject;
}
