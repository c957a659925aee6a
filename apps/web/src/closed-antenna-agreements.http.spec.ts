import { FINANCE_OFFICER, MONTBELIARD_HISTORY, PROGRAMME_MANAGER } from '../../cli/src/demo/montbeliard-history';
import { fr } from '../../../libs/reporting/src/testing/french-spaces';
import { DashboardUnderTest, startDashboard } from '../../../test/browser/dashboard-under-test';
import { readableMarkup } from '../../../test/support/forms';

/**
 * A closed antenna's agreements take no release any more (decision 0054), and are closed on their
 * own. One left open keeps its unreleased tranches in the échéancier for ever, « bloquées » (not due):
 * the antenna page says so beside the agreement, and offers its closing (found by a black-box audit:
 * nothing warned).
 */
const LEFT_OPEN = 'L’antenne est fermée depuis le 31/01/2024, mais cette convention est encore ouverte';

describe('an antenna closed while one of its funding agreements is still open', () => {
  let dashboard: DashboardUnderTest;

  beforeAll(async () => {
    dashboard = await startDashboard({
      history: [
        ...MONTBELIARD_HISTORY,
        // A second agreement whose two tranches (20 000 € due 15/02/2024, 10 000 € due 01/04/2024) are still to be released when the antenna closes.
        {
          command: 'CommitFunding',
          actor: FINANCE_OFFICER,
          input: {
            antennaId: 'montbeliard',
            agreementId: 'relais-montbeliard',
            funder: 'Région Bourgogne-Franche-Comté',
            label: 'Relais régional',
            amountCents: 3_000_000,
            tranches: [
              { trancheId: 'relais-1', label: 'Relais 1', amountCents: 2_000_000, dueOn: '2024-02-15' },
              { trancheId: 'relais-2', label: 'Relais 2', amountCents: 1_000_000, dueOn: '2024-04-01' },
            ],
            effectiveDate: '2023-12-01',
          },
        },
        { command: 'CloseAntenna', actor: PROGRAMME_MANAGER, input: { antennaId: 'montbeliard', reason: 'Fin du programme sur le territoire', effectiveDate: '2024-01-31' } },
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await dashboard.close();
  });

  /** The antenna page's block of one agreement (from its title to the end of its article). */
  const agreementBlockOf = (page: string, agreementId: string): string => {
    const start = page.indexOf(`id="rapprochement-${agreementId}-titre"`);
    expect(start).toBeGreaterThanOrEqual(0);
    return page.slice(start, page.indexOf('</article>', start));
  };

  it('rule: the antenna page says, beside each agreement left open with a tranche not released, that nothing can be released on it (its unreleased tranches blocked in the échéancier), and offers its closing to whoever may close it', async () => {
    const finance = readableMarkup((await (await dashboard.signedIn('finance')).get('/antennes/montbeliard').expect(200)).text);
    const relais = agreementBlockOf(finance, 'relais-montbeliard');
    expect(relais).toContain(LEFT_OPEN);
    expect(relais).toContain('href="/antennes/montbeliard/clore-financement?accord=relais-montbeliard"');
    // An auditor reads the same warning, without the form.
    const auditor = readableMarkup((await (await dashboard.signedIn('auditor')).get('/antennes/montbeliard').expect(200)).text);
    expect(agreementBlockOf(auditor, 'relais-montbeliard')).toContain(LEFT_OPEN);
    expect(auditor).not.toContain('clore-financement');
    // Before the closing, nothing to say.
    const before = readableMarkup((await (await dashboard.signedIn('finance')).get('/antennes/montbeliard?asOf=30%2F01%2F2024').expect(200)).text);
    expect(before).toContain("telle qu’elle était le <strong>30/01/2024</strong>");
    expect(before).not.toContain("mais cette convention est encore ouverte");
  });

  it('rule: the antenna page shows the phase left started when the antenna closed as « Interrompue (antenne fermée) », from its start to the closing, in its table and its chart, with no « Terminer »; as of the day before the closing it was « En cours »', async () => {
    const manager = await dashboard.signedIn('programme-manager');
    const page = readableMarkup((await manager.get('/antennes/montbeliard').expect(200)).text);
    const table = page.slice(page.indexOf('<table id="table-phases">'), page.indexOf('</table>', page.indexOf('<table id="table-phases">')));
    expect(table).toMatch(/<tr>(?:(?!<\/tr>).)*Nouvelles formations(?:(?!<\/tr>).)*<span class="etiquette interrupted">Interrompue \(antenne fermée\)<\/span>(?:(?!<\/tr>).)*06\/03\/2023 → 31\/01\/2024/s);
    expect(table).not.toContain('En cours');
    expect(table).not.toContain('terminer-phase');
    expect(page).toContain('Interrompue : commencée le 06/03/2023, antenne fermée le 31/01/2024');
    expect(page).not.toContain('En cours depuis');
    const before = readableMarkup((await manager.get('/antennes/montbeliard?asOf=30%2F01%2F2024').expect(200)).text);
    expect(before).toMatch(/<span class="etiquette started">En cours<\/span>(?:(?!<\/tr>).)*depuis le 06\/03\/2023/s);
    expect(before).toContain('En cours depuis le 06/03/2023');
    expect(before).not.toContain('Interrompue');
  });

  it('rule: a closed antenna’s page offers only the forms the antenna still accepts (its agreements’ public data and their closing) and says once why the others are not offered: no button of a form it could only refuse (plan a phase, record or import expenditures, commit funding, cancel an expenditure)', async () => {
    const CLOSED = 'L’antenne a été fermée le 31/01/2024 : elle n’accepte plus que les données publiques de ses accords de financement, et leur clôture.';
    const finance = readableMarkup((await (await dashboard.signedIn('finance')).get('/antennes/montbeliard').expect(200)).text);
    const menu = finance.slice(finance.indexOf('<nav aria-label="Saisir un fait"'), finance.indexOf('</nav>', finance.indexOf('<nav aria-label="Saisir un fait"')));
    expect(menu.split(CLOSED)).toHaveLength(2);
    expect(menu).toContain('href="/antennes/montbeliard/donnees-publiques"');
    expect(menu).toContain('href="/antennes/montbeliard/clore-financement"');
    expect(menu.match(/<li>/g)).toHaveLength(2);
    for (const refused of ['enregistrer-depense', 'engager-financement', 'annuler-depense', 'import', 'etablir-budget', 'reviser-budget']) expect(finance).not.toContain(`href="/antennes/montbeliard/${refused}`);
    const manager = readableMarkup((await (await dashboard.signedIn('programme-manager')).get('/antennes/montbeliard').expect(200)).text);
    expect(manager).toContain(CLOSED);
    for (const refused of ['planifier-phase', 'inaugurer', 'suspendre', 'reprendre', 'fermer', 'ouvrir-formation', 'declarer-apprenants']) expect(manager).not.toContain(`href="/antennes/montbeliard/${refused}`);
    // The forms stay reachable by their address, and say why they cannot serve (form-choices.ts).
    expect((await (await dashboard.signedIn('programme-manager')).get('/antennes/montbeliard/planifier-phase').expect(200)).text).toContain(CLOSED);
  });

  it('rule: the closed-antenna warning is shown only on an open agreement that still has a tranche not released: the seed envelope, wholly released, has nothing blocked and no warning', async () => {
    const finance = readableMarkup((await (await dashboard.signedIn('finance')).get('/antennes/montbeliard').expect(200)).text);
    const seed = agreementBlockOf(finance, 'bdt-amorcage-montbeliard');
    expect(seed).not.toContain('mais cette convention est encore ouverte');
    expect(seed).not.toContain('clore-financement');
    expect(seed).not.toContain('Bloquée : antenne fermée');
  });

  it('rule: the antenna page’s table of tranches and the Financements page say what the échéancier says: « Bloquée : antenne fermée », « Bloqué (antenne fermée) » 30 000,00 €, flagged once « Antenne fermée, convention encore ouverte », never « Échéance dépassée »', async () => {
    const finance = await dashboard.signedIn('finance');
    const relais = agreementBlockOf(readableMarkup((await finance.get('/antennes/montbeliard').expect(200)).text), 'relais-montbeliard');
    expect(relais).toMatch(/<tr>(?:(?!<\/tr>).)*Relais 1(?:(?!<\/tr>).)*Bloquée : antenne fermée/s);
    expect(relais).toMatch(/<tr>(?:(?!<\/tr>).)*Relais 2(?:(?!<\/tr>).)*Bloquée : antenne fermée/s);
    expect(relais).not.toContain('Prévue');
    expect(relais).not.toContain('Échéance dépassée');
    expect(relais).toContain(fr('<dt>Bloqué (antenne fermée)</dt><dd>30 000,00 €</dd>'));
    expect(relais).toContain(fr('<dt>Reste à verser</dt><dd>0,00 €</dd>'));
    const page = readableMarkup((await finance.get('/financements').expect(200)).text);
    expect(page).toContain('Antenne fermée, convention encore ouverte');
    expect(page).toContain(fr('Antenne fermée le 31/01/2024, convention encore ouverte : 30 000,00 € non versés ne pourront plus l’être (2 tranches bloquées).'));
    expect(page).not.toContain('Échéance dépassée');
    expect(page).toContain('Bloqué (antenne fermée)');
  });

  it('rule: the programme’s « Reste à verser » tile leaves out what the closed antenna’s open agreement holds and says it apart, « bloqué (antenne fermée) »; as of the day before the closing it is still to come', async () => {
    const finance = await dashboard.signedIn('finance');
    const today = readableMarkup((await finance.get('/programme').expect(200)).text);
    expect(today).toMatch(new RegExp(fr('<span class="libelle">Reste à verser</span><span class="valeur">0,00 €</span><span class="detail">[^<]*bloqué \\(antenne fermée\\) : 30 000,00 €')));
    const before = readableMarkup((await finance.get('/programme?asOf=30%2F01%2F2024').expect(200)).text);
    expect(before).toMatch(new RegExp(fr('<span class="libelle">Reste à verser</span><span class="valeur">30 000,00 €</span><span class="detail">[^<]*bloqué \\(antenne fermée\\) : 0,00 €')));
  });

  it('rule: the échéancier shows an open agreement’s tranches on a closed antenna as « Bloquée : antenne fermée », with the closing date and their own total, not as due, and offers no release; before the closing they are due as before', async () => {
    const finance = await dashboard.signedIn('finance');
    // 15/03/2024: relais-1 (due 15/02/2024) would be overdue, relais-2 (due 01/04/2024) due soon; the antenna closed on 31/01/2024.
    const today = readableMarkup((await finance.get('/financements/echeancier').expect(200)).text);
    expect(today).toContain(fr('0 tranche en retard (0,00 €), 0 à échoir d’ici le 14/04/2024 (0,00 €), appréciées au 15/03/2024. 2 tranches bloquées, hors de ces totaux (30 000,00 €)'));
    expect(today).toMatch(/<tr>(?:(?!<\/tr>).)*Bloquée : antenne fermée(?:(?!<\/tr>).)*15\/02\/2024(?:(?!<\/tr>).)*Relais 1(?:(?!<\/tr>).)*31\/01\/2024/s);
    expect(today).not.toContain('En retard');
    expect(today).not.toContain('verser-tranche');
    // The export carries the same situation, amount column and closing date.
    const csv = (await finance.get('/financements/echeancier/export.csv').buffer(true).expect(200)).text;
    expect(csv).toContain('Montant bloqué');
    expect(csv).toContain('Bloquée : antenne fermée');
    // Nor does the antenna page's table of tranches (its échéancier): no « Verser » on any line.
    const antenna = (await finance.get('/antennes/montbeliard').expect(200)).text;
    expect(antenna).toContain('Relais 1');
    expect(antenna).not.toContain('verser-tranche?');
    // As of the day before the closing, the antenna was open: the same tranches are due soon.
    const before = readableMarkup((await finance.get('/financements/echeancier?asOf=30%2F01%2F2024&jours=90').expect(200)).text);
    expect(before).toContain(fr('0 tranche en retard (0,00 €), 2 à échoir d’ici le 29/04/2024 (30 000,00 €)'));
    expect(before).not.toContain('Bloquée');
  });
});
