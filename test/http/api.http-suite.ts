import request from 'supertest';
import { ApiUnderTest, startApi, StoreUnderTest } from './api-under-test';
import { PROGRAMME_LAUNCH } from '../support/programme-launch';

const launch = PROGRAMME_LAUNCH;

/**
 * The HTTP contract of the API, run against every event store (the embedded one and EventStoreDB
 * through its test double), with supertest on the real Nest application.
 */
export function describeHttpApi(name: string, openStore: () => Promise<StoreUnderTest>): void {
  describe(`HTTP API on ${name}`, () => {
    let api: ApiUnderTest;
    const bearer = (role: keyof ApiUnderTest['tokens']) => `Bearer ${api.tokens[role]}`;
    const post = (path: string, body: unknown, role: keyof ApiUnderTest['tokens'] = 'programme-manager') =>
      request(api.http).post(path).set('Authorization', bearer(role)).send(body as object);

    beforeEach(async () => {
      api = await startApi(openStore);
    });
    afterEach(async () => {
      await api.close();
    });

    it('serves /health without a token', async () => {
      const response = await request(api.http).get('/health').expect(200);
      expect(response.body.status).toBe('ok');
    });

    it('serves the OpenAPI document with every command route and its validated body schema', async () => {
      const response = await request(api.http).get('/api/openapi.json').expect(200);
      const operation = response.body.paths['/api/calls/{callId}/candidacies']?.post;
      expect(operation?.operationId).toBe('SubmitCandidacy');
      expect(operation.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/SubmitCandidacyBody');
      const body = response.body.components.schemas.SubmitCandidacyBody;
      expect(body.properties.callId).toBeUndefined(); // a path parameter, not a body field
      expect(body.required).toEqual(expect.arrayContaining(['territory', 'effectiveDate']));
      await request(api.http).get('/api/docs').expect(200);
    });

    it('records a command: 201, the appended events, an ETag with the new revision, actor and role in the metadata', async () => {
      const response = await post('/api/programmes', launch).expect(201);
      expect(response.headers.etag).toBe('"0"');
      expect(response.body).toMatchObject({ streamId: 'programme-au-coeur-des-territoires', written: true, nextExpectedRevision: 0 });
      // Both steps of the launch (decision 0061), each naming its stream: the registry's claim first.
      expect(response.body.events).toEqual([
        expect.objectContaining({ type: 'ProgrammeClaimed', streamId: 'installation-programme', revision: 0 }),
        expect.objectContaining({ type: 'ProgrammeLaunched', streamId: 'programme-au-coeur-des-territoires', revision: 0 }),
      ]);
      const events = await request(api.http).get('/api/streams/programme-au-coeur-des-territoires/events').set('Authorization', bearer('auditor')).expect(200);
      expect(events.body.events[0].metadata).toMatchObject({ actor: 'claire-martin', actorName: 'Claire Martin', role: 'programme-manager' });
      expect(events.body.events[0].data).toEqual(launch);
    });

    it('rule: the events a command appends carry time-ordered ids (UUID v7, docs/decisions/0034), later ones sorting after', async () => {
      await post('/api/programmes', launch).expect(201);
      await post('/api/programmes/au-coeur-des-territoires/target-revisions', { targets: { antennaCount: 120, targetDate: '2023-12-31' }, reason: 'Extension', effectiveDate: '2020-01-01' }).expect(201);
      const events = await request(api.http).get('/api/streams/programme-au-coeur-des-territoires/events').set('Authorization', bearer('auditor')).expect(200);
      const ids = (events.body.events as { id: string }[]).map((event) => event.id);
      expect(ids).toHaveLength(2);
      for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect([...ids].sort()).toEqual(ids);
    });

    it('rule: a repeated command that changes nothing answers 200 and appends nothing', async () => {
      await post('/api/programmes', launch).expect(201);
      const before = await api.fingerprint();
      const response = await post('/api/programmes', launch).expect(200);
      expect(response.body).toMatchObject({ written: false, events: [] });
      expect(await api.fingerprint()).toBe(before);
    });

    it('rule: bad input gets 400 with one message per field and rule, and nothing is written', async () => {
      const before = await api.fingerprint();
      const response = await post('/api/programmes', {
        ...launch,
        programmeId: 'Pas Un Slug',
        targets: { antennaCount: 1.5, targetDate: '2022-02-30' },
        surprise: true,
      }).expect(400);
      expect(response.body.code).toBe('INPUT.INVALID');
      expect(response.body.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: 'programmeId', rule: 'isSlug' }),
          expect.objectContaining({ field: 'targets.antennaCount', rule: 'isInt' }),
          expect.objectContaining({ field: 'targets.targetDate', rule: 'isIsoDate' }),
          expect.objectContaining({ field: 'surprise', rule: 'whitelistValidation' }),
        ]),
      );
      for (const error of response.body.errors) expect(error.message).toEqual(expect.any(String));
      expect(await api.fingerprint()).toBe(before);
    });

    it('rule: a body that is not JSON gets 400 and nothing is written', async () => {
      const before = await api.fingerprint();
      const response = await request(api.http)
        .post('/api/programmes')
        .set('Authorization', bearer('admin'))
        .set('Content-Type', 'application/json')
        .send('{"programmeId": ')
        .expect(400);
      expect(response.body.code).toBe('INPUT.MALFORMED');
      expect(await api.fingerprint()).toBe(before);
    });

    it('rule: a JSON body must be an object or an array (400 INPUT.MALFORMED), and nothing is written', async () => {
      const before = await api.fingerprint();
      const response = await request(api.http).post('/api/programmes').set('Authorization', bearer('admin')).set('Content-Type', 'application/json').send('"texte"').expect(400);
      expect(response.body.code).toBe('INPUT.MALFORMED');
      expect(await api.fingerprint()).toBe(before);
    });

    it('rule: a command sent without a body is refused by validation naming its fields; in another format, with 415', async () => {
      const before = await api.fingerprint();
      const empty = await request(api.http).post('/api/programmes').set('Authorization', bearer('admin')).set('Content-Type', 'application/json').send('').expect(400);
      const none = await request(api.http).post('/api/programmes').set('Authorization', bearer('admin')).expect(400);
      for (const response of [empty, none]) {
        expect(response.body.code).toBe('INPUT.INVALID');
        expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'programmeId', rule: 'isSlug' })]));
      }
      const text = await request(api.http).post('/api/programmes').set('Authorization', bearer('admin')).set('Content-Type', 'text/plain').send('bonjour').expect(415);
      expect(text.body.code).toBe('INPUT.UNSUPPORTED_MEDIA_TYPE');
      expect(await api.fingerprint()).toBe(before);
    });

    it('rule: a body over 1 MiB gets 413 INPUT.TOO_LARGE and nothing is written', async () => {
      const before = await api.fingerprint();
      const response = await post('/api/programmes', { ...launch, description: 'x'.repeat(1024 * 1024) }, 'admin').expect(413);
      expect(response.body.code).toBe('INPUT.TOO_LARGE');
      expect(await api.fingerprint()).toBe(before);
    });

    it('rule: a body field that contradicts the URL gets 400', async () => {
      await post('/api/programmes', launch).expect(201);
      const response = await post('/api/programmes/au-coeur-des-territoires/conventions', {
        programmeId: 'autre-programme',
        conventionId: 'convention-acv-2019',
        title: 'Convention',
        partners: ['Cnam'],
        durationMonths: 36,
        effectiveDate: '2019-04-01',
      }).expect(400);
      expect(response.body.errors).toEqual([expect.objectContaining({ field: 'programmeId', rule: 'matchesPath' })]);
    });

    it('rule: a missing or unknown token gets 401 and nothing is written', async () => {
      const before = await api.fingerprint();
      const missing = await request(api.http).post('/api/programmes').send(launch).expect(401);
      expect(missing.body.code).toBe('AUTH.UNAUTHENTICATED');
      expect(missing.headers['www-authenticate']).toMatch(/^Bearer/);
      await request(api.http).post('/api/programmes').set('Authorization', 'Bearer jalon_inconnu').send(launch).expect(401);
      await request(api.http).get('/api/streams/programme-x/events').expect(401);
      expect(await api.fingerprint()).toBe(before);
    });

    it('rule: a role that may not run a command gets 403 and nothing is written (auditors only read)', async () => {
      const before = await api.fingerprint();
      const forbidden = await post('/api/programmes', launch, 'auditor').expect(403);
      expect(forbidden.body.code).toBe('AUTH.FORBIDDEN');
      await post('/api/programmes', launch, 'finance').expect(403);
      expect(await api.fingerprint()).toBe(before);
      // Auditors read the programme's streams: this one is not forbidden, only absent.
      const absent = await request(api.http).get('/api/streams/programme-x/events').set('Authorization', bearer('auditor')).expect(404);
      expect(absent.body.code).toBe('STREAM.NOT_FOUND');
    });

    it('maps domain errors once: 404 not found, 409 conflict, 422 broken rule, each with its stable code', async () => {
      const revise = { targets: { antennaCount: 120, targetDate: '2023-12-31' }, reason: 'Extension', effectiveDate: '2020-01-01' };
      const notFound = await post('/api/programmes/inconnu/target-revisions', revise).expect(404);
      expect(notFound.body.code).toBe('PROGRAMME.NOT_FOUND');
      await post('/api/programmes', launch).expect(201);
      const conflict = await post('/api/programmes', { ...launch, name: 'Autre nom' }).expect(409);
      expect(conflict.body.code).toBe('PROGRAMME.ALREADY_LAUNCHED');
      const rule = await post('/api/programmes/au-coeur-des-territoires/target-revisions', { ...revise, effectiveDate: '2018-06-01' }).expect(422);
      expect(rule.body.code).toBe('PROGRAMME.DATE_BEFORE_LAUNCH');
    });

    it('rule: a fact cannot take effect after the day it is recorded (422 EVENT.EFFECTIVE_DATE_IN_FUTURE), naming the fact sent, not the claim that checks it first', async () => {
      const response = await post('/api/programmes', { ...launch, targets: { antennaCount: 100, targetDate: '2027-12-31' }, effectiveDate: '2026-01-16' }).expect(422);
      expect(response.body.code).toBe('EVENT.EFFECTIVE_DATE_IN_FUTURE');
      expect(response.body.details).toMatchObject({ field: 'effectiveDate', eventType: 'ProgrammeLaunched', effectiveDate: '2026-01-16' });
    });

    it('rule: an installation follows one programme: of two launches of different programmes sent together, one wins, the other gets 409 PROGRAMME.ANOTHER_LAUNCHED naming it (decision 0061)', async () => {
      const other = { ...launch, programmeId: 'autre-programme', name: 'Autre programme' };
      const responses = await Promise.all([post('/api/programmes', launch), post('/api/programmes', other)]);
      expect(responses.map((response) => response.status).sort()).toEqual([201, 409]);
      const won = responses.find((response) => response.status === 201)!.body.streamId === 'programme-au-coeur-des-territoires' ? launch : other;
      const lost = won === launch ? other : launch;
      const refused = responses.find((response) => response.status === 409)!;
      expect(refused.body).toMatchObject({
        code: 'PROGRAMME.ANOTHER_LAUNCHED',
        title: 'Un autre programme est déjà lancé sur cette installation de Jalon : une installation suit un seul programme.',
        details: { field: 'programmeId', programmeId: won.programmeId, name: won.name },
      });
      expect(refused.body.detail).toContain(`suit déjà le programme « ${won.name} » (${won.programmeId}) : une installation suit un seul programme`);
      await request(api.http).get(`/api/streams/programme-${lost.programmeId}/events`).set('Authorization', bearer('auditor')).expect(404);
      // Sent again: the loser is refused again, the winner is one launch; nothing written.
      const before = await api.fingerprint();
      await post('/api/programmes', lost).expect(409);
      await post('/api/programmes', won).expect(200);
      expect(await api.fingerprint()).toBe(before);
    });

    it('rule: one selected candidacy opens one antenna, even when two openings race (409 CANDIDACY.ANTENNA_ALREADY_ASSIGNED)', async () => {
      await post('/api/programmes', launch).expect(201);
      await post('/api/calls', {
        callId: 'ami-2',
        programmeId: 'au-coeur-des-territoires',
        title: 'Deuxième AMI',
        number: 2,
        opensOn: '2020-10-01',
        closesOn: '2020-12-15',
        criteria: ['Dynamique partenariale locale'],
        effectiveDate: '2020-10-01',
      }).expect(201);
      const territory = { id: 'pays-de-montbeliard', name: 'Pays de Montbéliard Agglomération', kind: 'agglomeration', region: 'Bourgogne-Franche-Comté', actionCoeurDeVille: true };
      await post('/api/calls/ami-2/candidacies', { territory, partners: [], trainingNeeds: ['Industrie 4.0'], effectiveDate: '2020-12-10' }).expect(201);
      const candidacyId = 'ami-2--pays-de-montbeliard';
      await post(`/api/candidacies/${candidacyId}/selection`, { criteria: ['Partenariat'], effectiveDate: '2021-02-15' }).expect(201);
      const opening = (antennaId: string) => post('/api/antennas', { antennaId, candidacyId, name: `Cnam ${antennaId}`, town: 'Montbéliard', effectiveDate: '2021-03-01' });
      const responses = await Promise.all([opening('montbeliard'), opening('pays-de-montbeliard')]);
      expect(responses.map((response) => response.status).sort()).toEqual([201, 409]);
      const refused = responses.find((response) => response.status === 409)!;
      expect(refused.body).toMatchObject({ code: 'CANDIDACY.ANTENNA_ALREADY_ASSIGNED', details: { field: 'antennaId' } });
      const winner = responses.find((response) => response.status === 201)!.body.streamId as string;
      const loser = winner === 'antenna-montbeliard' ? 'antenna-pays-de-montbeliard' : 'antenna-montbeliard';
      await request(api.http).get(`/api/streams/${loser}/events`).set('Authorization', bearer('auditor')).expect(404);
      const before = await api.fingerprint();
      await opening(winner.slice('antenna-'.length)).expect(200);
      expect(await api.fingerprint()).toBe(before);
    });

    it('rule: a stale expected revision (If-Match) gets 409 and nothing is written', async () => {
      await post('/api/programmes', launch).expect(201);
      const revise = { targets: { antennaCount: 120, targetDate: '2023-12-31' }, reason: 'Extension', effectiveDate: '2020-01-01' };
      const before = await api.fingerprint();
      const stale = await post('/api/programmes/au-coeur-des-territoires/target-revisions', revise).set('If-Match', '"3"').expect(409);
      expect(stale.body).toMatchObject({ code: 'STREAM.WRONG_EXPECTED_REVISION', details: { expected: 3, actual: 0 } });
      expect(await api.fingerprint()).toBe(before);
      const fresh = await post('/api/programmes/au-coeur-des-territoires/target-revisions', revise).set('If-Match', '"0"').expect(201);
      expect(fresh.headers.etag).toBe('"1"');
    });

    it('rule: If-None-Match: * creates only a stream that does not exist yet (409 otherwise)', async () => {
      await post('/api/programmes', launch).set('If-None-Match', '*').expect(201);
      const again = await post('/api/programmes', { ...launch }).set('If-None-Match', '*').expect(409);
      expect(again.body.code).toBe('STREAM.WRONG_EXPECTED_REVISION');
    });

    it('rule: a retried request with the same Idempotency-Key returns the first result without writing again', async () => {
      const first = await post('/api/programmes', launch).set('Idempotency-Key', 'essai-1').expect(201);
      const before = await api.fingerprint();
      const retry = await post('/api/programmes', launch).set('Idempotency-Key', 'essai-1').expect(201);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers['idempotency-replayed']).toBe('true');
      expect(await api.fingerprint()).toBe(before);
    });

    it('rule: an Idempotency-Key reused for a different request gets 422 and nothing is written', async () => {
      await post('/api/programmes', launch).set('Idempotency-Key', 'essai-2').expect(201);
      const before = await api.fingerprint();
      const reused = await post('/api/programmes', { ...launch, name: 'Autre' }).set('Idempotency-Key', 'essai-2').expect(422);
      expect(reused.body.code).toBe('IDEMPOTENCY.KEY_REUSED');
      expect(await api.fingerprint()).toBe(before);
    });

    it('creates users (admins only) whose token is shown once and works at once', async () => {
      await post('/api/users', { name: 'Nouvelle Personne', role: 'finance' }, 'finance').expect(403);
      const created = await post('/api/users', { name: 'Nouvelle Personne', role: 'finance' }, 'admin').expect(201);
      expect(created.body.token).toMatch(/^jalon_/);
      const me = await request(api.http).get('/api/users/me').set('Authorization', `Bearer ${created.body.token}`).expect(200);
      expect(me.body).toEqual({ id: 'nouvelle-personne', name: 'Nouvelle Personne', role: 'finance' });
      const invalid = await post('/api/users', { name: 'X', role: 'superuser' }, 'admin').expect(400);
      expect(invalid.body.errors).toEqual([expect.objectContaining({ field: 'role', rule: 'isIn' })]);
    });

    it('reads a stream backwards and refuses a bad query with 400', async () => {
      await post('/api/programmes', launch).expect(201);
      await post('/api/programmes/au-coeur-des-territoires/conventions', {
        conventionId: 'convention-acv-2019',
        title: 'Convention',
        partners: ['Cnam'],
        durationMonths: 36,
        effectiveDate: '2019-04-01',
      }).expect(201);
      const backwards = await request(api.http)
        .get('/api/streams/programme-au-coeur-des-territoires/events?direction=backwards&maxCount=1')
        .set('Authorization', bearer('auditor'))
        .expect(200);
      expect(backwards.body.events.map((e: { type: string }) => e.type)).toEqual(['ConventionSigned']);
      const bad = await request(api.http).get('/api/streams/x/events?maxCount=0').set('Authorization', bearer('auditor')).expect(400);
      expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'maxCount' })]);
    });
  });
}
