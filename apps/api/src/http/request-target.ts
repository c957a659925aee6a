import type { IncomingMessage } from 'node:http';

/** `http://` or `https://` and the authority (host, port), in any case: what the absolute form adds to a path. */
const ABSOLUTE_FORM = /^https?:\/\/[^/?#]*/i;

/**
 * The origin form (`/api/programmes?x=1`) of a request target. RFC 9112 §3.2.2: a server MUST
 * accept the absolute form (`http://127.0.0.1:3000/api/programmes?x=1`, which some proxies send),
 * naming the same resource; its authority is dropped (Jalon answers for one host and never reads
 * `Host` either). An authority without a path is `/`. The origin form itself, the asterisk form
 * (`OPTIONS *`) and any other scheme are returned as they are.
 */
export function originFormOf(target: string): string {
  if (target.startsWith('/')) return target;
  const authority = ABSOLUTE_FORM.exec(target);
  if (authority === null) return target;
  const rest = target.slice(authority[0].length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/**
 * Fastify's `rewriteUrl`: every request is routed, matched against the table of methods (405),
 * told API from dashboard and named in problems (`instance`) by its origin form. `originalUrl`,
 * which Nest's middleware matching and the dashboard's return address read, is the origin form
 * too: the absolute form is only another spelling of the same target.
 */
export function rewriteToOriginForm(this: unknown, request: IncomingMessage & { originalUrl?: string }): string {
  const url = originFormOf(request.url ?? '/');
  if (url !== request.url) request.originalUrl = url;
  return url;
}
