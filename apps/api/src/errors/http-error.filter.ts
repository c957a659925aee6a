import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isApiPath } from '../http/api-path';
import { PageErrorFilter } from '../http/http-extension';
import { toHttpError } from './error-mapping';
import { PROBLEM_CONTENT_TYPE, problemOf } from './problem-details';

/**
 * How the service logs an answer of 500 and more: an unexpected error (`INTERNAL`) with its stack,
 * to be mended; a fault Jalon knows and answers in French (a full disk, read models unavailable:
 * 503) as one warning line with its code, the request and the French message, which /health
 * already reports: not a stack trace at every request while it lasts.
 */
export function logServerError(logger: Logger, error: unknown, body: { statusCode: number; code: string; message: string }, request: { method: string; url: string }): void {
  if (body.statusCode < 500) return;
  if (body.code === 'INTERNAL') logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  else logger.warn(`${body.statusCode} ${body.code} — ${request.method} ${request.url.split('?')[0]} : ${body.message}`);
}

/**
 * Every API error answered as RFC 9457 problem details (`application/problem+json`), in French.
 * An error on an address outside the API that no controller caught (an unknown page, a body
 * refused before any route ran) is answered by the {@link PageErrorFilter} a mounted extension
 * provides (the dashboard: a French page), if there is one.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(private readonly modules: ModuleRef) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const pages = isApiPath(request.url) ? undefined : this.pageErrorFilter();
    if (pages) return pages.catch(error, host);
    const body = toHttpError(error);
    logServerError(this.logger, error, body, request);
    const response = host.switchToHttp().getResponse<FastifyReply>();
    if (body.statusCode === 401) response.header('WWW-Authenticate', 'Bearer realm="jalon"');
    if (body.statusCode === 429) response.header('Retry-After', String(body.details?.retryAfterSeconds ?? 60));
    void response.status(body.statusCode).type(PROBLEM_CONTENT_TYPE).send(problemOf(body, request.url));
  }

  private pageErrorFilter(): PageErrorFilter | undefined {
    try {
      return this.modules.get(PageErrorFilter, { strict: false });
    } catch {
      return undefined; // no extension serves pages
    }
  }
}
