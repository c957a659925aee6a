import { JALON_CONFIG, JalonConfig, LogIntegrityService } from '@jalon/core';
import { IntegrityError } from '@jalon/event-store';
import { isSlug } from '@jalon/domain';
import { Controller, Get, Inject, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { Public, routeQuery } from '@jalon/api';
import { WebRequest, WebSessionGuard } from './session/web-session.guard';
import { errorView } from './views/error.view';
import { integrityView } from './views/integrity.view';
import { roleLabel } from './views/layout';
import { WebExceptionFilter, WebNotFoundError } from './web-exception.filter';
import { securityHeaders, WebPages } from './web-pages';

/** Roles that may take the verifiable audit trail away (as over the API): the auditor it is made for, and administrators. */
export const AUDIT_EXPORT_ROLES: ReadonlySet<string> = new Set(['auditor', 'admin']);

/**
 * The dashboard's side of the provable history (docs/decisions/0011): the page « Intégrité du
 * journal » (last verification, last seal, public key) for every signed-in role, and the
 * verifiable audit export downloaded through the session (the same file as `GET /api/audit-export`).
 */
@ApiExcludeController()
@Public()
@UseGuards(WebSessionGuard)
@UseFilters(WebExceptionFilter)
@Controller('integrite')
export class IntegrityPagesController {
  constructor(
    private readonly integrity: LogIntegrityService,
    private readonly pages: WebPages,
    @Inject(JALON_CONFIG) private readonly config: JalonConfig,
  ) {}

  @Get()
  page(@Req() request: WebRequest, @Res() response: FastifyReply): void {
    const actor = request.webSession!.actor;
    const body = integrityView({
      key: this.integrity.publicKey(),
      verification: this.integrity.lastVerification(),
      timeZone: this.config.timeZone,
      mayExport: AUDIT_EXPORT_ROLES.has(actor.role),
    });
    this.pages.send(response, 200, this.pages.frame(request, 'Intégrité du journal', 'integrite'), body);
  }

  @Get('export-verifiable')
  async auditExport(@Query() query: Record<string, unknown>, @Req() request: WebRequest, @Res() response: FastifyReply): Promise<void> {
    const actor = request.webSession!.actor;
    if (!AUDIT_EXPORT_ROLES.has(actor.role)) {
      const message = `Votre rôle (${roleLabel(actor.role)}) ne permet pas de télécharger l’export vérifiable : il est réservé aux rôles Audit et Administration.`;
      this.pages.send(response, 403, this.pages.frame(request, 'Téléchargement non autorisé'), errorView('Téléchargement non autorisé', message, 'AUTH.FORBIDDEN'));
      return;
    }
    // Judged before anything is sealed: a misspelt parameter must not give (and seal) the whole programme.
    const { antenne: antenna } = routeQuery(query, ['antenne'], 'l’export vérifiable');
    if (antenna !== undefined && !isSlug(antenna)) throw new WebNotFoundError('Aucune antenne ne porte cet identifiant.');
    let file: AsyncIterable<string>;
    try {
      // Resolved once the log was checked against the seal: a refusal is still a page, not a cut file.
      file = await this.integrity.auditExport(antenna);
    } catch (error) {
      if (!(error instanceof IntegrityError)) throw error;
      if (error.code === 'INTEGRITY.SUBJECT_NOT_FOUND') throw new WebNotFoundError(`Aucune antenne n’a été ouverte sous l’identifiant « ${String(antenna)} ».`);
      const title = 'Export impossible';
      this.pages.send(response, 503, this.pages.frame(request, title), errorView(title, `L’export vérifiable n’est pas produit : ${error.message}.`, error.code));
      return;
    }
    securityHeaders(response);
    response.header('Content-Type', 'application/x-ndjson; charset=utf-8');
    response.header('Content-Disposition', `attachment; filename="jalon-audit-${antenna ?? 'programme'}.jsonl"`);
    void response.status(200).send(Readable.from(file));
  }
}
