import { formatCell, type Report } from '@jalon/reporting';
import { fr } from '../../../reporting/src/testing/french-spaces';
import type { ProjectedEvent, ReadModelView } from '../projection';
import { project, projected } from '../testing/projection-specification';
import { budgetProjection } from './budget/budget.projection';
import { buildBudgetReport } from './budget/budget.report';
import { kpisProjection } from './kpis/kpis.projection';
import { buildKpisReport } from './kpis/kpis.report';

/**
 * A black-box audit read 2/3 as « 66,66 % » in the budget (execution rate, rounded down) and as
 * « 66,67 % » in the key figures (Action Cœur de Ville share, rounded to the nearest). No decision
 * asked for rounding down; every rate now goes through the formatter module's one rounding
 * (rateBasisPoints: nearest, a half away from zero) and is shown by its one percentage format.
 */
const opened = (antennaId: string, actionCoeurDeVille: boolean) =>
  projected('AntennaOpened', {
    antennaId,
    candidacyId: `ami-2--${antennaId}`,
    callId: 'ami-2',
    programmeId: 'acdt',
    name: `Antenne ${antennaId}`,
    town: antennaId,
    territory: { id: antennaId, name: antennaId, region: 'r', actionCoeurDeVille },
    effectiveDate: '2021-03-01',
  });

// Three antennas, two in Action Cœur de Ville towns (2/3); antenna a spent 20 000 € of a 30 000 € forecast (2/3).
const EVENTS: ProjectedEvent[] = [
  opened('a', true),
  opened('b', true),
  opened('c', false),
  projected('BudgetForecastSet', { antennaId: 'a', lines: [{ year: 2021, category: 'staff', amountCents: 3_000_000 }], totalCents: 3_000_000, effectiveDate: '2021-03-01' }),
  projected('ExpenditureRecorded', { antennaId: 'a', expenditureId: 'e', category: 'staff', amountCents: 2_000_000, description: 'x', effectiveDate: '2021-05-01' }),
];

function models(events: readonly ProjectedEvent[]) {
  const views = { budget: project(budgetProjection, events), kpis: project(kpisProjection, events) };
  return {
    view<Doc>(name: string): ReadModelView<Doc> {
      if (name !== 'budget' && name !== 'kpis') throw new Error(`unexpected view ${name}`);
      return views[name] as unknown as ReadModelView<Doc>;
    },
  };
}

/** The cell of column `key` in the first table that has it (its totals row when asked), as the outputs print it. */
function printed(report: Report, key: string, inTotals: boolean): string {
  const table = report.tables.find((candidate) => candidate.columns.some((column) => column.key === key))!;
  const column = table.columns.find((candidate) => candidate.key === key)!;
  const row = inTotals ? table.totals! : table.rows[0]!;
  return formatCell(row[key] ?? null, column.kind);
}

describe('one rounding for every rate', () => {
  it('rule: a rate rounds the same in every output: 2/3 reads « 66,67 % » as the budget’s execution rate and as the Action Cœur de Ville share (nearest, a half away from zero)', () => {
    const budget = buildBudgetReport(models(EVENTS), { antennaId: 'a', referenceDate: '2021-12-31' });
    const kpis = buildKpisReport(models(EVENTS), { referenceDate: '2021-12-31' });
    expect(printed(budget, 'executionRate', true)).toBe(fr('66,67 %'));
    expect(printed(kpis, 'actionCoeurDeVilleShare', false)).toBe(fr('66,67 %'));
  });
});
