import type { FastifyInstance } from 'fastify';
import { isApiPath } from './api-path';

/**
 * What every answer of the service carries, the API's and the dashboard's pages: nothing kept by a
 * browser or a proxy (answers hold people's data, and some a token shown once: user creation, token
 * rotation), and no content type guessed (an export read as HTML).
 */
export const RESPONSE_HEADERS = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' } as const;

/** What every page carries besides, with a content security policy of its own: no framing, no referrer beyond the site. */
export const PAGE_HEADERS = { ...RESPONSE_HEADERS, 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'same-origin' } as const;

/**
 * The policy of the API documentation (Swagger UI, `/api/docs`, on the dashboard's origin): its
 * scripts and style sheets from this origin only; the inline styles its page carries (two `<style>`
 * blocks and a `style` attribute, written by @nestjs/swagger) and the `data:` images of its style
 * sheet; the OpenAPI document and « Try it out » requests to this origin only (a `?url=` naming
 * another site's document is not fetched); no framing.
 */
export const API_DOCS_CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

const API_DOCS = /^\/api\/docs(?:[/?#]|$)/;

/**
 * One hook for every answer of the API (`/api…`, `/health`), errors and downloads included:
 * {@link RESPONSE_HEADERS} (a route's own `Cache-Control` gives way: none of the API's answers may be
 * stored), and for the documentation the headers of a page with its own policy. The dashboard's
 * pages set theirs as they are sent (apps/web `securityHeaders`); a stored document's download
 * keeps its stricter policy (document-download.ts).
 */
export function registerSecurityHeaders(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (isApiPath(request.url)) {
      void reply.headers(RESPONSE_HEADERS);
      if (API_DOCS.test(request.url)) {
        for (const [name, value] of Object.entries({ ...PAGE_HEADERS, 'Content-Security-Policy': API_DOCS_CONTENT_SECURITY_POLICY })) {
          if (!reply.hasHeader(name)) void reply.header(name, value);
        }
      }
    }
    done(null, payload);
  });
}
