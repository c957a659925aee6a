import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { logServerError, ProblemDetails, problemOf, toHttpError } from '@jalon/api';
import { href } from './html';
import { CsrfRejectedError, SessionRequiredError, WebRequest } from './session/web-session.guard';
import { sessionCookie } from './session/web-sessions';
import { roleLabel } from './views/layout';
import { errorView } from './views/error.view';
import { signInReasonFor } from './views/sign-in.view';
import { isFormSubmission, isSecure, pageToReturnTo, WebPages } from './web-pages';

/** A page or a thing on it that does not exist. */
export class WebNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebNotFoundError';
  }
}

/**
 * A parameter its page explains beside its field (« État au »), refused where there is no field to
 * show it beside: an export, which must never answer other figures than those asked for. 400, the
 * field's label and the page's own message.
 */
export class WebParameterRefusedError extends Error {
  constructor(
    readonly label: string,
    message: string,
  ) {
    super(message);
    this.name = 'WebParameterRefusedError';
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
      // A form posted without a live session was not recorded: the sign-in page says so (and why the session ended), and leads back to a page that can be read.
      this.pages.redirect(response, href('/connexion', { motif: signInReasonFor(error, isFormSubmission(request)), retour: pageToReturnTo(request) }));
      return;
    }
    const [status, title, message, code] = this.describe(error, request, response);
    logServerError(this.logger, error, { statusCode: status, code: code ?? 'INTERNAL', message }, request);
    this.pages.send(response, status, this.pages.frame(request, title), errorView(title, message, code));
  }

  /**
   * What only the dashboard raises (a refused form token, a page that does not exist) is described
   * here; every other error as the API maps it (apps/api/src/errors/error-mapping.ts: the same
   * status, code and French wording), with what a dashboard user can do about it.
   */
  private describe(error: unknown, request: WebRequest, response: FastifyReply): [number, string, string, string?] {
    if (error instanceof CsrfRejectedError) {
      return [403, 'Formulaire refusé', 'Ce formulaire a expiré ou ne provient pas de Jalon. Revenez en arrière, rechargez la page et recommencez.', 'AUTH.CSRF'];
    }
    if (error instanceof WebNotFoundError) return [404, 'Page introuvable', error.message];
    if (error instanceof WebParameterRefusedError) {
      return [400, 'Requête refusée', `« ${error.label} » : ${error.message} Rien n’a été exporté : corrigez-le sur la page, puis exportez de nouveau.`, 'INPUT.INVALID'];
    }
    if (error instanceof HttpException && error.getStatus() === 404) return [404, 'Page introuvable', 'Cette adresse ne correspond à aucune page du tableau de bord.'];
    const problem = problemOf(toHttpError(error), request.url);
    if (problem.code === 'INTERNAL') return [500, 'Erreur interne', 'Une erreur inattendue est survenue ; elle a été consignée. Réessayez, et signalez-la si elle persiste.', 'INTERNAL'];
    const retryAfter = problem.details?.retryAfterSeconds;
    if (problem.status === 429 && typeof retryAfter === 'number') response.header('Retry-After', String(retryAfter));
    const guidance = GUIDANCE[problem.code]?.(problem, request);
    return [problem.status, PAGE_TITLES[problem.status] ?? 'Requête refusée', guidance ?? `${problem.title} ${problem.detail}`, problem.code];
  }
}

/** The heading of an error page, by status. */
const PAGE_TITLES: Readonly<Record<number, string>> = {
  403: 'Action non autorisée',
  404: 'Page introuvable',
  405: 'Méthode non acceptée',
  409: 'Conflit avec ce qui est enregistré',
  429: 'Trop de tentatives',
  503: 'Service momentanément indisponible',
};

/** What a dashboard user can do about an error, by code, where the API's wording speaks to API clients. */
const GUIDANCE: Readonly<Record<string, (problem: ProblemDetails, request: WebRequest) => string>> = {
  'AUTH.FORBIDDEN': (problem, request) => {
    const role = request.webSession ? roleLabel(request.webSession.actor.role) : String(problem.details?.role ?? '');
    return `Votre rôle (${role}) ne permet pas cette action : vous pouvez consulter les pages, pas enregistrer ce fait.`;
  },
  'AUTH.TOO_MANY_ATTEMPTS': (problem) => {
    const seconds = Number(problem.details?.retryAfterSeconds ?? 60);
    return `Trop de connexions ont échoué depuis cette adresse en peu de temps. Patientez ${seconds} seconde${seconds > 1 ? 's' : ''}, puis réessayez avec votre jeton d’accès.`;
  },
  'METHOD.NOT_ALLOWED': (problem) => problem.detail,
  // An address's parameters refused (a form's fields are shown beside them by the form itself): each with its rule.
  'INPUT.INVALID': (problem) => (problem.errors?.length ? `La requête est invalide : ${problem.errors.map((error) => error.message).join(' ; ')}.` : `${problem.title} ${problem.detail}`),
  'READ_MODEL.BEHIND': () => 'Les données ne sont pas encore à jour : réessayez dans un instant.',
  'READ_MODEL.UNAVAILABLE': (problem) => `${problem.title} ${problem.detail} Rien n’est affiché plutôt que des chiffres périmés ; l’état du service est indiqué sur /health.`,
};
