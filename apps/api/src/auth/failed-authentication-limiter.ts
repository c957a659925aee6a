import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type {} from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Failed authentications (a wrong bearer token, a refused sign-in) a client may make per window. */
export const MAX_FAILED_AUTHENTICATIONS = 10;
export const FAILED_AUTHENTICATION_WINDOW_MS = 60_000;

/** A client used up its failed authentications: 429, and `Retry-After` says when to try again. */
export class TooManyFailedAuthenticationsError extends Error {
  readonly code = 'AUTH.TOO_MANY_ATTEMPTS';
  constructor(readonly retryAfterSeconds: number) {
    super(`trop de tentatives d’authentification échouées depuis cette adresse : réessayez dans ${retryAfterSeconds} s`);
    this.name = 'TooManyFailedAuthenticationsError';
  }
}

type Limit = ReturnType<FastifyInstance['createRateLimit']>;

/**
 * Counts failed authentications per client IP address with `@fastify/rate-limit` (registered by
 * `createApiApp`), and only failures: a request is first checked without being counted, and
 * counted once its token is refused. A client that used up its allowance is refused before its
 * token is even looked at, until the window ends (a guess that happens to be right gets 429 too,
 * so the limit cannot be sidestepped). Counters live in this process's memory.
 */
@Injectable()
export class FailedAuthenticationLimiter implements OnModuleInit {
  private limit?: Limit;
  /** When a failure was last counted (ms since the epoch); none yet: never. */
  private lastFailureAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (typeof fastify?.createRateLimit !== 'function') throw new Error('@fastify/rate-limit must be registered on the Fastify instance before the application starts (see createApiApp)');
    this.limit = fastify.createRateLimit({ max: MAX_FAILED_AUTHENTICATIONS, timeWindow: FAILED_AUTHENTICATION_WINDOW_MS });
  }

  /** Throws when the client has no failed attempt left in the current window; counts nothing. */
  async assertAllowed(request: FastifyRequest): Promise<void> {
    // Every request passes here. A client's count starts with its first failure and lasts one
    // window: with no failure counted for a whole window, no client can have used up its allowance.
    if (Date.now() - this.lastFailureAt > FAILED_AUTHENTICATION_WINDOW_MS) return;
    const status = await this.limiter()(request, { increment: false });
    // The plugin's `isExceeded` means "more than max"; a client with max failures already has none left.
    if (!status.isAllowed && status.remaining === 0) throw new TooManyFailedAuthenticationsError(Math.max(1, status.ttlInSeconds));
  }

  /** Counts a failure; throws when it is one too many (requests in flight together all counted). */
  async recordFailure(request: FastifyRequest): Promise<void> {
    this.lastFailureAt = Date.now();
    const status = await this.limiter()(request);
    if (!status.isAllowed && status.isExceeded) throw new TooManyFailedAuthenticationsError(Math.max(1, status.ttlInSeconds));
  }

  private limiter(): Limit {
    if (!this.limit) throw new Error('FailedAuthenticationLimiter used before the application was initialised');
    return this.limit;
  }
}
