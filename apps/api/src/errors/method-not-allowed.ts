import type { FastifyInstance } from 'fastify';
import FindMyWay, { HTTPMethod } from 'find-my-way';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Which methods the routes at an address accept (the table below, set by `answerMethodNotAllowed`):
     * the dashboard asks it for a page to come back to after signing in (apps/web/src/web-pages.ts).
     */
    readonly routeMethods: RouteMethods;
  }
}

/** How Fastify's router reads an address: the same options build the table of methods below. */
export interface RouterMatching {
  readonly ignoreTrailingSlash?: boolean;
  readonly maxParamLength?: number;
  readonly caseSensitive?: boolean;
}

/**
 * A method asked at an address whose routes accept only others (RFC 9110 §15.5.6): answered 405
 * with `Allow` by the error mapping. `allowed` is sorted, as the `Allow` header lists it.
 */
export class MethodNotAllowedError extends Error {
  readonly code = 'METHOD.NOT_ALLOWED';

  constructor(
    readonly method: string,
    readonly allowed: readonly string[],
  ) {
    super(`la méthode ${method} n’est pas acceptée à cette adresse, qui accepte ${allowed.join(', ')}`);
    this.name = 'MethodNotAllowedError';
  }
}

/**
 * Which methods the routes at an address accept. Fastify's router tells whether one method has a
 * route for a URL, but not which others have: this table is fed every route Fastify registers
 * (`onRoute`) and matches URLs with Fastify's own router library (find-my-way) under the same
 * options, so `/api/antennas/:antennaId/inauguration` matches `/api/antennas/montbeliard/inauguration`
 * exactly as Fastify does. It has no handler for unreadable addresses (a broken `%` encoding, a
 * segment over `maxParamLength`): those match nothing here, and keep the answer they get today.
 */
export class RouteMethods {
  private readonly router;
  private readonly methods = new Set<string>();

  constructor(matching: RouterMatching) {
    this.router = FindMyWay({ ...matching });
  }

  add(method: string | readonly string[], url: string): void {
    for (const one of typeof method === 'string' ? [method] : method) {
      const upper = one.toUpperCase() as HTTPMethod;
      // The same route may be announced twice (`/x` and `/x/` when a trailing slash is ignored).
      if (this.router.hasRoute(upper, url)) continue;
      this.router.on(upper, url, () => undefined);
      this.methods.add(upper);
    }
  }

  /**
   * The methods, sorted, whose routes match this request target (its query string ignored); none
   * for an unknown address. Only a path (`/…`) is looked up: the asterisk form (`OPTIONS *`, about
   * the server, not a resource) and other targets are not routed by Nest and keep their 404. The
   * absolute form (`http://host/…`) arrives here as its path (`rewriteToOriginForm`, decision 0038).
   */
  allowedAt(url: string): string[] {
    if (!url.startsWith('/')) return [];
    return [...this.methods].filter((method) => this.matches(method as HTTPMethod, url)).sort();
  }

  private matches(method: HTTPMethod, url: string): boolean {
    const found = this.router.find(method, url);
    // Nest sends a route whose parameter is empty (`/api/antennas//inauguration`) to the not-found handler.
    return found !== null && Object.entries(found.params).every(([name, value]) => value !== '' || name === '*');
  }
}

/**
 * When no route matches a request, asks which methods the address accepts: if some do, `OPTIONS`
 * is answered 204 with `Allow`, any other method 405 with `Allow` and a French problem (or the
 * dashboard's page, through the error filters like every other error); an unknown address keeps
 * its 404. It runs on `onRequest`, so nothing of the request is read (no body, no session) and
 * nothing is written.
 *
 * Answered before authentication, as the 404 is: which methods each API address accepts is public
 * in the OpenAPI document (`/api/openapi.json`), and the dashboard's addresses are its links, so a
 * 405 or an `Allow` tells an unauthenticated client nothing a 401 would hide.
 *
 * The table is also the instance's `routeMethods`, for whoever needs to know whether an address
 * can be read with GET. Call it before any route is registered (it learns them from `onRoute`).
 */
export function answerMethodNotAllowed(fastify: FastifyInstance, matching: RouterMatching): void {
  const routes = new RouteMethods(matching);
  fastify.decorate('routeMethods', routes);
  fastify.addHook('onRoute', (route) => routes.add(route.method, route.url));
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!request.is404) return done();
    const allowed = routes.allowedAt(request.url);
    if (allowed.length === 0 || allowed.includes(request.method)) return done();
    void reply.header('Allow', allowed.join(', '));
    if (request.method === 'OPTIONS') {
      void reply.status(204).send();
      return;
    }
    done(new MethodNotAllowedError(request.method, allowed));
  });
}
