import { AuthenticationError, IdentityService } from '@jalon/application';
import { ArgumentsHost, Body, Catch, Controller, ExceptionFilter, Get, Injectable, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { FailedAuthenticationLimiter, Public } from '@jalon/api';
import { SessionRequiredError, WebRequest, WebSessionGuard } from './session/web-session.guard';
import { cookieValue, SESSION_COOKIE, sessionCookie, SIGN_IN_COOKIE, signInCookie, WebSessions } from './session/web-sessions';
import { SIGN_IN_REASONS, SignInModel, signInView } from './views/sign-in.view';
import { WebExceptionFilter } from './web-exception.filter';
import { isSecure, localPath, WebPages } from './web-pages';

/** Where signing out leads, whether a session was ended by it or had ended before. */
const SIGNED_OUT = '/connexion?motif=deconnexion';

/**
 * « Se déconnecter » sent from a session that had already ended (expired, revoked, or signed out in
 * another tab): what was asked is done, and nothing was lost, so the sign-in page says the person is
 * signed out, as after any sign-out, not that an action was not recorded. Other errors (a refused
 * form token on a live session) go on to the controller's filter.
 */
@Injectable()
@Catch(SessionRequiredError)
class AlreadySignedOut implements ExceptionFilter {
  constructor(private readonly pages: WebPages) {}

  catch(_error: SessionRequiredError, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<WebRequest>();
    const response = host.switchToHttp().getResponse<FastifyReply>();
    response.header('Set-Cookie', sessionCookie('', isSecure(request), true));
    this.pages.redirect(response, SIGNED_OUT);
  }
}

/**
 * Sign-in with the same bearer tokens as the API (and so the same users and roles): the token is
 * checked once, then a sealed session cookie stands for the user. The form carries an anti-forgery
 * token, and refused tokens count against the client's failed authentications (429 past ten a minute).
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
    private readonly limiter: FailedAuthenticationLimiter,
  ) {}

  @Get()
  home(@Res() response: FastifyReply): void {
    this.pages.redirect(response, '/programme');
  }

  @Get('connexion')
  form(@Query('retour') returnTo: string | undefined, @Query('motif') reason: string | undefined, @Req() request: WebRequest, @Res() response: FastifyReply): void {
    const known = SIGN_IN_REASONS.find((candidate) => candidate === reason);
    this.sendForm(request, response, 200, { ...(returnTo ? { returnTo: localPath(returnTo) } : {}), ...(known ? { reason: known } : {}) });
  }

  @Post('connexion')
  async signIn(@Body() body: Record<string, unknown> | undefined, @Req() request: WebRequest, @Res() response: FastifyReply): Promise<void> {
    const token = typeof body?.jeton === 'string' ? body.jeton.trim() : '';
    const returnTo = localPath(body?.retour);
    const form = this.sessions.signInForm(cookieValue(request.headers.cookie, SIGN_IN_COOKIE));
    if (!form || !this.sessions.csrfMatches(form, body?._csrf)) {
      // Another site's form, or this one left open too long (or from before a restart): nothing is checked.
      const error = 'Ce formulaire de connexion a expiré ou ne provient pas de Jalon : collez à nouveau votre jeton d’accès.';
      this.sendForm(request, response, 403, { returnTo, error });
      return;
    }
    await this.limiter.assertAllowed(request);
    try {
      const grant = await this.identity.authenticateForSession(token === '' ? undefined : token);
      const previous = this.sessions.use(cookieValue(request.headers.cookie, SESSION_COOKIE)).session;
      this.sessions.destroy(previous);
      // Sealed into the cookie when the response is sent (create-api-app.ts).
      request.webSession = this.sessions.create(grant.actor, grant.tokenHash, grant.deactivations);
      response.header('Set-Cookie', signInCookie('', isSecure(request), true));
      this.pages.redirect(response, returnTo);
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      // An empty field is a slip, not a guess: only refused tokens count.
      if (token !== '') await this.limiter.recordFailure(request);
      const message = token === '' ? 'Saisissez votre jeton d’accès.' : 'Ce jeton n’est pas reconnu : vérifiez qu’il a été collé en entier.';
      this.sendForm(request, response, 401, { returnTo, error: message });
    }
  }

  @Post('deconnexion')
  @UseGuards(WebSessionGuard)
  @UseFilters(AlreadySignedOut)
  signOut(@Req() request: WebRequest, @Res() response: FastifyReply): void {
    this.sessions.destroy(request.webSession);
    response.header('Set-Cookie', sessionCookie('', isSecure(request), true));
    this.pages.redirect(response, SIGNED_OUT);
  }

  /** The sign-in page, with the anti-forgery token of this browser's sign-in form (a new one if needed). */
  private sendForm(request: WebRequest, response: FastifyReply, status: number, model: Omit<SignInModel, 'csrfToken' | 'idleMinutes'>): void {
    const known = cookieValue(request.headers.cookie, SIGN_IN_COOKIE);
    const form = this.sessions.openSignInForm(known);
    if (!this.sessions.signInForm(known)) response.header('Set-Cookie', signInCookie(this.sessions.sealSignInForm(form), isSecure(request)));
    this.pages.send(response, status, this.pages.frame(request, 'Connexion'), signInView({ ...model, csrfToken: form.csrfToken, idleMinutes: this.sessions.options.idleMinutes }));
  }
}
