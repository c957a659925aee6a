import { Actor, AuditExportQueryInput, ForbiddenError, inputFromQuery, queryParametersOf, validateInput } from '@jalon/application';
import { LogIntegrityService } from '@jalon/core';
import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Readable } from 'node:stream';
import { CurrentActor, Public } from '../auth/auth';
import { routeQuery } from '../http/route-query';
import { ApiQueryParameters } from '../openapi/query-parameters';

/** The export's parameters, from its one declaration. */
const AUDIT_EXPORT_QUERY = queryParametersOf(AuditExportQueryInput);

/** Roles that may take the verifiable audit trail away: the auditor it is made for, and administrators. */
const AUDIT_EXPORT_ROLES = new Set(['auditor', 'admin']);

/** The provable history over HTTP (docs/decisions/0011): the seals' public key, and the verifiable audit export. */
@ApiTags('intégrité')
@Controller('api')
export class IntegrityController {
  constructor(private readonly integrity: LogIntegrityService) {}

  @Public()
  @Get('integrity/public-key')
  @ApiOperation({ summary: 'La clé publique Ed25519 qui signe les sceaux du journal (à comparer avec celle obtenue par un autre canal)' })
  publicKey() {
    return this.integrity.publicKey();
  }

  @ApiBearerAuth()
  @Get('audit-export')
  @ApiOperation({
    summary:
      'La piste d’audit vérifiable (JSON lines) d’une antenne ou du programme : chaque événement avec son empreinte et sa preuve d’inclusion sous un sceau signé ; à vérifier avec jalon verify-export',
  })
  @ApiQueryParameters(AuditExportQueryInput)
  async auditExport(@Query() query: Record<string, unknown>, @CurrentActor() actor: Actor): Promise<StreamableFile> {
    if (!AUDIT_EXPORT_ROLES.has(actor.role)) throw new ForbiddenError(actor.role, 'd’exporter la piste d’audit vérifiable');
    // Judged before anything is sealed: a misspelt parameter must not give (and seal) the whole programme.
    const parameters = routeQuery(query, AUDIT_EXPORT_QUERY.map((parameter) => parameter.name), 'l’export vérifiable');
    const { antennaId: antenna } = validateInput(AuditExportQueryInput, inputFromQuery(AUDIT_EXPORT_QUERY, parameters), { naming: 'queryParameter' });
    // Resolved once the log was checked against the seal: a refusal is still an HTTP error, not a cut file.
    const file = await this.integrity.auditExport(antenna);
    return new StreamableFile(Readable.from(file), {
      type: 'application/x-ndjson; charset=utf-8',
      disposition: `attachment; filename="jalon-audit-${antenna ?? 'programme'}.jsonl"`,
    });
  }
}
