import { renderJson } from './json';
import { montbeliardBudgetReport } from './sample-report.fixtures';

describe('renderJson', () => {
  it('keeps cents as integers, without conversion or French formatting', () => {
    const parsed = JSON.parse(renderJson(montbeliardBudgetReport()));
    const row = parsed.tables[0].rows[0];
    expect(row.forecast).toBe(12_000_000);
    expect(Number.isInteger(row.forecast)).toBe(true);
    expect(row.rate).toBe(5000);
    expect(row.votedOn).toBe('2021-01-15');
    expect(parsed.tables[1].rows[2].amount).toBe(100_000_000_000);
    expect(renderJson(montbeliardBudgetReport())).not.toContain('€');
  });

  it('holds kind, title, parameters, tables, notes and data', () => {
    const report = montbeliardBudgetReport();
    const parsed = JSON.parse(renderJson(report));
    expect(Object.keys(parsed)).toEqual(['kind', 'title', 'parameters', 'tables', 'notes', 'data']);
    expect(parsed.kind).toBe('budget');
    expect(parsed.parameters).toEqual(report.parameters);
    expect(parsed.notes).toEqual(report.notes);
    expect(parsed.data).toEqual({ antennaId: 'montbeliard', forecastCents: 90_600_000 });
  });

  it('rule: holds the antenna’s name after the parameters when the report has it (what the other formats print under the title)', () => {
    const parsed = JSON.parse(renderJson({ ...montbeliardBudgetReport(), antennaName: 'Cnam Montbéliard' }));
    expect(Object.keys(parsed)).toEqual(['kind', 'title', 'parameters', 'antennaName', 'tables', 'notes', 'data']);
    expect(parsed.antennaName).toBe('Cnam Montbéliard');
  });

  it('gives an empty notes list when the report has none', () => {
    const { notes: _ignored, ...withoutNotes } = montbeliardBudgetReport();
    expect(JSON.parse(renderJson(withoutNotes)).notes).toEqual([]);
  });
});
