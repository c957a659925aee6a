import { Actor, errorMessageOf, ForbiddenError, IdentityService, InputValidationError, IssuedToken, UserSummary } from '@jalon/application';
import { DomainError } from '@jalon/domain';
import { Controller, Get, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '@jalon/api';
import { WebRequest, WebSessionGuard } from './session/web-session.guard';
import { usersView } from './views/users.view';
import { CONFIRMATION_ID } from './views/layout';
import { WebExceptionFilter, WebNotFoundError } from './web-exception.filter';
import { WebPages } from './web-pages';

const DOMAIN_STATUS: Record<DomainError['kind'], number> = { 'not-found': 404, conflict: 409, rule: 422 };

/** What each action does, and the message the list shows after it (the name is the user's). */
const CHANGES: Readonly<Record<string, { run: (identity: IdentityService, userId: string, by: Actor) => Promise<UserSummary>; done: (user: UserSummary) => string }>> = {
  desactiver: {
    run: (identity, userId, by) => identity.deactivateUser(userId, by),
    done: (user) => `Le compte de ${user.name} est désactivé : son jeton est refusé et ses sessions ont pris fin.`,
  },
  reactiver: {
    run: (identity, userId, by) => identity.reactivateUser(userId, by),
    done: (user) => `Le compte de ${user.name} est réactivé.${user.hasToken ? ' Son jeton fonctionne de nouveau.' : ' Il n’a plus de jeton : donnez-lui-en un nouveau.'}`,
  },
  'revoquer-jeton': {
    run: (identity, userId, by) => identity.revokeToken(userId, by),
    done: (user) => `Le jeton de ${user.name} est révoqué : il ne fonctionne plus, et ses sessions ont pris fin.`,
  },
};

/**
 * The administrators' page of users: the list, and the actions on each (deactivate, reactivate,
 * revoke the token, issue a new one), which take effect at once for the API and for open sessions.
 * A new token is shown once, in the answer to the form (never kept for a later page).
 */
@ApiExcludeController()
@Public()
@UseGuards(WebSessionGuard)
@UseFilters(WebExceptionFilter)
@Controller('utilisateurs')
export class UsersAdminController {
  constructor(
    private readonly identity: IdentityService,
    private readonly pages: WebPages,
  ) {}

  @Get()
  async list(@Req() request: WebRequest, @Res() response: FastifyReply): Promise<void> {
    await this.render(request, response, 200, {});
  }

  @Post(':userId/:action')
  async act(@Param('userId') userId: string, @Param('action') action: string, @Req() request: WebRequest, @Res() response: FastifyReply): Promise<void> {
    const actor = administrator(request);
    const change = Object.hasOwn(CHANGES, action) ? CHANGES[action] : undefined;
    if (!change && action !== 'nouveau-jeton') throw new WebNotFoundError('Cette action sur un utilisateur n’existe pas.');
    try {
      if (!change) {
        await this.render(request, response, 200, { issued: await this.identity.rotateToken(userId, actor) });
        return;
      }
      const user = await change.run(this.identity, userId, actor);
      request.webSession!.flash = change.done(user);
      this.pages.redirect(response, `/utilisateurs#${CONFIRMATION_ID}`);
    } catch (error) {
      if (error instanceof DomainError) return this.render(request, response, DOMAIN_STATUS[error.kind], { error: { code: error.code, message: errorMessageOf(error.code) } });
      // An id that is not even well-formed names no user.
      if (error instanceof InputValidationError) return this.render(request, response, 404, { error: { code: 'USER.NOT_FOUND', message: errorMessageOf('USER.NOT_FOUND') } });
      throw error;
    }
  }

  private async render(
    request: WebRequest,
    response: FastifyReply,
    status: number,
    outcome: { readonly error?: { readonly code: string; readonly message: string }; readonly issued?: IssuedToken },
  ): Promise<void> {
    const actor = administrator(request);
    const users = await this.identity.listUsers();
    const frame = this.pages.frame(request, 'Utilisateurs', 'utilisateurs');
    const { error, issued } = outcome;
    this.pages.send(response, status, frame, usersView({ users, csrfToken: request.webSession!.csrfToken, selfId: actor.id, ...(error ? { error } : {}), ...(issued ? { issued } : {}) }));
  }
}

function administrator(request: WebRequest): Actor {
  const actor = request.webSession!.actor;
  if (actor.role !== 'admin') throw new ForbiddenError(actor.role, 'de gérer les utilisateurs');
  return actor;
}
