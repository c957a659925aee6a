import { ERROR_MESSAGES } from '@jalon/application';
import { schemaVersionOf } from '@jalon/domain';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ApiUnderTest, TEST_NOW } from './api-under-test';
import { useDemoApi } from './sqlite-store-under-test';

/**
 * Facts dated before what they act on, which an audit of the domain rules found the command path
 * letting through, and the reports at a past date they left wrong (« every effective date is
 * consistent with what it depends on: not before the thing it acts on existed or happened, not
 * before the earlier fact it follows »). On the demo history: Montbéliard's June 2023 headcount,
 * 120, reported on 03/07/2023.
 */
describe('HTTP API: facts dated before what they act on', () => {
  const demo = useDemoApi('back-dated-facts');
  const as = (role: keyof ApiUnderTest['tokens']) => `Bearer ${demo.api.tokens[role]}`;
  const post = (path: string, body: object, role: keyof ApiUnderTest['tokens'] = 'programme-manager') =>
    request(demo.api.http).post(path).set('Authorization', as(role)).send(body);
  const report = async (query: string) => {
    const head = (await demo.api.store.headPosition()).toString();
    return (await request(demo.api.http).get(`${query}&waitForPosition=${head}`).set('Authorization', as('auditor')).expect(200)).body;
  };
  const juneAsOf = async (asOf: string) =>
    ((await report(`/api/reports/kpis?asOf=${asOf}`)).data.totals.learnersByPeriod as { period: string; learners: number }[]).find((row) => row.period === '2023-06');

  it('rule: a learner correction is not dated before the report it corrects (422 LEARNERS.CORRECTED_BEFORE_REPORT, in French), and nothing is written', async () => {
    const before = await demo.api.fingerprint();
    const refused = await post('/api/antennas/montbeliard/learner-reports', { period: '2023-06', learners: 100, reason: 'Erreur de comptage', effectiveDate: '2023-06-30' }).expect(422);
    expect(refused.body).toMatchObject({
      code: 'LEARNERS.CORRECTED_BEFORE_REPORT',
      title: ERROR_MESSAGES['LEARNERS.CORRECTED_BEFORE_REPORT'],
      details: { field: 'effectiveDate', reportedOn: '2023-07-03' },
    });
    expect(await demo.api.fingerprint()).toBe(before);
    // Once passed, the key figures as of 30/06/2023 showed −20 learners for June 2023.
    expect(await juneAsOf('2023-06-30')).toBeUndefined();
  });

  it('rule: a history recorded before that rule (a correction dated before its report) never shows a negative month at a past date: the correction is the month’s headcount', async () => {
    await demo.api.store.append(
      'antenna-montbeliard',
      [
        {
          id: randomUUID(),
          type: 'LearnersReported',
          version: schemaVersionOf('LearnersReported'),
          data: { antennaId: 'montbeliard', period: '2023-06', learners: 100, previousLearners: 120, reason: 'Erreur de comptage', effectiveDate: '2023-06-30' },
          metadata: { actor: 'claire-martin', role: 'programme-manager', correlationId: randomUUID(), causationId: randomUUID(), recordedAt: TEST_NOW.toISOString() },
        },
      ],
      { expectedRevision: 'any' },
    );
    // As of 30/06/2023 the correction stands without the report of 03/07: 100, not 100 − 120 = −20.
    expect(await juneAsOf('2023-06-30')).toEqual({ period: '2023-06', learners: 100 });
    // Once both are in effect, and today, the correction recorded last: 100.
    expect(await juneAsOf('2023-07-31')).toEqual({ period: '2023-06', learners: 100 });
    const today = await report('/api/reports/kpis?format=json');
    expect(today.data.totals.learners).toBe(100);
  });

  it('rule: a phase does not start before it was planned (422 PHASE.STARTED_BEFORE_PLANNING), nor reach a milestone before its start; started on its planning day, the phase and its milestone are in the report at a past date', async () => {
    await post('/api/antennas/montbeliard/phases', { phaseId: 'phase-audit', name: 'Phase d’audit', site: 'Site', plannedStart: '2023-09-01', plannedEnd: '2023-12-31', effectiveDate: '2023-10-01' }).expect(201);
    const before = await demo.api.fingerprint();
    const refused = await post('/api/antennas/montbeliard/phases/phase-audit/start', { effectiveDate: '2023-09-12' }).expect(422);
    expect(refused.body).toMatchObject({
      code: 'PHASE.STARTED_BEFORE_PLANNING',
      title: ERROR_MESSAGES['PHASE.STARTED_BEFORE_PLANNING'],
      details: { field: 'effectiveDate', plannedOn: '2023-10-01' },
    });
    expect(await demo.api.fingerprint()).toBe(before);

    await post('/api/antennas/montbeliard/phases/phase-audit/start', { effectiveDate: '2023-10-01' }).expect(201);
    await post('/api/antennas/montbeliard/phases/phase-audit/milestones', { milestoneId: 'jalon-audit', name: 'Jalon d’audit', effectiveDate: '2023-09-20' }).expect(422);
    await post('/api/antennas/montbeliard/phases/phase-audit/milestones', { milestoneId: 'jalon-audit', name: 'Jalon d’audit', effectiveDate: '2023-10-20' }).expect(201);
    // Once passed, the phase started on 12/09 and its milestone were missing from the report as of 30/09/2023.
    const phases = await report('/api/reports/phases?antenna=montbeliard&asOf=2023-10-31');
    expect(JSON.stringify(phases.tables)).toContain('Phase d’audit');
    expect(JSON.stringify(phases.tables)).toContain('Jalon d’audit');
  });
});
