import type { HistoryReportData, ReportOf } from '@jalon/queries';
import request from 'supertest';
import { DashboardUnderTest, Role, signInOverHttp, startDashboard } from '../../../test/browser/dashboard-under-test';
import { readJournalQuery } from './journal.controller';
import { journalView } from './views/journal.view';

/**
 * The dashboard's « Journal d’audit » (the programme-wide audit trail with its filters, pages and
 * exports) and the antenna page's « Connu au », over HTTP on the demo history.
 */
describe('web dashboard: audit journal and « Connu au »', () => {
  let dashboard: DashboardUnderTest;
  const agents = new Map<Role, request.Agent>();
  let head: string;

  async function as(role: Role): Promise<request.Agent> {
    const known = agents.get(role);
    if (known) return known;
    const agent = await signInOverHttp(dashboard.app, dashboard.tokens[role]);
    agents.set(role, agent);
    return agent;
  }
  const rows = (markup: string) => (/<tbody>([\s\S]*?)<\/tbody>/.exec(markup.slice(markup.indexOf('id="journal-table"')))?.[1] ?? '').split('<tr>').slice(1);

  beforeAll(async () => {
    dashboard = await startDashboard();
    head = (await dashboard.store.headPosition()).toString();
  }, 60_000);
  afterAll(async () => {
    await dashboard.close();
  });

  it('rule: every role finds the journal in the navigation; it lists every fact, the most recent first, with labelled filters in a GET form', async () => {
    for (const role of ['programme-manager', 'finance', 'auditor'] as const) {
      const agent = await as(role);
      expect((await agent.get('/programme').expect(200)).text).toContain('<a href="/journal">Journal d’audit</a>');
    }
    const page = await (await as('auditor')).get(`/journal?apres=${head}`).expect(200);
    expect(page.text).toContain('<a href="/journal" aria-current="page">Journal d’audit</a>');
    expect(page.text).toMatch(/<form class="filtres" method="get" action="\/journal">\s*<fieldset>\s*<legend>Filtrer le journal<\/legend>/);
    for (const [name, label] of [
      ['du', 'Date d’effet à partir du'],
      ['au', 'Date d’effet jusqu’au'],
      ['antenne', 'Antenne'],
      ['par', 'Enregistré par'],
      ['evenement', 'Type de fait'],
    ]) {
      expect(page.text).toContain(`<label for="champ-${name}">${label}</label>`);
      expect(page.text).toContain(`id="champ-${name}" name="${name}"`);
    }
    expect(page.text).toContain('<option value="montbeliard">Cnam Montbéliard — Au cœur des territoires</option>');
    expect(page.text).toContain('<option value="demo-service-financier">Service financier (démo) (Finances)</option>');
    // The demo's 42 facts of the programme fit in one page of 50 (its 43 events but the installation's registry claim, which the trail leaves out).
    expect(page.text).toContain('42 faits — page 1 sur 1.');
    const all = rows(page.text);
    expect(all).toHaveLength(42);
    expect(all[0]).toContain('Équipement pédagogique du site des Portes du Jura');
    expect(all[41]).toContain('Programme « Au cœur des territoires » lancé par Cnam');
    // Names, French dates: no id, no ISO date in what the table shows.
    expect(all.join('')).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(all.join('')).not.toMatch(/bdt-amorcage-montbeliard|tranche-3|demo-service-financier|phase-2-portes-du-jura/);
  });

  it('rule: the filters combine; the exports carry the same filters and hold every matching fact', async () => {
    const agent = await as('finance');
    const page = await agent.get('/journal?du=01%2F01%2F2022&evenement=BudgetTrancheReleased&par=demo-service-financier').expect(200);
    expect(page.text).toContain('3 faits correspondant à ces filtres — page 1 sur 1.');
    expect(rows(page.text).map((row) => /<th scope="row">([^<]+)<\/th>/.exec(row)![1])).toEqual(['04/09/2023', '03/07/2023', '05/07/2022']);
    // The form shows the filters it applied.
    expect(page.text).toMatch(/id="champ-du" name="du"[^>]*value="01\/01\/2022"/);
    expect(page.text).toContain('<option value="BudgetTrancheReleased" selected>Tranche versée</option>');
    const csvHref = /href="(\/journal\/export\.csv[^"]*)"/.exec(page.text)![1]!.replace(/&amp;/g, '&');
    expect(csvHref).toBe('/journal/export.csv?du=01%2F01%2F2022&par=demo-service-financier&evenement=BudgetTrancheReleased');
    const csv = await agent.get(csvHref).buffer(true).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text.match(/Tranche « \S+ tranche » versée par Banque des Territoires/g)).toHaveLength(3);
    expect(csv.text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    const xlsx = await agent.get(csvHref.replace('export.csv', 'export.xlsx')).expect(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
  });

  it('rule: an export refuses a filter its page leaves out and explains (400, nothing exported), never the whole journal under a filtered link', async () => {
    const agent = await as('auditor');
    const cases: [string, string][] = [
      ['du=31%2F02%2F2022', '« Date d’effet à partir du » : Saisissez une date valide'],
      ['du=01%2F01%2F2023&au=01%2F01%2F2022', '« Date d’effet jusqu’au » : Cette date précède la date de début'],
      ['antenne=atlantis', '« Antenne » : Aucune antenne ne porte cet identifiant'],
      ['evenement=UserRegistered', '« Type de fait » : Choisissez un type de fait dans la liste.'],
    ];
    for (const [query, message] of cases) {
      for (const format of ['csv', 'xlsx']) {
        const refused = await agent.get(`/journal/export.${format}?${query}`).expect(400);
        expect(refused.headers['content-type']).toMatch(/^text\/html/);
        expect(refused.text).toContain(message);
        expect(refused.text).toContain('Rien n’a été exporté');
      }
    }
    await agent.get('/journal/export.csv?antenne=montbeliard').expect(200);
  });

  it('rule: a filter that is not valid is explained beside its field; the page still shows', async () => {
    const page = await (await as('auditor')).get('/journal?du=31%2F02%2F2022&antenne=atlantis&evenement=UserRegistered').expect(200);
    expect(page.text).toContain('<p class="message-erreur" id="erreur-du">');
    expect(page.text).toMatch(/id="champ-du" name="du" aria-describedby="aide-du erreur-du" aria-invalid="true" value="31\/02\/2022"/);
    expect(page.text).toContain('id="erreur-antenne">Aucune antenne ne porte cet identifiant');
    expect(page.text).toContain('id="erreur-evenement">Choisissez un type de fait dans la liste.');
    expect(page.text).toContain('42 faits — page 1 sur 1.');
    const reversed = await (await as('auditor')).get('/journal?du=01%2F01%2F2023&au=01%2F01%2F2022').expect(200);
    expect(reversed.text).toContain('id="erreur-au">Cette date précède la date de début');
  });

  it('rule: a « Du » or « Au » outside the calendar’s bounds is explained beside its field, naming them (01/01/1900, 31/12/2100); the page still shows', async () => {
    const page = await (await as('auditor')).get(`/journal?du=${encodeURIComponent('31/12/1899')}&au=${encodeURIComponent('01/01/2101')}`).expect(200);
    expect(page.text).toContain('<p class="message-erreur" id="erreur-du">Saisissez une date valide (JJ/MM/AAAA), du 01/01/1900 au 31/12/2100.</p>');
    expect(page.text).toContain('<p class="message-erreur" id="erreur-au">Saisissez une date valide (JJ/MM/AAAA), du 01/01/1900 au 31/12/2100.</p>');
    expect(page.text).toMatch(/id="champ-du" name="du" aria-describedby="aide-du erreur-du" aria-invalid="true" value="31\/12\/1899"/);
    expect(page.text).toContain('42 faits — page 1 sur 1.');
  });

  it('rule: an « au » date before « du » stays in its field, beside the message about it', async () => {
    const page = await (await as('auditor')).get('/journal?du=31%2F12%2F2022&au=01%2F01%2F2022').expect(200);
    expect(page.text).toContain('<p class="message-erreur" id="erreur-au">Cette date précède la date de début');
    expect(page.text).toMatch(/id="champ-au" name="au" aria-describedby="aide-au erreur-au" aria-invalid="true" value="01\/01\/2022"/);
  });

  it('rule: a page past the last one (a link kept after the filters narrowed) shows the last page and says so, never « page 99 sur 1 »', async () => {
    const page = await (await as('auditor')).get('/journal?page=99').expect(200);
    expect(page.text).not.toMatch(/page 99 sur/i);
    expect(page.text).toMatch(/<p role="status" id="journal-resume">La page 99 n’existe pas : voici la dernière\. \d+ faits — page 1 sur 1\.<\/p>/);
    expect(rows(page.text).length).toBeGreaterThan(0);
    expect(page.text).not.toContain('Aucun fait.');
  });

  it('rule: pages link to the previous and next page with the same filters', () => {
    const report = (page: number): ReportOf<'history'> => ({
      kind: 'history',
      title: 'Journal d’audit du programme',
      parameters: { referenceDate: '2024-03-15' },
      tables: [{ title: 'Historique', columns: [], rows: [] }],
      data: { antennaId: null, candidacyId: null, filters: {}, total: 120, page, pageSize: 50, pageCount: 3, entries: [], choices: { antennas: [], actors: [] } } satisfies HistoryReportData,
    });
    const query = readJournalQuery({ evenement: 'TrancheReceived', page: '2' });
    const middle = journalView({ query, report: report(2), timeZone: 'Europe/Paris' }).toString();
    expect(middle).toContain('<nav class="pagination" aria-label="Pages du journal">');
    expect(middle).toContain('href="/journal?evenement=TrancheReceived" rel="prev"');
    expect(middle).toContain('href="/journal?evenement=TrancheReceived&amp;page=3" rel="next"');
    expect(middle).toContain('<span aria-current="page">Page 2 sur 3</span>');
    const last = journalView({ query: { ...query, page: 3 }, report: report(3), timeZone: 'Europe/Paris' }).toString();
    expect(last).not.toContain('rel="next"');
  });

  it('rule: the antenna page has « Connu au » beside « État au »; known at an instant, it leaves out what was recorded later', async () => {
    const agent = await as('finance');
    const today = await agent.get('/antennes/montbeliard').expect(200);
    expect(today.text).toMatch(/<fieldset>\s*<legend>Revoir la page dans le passé<\/legend>/);
    expect(today.text).toContain('<label for="champ-asOf">État au</label>');
    expect(today.text).toContain('<label for="champ-knownAt">Connu au</label>');
    expect(today.text).toContain('href="/journal?antenne=montbeliard"');
    const reversal = 'Versement du 03/07/2023 annulé';
    expect(today.text).toContain(reversal);
    // The reversal took effect on 10/07/2023 and was recorded on 11/07/2023 at 09:00 UTC (11:00 in Paris).
    const before = await agent.get('/antennes/montbeliard?knownAt=11%2F07%2F2023+10%3A59').expect(200);
    expect(before.text).toContain('telle que Jalon la connaissait le <strong>11/07/2023 10:59</strong>');
    expect(before.text).not.toContain(reversal);
    expect(before.text).toMatch(/id="champ-knownAt" name="knownAt" value="11\/07\/2023 10:59"/);
    // Looking at the past, no form is offered.
    expect(before.text).not.toContain('Enregistrer une dépense');
    const after = await agent.get('/antennes/montbeliard?knownAt=11%2F07%2F2023+11%3A00').expect(200);
    expect(after.text).toContain(reversal);
    // An instant to the second (an ISO one) is said to the second, and kept as such in its field:
    // shown « 10:59 », it read as the end of that minute, which holds other facts.
    const second = await agent.get('/antennes/montbeliard?knownAt=2023-07-11T08%3A59%3A02Z').expect(200);
    expect(second.text).toContain('telle que Jalon la connaissait le <strong>11/07/2023 10:59:02</strong>');
    expect(second.text).toMatch(/id="champ-knownAt" name="knownAt" value="2023-07-11T08:59:02.000Z"/);
    const wrong = await agent.get('/antennes/montbeliard?knownAt=demain').expect(200);
    expect(wrong.text).toContain('id="erreur-knownAt"');
    // The history names who recorded a fact by name and role, never by id.
    expect(today.text.slice(today.text.indexOf('id="historique-table"'))).not.toContain('demo-service-financier');
  });
});
