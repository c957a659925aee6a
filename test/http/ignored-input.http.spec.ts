import request from 'supertest';
import { ApiUnderTest } from './api-under-test';
import { useDemoApi } from './sqlite-store-under-test';

const EXPENDITURES_CSV = Buffer.from('Identifiant;Date;Catégorie;Montant;Description\nloyer-2024-t2;30/06/2024;Locaux;4 500,00;Loyer du deuxième trimestre\n', 'utf8');

/**
 * What an audit of the running service found the API ignoring, or altering, without a word: a
 * query parameter it does not read (on an import, `dryrun=true` wrote), one a report kind does not
 * read (echoed as if applied), a body on an action that takes none, bytes that are not UTF-8 (stored
 * as « � »), a number JSON rounds to a whole one. Each is refused, naming the field and the rule,
 * and nothing is written.
 */
describe('HTTP API: nothing the client sends is ignored or altered without a word', () => {
  const demo = useDemoApi('ignored-input');
  const as = (role: keyof ApiUnderTest['tokens']) => `Bearer ${demo.api.tokens[role]}`;
  const get = (path: string) => request(demo.api.http).get(path).set('Authorization', as('admin'));
  const fieldsOf = (response: request.Response) => (response.body.errors as { field: string; rule: string }[]).map((e) => `${e.field}:${e.rule}`);
  /** The seals in the log (none yet: the stream does not exist, 404). */
  const seals = async () => {
    const read = await get('/api/streams/integrity-seals/events?maxCount=1000');
    return read.status === 404 ? 0 : (read.body.events.length as number);
  };

  it('rule: an import refuses a query parameter it does not read (`dryrun=true` for `dryRun` once wrote the file for good), and writes nothing', async () => {
    const before = await demo.api.fingerprint();
    for (const [query, field] of [
      ['dryrun=true', 'dryrun'],
      ['dry_run=1', 'dry_run'],
    ]) {
      const refused = await request(demo.api.http)
        .post(`/api/antennas/montbeliard/imports/expenditures?${query}`)
        .set('Authorization', as('finance'))
        .set('Content-Type', 'text/csv')
        .send(EXPENDITURES_CSV)
        .expect(400);
      expect(refused.body.errors).toEqual([{ field, rule: 'whitelistValidation', message: `le paramètre ${field} n’est pas attendu par l’import de tableur` }]);
    }
    expect(await demo.api.fingerprint()).toBe(before);
    // Spelled as declared, the check writes nothing either, and says so.
    const checked = await request(demo.api.http).post('/api/antennas/montbeliard/imports/expenditures?dryRun=true').set('Authorization', as('finance')).set('Content-Type', 'text/csv').send(EXPENDITURES_CSV).expect(200);
    expect(checked.body).toMatchObject({ dryRun: true, written: false });
    expect(await demo.api.fingerprint()).toBe(before);
  });

  it('rule: a command reads nothing from its query: `?dryRun=true` on a command is refused, not ignored while the command writes', async () => {
    const before = await demo.api.fingerprint();
    const refused = await request(demo.api.http)
      .post('/api/antennas/montbeliard/expenditures?dryRun=true')
      .set('Authorization', as('finance'))
      .send({ expenditureId: 'essai-requete', category: 'other', amountCents: 100, description: 'Essai', effectiveDate: '2023-01-10' })
      .expect(400);
    expect(refused.body.errors).toEqual([{ field: 'dryRun', rule: 'whitelistValidation', message: 'le paramètre dryRun n’est pas attendu par les commandes' }]);
    expect(await demo.api.fingerprint()).toBe(before);
  });

  it('rule: a command takes If-None-Match as `*` only, and never beside If-Match: any other value is refused naming the header, not ignored while the command writes unguarded', async () => {
    const before = await demo.api.fingerprint();
    const expenditure = { expenditureId: 'essai-en-tete', category: 'other', amountCents: 100, description: 'Essai', effectiveDate: '2023-01-10' };
    const send = (headers: Record<string, string>) => request(demo.api.http).post('/api/antennas/montbeliard/expenditures').set('Authorization', as('finance')).set(headers).send(expenditure);
    for (const [headers, rule] of [
      [{ 'If-None-Match': '"3"' }, 'isAnyStream'],
      [{ 'If-None-Match': 'W/"0"' }, 'isAnyStream'],
      [{ 'If-Match': '"5"', 'If-None-Match': '*' }, 'notWithIfMatch'],
    ] as const) {
      const refused = await send(headers).expect(400);
      expect(fieldsOf(refused)).toEqual([`If-None-Match:${rule}`]);
      expect(refused.body.errors[0].message).toMatch(/^If-None-Match ne /);
    }
    expect(await demo.api.fingerprint()).toBe(before);
    // `*` keeps its meaning: the budget stream exists, so the command is refused as a conflict.
    expect((await send({ 'If-None-Match': '*' }).expect(409)).body.code).toBe('STREAM.WRONG_EXPECTED_REVISION');
    expect(await demo.api.fingerprint()).toBe(before);
  });

  it('rule: the verifiable audit export refuses a misspelt parameter and an id that is not one before sealing anything (`antena=` once gave, and sealed, the whole programme)', async () => {
    // An event the latest seal does not cover: an export made now would seal it first.
    await request(demo.api.http)
      .post('/api/antennas/montbeliard/expenditures')
      .set('Authorization', as('finance'))
      .send({ expenditureId: 'avant-export', category: 'other', amountCents: 100, description: 'Avant l’export', effectiveDate: '2023-01-10' })
      .expect(201);
    const sealsBefore = await seals();
    const before = await demo.api.fingerprint();
    const misspelt = await request(demo.api.http).get('/api/audit-export?antena=montbeliard').set('Authorization', as('auditor')).expect(400);
    expect(misspelt.body.errors).toEqual([{ field: 'antena', rule: 'whitelistValidation', message: 'le paramètre antena n’est pas attendu par l’export vérifiable' }]);
    expect(fieldsOf(await request(demo.api.http).get('/api/audit-export?antenna=../x').set('Authorization', as('auditor')).expect(400))).toEqual(['antenna:isSlug']);
    expect(fieldsOf(await request(demo.api.http).get('/api/audit-export?antenna=montbeliard&antenna=montbeliard').set('Authorization', as('auditor')).expect(400))).toEqual([
      'antenna:uniqueKey',
    ]);
    expect(await demo.api.fingerprint()).toBe(before);
    expect(await seals()).toBe(sealsBefore);
    // An antenna never opened: 404, its title about the antenna, not about the address.
    const unknown = await request(demo.api.http).get('/api/audit-export?antenna=nulle-part').set('Authorization', as('auditor')).expect(404);
    expect(unknown.body).toMatchObject({ code: 'INTEGRITY.SUBJECT_NOT_FOUND', title: expect.stringMatching(/^Aucune antenne n’a été ouverte sous cet identifiant/) });
  });

  it('rule: a parameter only one report reads is refused by the others, naming the report that reads it (it was echoed back as if applied)', async () => {
    const cases: [string, string, string][] = [
      ['funding?agreement=bdt-amorcage-montbeliard', 'agreement:statementOnly', 'agreement ne s’applique qu’à l’état récapitulatif des dépenses (rapport etat-depenses)'],
      ['budget?periodFrom=2023-01-01', 'periodFrom:statementOnly', 'periodFrom ne s’applique qu’à l’état récapitulatif des dépenses (rapport etat-depenses)'],
      ['budget?withinDays=5', 'withinDays:echeancierOnly', 'withinDays ne s’applique qu’à l’échéancier des tranches (rapport echeancier)'],
      ['phases?receiptDelayDays=1', 'receiptDelayDays:fundingOnly', 'receiptDelayDays ne s’applique qu’au suivi des financements (rapport funding)'],
    ];
    for (const [query, field, message] of cases) {
      const refused = await get(`/api/reports/${query}`).expect(400);
      expect(fieldsOf(refused)).toEqual([field]);
      expect(refused.body.errors[0].message).toBe(message);
    }
    // Each to the report that reads it.
    await get('/api/reports/funding?receiptDelayDays=1').expect(200);
    await get('/api/reports/echeancier?withinDays=5').expect(200);
  });

  it('rule: an antenna given to the key figures, which are the programme\'s alone, is refused (it was echoed in the heading over the whole programme\'s figures)', async () => {
    const refused = await get('/api/reports/kpis?antenna=montbeliard').expect(400);
    expect(fieldsOf(refused)).toEqual(['antenna:notForKpis']);
    expect(refused.body.errors[0].message).toBe('antenna ne s’applique pas aux indicateurs (rapport kpis), qui portent sur tout le programme');
    // The programme's key figures, and every other report of one antenna, as before.
    await get('/api/reports/kpis').expect(200);
    await get('/api/reports/budget?antenna=montbeliard').expect(200);
  });

  it('rule: a parameter given twice is refused as given twice, on every route that reads a query (once « page doit être un nombre entier » for page=1&page=1)', async () => {
    expect(fieldsOf(await get('/api/reports/history?page=1&page=1').expect(400))).toEqual(['page:uniqueKey']);
    expect(fieldsOf(await get('/api/reports/budget?format=json&format=csv').expect(400))).toEqual(['format:uniqueKey']);
    expect(fieldsOf(await get('/api/imports/templates/budget?format=csv&format=xlsx').expect(400))).toEqual(['format:uniqueKey']);
    expect(fieldsOf(await get('/api/streams/antenna-montbeliard/events?maxCount=1&maxCount=2').expect(400))).toEqual(['maxCount:uniqueKey']);
    expect(fieldsOf(await get('/api/streams/antenna-montbeliard/events?max=1').expect(400))).toEqual(['max:whitelistValidation']);
    expect(fieldsOf(await get('/api/imports/templates/budget?fromat=csv').expect(400))).toEqual(['fromat:whitelistValidation']);
  });

  it('rule: an action on a user takes everything from its address: a body with fields, or not an object, is refused and nothing changes', async () => {
    const created = await request(demo.api.http).post('/api/users').set('Authorization', as('admin')).send({ name: 'Corps Ignoré', role: 'auditor' }).expect(201);
    const userId = created.body.user.id as string;
    const before = await demo.api.fingerprint();
    const withField = await request(demo.api.http).post(`/api/users/${userId}/deactivation`).set('Authorization', as('admin')).send({ active: true }).expect(400);
    expect(withField.body.errors).toEqual([{ field: 'active', rule: 'whitelistValidation', message: 'le champ active n’est pas attendu' }]);
    expect(fieldsOf(await request(demo.api.http).post(`/api/users/${userId}/token-rotation`).set('Authorization', as('admin')).send([1, 2]).expect(400))).toEqual([':isObject']);
    expect(await demo.api.fingerprint()).toBe(before);
    // No body, or an empty object: the action runs.
    await request(demo.api.http).post(`/api/users/${userId}/deactivation`).set('Authorization', as('admin')).expect(200);
    await request(demo.api.http).post(`/api/users/${userId}/reactivation`).set('Authorization', as('admin')).send({}).expect(200);
  });

  it('rule: the user routes refuse a query parameter they do not read, as every command does (`POST /api/users?dryRun=true` created the user, `?dryRun=true` rotated the token)', async () => {
    const created = await request(demo.api.http).post('/api/users').set('Authorization', as('admin')).send({ name: 'Requête Ignorée', role: 'auditor' }).expect(201);
    const userId = created.body.user.id as string;
    const before = await demo.api.fingerprint();
    const byCommand = (field: string) => [{ field, rule: 'whitelistValidation', message: `le paramètre ${field} n’est pas attendu par les commandes` }];
    const creation = await request(demo.api.http).post('/api/users?dryRun=true').set('Authorization', as('admin')).send({ name: 'Essai À Blanc', role: 'auditor' }).expect(400);
    expect(creation.body).toMatchObject({ code: 'INPUT.INVALID', errors: byCommand('dryRun') });
    for (const [action, query, field] of [
      ['token-revocation', 'dryRun=true', 'dryRun'],
      ['deactivation', 'x=1', 'x'],
      ['reactivation', 'x=1', 'x'],
      ['token-rotation', 'dryRun=true', 'dryRun'],
    ]) {
      const refused = await request(demo.api.http).post(`/api/users/${userId}/${action}?${query}`).set('Authorization', as('admin')).expect(400);
      expect([action, refused.body.errors]).toEqual([action, byCommand(field)]);
    }
    expect(await demo.api.fingerprint()).toBe(before);
    // The token was neither revoked nor replaced; the user still works.
    await request(demo.api.http).get('/api/users/me').set('Authorization', `Bearer ${created.body.token}`).expect(200);
    // The lists read no query either.
    expect((await get('/api/users?x=1').expect(400)).body.errors).toEqual([{ field: 'x', rule: 'whitelistValidation', message: 'le paramètre x n’est pas attendu par la liste des utilisateurs' }]);
    expect((await get('/api/users/me?x=1').expect(400)).body.errors).toEqual([{ field: 'x', rule: 'whitelistValidation', message: 'le paramètre x n’est pas attendu par l’utilisateur du jeton' }]);
    expect(fieldsOf(await get('/api/users?x=1&x=2').expect(400))).toEqual(['x:whitelistValidation']);
  });

  it('rule: names in another script give users ids of their own (every such name once got `utilisateur`, and the second was refused as taken)', async () => {
    const first = await request(demo.api.http).post('/api/users').set('Authorization', as('admin')).send({ name: '中文', role: 'auditor' }).expect(201);
    const second = await request(demo.api.http).post('/api/users').set('Authorization', as('admin')).send({ name: '日本語', role: 'auditor' }).expect(201);
    expect(first.body.user.id).toMatch(/^utilisateur-[0-9a-f]{8}$/);
    expect(second.body.user.id).not.toBe(first.body.user.id);
    // The same name again is still the same user.
    await request(demo.api.http).post('/api/users').set('Authorization', as('admin')).send({ name: '中文', role: 'auditor' }).expect(409);
  });

  it('rule: a body that is not UTF-8 is refused 415, not stored with « � » in place of what was sent (JSON, and a form’s %-escapes)', async () => {
    const before = await demo.api.fingerprint();
    for (const bytes of [Buffer.from([0x61, 0xff, 0xfe, 0x62]), Buffer.from([0xed, 0xa0, 0x80])]) {
      const body = Buffer.concat([
        Buffer.from('{"expenditureId":"octets-1","category":"other","amountCents":100,"description":"'),
        bytes,
        Buffer.from('","effectiveDate":"2023-01-10"}'),
      ]);
      const refused = await request(demo.api.http)
        .post('/api/antennas/montbeliard/expenditures')
        .set('Authorization', as('finance'))
        .set('Content-Type', 'application/json')
        // The bytes as they are (superagent would write a Buffer as JSON).
        .serialize((raw: Buffer) => raw as unknown as string)
        .send(body)
        .expect(415);
      expect(refused.body).toMatchObject({ code: 'INPUT.UNSUPPORTED_MEDIA_TYPE', detail: expect.stringMatching(/^Le corps de la requête n’est pas du texte UTF-8 valide/) });
    }
    expect(await demo.api.fingerprint()).toBe(before);
  });

  it('rule: a number written with more digits than a number keeps is refused naming its field, not rounded (1234.99999999999999 cents was stored as 1235)', async () => {
    const before = await demo.api.fingerprint();
    const body = '{"expenditureId":"arrondi-1","category":"other","amountCents":1234.99999999999999,"description":"x","effectiveDate":"2023-01-10"}';
    const refused = await request(demo.api.http).post('/api/antennas/montbeliard/expenditures').set('Authorization', as('finance')).set('Content-Type', 'application/json').send(body).expect(400);
    expect(refused.body.errors).toEqual([
      {
        field: 'amountCents',
        rule: 'isExactNumber',
        message: 'amountCents est écrit avec plus de 15 chiffres significatifs (1234.99999999999999) : il serait arrondi (à 1235) ; écrivez-le avec 15 chiffres au plus',
      },
    ]);
    expect(await demo.api.fingerprint()).toBe(before);
    // Trailing zeros are no digits of precision: 1234.000000000000000 is the whole number it says.
    await request(demo.api.http)
      .post('/api/antennas/montbeliard/expenditures')
      .set('Authorization', as('finance'))
      .set('Content-Type', 'application/json')
      .send('{"expenditureId":"arrondi-2","category":"other","amountCents":1234.000000000000000,"description":"x","effectiveDate":"2023-01-10"}')
      .expect(201);
  });

  it('rule: an import route names what it takes when refusing a body (it said « envoyez application/json », which it refuses)', async () => {
    for (const type of ['text/plain', 'application/json']) {
      const refused = await request(demo.api.http).post('/api/antennas/montbeliard/imports/budget').set('Authorization', as('finance')).set('Content-Type', type).send('{}').expect(415);
      expect(refused.body.detail).toMatch(/envoyez text\/csv \(UTF-8\) ou application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet/);
      expect(refused.body.title).not.toMatch(/JSON/);
    }
  });

  it('rule: an unknown field of any length is refused naming it in at most 100 characters (a 900,000-character key gave a 2.7 MB answer)', async () => {
    const key = 'k'.repeat(900_000);
    const refused = await request(demo.api.http)
      .post('/api/antennas/montbeliard/expenditures')
      .set('Authorization', as('finance'))
      .set('Content-Type', 'application/json')
      .send(`{"${key}":1}`)
      .expect(400);
    expect(refused.text.length).toBeLessThan(10_000);
    expect(refused.body.errors).toContainEqual({ field: `${'k'.repeat(100)}…`, rule: 'whitelistValidation', message: `le champ ${'k'.repeat(100)}… n’est pas attendu` });
  });
});
