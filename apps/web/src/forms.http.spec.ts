import request from 'supertest';
import { DashboardUnderTest, Role, startDashboard } from '../../../test/browser/dashboard-under-test';
import { csrfOf } from '../../../test/support/forms';

/**
 * The generated forms over HTTP, on the demo history: identifiers proposed from names without
 * colliding, choices only among what the command can act on, forms that cannot serve saying why,
 * lists that grow and shrink without script, and a form for every command a role may run.
 */
describe('dashboard forms over HTTP', () => {
  let dashboard: DashboardUnderTest;

  beforeAll(async () => {
    dashboard = await startDashboard();
  }, 30_000);
  afterAll(async () => {
    await dashboard.close();
  });

  const revisionsOf = (markup: string) => /name="_revisions" value="([^"]*)"/.exec(markup)?.[1] ?? '';
  const valueOf = (markup: string, name: string) => new RegExp(`name="${name.replace(/\./g, '\\.')}" value="([^"]*)"`).exec(markup)?.[1];

  const as = (role: Role) => dashboard.signedIn(role);

  it('rule: each role is offered exactly the forms its commands allow (the API’s role rules) and the antenna accepts now, the others said unavailable with their reason; an auditor none', async () => {
    const caughtUp = async (role: Role, path: string) => {
      const response = await dashboard.readWhenCaughtUp(role, path);
      expect(response.status).toBe(200);
      return response;
    };
    const links = async (role: Role, path: string) =>
      [...((await caughtUp(role, path)).text.match(/<nav aria-label="Saisir un fait"[\s\S]*?<\/nav>/)?.[0] ?? '').matchAll(/href="([^"]+)"/g)].map((match) => match[1]);
    const manager = await links('programme-manager', '/antennes/montbeliard');
    expect(manager).toEqual(expect.arrayContaining(['/antennes/montbeliard/replanifier-phase', '/antennes/montbeliard/declarer-apprenants', '/antennes/montbeliard/fermer', '/antennes/montbeliard/reviser-budget']));
    expect(manager).not.toContain('/antennes/montbeliard/engager-financement');
    // A form the role may use but the antenna would refuse now is not offered: the menu says why.
    expect(manager).not.toContain('/antennes/montbeliard/etablir-budget');
    expect((await caughtUp('programme-manager', '/antennes/montbeliard')).text).toContain('<p class="aide" id="indisponible-etablir-budget">Le budget prévisionnel est déjà établi : révisez-le pour le modifier.</p>');
    const finance = await links('finance', '/antennes/montbeliard');
    expect(finance).toEqual(expect.arrayContaining(['/antennes/montbeliard/reviser-budget', '/antennes/montbeliard/engager-financement', '/antennes/montbeliard/clore-financement']));
    expect(finance).not.toContain('/antennes/montbeliard/suspendre');
    expect(await links('programme-manager', '/programme')).toEqual(expect.arrayContaining(['/programme/ouvrir-appel', '/programme/clore-appel', '/programme/ecarter-candidature']));
    expect(await links('finance', '/programme')).toEqual([]);
    expect(await links('auditor', '/antennes/montbeliard')).toEqual([]);
    await (await as('finance')).get('/programme/ouvrir-appel').expect(403);
  });

  it('rule: an identifier left empty is proposed from the name, never one already taken (suffix -2), and shown to be changed', async () => {
    const agent = await as('programme-manager');
    const form = await agent.get('/antennes/montbeliard/planifier-phase').expect(200);
    const head = await dashboard.store.headPosition();
    // An existing phase is `phase-1-aioa`; the end date is left out so that the form comes back.
    const back = await agent
      .post('/antennes/montbeliard/planifier-phase')
      .type('form')
      .send({ _csrf: csrfOf(form.text), _revisions: revisionsOf(form.text), phaseId: '', name: 'Phase 1 AIOA', plannedStart: '01/09/2024', plannedEnd: '', effectiveDate: '14/03/2024' })
      .expect(400);
    expect(valueOf(back.text, 'phaseId')).toBe('phase-1-aioa-2');
    expect(back.text).toContain('<a href="#champ-plannedEnd">Fin prévue : Ce champ est obligatoire.</a>');
    expect(await dashboard.store.headPosition()).toBe(head);
  });

  it('rule: « Ajouter une ligne » and « Retirer » redraw the form on the server with what was typed, writing nothing', async () => {
    const agent = await as('finance');
    const form = await agent.get('/antennes/montbeliard/engager-financement').expect(200);
    const head = await dashboard.store.headPosition();
    const typed = { _csrf: csrfOf(form.text), funder: 'Région', 'tranches.0.label': 'Première', 'tranches.0.amountCents': '10 000' };
    const added = await agent.post('/antennes/montbeliard/engager-financement').type('form').send({ ...typed, _action: 'ajouter:tranches' }).expect(200);
    expect(valueOf(added.text, 'tranches.0.label')).toBe('Première');
    expect(added.text).toContain('name="tranches.1.label"');
    expect(valueOf(added.text, 'funder')).toBe('Région');
    const removed = await agent
      .post('/antennes/montbeliard/engager-financement')
      .type('form')
      .send({ ...typed, 'tranches.1.label': 'Deuxième', _action: 'retirer:tranches.0' })
      .expect(200);
    expect(valueOf(removed.text, 'tranches.0.label')).toBe('Deuxième');
    expect(removed.text).not.toContain('name="tranches.1.label"');
    expect(await dashboard.store.headPosition()).toBe(head);
  });

  it('rule: an agreement’s public data starting as a spreadsheet formula (=, +, -, @) is refused next to its field, from the command’s own declaration, and nothing is written', async () => {
    const agent = await as('finance');
    const form = await agent.get('/antennes/montbeliard/donnees-publiques').expect(200);
    const agreementId = /name="agreementId"[\s\S]*?<option value="([^"]+)"/.exec(form.text)?.[1];
    const head = await dashboard.store.headPosition();
    const back = await agent
      .post('/antennes/montbeliard/donnees-publiques')
      .type('form')
      .send({
        _csrf: csrfOf(form.text),
        _revisions: revisionsOf(form.text),
        agreementId,
        'publicData.funderSiret': '99900000100019',
        'publicData.decisionReference': '=HYPERLINK("https://exemple.fr";"Décision")',
        'publicData.beneficiaryName': 'Cnam',
        'publicData.beneficiarySiret': '99900000200017',
        'publicData.object': 'Amorçage de l’antenne',
        'publicData.nature': 'aide en numéraire',
        effectiveDate: '14/03/2024',
      })
      .expect(400);
    const rule = 'Ne doit pas commencer par =, +, - ou @ (ni par une tabulation) : ce texte est publié tel quel en données ouvertes (format SCDL), où un tableur le lirait comme une formule';
    expect(back.text).toContain(`<p class="message-erreur" id="erreur-champ-publicData-decisionReference"><span class="sr">Erreur : </span>${rule}</p>`);
    expect(back.text).toMatch(/id="champ-publicData-decisionReference"[^>]*aria-describedby="[^"]*erreur-champ-publicData-decisionReference"[^>]*aria-invalid="true"/);
    expect(back.text).not.toContain('id="erreur-champ-publicData-beneficiaryName"');
    expect(await dashboard.store.headPosition()).toBe(head);
  });

  /** Every input and select value of the page's command form, as the browser would send it. */
  const fieldsOf = (markup: string): Record<string, string> => {
    const form = /<form method="post" action="\/antennes[^"]*"[^>]*>([\s\S]*?)<\/form>/.exec(markup)![1]!;
    const out: Record<string, string> = {};
    for (const match of form.matchAll(/<input([^>]*)>/g)) {
      const name = /name="([^"]*)"/.exec(match[1]!)?.[1];
      if (name && !match[1]!.includes('type="checkbox"')) out[name] = /value="([^"]*)"/.exec(match[1]!)?.[1] ?? '';
    }
    for (const match of form.matchAll(/<select[^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/select>/g)) out[match[1]!] = /<option value="([^"]*)" selected/.exec(match[2]!)?.[1] ?? '';
    return out;
  };

  it('rule: a budget line repeating another’s year and category (BUDGET.DUPLICATE_LINE, the decider’s lines[N]) is marked beside that line, and the summary names it', async () => {
    const agent = await as('finance');
    await dashboard.readWhenCaughtUp('finance', '/antennes/montbeliard');
    const form = await agent.get('/antennes/montbeliard/reviser-budget').expect(200);
    const fields = fieldsOf(form.text);
    const count = Object.keys(fields).filter((name) => /^lines\.\d+\.year$/.test(name)).length;
    expect(Object.entries(fields)).toContainEqual([expect.stringMatching(/^lines\.\d+\.category$/), 'premises']);
    const head = await dashboard.store.headPosition();
    const back = await agent
      .post('/antennes/montbeliard/reviser-budget')
      .type('form')
      .send({ ...fields, [`lines.${count}.year`]: '2023', [`lines.${count}.category`]: 'premises', [`lines.${count}.amountCents`]: '1,00', reason: 'Doublon', effectiveDate: '14/03/2024' })
      .expect(422);
    expect(back.text).toContain('BUDGET.DUPLICATE_LINE');
    const id = `champ-lines-${count}-year`;
    expect(back.text).toMatch(new RegExp(`id="${id}"[^>]*aria-describedby="[^"]*erreur-${id}"[^>]*aria-invalid="true"`));
    expect(back.text).toContain(`<a href="#${id}">Ligne ${count + 1}, année : Le prévisionnel contient deux lignes pour la même catégorie et la même année.</a>`);
    expect(await dashboard.store.headPosition()).toBe(head);
  });

  it('rule: a tranche due before the commitment (the decider’s tranches[N].dueOn) is marked beside that tranche’s due date', async () => {
    const agent = await as('finance');
    const form = await agent.get('/antennes/montbeliard/engager-financement').expect(200);
    const back = await agent
      .post('/antennes/montbeliard/engager-financement')
      .type('form')
      .send({
        _csrf: csrfOf(form.text),
        _revisions: revisionsOf(form.text),
        agreementId: 'region-test',
        funder: 'Région Bourgogne-Franche-Comté',
        label: 'Aide régionale',
        amountCents: '20 000,00',
        effectiveDate: '01/03/2024',
        'tranches.0.trancheId': 't1',
        'tranches.0.label': 'Tranche 1',
        'tranches.0.amountCents': '10 000,00',
        'tranches.0.dueOn': '01/06/2024',
        // Row 1 left empty is dropped: the command's tranches[1] is the form's row 2.
        'tranches.2.trancheId': 't2',
        'tranches.2.label': 'Tranche 2',
        'tranches.2.amountCents': '10 000,00',
        'tranches.2.dueOn': '01/01/2024',
      })
      .expect(422);
    expect(back.text).toContain('FUNDING.TRANCHE_DUE_BEFORE_COMMITMENT');
    expect(back.text).toMatch(/id="champ-tranches-2-dueOn"[^>]*aria-describedby="[^"]*erreur-champ-tranches-2-dueOn"[^>]*aria-invalid="true"/);
    expect(back.text).not.toContain('id="erreur-champ-tranches-0-dueOn"');
  });

  it('rule: a form says why it cannot serve: an antenna inaugurated already or not suspended, nothing to choose (no button)', async () => {
    const agent = await as('programme-manager');
    const inaugurate = await agent.get('/antennes/montbeliard/inaugurer').expect(200);
    expect(inaugurate.text).toContain('L’antenne a déjà été inaugurée le 22/06/2022');
    expect(inaugurate.text).not.toContain('action="/antennes/montbeliard/inaugurer"');
    const resume = await agent.get('/antennes/montbeliard/reprendre').expect(200);
    expect(resume.text).toContain('L’antenne est en activité : il n’y a rien à reprendre.');

    const open = await agent.get('/programme/ouvrir-antenne').expect(200);
    expect(open.text).toContain('Aucune candidature retenue n’attend l’ouverture de son antenne.');
    expect(open.text).not.toMatch(/<button type="submit"[^>]*>Ouvrir l’antenne<\/button>/);
  });
});

describe('dashboard forms of a closed antenna over HTTP', () => {
  let dashboard: DashboardUnderTest;

  beforeAll(async () => {
    dashboard = await startDashboard();
    await request(dashboard.app.getHttpServer())
      .post('/api/antennas/montbeliard/closure')
      .set('Authorization', `Bearer ${dashboard.tokens['programme-manager']}`)
      .send({ reason: 'Regroupement avec le centre de Besançon', effectiveDate: '2024-03-14' })
      .expect(201);
  }, 30_000);
  afterAll(async () => {
    await dashboard.close();
  });

  it('rule: a closed antenna keeps two forms, its agreements’ public data (docs/decisions/0035) and their closing (0054); every other says why it cannot serve', async () => {
    const closedPage = (response: request.Response) => response.text.includes('Regroupement avec le centre de Besançon');
    expect((await dashboard.readWhenCaughtUp('finance', '/antennes/montbeliard', closedPage)).status).toBe(200);
    const agent = await dashboard.signedIn('finance');
    const publicData = await agent.get('/antennes/montbeliard/donnees-publiques').expect(200);
    expect(publicData.text).toContain('action="/antennes/montbeliard/donnees-publiques"');
    expect(publicData.text).not.toContain('id="indisponible"');
    const closing = await agent.get('/antennes/montbeliard/clore-financement').expect(200);
    expect(closing.text).toContain('action="/antennes/montbeliard/clore-financement"');
    expect(closing.text).not.toContain('id="indisponible"');
    const release = await agent.get('/antennes/montbeliard/verser-tranche').expect(200);
    expect(release.text).toContain('L’antenne a été fermée le 14/03/2024 : elle n’accepte plus que les données publiques de ses accords de financement, et leur clôture.');
    expect(release.text).not.toContain('action="/antennes/montbeliard/verser-tranche"');
  });
});
