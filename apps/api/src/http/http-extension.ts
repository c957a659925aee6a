import { JalonConfig, JalonCoreOptions } from '@jalon/core';
import { ArgumentsHost, DynamicModule, ExceptionFilter } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * What another app mounts on the API's Fastify instance and port (the dashboard, apps/web): the API
 * knows nothing of it but this shape. The API keeps `/api` and `/health`; an extension serves the
 * other addresses.
 */
export interface HttpExtension {
  /** The Nest module mounted beside the API's, built from the same options. */
  module(options: JalonCoreOptions): DynamicModule;
  /**
   * Refuses, before anything is created or printed (`startServer`'s first checks), what the
   * extension could not start with: a file of its own that is there and cannot be used.
   */
  assertCanStart?(config: JalonConfig): void;
  /** Runs once the application exists, before it serves (Fastify plugins and hooks). */
  configure?(app: NestFastifyApplication, options: JalonCoreOptions): Promise<void>;
  /** Answers, outside the API, an address Fastify's router refused (broken encoding, segment too long). */
  routerErrorPage?(request: FastifyRequest, reply: FastifyReply): void;
  /** The line `startServer` prints about it once listening. */
  announce?(address: string): string;
}

/**
 * Provided by an extension that serves pages: answers the errors no route of its own caught on an
 * address outside the API (an unknown page, a body refused before any route ran). Without one,
 * such errors are answered as problem details like the API's.
 */
export abstract class PageErrorFilter implements ExceptionFilter {
  abstract catch(error: unknown, host: ArgumentsHost): void;
}
