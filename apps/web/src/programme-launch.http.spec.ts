import { DashboardUnderTest, startDashboard } from '../../../test/browser/dashboard-under-test';
import { csrfOf, readableMarkup } from '../../../test/support/forms';

/**
 * One programme per installation (docs/decisions/0061), as the dashboard offers it: the form
 * « Lancer un programme » until a programme is launched; after, what the page offers in its place
 * is which programme the installation follows and since when, since any other launch can only be
 * refused. The API's launch (and its idempotent repeat) is not the dashboard's concern here.
 */

const MENU = /<nav aria-label="Saisir un fait"[\s\S]*?<\/nav>/;
const FOLLOWED =
  'Cette installation de Jalon suit déjà le programme « Au cœur des territoires » (au-coeur-des-territoires), lancé le 15/01/2019 : une installation suit un seul programme, un autre ne peut pas y être lancé.';


describe('launching the programme from the dashboard, on an installation where nothing is recorded yet', () => {
  let dashboard: DashboardUnderTest;

  beforeAll(async () => {
    dashboard = await startDashboard({ history: [] });
  }, 30_000);
  afterAll(async () => {
    await dashboard.close();
  });

  it('rule: « Lancer un programme » is offered until a programme is launched; then the programme page names the programme followed and its launch date where the form was (decision 0061)', async () => {
    const agent = await dashboard.signedIn('programme-manager');
    const before = (await agent.get('/programme').expect(200)).text;
    expect(before.match(MENU)?.[0]).toContain('href="/programme/lancer-programme"');
    expect(before).not.toContain('id="indisponible-lancer-programme"');

    const form = await agent.get('/programme/lancer-programme').expect(200);
    expect(form.text).toContain('<form method="post" action="/programme/lancer-programme"');
    const launched = await agent
      .post('/programme/lancer-programme')
      .type('form')
      .send({
        _csrf: csrfOf(form.text),
        programmeId: 'au-coeur-des-territoires',
        name: 'Au cœur des territoires',
        operator: 'Cnam',
        'targets.antennaCount': '100',
        'targets.targetDate': '31/12/2022',
        effectiveDate: '15/01/2019',
      })
      .expect(303);

    // The redirect waits for the read models to include the launch.
    const after = (await agent.get(launched.headers.location!.replace(/#.*$/, '')).expect(200)).text;
    const menu = after.match(MENU)?.[0] ?? '';
    expect(menu).not.toContain('href="/programme/lancer-programme"');
    expect(readableMarkup(menu)).toContain(`<p class="aide" id="indisponible-lancer-programme">${FOLLOWED}</p>`);
    // The other forms of the programme stay offered.
    expect(menu).toContain('href="/programme/ouvrir-appel"');
  });
});

describe('the launch form once a programme is launched (the demo history)', () => {
  let dashboard: DashboardUnderTest;

  beforeAll(async () => {
    dashboard = await startDashboard();
  }, 30_000);
  afterAll(async () => {
    await dashboard.close();
  });

  it('rule: asked directly, the launch form answers the page saying which programme the installation follows (200, no form); another launch sent anyway is refused beside its field, as before (decision 0061)', async () => {
    const caughtUp = await dashboard.readWhenCaughtUp('programme-manager', '/programme/lancer-programme', (response) => response.text.includes('id="indisponible"'));
    expect(caughtUp.status).toBe(200);
    const page = readableMarkup(caughtUp.text);
    expect(page).toContain('<h1>Lancer un programme</h1>');
    expect(page).toContain(`<div class="alerte attention" role="status" id="indisponible"><h2>Ce formulaire ne peut pas servir maintenant</h2><p>${FOLLOWED}</p></div>`);
    expect(page).not.toContain('action="/programme/lancer-programme"');
    expect(page).toContain('<a href="/programme">Revenir au programme</a>');

    // A form kept open in another tab is still judged by the command: refused, explained beside « Identifiant du programme ».
    const agent = await dashboard.signedIn('programme-manager');
    const programmePage = (await agent.get('/programme').expect(200)).text;
    const head = await dashboard.store.headPosition();
    const refused = await agent
      .post('/programme/lancer-programme')
      .type('form')
      .send({
        _csrf: csrfOf(programmePage),
        programmeId: 'un-autre-programme',
        name: 'Un autre programme',
        operator: 'Cnam',
        'targets.antennaCount': '10',
        'targets.targetDate': '31/12/2030',
        effectiveDate: '01/03/2024',
      })
      .expect(409);
    expect(readableMarkup(refused.text)).toContain(
      '<p class="message-erreur" id="erreur-champ-programmeId"><span class="sr">Erreur : </span>Cette installation de Jalon suit déjà le programme « Au cœur des territoires » (au-coeur-des-territoires) : une installation suit un seul programme, un autre ne peut pas y être lancé.</p>',
    );
    expect(await dashboard.store.headPosition()).toBe(head);
  });

  it('rule: once a programme is launched, the programme page no longer offers « Lancer un programme » and names the programme followed and its launch date instead (decision 0061)', async () => {
    const page = await dashboard.readWhenCaughtUp('programme-manager', '/programme', (response) => response.text.includes('id="indisponible-lancer-programme"'));
    expect(page.status).toBe(200);
    const menu = readableMarkup(page.text.match(MENU)?.[0] ?? '');
    expect(menu).not.toContain('href="/programme/lancer-programme"');
    expect(menu).toContain(`<p class="aide" id="indisponible-lancer-programme">${FOLLOWED}</p>`);
    // An auditor, who may launch nothing, is told nothing about it: no menu at all.
    expect((await dashboard.readWhenCaughtUp('auditor', '/programme')).text).not.toMatch(MENU);
  });
});
