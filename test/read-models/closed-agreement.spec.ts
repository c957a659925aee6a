import { ReportService } from '@jalon/application';
import { EcheancierReportData, FundingReportData, KpisReportData } from '@jalon/projections';
import { ANTENNA_ID, FINANCE_OFFICER, HistoryStep, MONTBELIARD_HISTORY } from '../../apps/cli/src/demo/montbeliard-history';
import { RecordedReports, recordedReports } from '../support/demo-history';

/**
 * The audit's scenario, on the demo's antenna (its seed envelope is wholly released): a department
 * commits 50 000,00 € on 01/10/2023 in two tranches (d1 20 000,00 € due 15/01/2024, d2 30 000,00 €
 * due 20/12/2026), releases d1 on 01/02/2024, then the agreement is closed (« Fin anticipée »,
 * 30/06/2024): d2 will never be paid. A region's agreement of 10 000,00 € stays open. Recorded
 * through the real command path, read through the report service (live, and at a cut).
 */
const fin = (command: string, input: Record<string, unknown>): HistoryStep => ({ command, actor: FINANCE_OFFICER, input });
const department = { antennaId: ANTENNA_ID, agreementId: 'departement-doubs' };
const region = { antennaId: ANTENNA_ID, agreementId: 'region-bfc' };
const SCENARIO: HistoryStep[] = [
  fin('CommitFunding', {
    ...department,
    funder: 'Département du Doubs',
    label: 'Soutien départemental',
    amountCents: 5_000_000,
    tranches: [
      { trancheId: 'd1', label: 'Première tranche', amountCents: 2_000_000, dueOn: '2024-01-15' },
      { trancheId: 'd2', label: 'Seconde tranche', amountCents: 3_000_000, dueOn: '2026-12-20' },
    ],
    effectiveDate: '2023-10-01',
  }),
  fin('CommitFunding', {
    ...region,
    funder: 'Région Bourgogne-Franche-Comté',
    label: 'Soutien régional',
    amountCents: 1_000_000,
    tranches: [{ trancheId: 'r1', label: 'Tranche unique', amountCents: 1_000_000, dueOn: '2026-12-31' }],
    effectiveDate: '2023-11-01',
  }),
  fin('ReleaseTranche', { ...department, trancheId: 'd1', effectiveDate: '2024-02-01' }),
  fin('CloseFundingAgreement', { ...department, reason: 'Fin anticipée', effectiveDate: '2024-06-30' }),
];

// Today, for the reports: after every fact, before the due dates of d2 and r1 (20 and 31/12/2026).
const clock = { now: () => new Date('2026-12-01T10:00:00Z') };

describe('a closed agreement across the reports (funding, key figures, échéancier)', () => {
  let recorded: RecordedReports;
  let reports: ReportService;

  beforeAll(async () => {
    recorded = await recordedReports([...MONTBELIARD_HISTORY, ...SCENARIO], clock, 'jalon-closed-agreement-');
    reports = recorded.reports;
  }, 60_000);
  afterAll(() => recorded?.close());

  /** The programme's « reste à verser » as the funding report, the key figures and the échéancier (every tranche of an open agreement not released, within ten years) give it. */
  async function stillToCome(cut: { asOf?: string }) {
    const funding = (await reports.build({ kind: 'funding', ...cut })).data as FundingReportData;
    const kpis = (await reports.build({ kind: 'kpis', ...cut })).data as KpisReportData;
    const echeancier = (await reports.build({ kind: 'echeancier', withinDays: 3650, ...cut })).data as EcheancierReportData;
    return {
      funding: funding.totals.remainingCommitmentCents,
      kpis: kpis.totals.fundingRemainingCents,
      echeancier: echeancier.totals.overdueCents + echeancier.totals.dueSoonCents,
      notReleasedAtClosing: { funding: funding.totals.notReleasedAtClosingCents, kpis: kpis.totals.fundingNotReleasedAtClosingCents },
      department: funding.agreements.find((agreement) => agreement.agreementId === department.agreementId)!,
    };
  }

  it('rule: once an agreement is closed, the programme’s « reste à verser » is the same in the funding report, the key figures and the échéancier: only the open agreements’ unreleased tranches (10 000,00 €)', async () => {
    const figures = await stillToCome({});
    expect({ funding: figures.funding, kpis: figures.kpis, echeancier: figures.echeancier }).toEqual({ funding: 1_000_000, kpis: 1_000_000, echeancier: 1_000_000 });
    // The closed agreement’s 30 000,00 € are shown apart, the same in both reports.
    expect(figures.notReleasedAtClosing).toEqual({ funding: 3_000_000, kpis: 3_000_000 });
    expect(figures.department).toMatchObject({ remainingCommitmentCents: 0, notReleasedAtClosingCents: 3_000_000, toCollectCents: 2_000_000 });
  });

  it('rule: at a cut before the closing (as of 29/06/2024) the agreement is open: its 30 000,00 € are still to come, 40 000,00 € in all, in every report alike', async () => {
    const figures = await stillToCome({ asOf: '2024-06-29' });
    expect({ funding: figures.funding, kpis: figures.kpis, echeancier: figures.echeancier }).toEqual({ funding: 4_000_000, kpis: 4_000_000, echeancier: 4_000_000 });
    expect(figures.notReleasedAtClosing).toEqual({ funding: 0, kpis: 0 });
    expect(figures.department).toMatchObject({ remainingCommitmentCents: 3_000_000, notReleasedAtClosingCents: 0, toCollectCents: 5_000_000, closed: null });
  });
});
