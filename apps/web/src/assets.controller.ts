import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { header, Public } from '@jalon/api';
import { JALON_CSS, JALON_CSS_VERSION } from './assets/jalon-css';

/** The style sheet, from the app itself (no CDN): cached for a year under its versioned address. */
@ApiExcludeController()
@Public()
@Controller('assets')
export class AssetsController {
  private readonly etag = `"${JALON_CSS_VERSION}"`;

  @Get('jalon.css')
  css(@Query('v') version: string | undefined, @Req() request: FastifyRequest, @Res() response: FastifyReply): void {
    response.header('Content-Type', 'text/css; charset=utf-8');
    response.header('ETag', this.etag);
    response.header('X-Content-Type-Options', 'nosniff');
    response.header('Cache-Control', version === JALON_CSS_VERSION ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
    if (header(request, 'if-none-match') === this.etag) {
      void response.status(304).send();
      return;
    }
    void response.status(200).send(JALON_CSS);
  }
}
