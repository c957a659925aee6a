import { FINANCE_OFFICER, MONTBELIARD_HISTORY } from '../../cli/src/demo/montbeliard-history';
import { DashboardUnderTest, startDashboard } from '../../../test/browser/dashboard-under-test';
import { readableMarkup } from '../../../test/support/forms';

/**
 * A closed agreement has nothing to come (decision 0065): on the antenna page, what it had not
 * released is said under « Non versé à la clôture », and its tranches never released offer no
 * « Verser » (the write side refuses any release on a closed agreement, 0054). Two agreements of
 * the same antenna with the same schedule, one closed after its first tranche, one left open: the
 * open one is what the page shows when nothing is closed.
 */
const schedule = (agreementId: string) => ({
  antennaId: 'montbeliard',
  agreementId,
  funder: 'Région Bourgogne-Franche-Comté',
  label: `Aide régionale ${agreementId}`,
  amountCents: 300_000,
  tranches: [
    { trancheId: 'avance', label: 'Avance', amountCents: 176_544, dueOn: '2024-02-01' },
    { trancheId: 'solde', label: 'Solde', amountCents: 123_456, dueOn: '2024-06-30' },
  ],
  effectiveDate: '2024-01-10',
});
const fin = (command: string, input: Record<string, unknown>) => ({ command, actor: FINANCE_OFFICER, input });

/** 1 234,56 € as the dashboard writes it: a narrow no-break space between thousands, a no-break space before €. */
const NON_VERSE = '<dt>Non versé à la clôture</dt><dd>1\u202f234,56\u00a0€</dd>';

describe('the antenna page of an agreement closed before all its tranches were released', () => {
  let dashboard: DashboardUnderTest;

  beforeAll(async () => {
    dashboard = await startDashboard({
      history: [
        ...MONTBELIARD_HISTORY,
        fin('CommitFunding', schedule('region-close')),
        fin('ReleaseTranche', { antennaId: 'montbeliard', agreementId: 'region-close', trancheId: 'avance', effectiveDate: '2024-02-01' }),
        fin('CloseFundingAgreement', { antennaId: 'montbeliard', agreementId: 'region-close', reason: 'Fin anticipée', effectiveDate: '2024-03-01' }),
        fin('CommitFunding', schedule('region-ouverte')),
        fin('ReleaseTranche', { antennaId: 'montbeliard', agreementId: 'region-ouverte', trancheId: 'avance', effectiveDate: '2024-02-01' }),
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await dashboard.close();
  });

  /** The agreement's block on the antenna page, as the finance service reads it. */
  const agreementBlock = async (agreementId: string, query = '') => {
    const page = readableMarkup((await (await dashboard.signedIn('finance')).get(`/antennes/montbeliard${query}`).expect(200)).text);
    const start = page.indexOf(`<article aria-labelledby="rapprochement-${agreementId}-titre">`);
    expect(start).toBeGreaterThan(-1);
    return page.slice(start, page.indexOf('</article>', start));
  };

  it('rule: a closed agreement’s unreleased 1 234,56 € is « Non versé à la clôture » and nothing « Reste à verser » (decision 0065)', async () => {
    const closed = await agreementBlock('region-close');
    expect(closed).toContain(NON_VERSE);
    expect(closed).toContain('<dt>Reste à verser</dt><dd>0,00\u00a0€</dd>');
    // The same agreement left open has no such line: the 1 234,56 € are still to come.
    const open = await agreementBlock('region-ouverte');
    expect(open).not.toContain('Non versé à la clôture');
    expect(open).toContain('<dt>Reste à verser</dt><dd>1\u202f234,56\u00a0€</dd>');
  });

  it('rule: a closed agreement’s tranche never released offers no « Verser » (decision 0054: nothing can be released on it); the same tranche of an open agreement does', async () => {
    const closed = await agreementBlock('region-close');
    expect(closed).toContain('Non versée (convention clôturée)');
    expect(closed).not.toContain('verser-tranche');
    expect(closed).not.toContain('>Verser<');
    const open = await agreementBlock('region-ouverte');
    expect(open).toContain('href="/antennes/montbeliard/verser-tranche?tranche=region-ouverte%2Fsolde"');
    expect(open).toContain('>Verser<');
  });
});
