import { queryParametersOf, ReportQueryInput } from '@jalon/application';
import { Command } from 'commander';
import { optionOfField, reportQueryOf, reportQueryOptions } from './report-options';

/** `jalon report`'s options that fill the report query are declared once: commander, the query and the refusals' option names all read that declaration. */
describe('jalon report: the options that fill the report query', () => {
  const parse = (args: string[]): Record<string, unknown> => {
    const command = new Command('report').argument('<rapport>').exitOverride();
    for (const option of reportQueryOptions()) command.addOption(option);
    command.parse(args, { from: 'user' });
    return command.opts();
  };

  it('rule: each option fills the query field it declares, --from/--to the history’s dates or a statement’s period', () => {
    const options = parse(['history', '--antenna', 'montbeliard', '--as-of', '2023-06-30', '--from', '2022-01-01', '--to', '2022-12-31', '--event', 'BudgetTrancheReleased', '--page-size', '20']);
    expect(reportQueryOf('history', options)).toEqual({ kind: 'history', antennaId: 'montbeliard', asOf: '2023-06-30', from: '2022-01-01', to: '2022-12-31', eventType: 'BudgetTrancheReleased', pageSize: 20 });
    expect(reportQueryOf('etat-depenses', parse(['etat-depenses', '--from', '2022-01-01', '--to', '2022-12-31', '--agreement', 'bdt']))).toEqual({
      kind: 'etat-depenses',
      periodFrom: '2022-01-01',
      periodTo: '2022-12-31',
      agreementId: 'bdt',
    });
  });

  it('rule: every field an option fills is a field of the report query’s one declaration', () => {
    const fields = new Set(queryParametersOf(ReportQueryInput).map((parameter) => parameter.field));
    const filled = reportQueryOf('history', parse(['history', '--antenna', 'a', '--as-of', 'x', '--known-at', 'x', '--receipt-delay-days', '1', '--within-days', '1', '--agreement', 'a', '--from', 'x', '--to', 'x', '--actor', 'a', '--event', 'e', '--page', '1', '--page-size', '1', '--order', 'asc']));
    const otherwise = reportQueryOf('etat-depenses', parse(['etat-depenses', '--from', 'x', '--to', 'x']));
    for (const field of [...Object.keys(filled), ...Object.keys(otherwise)].filter((key) => key !== 'kind')) expect(fields).toContain(field);
  });

  it('rule: a refusal naming a field is told the option that gives it under another name, none where the option is the field’s own name', () => {
    expect(optionOfField('antennaId')).toBe('--antenna');
    expect(optionOfField('periodFrom')).toBe('--from');
    expect(optionOfField('periodTo')).toBe('--to');
    expect(optionOfField('asOf')).toBe('--as-of');
    expect(optionOfField('pageSize')).toBe('--page-size');
    expect(optionOfField('from')).toBeUndefined();
    expect(optionOfField('actor')).toBeUndefined();
    expect(optionOfField('programmeId')).toBeUndefined();
  });

  it('rule: a number option refuses what is not a whole number, in French', () => {
    expect(() => parse(['history', '--page', 'deux'])).toThrow(/un nombre entier est attendu/);
    expect(() => parse(['funding', '--within-days', '-3'])).toThrow(/un nombre entier de jours est attendu/);
  });
});
