import { FINANCE_OFFICER, MONTBELIARD_HISTORY } from '../../cli/src/demo/montbeliard-history';
import { DashboardUnderTest, startDashboard } from '../../../test/browser/dashboard-under-test';
import { csrfOf, readableMarkup } from '../../../test/support/forms';

/**
 * The documents page says the fact each document proves as every output says it (the audit
 * trail's one wording: agreement labels, tranche names, expenditure descriptions), never by raw
 * ids, and its form offers tranches and expenditures by those names. Besides the demo's agreement
 * (labelled tranches), a regional agreement whose tranches have no label (« Tranche n° N »), and an
 * expenditure of 1 234,56 € on 22/06/2023.
 */
const fin = (command: string, input: Record<string, unknown>) => ({ command, actor: FINANCE_OFFICER, input });
const REGION = 'region-bfc';

describe('dashboard supporting documents, named', () => {
  let dashboard: DashboardUnderTest;
  const bytes = (text: string) => Buffer.from(`${text}\n`, 'utf8');

  beforeAll(async () => {
    dashboard = await startDashboard({
      history: [
        ...MONTBELIARD_HISTORY,
        fin('CommitFunding', {
          antennaId: 'montbeliard',
          agreementId: REGION,
          funder: 'Région Bourgogne-Franche-Comté',
          label: 'Aide régionale au démarrage',
          amountCents: 300_000,
          tranches: [
            { trancheId: 'avance', amountCents: 200_000, dueOn: '2023-06-01' },
            { trancheId: 'solde', amountCents: 100_000, dueOn: '2024-06-30' },
          ],
          effectiveDate: '2023-05-10',
        }),
        fin('ReleaseTranche', { antennaId: 'montbeliard', agreementId: REGION, trancheId: 'avance', effectiveDate: '2023-06-01' }),
        fin('RecordExpenditure', {
          antennaId: 'montbeliard',
          expenditureId: 'mobilier-2023',
          category: 'equipment',
          amountCents: 123_456,
          description: 'Mobilier de la salle de formation',
          effectiveDate: '2023-06-22',
        }),
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await dashboard.close();
  });

  const page = async () => readableMarkup((await (await dashboard.signedIn('finance')).get('/antennes/montbeliard/justificatifs').expect(200)).text);

  /** Posts the page's form as a browser without script sends it. */
  async function attach(fields: Record<string, string>, file: Buffer, name: string, status: number) {
    const agent = await dashboard.signedIn('finance');
    const markup = (await agent.get('/antennes/montbeliard/justificatifs').expect(200)).text;
    let post = agent.post('/antennes/montbeliard/justificatifs').field('_csrf', csrfOf(markup));
    for (const [field, value] of Object.entries(fields)) post = post.field(field, value);
    return post.attach('file', file, name).expect(status);
  }

  it('rule: the form offers each tranche named « agreement label — tranche name » (« Tranche n° N » without a label) and each expenditure by its description, date and amount, never by a raw id', async () => {
    const markup = await page();
    expect(markup).toContain('<select id="tranche" name="subject.trancheId" aria-describedby="aide-tranche">');
    expect(markup).not.toContain('<input type="text" id="tranche"');
    expect(markup).toContain('<option value="avance">Aide régionale au démarrage — Tranche n° 1</option>');
    expect(markup).toContain('<option value="solde">Aide régionale au démarrage — Tranche n° 2</option>');
    expect(markup).toContain('<option value="tranche-2">Enveloppe d’amorçage pour l’installation de l’antenne — Deuxième tranche</option>');
    expect(markup).toContain(`<option value="${REGION}">Aide régionale au démarrage — Région Bourgogne-Franche-Comté</option>`);
    // French formats, from the formatter: 22/06/2023, 1 234,56 € (narrow no-break space, no-break space before €).
    expect(markup).toContain('<option value="mobilier-2023">Mobilier de la salle de formation du 22/06/2023 : 1\u202f234,56\u00a0€</option>');
    expect(markup).not.toMatch(/<option value="([^"]+)">\1<\/option>/);
  });

  it('rule: the release and receipt forms name each tranche as the documents page does, « agreement label — tranche name » (two agreements of one funder stay apart), never « funder — tranche »', async () => {
    const finance = await dashboard.signedIn('finance');
    const release = readableMarkup((await finance.get('/antennes/montbeliard/verser-tranche').expect(200)).text);
    expect(release).toMatch(new RegExp(`<option value="${REGION}/solde"( selected)?>Aide régionale au démarrage — Tranche n° 2 : 1\u202f000,00\u00a0€, échéance 30/06/2024</option>`));
    const receipt = readableMarkup((await finance.get('/antennes/montbeliard/recevoir-tranche').expect(200)).text);
    expect(receipt).toMatch(new RegExp(`<option value="${REGION}/avance"( selected)?>Aide régionale au démarrage — Tranche n° 1 : 2\u202f000,00\u00a0€ versés le 01/06/2023</option>`));
    expect(release + receipt).not.toContain('Région Bourgogne-Franche-Comté — Tranche');
  });

  it('rule: a refused upload offers the tranche chosen again, in its agreement (no script needed), and the message beside the list', async () => {
    const refused = await attach({ 'subject.kind': 'tranche-release', 'subject.agreementId': REGION, 'subject.trancheId': 'avance', effectiveDate: '31/02/2023' }, bytes('Avis de versement'), 'avis.txt', 400);
    const markup = readableMarkup(refused.text);
    expect(markup).toContain('<option value="avance" selected>Aide régionale au démarrage — Tranche n° 1</option>');
    expect(markup).toContain(`<option value="${REGION}" selected>`);
    const empty = readableMarkup((await attach({ 'subject.kind': 'tranche-release', 'subject.agreementId': REGION, 'subject.trancheId': '' }, bytes('Avis sans tranche'), 'avis.txt', 400)).text);
    expect(empty).toContain('<select id="tranche" name="subject.trancheId" aria-describedby="aide-tranche erreur-tranche" aria-invalid="true">');
    expect(empty).toContain('<p class="message-erreur" id="erreur-tranche"><span class="sr">Erreur : </span>Choisissez une tranche dans la liste.</p>');
  });

  it('rule: a document attached from the form is listed with the fact it proves named as the audit trail names it: agreement label, « Tranche n° 1 » or the tranche’s label, the expenditure’s description', async () => {
    await attach({ 'subject.kind': 'tranche-release', 'subject.agreementId': REGION, 'subject.trancheId': 'avance', effectiveDate: '02/06/2023' }, bytes('Avis de versement de l’avance régionale'), 'avis-avance.txt', 303);
    await attach(
      { 'subject.kind': 'tranche-receipt', 'subject.agreementId': 'bdt-amorcage-montbeliard', 'subject.trancheId': 'tranche-2', effectiveDate: '20/07/2022' },
      bytes('Relevé de la deuxième tranche'),
      'releve-tranche-2.txt',
      303,
    );
    const last = await attach({ 'subject.kind': 'expenditure', 'subject.expenditureId': 'mobilier-2023', effectiveDate: '23/06/2023' }, bytes('Facture du mobilier'), 'facture-mobilier.txt', 303);
    // The page after the last attachment waits for the read models to include it (read your writes).
    const listed = readableMarkup((await (await dashboard.signedIn('finance')).get(last.headers.location!.replace(/#.*$/, '')).expect(200)).text);
    expect(listed).toContain('Justificatifs de l’antenne : 3 pièces');
    expect(listed).toContain('<th scope="row">Versement de la tranche n° 1 du financement « Aide régionale au démarrage » (Région Bourgogne-Franche-Comté)</th>');
    expect(listed).toContain(
      '<th scope="row">Réception de la tranche « Deuxième tranche » du financement « Enveloppe d’amorçage pour l’installation de l’antenne » (Banque des Territoires)</th>',
    );
    expect(listed).toContain('<th scope="row">Dépense « Mobilier de la salle de formation »</th>');
    expect(listed).not.toMatch(/Dépense mobilier-2023|\(accord |de avance|de tranche-2/);
  });
});
