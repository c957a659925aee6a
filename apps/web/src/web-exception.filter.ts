import { ForbiddenError, ReadModelBehindError } from '@jalon/application';
import { ReportSubjectNotFoundError } from '@jalon/reporting';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { TooManyFailedAuthenticationsError } from '../auth/failed-authentication-limiter';
import { toHttpError } from '../errors/error-mapping';
import { href } from './html';
import { CsrfRejectedError, SessionRequiredError, WebRequest } from './session/web-session.guard';
import { sessionCookie } from './session/web-sessions';
import { roleLabel } from './views/layout';
import { errorView } from './views/error.view';
import { isSecure, WebPages } from './web-pages';

/** A page or a thing on it that does not exist. */
export class WebNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebNotFoundError';
  }
}

/**
 * Errors on dashboard routes become pages in French (or a redirect to sign in), never the API's
 * JSON bodies. Errors a form can explain (invalid input, broken rule, conflict) are handled by
 * the forms themselves and never reach this filter.
 */
@Catch()
export class WebExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Web');

  constructor(private readonly pages: WebPages) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<WebRequest>();
    const response = host.switchToHttp().getResponse<FastifyReply>();
    if (error instanceof SessionRequiredError) {
      if (error.expired || error.revoked) response.header('Set-Cookie', sessionCookie('', isSecure(request), true));
      this.pages.redirect(response, href('/connexion', { motif: error.revoked ? 'revoquee' : error.expired ? 'expiree' : 'requise', retour: error.returnTo }));
      return;
    }
    if (error instanceof TooManyFailedAuthenticationsError) response.header('Retry-After', String(error.retryAfterSeconds));
    const [status, title, message, code] = this.describe(error, request);
    if (status >= 500) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    this.pages.send(response, status, this.pages.frame(request, title), errorView(title, message, code));
  }

  private describe(error: unknown, request: WebRequest): [number, string, string, string?] {
    if (error instanceof CsrfRejectedError) {
      return [403, 'Formulaire refusé', 'Ce formulaire a expiré ou ne provient pas de Jalon. Revenez en arrière, rechargez la page et recommencez.', 'AUTH.CSRF'];
    }
    if (error instanceof ForbiddenError) {
      const role = request.webSession ? roleLabel(request.webSession.actor.role) : error.role;
      return [403, 'Action non autorisée', `Votre rôle (${role}) ne permet pas cette action : vous pouvez consulter les pages, pas enregistrer ce fait.`, error.code];
    }
    if (error instanceof TooManyFailedAuthenticationsError) {
      const seconds = error.retryAfterSeconds;
      return [
        429,
        'Trop de tentatives',
        `Trop de connexions ont échoué depuis cette adresse en peu de temps. Patientez ${seconds} seconde${seconds > 1 ? 's' : ''}, puis réessayez avec votre jeton d’accès.`,
        error.code,
      ];
    }
    if (error instanceof WebNotFoundError) return [404, 'Page introuvable', error.message];
    if (error instanceof ReportSubjectNotFoundError) return [404, 'Page introuvable', error.message, error.code];
    if (error instanceof ReadModelBehindError) return [503, 'Données en cours de mise à jour', 'Les données ne sont pas encore à jour : réessayez dans un instant.', error.code];
    if (error instanceof HttpException && error.getStatus() === 404) return [404, 'Page introuvable', 'Cette adresse ne correspond à aucune page du tableau de bord.'];
    if (error instanceof HttpException && error.getStatus() < 500) return [error.getStatus(), 'Requête refusée', 'La requête n’a pas pu être traitée.'];
    // Anything else the API would refuse (a body in another format, a broken rule…) is refused here too, in French.
    const refused = toHttpError(error);
    if (refused.statusCode < 500) return [refused.statusCode, 'Requête refusée', `${refused.message.charAt(0).toUpperCase()}${refused.message.slice(1)}.`, refused.code];
    return [500, 'Erreur interne', 'Une erreur inattendue est survenue ; elle a été consignée. Réessayez, et signalez-la si elle persiste.', 'INTERNAL'];
  }
}
