import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { toHttpError } from './error-mapping';

@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const body = toHttpError(error);
    if (body.statusCode >= 500) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    const response = host.switchToHttp().getResponse<FastifyReply>();
    if (body.statusCode === 401) response.header('WWW-Authenticate', 'Bearer realm="jalon"');
    response.status(body.statusCode).send(body);
  }
}
