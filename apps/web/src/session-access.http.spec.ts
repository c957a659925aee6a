import { IdentityService, SYSTEM_ACTOR } from '@jalon/application';
import request from 'supertest';
import { DashboardUnderTest, startDashboard } from '../../../test/browser/dashboard-under-test';

/** Dashboard sessions and the user administration that ends them. */
describe('dashboard sessions and user administration', () => {
  let dashboard: DashboardUnderTest;
  beforeAll(async () => {
    dashboard = await startDashboard();
  }, 30_000);
  afterAll(async () => {
    await dashboard.close();
  });

  const http = () => dashboard.app.getHttpServer();
  const csrfOf = (markup: string) => /name="_csrf" value="([^"]+)"/.exec(markup)?.[1] ?? '';
  async function signedIn(token: string): Promise<request.Agent> {
    const agent = request.agent(http());
    const form = await agent.get('/connexion').expect(200);
    await agent.post('/connexion').type('form').send({ _csrf: csrfOf(form.text), jeton: token }).expect(303);
    return agent;
  }

  it('rule: deactivating a user ends their open sessions even if they are reactivated before their next request; a new sign-in works', async () => {
    const { token } = await dashboard.app.get(IdentityService).addUser({ name: 'Paul Durand', role: 'finance' }, SYSTEM_ACTOR);
    const paul = await signedIn(token);
    await paul.get('/financements').expect(200);

    const admin = await signedIn(dashboard.tokens.admin);
    const csrf = csrfOf((await admin.get('/utilisateurs').expect(200)).text);
    await admin.post('/utilisateurs/paul-durand/desactiver').type('form').send({ _csrf: csrf }).expect(303);
    await admin.post('/utilisateurs/paul-durand/reactiver').type('form').send({ _csrf: csrf }).expect(303);

    // The page told the administrator that Paul's sessions had ended: they have.
    const ended = await paul.get('/financements').expect(303);
    expect(ended.headers.location).toBe('/connexion?motif=revoquee&retour=%2Ffinancements');
    // His token works again, for the API and for a new sign-in.
    await request(http()).get('/api/users/me').set('Authorization', `Bearer ${token}`).expect(200);
    const again = await signedIn(token);
    await again.get('/financements').expect(200);
    // Other users' sessions go on.
    await admin.get('/utilisateurs').expect(200);
  });
});
