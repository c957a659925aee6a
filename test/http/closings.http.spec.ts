import request from 'supertest';
import { ApiUnderTest } from './api-under-test';
import { useDemoApi } from './sqlite-store-under-test';

/**
 * What an audit of the domain rules found the command path letting through, on the demo history
 * (Montbéliard: its budget's last fact an expenditure charged to the Banque des Territoires
 * agreement on 29/09/2023, after the antenna's own last fact of 11/09/2023): closings dated before
 * facts of another stream, a laureate withdrawn after its antenna opened, a suspension repeated with
 * other details taken for a repeat, and a closed antenna's agreement that could never be closed.
 */
describe('HTTP API: closings and repeats the domain rules refuse', () => {
  const demo = useDemoApi('closings');
  const post = (path: string, body: object, role: keyof ApiUnderTest['tokens'] = 'admin') =>
    request(demo.api.http).post(path).set('Authorization', `Bearer ${demo.api.tokens[role]}`).send(body);

  it('rule: a laureate whose antenna opened does not withdraw (409 CANDIDACY.ANTENNA_OPENED), and nothing is written', async () => {
    const before = await demo.api.fingerprint();
    const refused = await post('/api/candidacies/ami-2--pays-de-montbeliard/withdrawal', { reason: 'La ville renonce', effectiveDate: '2023-10-01' }).expect(409);
    expect(refused.body).toMatchObject({ code: 'CANDIDACY.ANTENNA_OPENED' });
    expect(await demo.api.fingerprint()).toBe(before);
  });

  it('rule: an antenna does not close before the last fact of its budget, nor an agreement before the last expenditure charged to it (422, nothing written)', async () => {
    const before = await demo.api.fingerprint();
    const antenna = await post('/api/antennas/montbeliard/closure', { reason: 'Regroupement', effectiveDate: '2023-09-20' }).expect(422);
    expect(antenna.body).toMatchObject({ code: 'ANTENNA.CLOSED_BEFORE_LAST_FACT', details: { latestFactOn: '2023-09-29' } });
    const agreement = await post('/api/antennas/montbeliard/funding-agreements/bdt-amorcage-montbeliard/closure', { reason: 'Soldé', effectiveDate: '2023-09-10' }, 'finance').expect(422);
    expect(agreement.body).toMatchObject({ code: 'FUNDING.CLOSED_BEFORE_LAST_FACT', details: { latestFactOn: '2023-09-29' } });
    expect(await demo.api.fingerprint()).toBe(before);
  });

  it('rule: a suspension repeated with another reason is a conflict (409), the same one a repeat (200, nothing written)', async () => {
    await post('/api/antennas/montbeliard/suspension', { reason: 'Travaux', effectiveDate: '2023-10-02' }).expect(201);
    const before = await demo.api.fingerprint();
    expect((await post('/api/antennas/montbeliard/suspension', { reason: 'Travaux', effectiveDate: '2023-10-02' }).expect(200)).body).toMatchObject({ written: false });
    expect((await post('/api/antennas/montbeliard/suspension', { reason: 'Autre motif', effectiveDate: '2023-10-03' }).expect(409)).body).toMatchObject({ code: 'ANTENNA.ALREADY_SUSPENDED' });
    expect(await demo.api.fingerprint()).toBe(before);
    await post('/api/antennas/montbeliard/resumption', { effectiveDate: '2023-10-04' }).expect(201);
  });

  it('rule: a closed antenna’s agreement can still be closed (decision 0054): it would otherwise stay open, its tranches due, for ever', async () => {
    const closedOf = async () => {
      const head = (await demo.api.store.headPosition()).toString();
      const funding = await request(demo.api.http).get(`/api/reports/funding?antenna=montbeliard&waitForPosition=${head}`).set('Authorization', `Bearer ${demo.api.tokens.auditor}`).expect(200);
      return (funding.body.data.agreements as { agreementId: string; closed: unknown }[]).find((agreement) => agreement.agreementId === 'bdt-amorcage-montbeliard')!.closed;
    };
    await post('/api/antennas/montbeliard/closure', { reason: 'Regroupement', effectiveDate: '2023-10-05' }).expect(201);
    expect(await closedOf()).toBeNull();
    // Any other funding command is still refused on the closed antenna.
    expect((await post('/api/antennas/montbeliard/funding-agreements/bdt-amorcage-montbeliard/tranches/tranche-3/receipt', { amountCents: 3_000_000, bankReference: 'VIR-1', effectiveDate: '2023-10-06' }, 'finance').expect(409)).body).toMatchObject({
      code: 'ANTENNA.CLOSED',
    });
    await post('/api/antennas/montbeliard/funding-agreements/bdt-amorcage-montbeliard/closure', { reason: 'Antenne fermée', effectiveDate: '2023-10-06' }, 'finance').expect(201);
    expect(await closedOf()).toEqual({ on: '2023-10-06', reason: 'Antenne fermée' });
  });
});
