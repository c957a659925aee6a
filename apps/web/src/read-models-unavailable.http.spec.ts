import { ProjectionRunner, ProjectionUnavailability } from '@jalon/projections';
import request from 'supertest';
import { DashboardUnderTest, startDashboard } from '../../../test/browser/dashboard-under-test';

/**
 * The dashboard reads only the typed query models (@jalon/queries), which read a live read model
 * only when it can answer: a stopped projection gives the dashboard the same READ_MODEL.UNAVAILABLE
 * outcome as the API (a French 503 page), never stale figures and never a crash.
 */
describe('web dashboard when a read model cannot answer', () => {
  let dashboard: DashboardUnderTest;
  let agent: request.Agent;
  let stopped: Set<string>;

  beforeAll(async () => {
    dashboard = await startDashboard();
    agent = request.agent(dashboard.app.getHttpServer());
    const form = await agent.get('/connexion').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1] ?? '';
    await agent.post('/connexion').type('form').send({ _csrf: csrf, jeton: dashboard.tokens['programme-manager'], retour: '/programme' }).expect(303);
    // The read models first hold the whole demo history, so that only the injected fault can refuse a page.
    const runner = dashboard.app.get(ProjectionRunner);
    expect(await runner.waitForPosition(await dashboard.store.headPosition(), 15_000)).toBe(true);
    // An injected fault: the runner reports the projections named in `stopped` as stopped after failed attempts.
    const real = runner.unavailability.bind(runner);
    jest.spyOn(runner, 'unavailability').mockImplementation((name: string): ProjectionUnavailability | undefined =>
      stopped.has(name)
        ? { kind: 'stopped', id: `${name}@test`, failure: { reason: 'le disque est plein', since: '2024-03-15T09:00:00.000Z', attempts: 3, nextRetryAt: '2024-03-15T10:01:00.000Z' } }
        : real(name),
    );
  }, 30_000);
  afterAll(async () => {
    jest.restoreAllMocks();
    await dashboard.close();
  });
  beforeEach(() => {
    stopped = new Set();
  });

  const expectUnavailablePage = (page: request.Response, projection: string) => {
    expect(page.status).toBe(503);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('Service momentanément indisponible');
    expect(page.text).toContain(`Les données de la projection ${projection} sont momentanément indisponibles : le disque est plein`);
    expect(page.text).toContain('READ_MODEL.UNAVAILABLE');
  };

  it('rule: a stopped projection gives the antenna page a French 503 page naming it, not stale figures; the API answers the same code', async () => {
    stopped.add('budget');
    const page = await agent.get('/antennes/montbeliard');
    expectUnavailablePage(page, 'budget');
    expect(page.text).not.toContain('786 000,00');
    const api = await request(dashboard.app.getHttpServer()).get('/api/reports/budget?antenna=montbeliard').set('Authorization', `Bearer ${dashboard.tokens['programme-manager']}`);
    expect(api.status).toBe(503);
    expect(api.body).toMatchObject({ code: 'READ_MODEL.UNAVAILABLE', details: { projection: 'budget' } });
  });

  it('rule: the lists read outside reports (calls and candidacies) give the same 503 page when their projection is stopped', async () => {
    stopped.add('candidacies');
    expectUnavailablePage(await agent.get('/programme'), 'candidacies');
  });

  it('serves the pages again as soon as the projection answers', async () => {
    await agent.get('/programme').expect(200);
    const antenna = await agent.get('/antennes/montbeliard').expect(200);
    expect(antenna.text).toContain('Cnam Montbéliard');
  });
});
