import {
  InputValidationError,
  isSheetKind,
  SHEET_KINDS,
  SheetImportOutcome,
  SheetImportService,
  sheetTemplate,
  SheetKind,
  templateFileName,
  XLSX_MEDIA_TYPE,
  CSV_MEDIA_TYPE,
} from '@jalon/application';
import { Controller, Get, Param, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../auth/auth';
import { header } from '../http/request-header';
import { routeQuery } from '../http/route-query';
import { SHEET_CSV_TYPE, SHEET_TYPES, SHEET_XLSX_TYPE, UnsupportedMediaTypeError } from '../http/body-parsers';
import { refuseImportHeaders } from '../commands/command-request';

function kindOf(kind: string): SheetKind {
  if (!isSheetKind(kind)) throw new InputValidationError([{ field: 'kind', rule: 'isIn', message: `kind doit valoir ${SHEET_KINDS.join(' ou ')}` }]);
  return kind;
}

/** The query's parameters this route reads (routeQuery: each once, no other). */
const IMPORT_PARAMETERS = ['dryRun', 'effectiveDate', 'reason'] as const;

function flag(value: string | undefined, field: string): boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true' || value === '') return true;
  throw new InputValidationError([{ field, rule: 'isBoolean', message: `${field} doit valoir true ou false` }]);
}

/**
 * Spreadsheets of budget forecast lines or of expenditures (docs/decisions/0016-spreadsheet-import.md):
 * the file is the body, CSV or XLSX; every problem comes back as problem details with `errors`
 * naming row, column and rule; `dryRun=true` checks without writing.
 */
@ApiBearerAuth()
@ApiTags('imports')
@Controller('api')
export class ImportsController {
  constructor(private readonly imports: SheetImportService) {}

  @Post('antennas/:antennaId/imports/:kind')
  @ApiOperation({
    summary: 'Importer un tableur (CSV ou XLSX) de lignes du budget prévisionnel ou de dépenses',
    description:
      'Le fichier est le corps de la requête (text/csv en UTF-8, séparateur point-virgule, ou XLSX). Chaque ligne passe par la même validation, les mêmes rôles et les mêmes règles que la commande ; rien n’est écrit tant qu’une ligne est invalide. Un fichier déjà importé n’écrit rien.',
  })
  @ApiParam({ name: 'kind', enum: [...SHEET_KINDS] })
  @ApiConsumes(SHEET_CSV_TYPE, SHEET_XLSX_TYPE)
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiQuery({ name: 'dryRun', required: false, type: Boolean, description: 'true : vérifier chaque ligne sans rien écrire' })
  @ApiQuery({ name: 'effectiveDate', required: false, description: 'budget : date d’effet du prévisionnel ou de sa révision (AAAA-MM-JJ ou JJ/MM/AAAA)' })
  @ApiQuery({ name: 'reason', required: false, description: 'budget : motif de la révision, quand le prévisionnel est déjà établi' })
  @ApiResponse({ status: 201, description: 'Lignes enregistrées (un seul ajout au flux du budget)' })
  @ApiResponse({ status: 200, description: 'Vérification sans écriture, ou fichier déjà importé : rien n’est écrit' })
  @ApiResponse({ status: 400, description: 'Fichier illisible (format, colonnes) : IMPORT.UNREADABLE_FILE ; en-tête If-Match, If-None-Match ou Idempotency-Key, que l’import ne prend pas : INPUT.INVALID (règle notAccepted)' })
  @ApiResponse({ status: 403, description: 'Rôle non autorisé à enregistrer le budget ou les dépenses' })
  @ApiResponse({ status: 422, description: 'Lignes invalides, chacune nommée par sa ligne, sa colonne et sa règle : IMPORT.INVALID_ROWS' })
  async importSheet(
    @Param('antennaId') antennaId: string,
    @Param('kind') kind: string,
    @Query() rawQuery: Record<string, unknown>,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<SheetImportOutcome> {
    const sheetKind = kindOf(kind);
    const query = routeQuery(rawQuery, IMPORT_PARAMETERS, 'l’import de tableur');
    refuseImportHeaders(request);
    const dryRun = flag(query.dryRun, 'dryRun');
    const body: unknown = request.body;
    if (!Buffer.isBuffer(body)) throw new UnsupportedMediaTypeError(request.headers['content-type'], SHEET_TYPES);
    const correlationId = header(request, 'x-correlation-id');
    const outcome = await this.imports.importSheet(
      {
        kind: sheetKind,
        antennaId,
        file: body,
        dryRun,
        ...(query.effectiveDate !== undefined ? { effectiveDate: query.effectiveDate } : {}),
        ...(query.reason !== undefined ? { reason: query.reason } : {}),
        ...(correlationId !== undefined && /^[\x21-\x7e]{1,100}$/.test(correlationId) ? { correlationId } : {}),
      },
      request.actor,
    );
    response.status(outcome.written ? 201 : 200);
    return outcome;
  }

  @Get('imports/templates/:kind')
  @ApiOperation({ summary: 'Le modèle de tableur à remplir (XLSX avec son mode d’emploi, ou CSV)' })
  @ApiParam({ name: 'kind', enum: [...SHEET_KINDS] })
  @ApiQuery({ name: 'format', required: false, enum: ['xlsx', 'csv'] })
  async template(@Param('kind') kind: string, @Query() query: Record<string, unknown>): Promise<StreamableFile> {
    const { format = 'xlsx' } = routeQuery(query, ['format'], 'les modèles de tableur');
    const sheetKind = kindOf(kind);
    if (format !== 'xlsx' && format !== 'csv') throw new InputValidationError([{ field: 'format', rule: 'isIn', message: 'format doit valoir xlsx ou csv' }]);
    return new StreamableFile(await sheetTemplate(sheetKind, format), {
      type: format === 'xlsx' ? XLSX_MEDIA_TYPE : `${CSV_MEDIA_TYPE}; charset=utf-8`,
      disposition: `attachment; filename="${templateFileName(sheetKind, format)}"`,
    });
  }
}
