import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isApiPath } from '../http/api-path';
import { HttpExtension } from '../http/http-extension';
import { PROBLEM_CONTENT_TYPE, problemOf } from './problem-details';

/**
 * What Fastify's router refuses before Nest sees the request (an address whose percent-encoding
 * is broken, a path segment longer than the router reads): a French problem on the API, and
 * outside it the page of the extension serving pages (the dashboard's), instead of Fastify's
 * English JSON.
 */
export function frameworkErrorHandler(extensions: readonly HttpExtension[]) {
  const pages = extensions.find((extension) => extension.routerErrorPage);
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    if (pages?.routerErrorPage && !isApiPath(request.url)) return pages.routerErrorPage(request, reply);
    const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
    const message = status === 414 ? 'un élément de l’adresse de la requête est trop long' : 'l’adresse de la requête est mal formée (encodage %)';
    void reply.status(status).type(PROBLEM_CONTENT_TYPE).send(problemOf({ statusCode: status, code: 'ROUTE.INVALID', message }, request.url));
  };
}
