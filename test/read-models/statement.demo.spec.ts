import ExcelJS from 'exceljs';
import { InMemoryReadModel, isInCut, EventCut, ProjectedEvent, ReadModelView } from '@jalon/projections';
import { renderPdf, renderXlsx, ReportParameterError, ReportSubjectNotFoundError, type Report } from '@jalon/reporting';
import { ANTENNA_ID, SEED_AGREEMENT_ID } from '../../apps/cli/src/demo/montbeliard-history';
import { ReadModels } from '../../libs/projections/src/read-models/budget/report-helpers';
import { agreementLedgerProjection } from '../../libs/projections/src/read-models/funding/agreement-ledger.projection';
import { buildStatementReport, StatementParameters, StatementReportData, StatementSeal } from '../../libs/projections/src/read-models/funding/statement.report';
import { demoEvents } from '../support/demo-history';

/**
 * The statement of expenditure of the demo's seed agreement (issue 14: « état récapitulatif des
 * dépenses »), every figure worked out BY HAND from apps/cli/src/demo/montbeliard-history.ts:
 *   releases: tranche 1 +40 000 (15/09/2021), tranche 2 +30 000 (05/07/2022), tranche 3 +30 000
 *     (03/07/2023), its reversal −30 000 (10/07/2023), tranche 3 again +30 000 (04/09/2023): 100 000 €;
 *   receipts: 40 000 (28/09/2021) + 30 000 (19/07/2022) = 70 000 €;
 *   expenditures charged to it: 18 500 (2021) + 4 500 + 4 500 − 4 500 (the duplicate reversed on
 *     08/07/2022) + 14 200 (2023) = 37 200 €; solde 70 000 − 37 200 = 32 800 €.
 *   Over 2022 only: released 30 000, received 30 000, spent 4 500 + 4 500 − 4 500 = 4 500, solde 25 500 €.
 */

let events: ProjectedEvent[];

beforeAll(async () => {
  events = await demoEvents();
});

function replay(cut: EventCut = {}): ReadModels {
  const ledger = new InMemoryReadModel(agreementLedgerProjection);
  for (const event of events) if (isInCut(event, cut)) ledger.apply(event);
  return {
    view<Doc>(name: string): ReadModelView<Doc> {
      if (name !== agreementLedgerProjection.name) throw new Error(`no read model ${name}`);
      return ledger as unknown as ReadModelView<Doc>;
    },
  };
}

const TODAY = '2026-01-15';
const statement = (parameters: Partial<StatementParameters> = {}): Report =>
  buildStatementReport(replay(), { antennaId: ANTENNA_ID, referenceDate: TODAY, ...parameters });
const dataOf = (report: Report): StatementReportData => report.data as StatementReportData;
const euros = (n: number): number => n * 100;

describe('État récapitulatif des dépenses of the demo seed agreement', () => {
  it('lists every release and reversal, receipt and charged expenditure, and totals them to the cent (whole life)', () => {
    const data = dataOf(statement());
    expect(data.agreementId).toBe(SEED_AGREEMENT_ID);
    expect(data.periodFrom).toBe('2021-06-01');
    expect(data.periodTo).toBe(TODAY);
    expect(data.releases.map((line) => [line.on, line.amountCents])).toEqual([
      ['2021-09-15', euros(40_000)],
      ['2022-07-05', euros(30_000)],
      ['2023-07-03', euros(30_000)],
      ['2023-07-10', euros(-30_000)],
      ['2023-09-04', euros(30_000)],
    ]);
    expect(data.receipts.map((line) => [line.on, line.amountCents])).toEqual([
      ['2021-09-28', euros(40_000)],
      ['2022-07-19', euros(30_000)],
    ]);
    expect(data.expenditures.map((line) => line.amountCents)).toEqual([euros(18_500), euros(4_500), euros(4_500), euros(-4_500), euros(14_200)]);
    expect(data.totals).toEqual({ releasedCents: euros(100_000), receivedCents: euros(70_000), spentCents: euros(37_200), balanceCents: euros(32_800) });
  });

  it('keeps only the facts of the chosen period (2022): reversals count on the day they took effect', () => {
    const data = dataOf(statement({ periodFrom: '2022-01-01', periodTo: '2022-12-31' }));
    expect(data.totals).toEqual({ releasedCents: euros(30_000), receivedCents: euros(30_000), spentCents: euros(4_500), balanceCents: euros(25_500) });
    expect(data.expenditures.find((line) => line.kind === 'expenditure-reversal')?.on).toBe('2022-07-08');
  });

  it('lists only what the seal it is produced under covers, and carries the seal (position and root hash)', () => {
    const secondRelease = events.find((event) => event.type === 'BudgetTrancheReleased' && event.data.effectiveDate === '2023-09-04');
    expect(secondRelease).toBeDefined();
    const seal: StatementSeal = { treeSize: 123, rootHash: 'a'.repeat(64), sealedAt: '2024-01-01T00:00:00.000Z', keyId: 'b'.repeat(64), lastPosition: (secondRelease!.position - 1n).toString() };
    const report = statement({ seal });
    const data = dataOf(report);
    expect(data.releases.map((line) => line.on)).not.toContain('2023-09-04');
    expect(data.totals.releasedCents).toBe(euros(70_000));
    expect(data.seal).toEqual(seal);
    const sealTable = report.tables.find((table) => table.title === 'Scellement du journal');
    expect(sealTable?.rows[0]).toMatchObject({ rootHash: seal.rootHash, lastPosition: seal.lastPosition, treeSize: 123 });
    expect(report.notes?.join(' ')).toContain(`racine ${seal.rootHash}`);
  });

  it('says a statement without a seal is not sealed', () => {
    expect(statement().notes?.join(' ')).toContain('Non scellé');
  });

  it('refuses an unknown agreement, an empty period and a missing antenna with French errors', () => {
    expect(() => statement({ agreementId: 'inconnue' })).toThrow(ReportSubjectNotFoundError);
    expect(() => statement({ periodFrom: '2023-01-01', periodTo: '2022-01-01' })).toThrow(/début \(01\/01\/2023\) est après sa fin \(01\/01\/2022\)/);
    expect(() => buildStatementReport(replay(), { referenceDate: TODAY })).toThrow(ReportParameterError);
  });

  it('as of a past date (replay cut) shows what had happened by then', () => {
    const data = dataOf(buildStatementReport(replay({ asOf: '2022-12-31' }), { antennaId: ANTENNA_ID, referenceDate: '2022-12-31', asOf: '2022-12-31' }));
    expect(data.totals).toEqual({ releasedCents: euros(70_000), receivedCents: euros(70_000), spentCents: euros(23_000), balanceCents: euros(47_000) });
  });

  it('opens as XLSX (every table a sheet, amounts as numbers) and as PDF (landscape A4, with pages)', async () => {
    const report = statement();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await renderXlsx(report)) as never);
    expect(workbook.worksheets.length).toBeGreaterThanOrEqual(report.tables.length);
    const pdf = await renderPdf(report, { generatedAt: '2026-01-15T10:00:00.000Z' });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1')).toMatch(/\/Type \/Page\b/);
    expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 841\.89 595\.28\]/);
  });
});
