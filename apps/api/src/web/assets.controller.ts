import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/auth';
import { JALON_CSS, JALON_CSS_VERSION } from './assets/jalon-css';

/** The style sheet, from the app itself (no CDN): cached for a year under its versioned address. */
@ApiExcludeController()
@Public()
@Controller('assets')
export class AssetsController {
  private readonly etag = `"${JALON_CSS_VERSION}"`;

  @Get('jalon.css')
  css(@Query('v') version: string | undefined, @Req() request: Request, @Res() response: Response): void {
    response.setHeader('Content-Type', 'text/css; charset=utf-8');
    response.setHeader('ETag', this.etag);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Cache-Control', version === JALON_CSS_VERSION ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
    if (request.header('if-none-match') === this.etag) {
      response.status(304).end();
      return;
    }
    response.status(200).send(JALON_CSS);
  }
}
