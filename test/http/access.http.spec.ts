import { hashToken } from '@jalon/application';
import { SqliteEventStore } from '@jalon/event-store';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ApiUnderTest, startApi, TEST_NOW } from './api-under-test';
import { PROGRAMME_LAUNCH } from '../support/programme-launch';

type Role = keyof ApiUnderTest['tokens'];

/** Who reads which stream, what never leaves the server, and users whose access is ended (issue 11). */
describe('access over HTTP: stream reads by role, token hashes, deactivation, revocation and rotation', () => {
  let api: ApiUnderTest;
  let dir: string;
  let idempotencyStream = '';
  /** Every token issued in this suite, so that no answer may contain any of their hashes. */
  const issued: string[] = [];

  const get = (path: string, token: string) => request(api.http).get(path).set('Authorization', `Bearer ${token}`);
  const post = (path: string, token: string) => request(api.http).post(path).set('Authorization', `Bearer ${token}`);
  const asAdmin = (path: string) => post(path, api.tokens.admin);
  const addUser = async (name: string, role: Role): Promise<string> => {
    const response = await asAdmin('/api/users').send({ name, role }).expect(201);
    issued.push(response.body.token);
    return response.body.token;
  };
  const expectNoHash = (text: string) => {
    expect(text).not.toContain('tokenHash');
    for (const token of issued) expect(text).not.toContain(hashToken(token));
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jalon-access-'));
    api = await startApi(async () => {
      const store = SqliteEventStore.open({ file: join(dir, 'jalon.sqlite') });
      return { store, dispose: () => store.close() };
    });
    issued.push(...Object.values(api.tokens));
    await post('/api/programmes', api.tokens['programme-manager'])
      .send(PROGRAMME_LAUNCH)
      .expect(201);
    // Another user's command result, as versions before decision 0011 recorded it (still read and still stored).
    idempotencyStream = `idempotency-${'a'.repeat(64)}`;
    await api.store.append(
      idempotencyStream,
      [
        {
          id: randomUUID(),
          type: 'IdempotentResultRecorded',
          version: 1,
          data: { key: 'lancement', fingerprint: 'f'.repeat(64), result: { command: 'LaunchProgramme', written: true } },
          metadata: { actor: 'claire-martin', role: 'programme-manager', correlationId: randomUUID(), causationId: randomUUID(), recordedAt: TEST_NOW.toISOString() },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
  }, 30_000);
  afterAll(async () => {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rule: identity and idempotency streams are for administrators only (403 AUTH.FORBIDDEN, in French); the programme’s are for every role', async () => {
    for (const role of ['auditor', 'finance', 'programme-manager'] as const) {
      for (const stream of ['identity-users', idempotencyStream, 'identity-inexistant']) {
        const refused = await get(`/api/streams/${stream}/events`, api.tokens[role]).expect(403);
        expect(refused.body).toMatchObject({ status: 403, code: 'AUTH.FORBIDDEN', detail: `Le rôle ${role} ne permet pas de lire le flux ${stream}.` });
        expectNoHash(refused.text);
      }
      const programme = await get('/api/streams/programme-au-coeur-des-territoires/events', api.tokens[role]).expect(200);
      expect(programme.body.events.map((event: { type: string }) => event.type)).toEqual(['ProgrammeLaunched']);
    }
    await get(`/api/streams/${idempotencyStream}/events`, api.tokens.admin).expect(200);
  });

  it('rule: token hashes never leave the server: not in the identity stream an administrator reads, nor in user lists or answers', async () => {
    await addUser('Claire Dupont', 'finance');
    const rotated = await asAdmin('/api/users/claire-dupont/token-rotation').expect(201);
    issued.push(rotated.body.token);
    expectNoHash(rotated.text);

    const stream = await get('/api/streams/identity-users/events', api.tokens.admin).expect(200);
    const types = stream.body.events.map((event: { type: string }) => event.type);
    expect(types).toEqual(expect.arrayContaining(['UserRegistered', 'UserTokenRevoked', 'UserTokenIssued']));
    expect(stream.body.events.find((event: { type: string }) => event.type === 'UserTokenIssued').data).toEqual({
      userId: 'claire-dupont',
      effectiveDate: '2026-01-15',
    });
    expectNoHash(stream.text);
    const backwards = await get('/api/streams/identity-users/events?direction=backwards&maxCount=2', api.tokens.admin).expect(200);
    expectNoHash(backwards.text);
    expectNoHash((await get('/api/users', api.tokens.admin).expect(200)).text);
    expectNoHash((await get('/api/users/me', rotated.body.token).expect(200)).text);
    // The stored event still holds the hash: only reads leave it out.
    const stored = [];
    for await (const event of api.store.readStream('identity-users')) stored.push(event);
    expect(JSON.stringify(stored.map((event) => event.data))).toContain(hashToken(rotated.body.token));
  });

  it('answers 404 STREAM.NOT_FOUND, in French, for a stream that does not exist, and an empty page past the end of one that does', async () => {
    const missing = await get('/api/streams/antenna-nulle-part/events', api.tokens.auditor).expect(404);
    expect(missing.body).toMatchObject({ status: 404, code: 'STREAM.NOT_FOUND', detail: 'Le flux antenna-nulle-part n’existe pas : aucun événement n’y a été enregistré.' });
    const past = await get('/api/streams/programme-au-coeur-des-territoires/events?fromRevision=5', api.tokens.auditor).expect(200);
    expect(past.body.events).toEqual([]);
  });

  it('rule: only administrators deactivate, reactivate, revoke or rotate (403), and a refused request writes nothing', async () => {
    const before = await api.fingerprint();
    for (const action of ['deactivation', 'reactivation', 'token-revocation', 'token-rotation']) {
      for (const role of ['auditor', 'finance', 'programme-manager'] as const) {
        const refused = await post(`/api/users/julien-bernard/${action}`, api.tokens[role]).expect(403);
        expect(refused.body.code).toBe('AUTH.FORBIDDEN');
      }
    }
    expect(await api.fingerprint()).toBe(before);
  });

  it('rule: a revoked token gets 401 at once, and its user has no working token until a new one is issued', async () => {
    const token = await addUser('Marc Petit', 'programme-manager');
    await get('/api/users/me', token).expect(200);
    const revoked = await asAdmin('/api/users/marc-petit/token-revocation').expect(200);
    expect(revoked.body).toEqual({ id: 'marc-petit', name: 'Marc Petit', role: 'programme-manager', active: true, hasToken: false });
    const refused = await get('/api/users/me', token).expect(401);
    expect(refused.body.code).toBe('AUTH.UNAUTHENTICATED');
    // Revoking again changes nothing.
    const before = await api.fingerprint();
    await asAdmin('/api/users/marc-petit/token-revocation').expect(200);
    expect(await api.fingerprint()).toBe(before);
  });

  it('rule: a rotation gives a new token that works at once and kills the old one', async () => {
    const old = await addUser('Léa Martin', 'auditor');
    const rotated = await asAdmin('/api/users/lea-martin/token-rotation').expect(201);
    expect(rotated.body.user).toEqual({ id: 'lea-martin', name: 'Léa Martin', role: 'auditor' });
    expect(rotated.body.token).toMatch(/^jalon_[A-Za-z0-9_-]{43}$/);
    issued.push(rotated.body.token);
    expect((await get('/api/users/me', rotated.body.token).expect(200)).body.id).toBe('lea-martin');
    await get('/api/users/me', old).expect(401);
  });

  it('rule: a deactivated user’s token gets 401 until the user is reactivated', async () => {
    const token = await addUser('Hugo Bernard', 'finance');
    const deactivated = await asAdmin('/api/users/hugo-bernard/deactivation').expect(200);
    expect(deactivated.body).toMatchObject({ id: 'hugo-bernard', active: false, hasToken: true });
    await get('/api/users/me', token).expect(401);
    expect((await get('/api/users', api.tokens.admin).expect(200)).body).toContainEqual(expect.objectContaining({ id: 'hugo-bernard', active: false }));
    await asAdmin('/api/users/hugo-bernard/reactivation').expect(200);
    await get('/api/users/me', token).expect(200);
  });

  it('rule: the last active administrator cannot be deactivated nor left without a token (422 USER.LAST_ADMIN); unknown or malformed users are refused', async () => {
    const before = await api.fingerprint();
    const refused = await asAdmin('/api/users/admin/deactivation').expect(422);
    expect(refused.body).toMatchObject({ status: 422, code: 'USER.LAST_ADMIN', detail: expect.stringContaining('Le dernier administrateur actif ne peut être ni désactivé') });
    await asAdmin('/api/users/admin/token-revocation').expect(422);
    const unknown = await asAdmin('/api/users/personne/deactivation').expect(404);
    expect(unknown.body.code).toBe('USER.NOT_FOUND');
    const malformed = await asAdmin('/api/users/Pas%20un%20id/deactivation').expect(400);
    expect(malformed.body.errors).toEqual([expect.objectContaining({ field: 'userId', rule: 'isSlug' })]);
    expect(await api.fingerprint()).toBe(before);
    await get('/api/users/me', api.tokens.admin).expect(200);

    // With a second active administrator, the first may be deactivated.
    const second = await addUser('Seconde Admin', 'admin');
    await post('/api/users/admin/deactivation', second).expect(200);
    await get('/api/users/me', api.tokens.admin).expect(401);
    await post('/api/users/admin/reactivation', second).expect(200);
  });
});
