import { ReportService } from '@jalon/application';
import { ReportOf } from '@jalon/projections';
import { formatSignedEuros, unknownAntennaMessage, renderPdf, renderTable, renderXlsx, XLSX_HEADER_ROW, XLSX_MONEY_CHANGE_FORMAT, type Report, type ReportTable } from '@jalon/reporting';
import ExcelJS from 'exceljs';
import { ANTENNA_ID, FINANCE_OFFICER, HistoryStep, MONTBELIARD_HISTORY } from '../../apps/cli/src/demo/montbeliard-history';
import { reportTable } from '../../apps/web/src/views/components';
import { financeRows } from '../../apps/web/src/views/finance.view';
import { pdfTextRuns } from '../support/pdf-text';
import { RecordedReports, recordedReports } from '../support/demo-history';

/**
 * The same thing must read the same in every output a controller may set side by side (found by a
 * black-box audit: one figure, two wordings). On the demo's antenna, a department commits
 * 50 000,00 € on 01/10/2023 in two tranches WITHOUT labels (d1 20 000,00 € due 15/01/2024, d2
 * 30 000,00 € due 20/12/2026), releases d1 late on 01/02/2024 and receives it on 15/02/2024.
 * Recorded through the real command path, read through the report service.
 */
const fin = (command: string, input: Record<string, unknown>): HistoryStep => ({ command, actor: FINANCE_OFFICER, input });
const department = { antennaId: ANTENNA_ID, agreementId: 'departement-doubs' };
const SCENARIO: HistoryStep[] = [
  fin('CommitFunding', {
    ...department,
    funder: 'Département du Doubs',
    label: 'Soutien départemental',
    amountCents: 5_000_000,
    tranches: [
      { trancheId: 'd1', amountCents: 2_000_000, dueOn: '2024-01-15' },
      { trancheId: 'd2', amountCents: 3_000_000, dueOn: '2026-12-20' },
    ],
    effectiveDate: '2023-10-01',
  }),
  fin('ReleaseTranche', { ...department, trancheId: 'd1', effectiveDate: '2024-02-01' }),
  fin('RecordTrancheReceipt', { ...department, trancheId: 'd1', amountCents: 2_000_000, bankReference: 'VIR-CD25-2024-0215', effectiveDate: '2024-02-15' }),
];

// Today, for the reports: after every fact, d2 due within the échéancier's 30 days.
const clock = { now: () => new Date('2026-12-01T10:00:00Z') };

/** Every cell of a table's column `key`, as text. */
function column(table: ReportTable | undefined, key: string): string[] {
  return (table?.rows ?? []).map((row) => String(row[key] ?? ''));
}

/** Every kind of space as one plain space: the outputs differ only in which no-break space they use. */
const spaces = (text: string): string => text.replace(/[\u00a0\u202f\s]+/g, ' ');

function tableTitled(report: Report, title: string): ReportTable | undefined {
  return report.tables.find((table) => table.title === title);
}

describe('the same thing reads the same in every output', () => {
  let recorded: RecordedReports;
  let reports: ReportService;

  beforeAll(async () => {
    recorded = await recordedReports([...MONTBELIARD_HISTORY, ...SCENARIO], clock, 'jalon-same-wording-');
    reports = recorded.reports;
  }, 60_000);
  afterAll(() => recorded?.close());

  it('rule: a label-less tranche reads the same in every report: « Tranche n° N » (its rank in the schedule), never its id, in the funding report, the échéancier, the statement, the dashboard’s finance page and the audit trail', async () => {
    const funding = await reports.build({ kind: 'funding', antennaId: ANTENNA_ID });
    const ofDepartment = (table: ReportTable | undefined) =>
      (table?.rows ?? []).filter((row) => row.agreement === 'Soutien départemental').map((row) => String(row.tranche));
    expect(ofDepartment(tableTitled(funding, 'Échéancier et rapprochement des tranches'))).toEqual(['Tranche n° 1', 'Tranche n° 2']);
    expect(ofDepartment(funding.tables.find((table) => table.columns.some((c) => c.key === 'movement')))).toEqual(['Tranche n° 1']);
    // d1 was released after its due date: the flag names it the same way, in the table and in the notes.
    const flagged = ofDepartment(funding.tables.find((table) => table.columns.some((c) => c.key === 'discrepancy')));
    expect(flagged.length).toBeGreaterThan(0);
    expect(new Set(flagged)).toEqual(new Set(['Tranche n° 1']));
    expect((funding.notes ?? []).filter((note) => note.includes('Soutien départemental')).every((note) => note.includes('Tranche n° 1') && !/\bd1\b/.test(note))).toBe(true);

    const echeancier = await reports.build({ kind: 'echeancier' });
    expect(column(echeancier.tables[0], 'tranche')).toContain('Tranche n° 2');

    const statement = await reports.build({ kind: 'etat-depenses', ...department });
    const lines = statement.tables.flatMap((table) => table.rows.map((row) => Object.values(row).join(' ')));
    expect(lines.some((line) => line.includes('Tranche n° 1 — référence bancaire VIR-CD25-2024-0215'))).toBe(true);

    // The dashboard's finance page reads the programme-wide funding report.
    const finance = financeRows((await reports.build({ kind: 'funding' })) as ReportOf<'funding'>, { onlyFlagged: false });
    expect(new Set(finance.discrepancies.rows.filter((row) => row.agreement === 'Soutien départemental').map((row) => row.tranche))).toEqual(new Set(['Tranche n° 1']));

    const history = await reports.build({ kind: 'history', antennaId: ANTENNA_ID });
    const sentences = JSON.stringify(history.tables);
    expect(sentences).toContain('Tranche n° 1');
    for (const output of [funding, echeancier, statement, history]) {
      expect(JSON.stringify(output.tables)).not.toMatch(/"d1"|"d2"|Tranche d[12]\b/);
    }
  });

  it('rule: a forecast revision’s change is a signed amount and reads with its sign in every output (« +… € » for an increase): the budget report’s table, PDF and spreadsheet, and the dashboard', async () => {
    const budget = await reports.build({ kind: 'budget', antennaId: ANTENNA_ID });
    const changeTables = budget.tables.filter((table) => table.columns.some((column) => column.key === 'change'));
    expect(changeTables.length).toBeGreaterThanOrEqual(2);
    // The demo's revision moves money between years and categories (its total is unchanged): an increase and a decrease.
    const byCategory = changeTables.find((table) => table.columns.some((column) => column.key === 'category') && table.columns.some((column) => column.key === 'previous'))!;
    const increase = Number(byCategory.rows.find((row) => Number(row.change) > 0)!.change);
    const decrease = Number(byCategory.rows.find((row) => Number(row.change) < 0)!.change);
    const signed = [spaces(formatSignedEuros(increase)), spaces(formatSignedEuros(decrease))];
    expect(signed[0]!.startsWith('+')).toBe(true);
    expect(signed[1]!.startsWith('\u2212')).toBe(true); // the typographic minus of every negative amount

    const outputs = {
      table: spaces(renderTable(budget)),
      pdf: spaces(pdfTextRuns((await renderPdf(budget)) as Buffer).join(' ')),
      dashboard: spaces(reportTable(byCategory, { timeZone: 'Europe/Paris' }).toString()),
    };
    for (const [output, text] of Object.entries(outputs)) {
      for (const amount of signed) expect({ output, has: text.includes(amount) }).toEqual({ output, has: true });
    }
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await renderXlsx(budget)) as unknown as ExcelJS.Buffer);
    const formats = new Set<string>();
    workbook.eachSheet((sheet) => {
      const header = sheet.getRow(XLSX_HEADER_ROW);
      sheet.eachRow((row, number) => {
        if (number <= XLSX_HEADER_ROW) return;
        row.eachCell((cell, column) => {
          if (header.getCell(column).value === 'Variation' && cell.value !== null) formats.add(cell.numFmt);
        });
      });
    });
    expect(formats).toEqual(new Set([XLSX_MONEY_CHANGE_FORMAT]));
    for (const table of changeTables) expect(table.columns.find((column) => column.key === 'change')!.kind).toBe('money-change');
  });

  it('rule: every output names the antenna a report covers by its name under the title, « Antenne : Cnam Montbéliard — Au cœur des territoires », never by its id, for every report of one antenna, live and at a past cut (terminal table, PDF, spreadsheet)', async () => {
    // (The subventions export of one antenna is named the same way; here its agreements lack their public data.)
    const kinds = ['budget', 'phases', 'funding', 'echeancier', 'history', 'etat-depenses'] as const;
    for (const cut of [{}, { asOf: '2023-06-30' }, { knownAt: '2023-06-30T12:00:00Z' }]) {
      for (const kind of kinds) {
        // The antenna has two agreements today: the statement is the seed agreement's (there at every cut).
        const report = await reports.build({ kind, antennaId: ANTENNA_ID, ...(kind === 'etat-depenses' ? { agreementId: 'bdt-amorcage-montbeliard' } : {}), ...cut });
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load((await renderXlsx(report)) as unknown as ExcelJS.Buffer);
        const lines = {
          table: renderTable(report).split('\n')[1]!,
          pdf: spaces(pdfTextRuns((await renderPdf(report)) as Buffer).join(' ')),
          xlsx: String(workbook.worksheets[0]!.getCell('A2').value),
        };
        for (const [output, line] of Object.entries(lines)) {
          expect({ kind, cut, output, named: line.includes('Antenne : Cnam Montbéliard — Au cœur des territoires'), byId: line.includes(`Antenne : ${ANTENNA_ID}`) }).toEqual({ kind, cut, output, named: true, byId: false });
        }
      }
    }
    // The programme's reports say « Programme », as before.
    const programme = await reports.build({ kind: 'budget' });
    expect(programme.antennaName).toBeUndefined();
  });

  /** What a report on the demo's antenna answers at `cut`: its refusal's message, or that it built. */
  async function refusal(kind: 'budget' | 'phases' | 'funding' | 'echeancier' | 'history' | 'etat-depenses' | 'subventions', cut: { asOf?: string; knownAt?: string }): Promise<string> {
    try {
      await reports.build({ kind, antennaId: ANTENNA_ID, ...cut });
      return 'built';
    } catch (error) {
      return (error as Error).message;
    }
  }

  it('rule: an antenna opened after the report’s cut is refused with one message by every report, the budget and the phases alike (known at an instant, or as of a date, before its opening)', async () => {
    const kinds = ['budget', 'phases', 'funding', 'echeancier', 'history', 'etat-depenses', 'subventions'] as const;
    // The demo antenna opened in March 2021 (recorded the day after): at these cuts nothing knew it.
    for (const cut of [{ knownAt: '2021-02-28T12:00:00Z' }, { asOf: '2021-02-28' }, { knownAt: '2021-02-28T12:00:00Z', asOf: '2021-02-28' }]) {
      const messages: Record<string, string> = {};
      for (const kind of kinds) messages[kind] = await refusal(kind, cut);
      const expected = unknownAntennaMessage(ANTENNA_ID, cut);
      expect(messages).toEqual(Object.fromEntries(kinds.map((kind) => [kind, expected])));
      // It says what the cut saw, not that the antenna was never opened (it was, later).
      expect(expected).not.toContain('n’a été ouverte');
      expect(expected).toContain('28/02/2021');
    }
  });
});
