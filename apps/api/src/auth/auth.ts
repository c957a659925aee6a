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
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    const presented = scheme?.toLowerCase() === 'bearer' && token ? token : undefined;
    // No token at all is not a guess: 401 without counting.
    if (presented === undefined) throw new AuthenticationError();
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

export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<AuthenticatedRequest>().actor);
