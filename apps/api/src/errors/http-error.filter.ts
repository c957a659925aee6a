import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isApiPath } from '../http/api-path';
import { WebExceptionFilter } from '../web/web-exception.filter';
import { toHttpError } from './error-mapping';
import { PROBLEM_CONTENT_TYPE, problemOf } from './problem-details';

/**
 * Every API error answered as RFC 9457 problem details (`application/problem+json`), in French.
 * An error on a dashboard address that no dashboard controller caught (an unknown page, a body
 * refused before any route ran) is answered as a French page by the dashboard's own filter.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(private readonly modules: ModuleRef) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    if (!isApiPath(request.url)) return this.modules.get(WebExceptionFilter, { strict: false }).catch(error, host);
    const body = toHttpError(error);
    if (body.statusCode >= 500) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    const response = host.switchToHttp().getResponse<FastifyReply>();
    if (body.statusCode === 401) response.header('WWW-Authenticate', 'Bearer realm="jalon"');
    if (body.statusCode === 429) response.header('Retry-After', String(body.details?.retryAfterSeconds ?? 60));
    void response.status(body.statusCode).type(PROBLEM_CONTENT_TYPE).send(problemOf(body, request.url));
  }
}
