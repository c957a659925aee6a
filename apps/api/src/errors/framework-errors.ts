import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isApiPath } from '../http/api-path';
import { errorView } from '../web/views/error.view';
import { page } from '../web/views/layout';
import { securityHeaders } from '../web/web-pages';
import { PROBLEM_CONTENT_TYPE, problemOf } from './problem-details';

/**
 * What Fastify's router refuses before Nest sees the request (an address whose percent-encoding
 * is broken, a path segment longer than the router reads): a French problem on the API, a French
 * page on the dashboard, instead of Fastify's English JSON.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
  if (isApiPath(request.url)) {
    const message = status === 414 ? 'un élément de l’adresse de la requête est trop long' : 'l’adresse de la requête est mal formée (encodage %)';
    void reply.status(status).type(PROBLEM_CONTENT_TYPE).send(problemOf({ statusCode: status, code: 'ROUTE.INVALID', message }, request.url));
    return;
  }
  securityHeaders(reply);
  const title = 'Page introuvable';
  const body = page({ title, section: 'none' }, errorView(title, 'Cette adresse ne correspond à aucune page du tableau de bord.', 'ROUTE.INVALID'));
  void reply.status(404).type('text/html; charset=utf-8').send(body);
}
