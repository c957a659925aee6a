import { Controller, Get, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '@jalon/api';
import { WebRequest } from './session/web-session.guard';
import { ACCESSIBILITY_STATEMENT_PATH, accessibilityStatementView } from './views/accessibility-statement.view';
import { WebExceptionFilter } from './web-exception.filter';
import { WebPages } from './web-pages';

/**
 * The accessibility statement, linked from every page's footer. It needs no session: someone who
 * cannot sign in must be able to read it, and how to report the problem.
 */
@ApiExcludeController()
@Public()
@UseFilters(WebExceptionFilter)
@Controller()
export class AccessibilityController {
  constructor(private readonly pages: WebPages) {}

  @Get(ACCESSIBILITY_STATEMENT_PATH.slice(1))
  statement(@Req() request: WebRequest, @Res() response: FastifyReply): void {
    this.pages.send(response, 200, this.pages.frame(request, 'Déclaration d’accessibilité'), accessibilityStatementView());
  }
}
