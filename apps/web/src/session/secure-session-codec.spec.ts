import Fastify from 'fastify';
import { randomBytes } from 'node:crypto';
import { SESSION_KEY_BYTES } from '@jalon/core';
import { registerSecureSessions } from './secure-session-codec';

/**
 * The session codec seals and opens dashboard cookies, and its plugin costs the other routes
 * nothing: the API's hot path must not parse cookies or open sessions it never reads.
 */
describe('secure session codec', () => {
  it('runs the session plugin on no route of the application: a request there has no parsed cookies and no plugin session', async () => {
    const fastify = Fastify();
    await registerSecureSessions(fastify, randomBytes(SESSION_KEY_BYTES), 10);
    fastify.get('/probe', (request) => {
      const decorated = request as unknown as Record<string, unknown>;
      return { cookies: decorated.cookies ?? null, session: decorated.jalonSession ?? null, signIn: decorated.jalonSignIn ?? null };
    });
    const response = await fastify.inject({ method: 'GET', url: '/probe', headers: { cookie: '__jalon_unused_session=x; autre=1' } });
    expect(response.json()).toEqual({ cookies: null, session: null, signIn: null });
    expect(response.headers['set-cookie']).toBeUndefined();
    await fastify.close();
  });

  it('opens what it sealed, with the same key and kind only', async () => {
    const fastify = Fastify();
    const codec = await registerSecureSessions(fastify, randomBytes(SESSION_KEY_BYTES), 10);
    const other = await registerSecureSessions(Fastify(), randomBytes(SESSION_KEY_BYTES), 10);
    const sealed = codec.seal('session', { id: 's1', userId: 'u1' });
    expect(codec.open('session', sealed)).toEqual({ id: 's1', userId: 'u1' });
    expect(codec.open('signIn', sealed)).toBeUndefined();
    expect(other.open('session', sealed)).toBeUndefined();
    await fastify.close();
  });
});
