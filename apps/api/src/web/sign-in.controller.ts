import { AuthenticationError, IdentityService } from '@jalon/application';
import { Body, Controller, Get, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth';
import { WebRequest, WebSessionGuard } from './session/web-session.guard';
import { cookieValue, SESSION_COOKIE, sessionCookie, WebSessions } from './session/web-sessions';
import { signInView } from './views/sign-in.view';
import { WebExceptionFilter } from './web-exception.filter';
import { isSecure, localPath, WebPages } from './web-pages';

/**
 * Sign-in with the same bearer tokens as the API (and so the same users and roles): the token is
 * checked once, then a server-side session stands for the user.
 */
@ApiExcludeController()
@Public()
@UseFilters(WebExceptionFilter)
@Controller()
export class SignInController {
  constructor(
    private readonly identity: IdentityService,
    private readonly sessions: WebSessions,
    private readonly pages: WebPages,
  ) {}

  @Get()
  home(@Res() response: FastifyReply): void {
    this.pages.redirect(response, '/programme');
  }

  @Get('connexion')
  form(@Query('retour') returnTo: string | undefined, @Query('motif') reason: string | undefined, @Req() request: WebRequest, @Res() response: FastifyReply): void {
    const known = reason === 'expiree' || reason === 'requise' || reason === 'deconnexion' ? reason : undefined;
    this.pages.send(
      response,
      200,
      this.pages.frame(request, 'Connexion'),
      signInView({ ...(returnTo ? { returnTo: localPath(returnTo) } : {}), ...(known ? { reason: known } : {}), idleMinutes: this.sessions.options.idleMinutes }),
    );
  }

  @Post('connexion')
  async signIn(@Body() body: Record<string, unknown> | undefined, @Req() request: WebRequest, @Res() response: FastifyReply): Promise<void> {
    const token = typeof body?.jeton === 'string' ? body.jeton.trim() : '';
    const returnTo = localPath(body?.retour);
    try {
      const actor = await this.identity.authenticate(token === '' ? undefined : token);
      this.sessions.destroy(cookieValue(request.headers.cookie, SESSION_COOKIE));
      const session = this.sessions.create(actor);
      response.header('Set-Cookie', sessionCookie(session.id, isSecure(request)));
      this.pages.redirect(response, returnTo);
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      const message = token === '' ? 'Saisissez votre jeton d’accès.' : 'Ce jeton n’est pas reconnu : vérifiez qu’il a été collé en entier.';
      this.pages.send(response, 401, this.pages.frame(request, 'Connexion'), signInView({ returnTo, error: message, idleMinutes: this.sessions.options.idleMinutes }));
    }
  }

  @Post('deconnexion')
  @UseGuards(WebSessionGuard)
  signOut(@Req() request: WebRequest, @Res() response: FastifyReply): void {
    this.sessions.destroy(request.webSession?.id);
    response.header('Set-Cookie', sessionCookie('', isSecure(request), true));
    this.pages.redirect(response, '/connexion?motif=deconnexion');
  }
}
