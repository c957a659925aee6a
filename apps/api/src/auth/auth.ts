import { Actor, AuthenticationError, IdentityService } from '@jalon/application';
import { CanActivate, createParamDecorator, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { FailedAuthenticationLimiter } from './failed-authentication-limiter';

const PUBLIC = 'jalon:public';

/** Marks a route that needs no token (health, the API documentation). */
export const Public = () => SetMetadata(PUBLIC, true);

export type AuthenticatedRequest = FastifyRequest & { actor: Actor };

/**
 * Every route needs a bearer token unless marked public: a missing or unknown token is a 401.
 * What each role may do is decided by the command catalogue (403), not here. Wrong tokens count
 * against the client's allowance of failed authentications (429 once it is used up).
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly identity: IdentityService,
    private readonly reflector: Reflector,
    private readonly limiter: FailedAuthenticationLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    // No token at all, or a header that is not one bearer token, is not a guess: 401 without counting.
    const headers = authorizationHeaders(request);
    if (headers === 0) throw new AuthenticationError();
    // Node keeps the first of two Authorization headers: a request carrying two names no one token.
    if (headers > 1) throw new AuthenticationError('la requête porte plusieurs en-têtes Authorization : un seul est attendu (Authorization: Bearer <jeton>)');
    const presented = bearerToken(request.headers.authorization);
    if (presented === undefined) throw new AuthenticationError('l’en-tête Authorization doit être « Bearer », une espace, puis le jeton seul (Authorization: Bearer <jeton>)');
    await this.limiter.assertAllowed(request);
    try {
      request.actor = await this.identity.authenticate(presented);
    } catch (error) {
      if (error instanceof AuthenticationError) await this.limiter.recordFailure(request);
      throw error;
    }
    return true;
  }
}

/**
 * The token of an `Authorization: Bearer <token>` header (RFC 6750: the scheme in any case, one or
 * more spaces, one token without spaces), or undefined for anything else: `Bearer a b` names no
 * token, rather than the first of two words.
 */
export function bearerToken(header: string | undefined): string | undefined {
  return /^[ ]*bearer +([^\s]+)[ ]*$/i.exec(header ?? '')?.[1];
}

/** How many Authorization headers the request carries (Node's `headers` shows only the first). */
function authorizationHeaders(request: FastifyRequest): number {
  const raw = request.raw.rawHeaders;
  let count = 0;
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === 'authorization') count++;
  return count;
}

export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<AuthenticatedRequest>().actor);
