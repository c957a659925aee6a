import { ReportService } from '@jalon/application';
import { EcheancierReportData, FundingReportData, KpisReportData } from '@jalon/projections';
import { ANTENNA_ID, FINANCE_OFFICER, HistoryStep, MONTBELIARD_HISTORY, PROGRAMME_MANAGER } from '../../apps/cli/src/demo/montbeliard-history';
import { RecordedReports, recordedReports } from '../support/demo-history';

/**
 * The audit's scenario (decision 0066, amended), on the demo's antenna (its seed envelope wholly
 * released): a region commits 30 000,00 € on 01/12/2023 in two tranches (20 000,00 € due
 * 15/02/2024, released 15/01/2024; 10 000,00 € due 01/04/2024), then the antenna is closed on
 * 31/01/2024 with that agreement still open: its 10 000,00 € can no longer be released. Recorded
 * through the real command path, read through the report service (live, and at a cut).
 */
const relais = { antennaId: ANTENNA_ID, agreementId: 'relais-montbeliard' };
const SCENARIO: HistoryStep[] = [
  {
    command: 'CommitFunding',
    actor: FINANCE_OFFICER,
    input: {
      ...relais,
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
  { command: 'ReleaseTranche', actor: FINANCE_OFFICER, input: { ...relais, trancheId: 'relais-1', effectiveDate: '2024-01-15' } },
  { command: 'CloseAntenna', actor: PROGRAMME_MANAGER, input: { antennaId: ANTENNA_ID, reason: 'Fin du programme sur le territoire', effectiveDate: '2024-01-31' } },
];

// Today, for the reports: long after the closing, so that relais-2 (due 01/04/2024) would be « 1 000 jours » late.
const clock = { now: () => new Date('2026-12-01T10:00:00Z') };

describe('an open agreement on a closed antenna across the reports (échéancier, funding, key figures)', () => {
  let recorded: RecordedReports;
  let reports: ReportService;

  beforeAll(async () => {
    recorded = await recordedReports([...MONTBELIARD_HISTORY, ...SCENARIO], clock, 'jalon-closed-antenna-');
    reports = recorded.reports;
  }, 60_000);
  afterAll(() => recorded?.close());

  async function figures(cut: { asOf?: string }) {
    const funding = (await reports.build({ kind: 'funding', ...cut })).data as FundingReportData;
    const kpis = (await reports.build({ kind: 'kpis', ...cut })).data as KpisReportData;
    const echeancier = (await reports.build({ kind: 'echeancier', withinDays: 3650, ...cut })).data as EcheancierReportData;
    return {
      blocked: { echeancier: echeancier.totals.blockedCents, funding: funding.totals.blockedCents, kpis: kpis.totals.fundingBlockedCents },
      stillToCome: { echeancier: echeancier.totals.overdueCents + echeancier.totals.dueSoonCents, funding: funding.totals.remainingCommitmentCents, kpis: kpis.totals.fundingRemainingCents },
      relais: funding.agreements.find((agreement) => agreement.agreementId === relais.agreementId)!,
      flags: funding.discrepancies.filter((d) => d.agreementId === relais.agreementId).map((d) => d.kind),
    };
  }

  it('rule: once the antenna is closed, its open agreement’s unreleased 10 000,00 € are blocked, the same in the échéancier, the funding report and the key figures, and none of the reports counts them « reste à verser »', async () => {
    const today = await figures({});
    expect(today.blocked).toEqual({ echeancier: 1_000_000, funding: 1_000_000, kpis: 1_000_000 });
    expect(today.stillToCome).toEqual({ echeancier: 0, funding: 0, kpis: 0 });
    expect(today.relais.tranches.map((tranche) => [tranche.trancheId, tranche.state])).toEqual([
      ['relais-1', 'released'],
      ['relais-2', 'blocked'],
    ]);
    // No growing lateness: the tranche is blocked, not overdue; one flag says why.
    expect(today.flags).not.toContain('release-overdue');
    expect(today.flags).toContain('antenna-closed-agreement-open');
  });

  it('rule: at a cut before the closing (as of 30/01/2024) the antenna is open: the 10 000,00 € are still to come in every report alike, nothing blocked', async () => {
    const before = await figures({ asOf: '2024-01-30' });
    expect(before.blocked).toEqual({ echeancier: 0, funding: 0, kpis: 0 });
    expect(before.stillToCome).toEqual({ echeancier: 1_000_000, funding: 1_000_000, kpis: 1_000_000 });
    expect(before.relais.tranches.map((tranche) => tranche.state)).toEqual(['released', 'planned']);
    expect(before.flags).not.toContain('antenna-closed-agreement-open');
  });
});
