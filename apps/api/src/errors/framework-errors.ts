import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
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

/**
 * What Node's HTTP parser refuses before Fastify has a request (an address or headers over its
 * 16 KiB, a malformed request line or header, a request not received in time): a French problem
 * instead of Fastify's English JSON, then the connection is closed as Node does. No path is known
 * yet, so the problem has no `instance`.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Duplex): void {
  // A connection reset by the client has nothing left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'ROUTE.INVALID', 'l’adresse ou les en-têtes de la requête sont trop longs (16 Kio au plus)']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'HTTP.408', 'la requête n’est pas arrivée entière à temps']
        : [400, 'ROUTE.INVALID', 'la requête HTTP est mal formée (ligne de requête ou en-têtes illisibles)'];
  const { instance: _none, ...problem } = problemOf({ statusCode: status, code, message }, '');
  const body = Buffer.from(JSON.stringify(problem), 'utf8');
  const head = `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
  // One write, as Node and Fastify do, so that it is flushed before the socket is destroyed.
  if (socket.writable) socket.write(Buffer.concat([Buffer.from(head, 'latin1'), body]));
  socket.destroy(error);
}
