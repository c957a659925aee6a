import { Actor, IdentityService } from '@jalon/application';
import { CanActivate, createParamDecorator, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';

const PUBLIC = 'jalon:public';

/** Marks a route that needs no token (health, the API documentation). */
export const Public = () => SetMetadata(PUBLIC, true);

export type AuthenticatedRequest = FastifyRequest & { actor: Actor };

/**
 * Every route needs a bearer token unless marked public: a missing or unknown token is a 401.
 * What each role may do is decided by the command catalogue (403), not here.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly identity: IdentityService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    request.actor = await this.identity.authenticate(scheme?.toLowerCase() === 'bearer' ? token : undefined);
    return true;
  }
}

export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<AuthenticatedRequest>().actor);
