import { MONTBELIARD_HISTORY, PROGRAMME_MANAGER } from '../../cli/src/demo/montbeliard-history';
import { DashboardUnderTest, startDashboard } from '../../../test/browser/dashboard-under-test';
import { readableMarkup } from '../../../test/support/forms';

/**
 * A closed antenna's agreements take no release any more (decision 0054), and are closed on their
 * own. One left open keeps its unreleased tranches due in the échéancier for ever: the antenna page
 * says so beside the agreement, and offers its closing (found by a black-box audit: nothing warned).
 */
const LEFT_OPEN = 'L’antenne est fermée depuis le 31/01/2024, mais cette convention est encore ouverte';

describe('an antenna closed while one of its funding agreements is still open', () => {
  let dashboard: DashboardUnderTest;

  beforeAll(async () => {
    dashboard = await startDashboard({
      history: [
        ...MONTBELIARD_HISTORY,
        { command: 'CloseAntenna', actor: PROGRAMME_MANAGER, input: { antennaId: 'montbeliard', reason: 'Fin du programme sur le territoire', effectiveDate: '2024-01-31' } },
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await dashboard.close();
  });

  it('rule: the antenna page says, beside each agreement left open, that its unreleased tranches stay due although nothing can be released, and offers its closing to whoever may close it', async () => {
    const finance = readableMarkup((await (await dashboard.signedIn('finance')).get('/antennes/montbeliard').expect(200)).text);
    expect(finance).toContain(LEFT_OPEN);
    expect(finance).toContain('href="/antennes/montbeliard/clore-financement?accord=bdt-amorcage-montbeliard"');
    // An auditor reads the same warning, without the form.
    const auditor = readableMarkup((await (await dashboard.signedIn('auditor')).get('/antennes/montbeliard').expect(200)).text);
    expect(auditor).toContain(LEFT_OPEN);
    expect(auditor).not.toContain('clore-financement');
    // Before the closing, nothing to say.
    const before = readableMarkup((await (await dashboard.signedIn('finance')).get('/antennes/montbeliard?asOf=30%2F01%2F2024').expect(200)).text);
    expect(before).toContain("telle qu’elle était le <strong>30/01/2024</strong>");
    expect(before).not.toContain("mais cette convention est encore ouverte");
  });
});
