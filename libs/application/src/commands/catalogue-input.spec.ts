import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { InputValidationError } from '../errors';
import { nestedFieldOf } from '../validation/nested.decorators';
import { validateInput } from '../validation/validate-input';
import { COMMANDS, commandNamed } from './index';

function violationsOf(command: string, input: Record<string, unknown>): string[] {
  try {
    validateInput(commandNamed(command).input, input);
  } catch (error) {
    if (error instanceof InputValidationError) return error.violations.map((v) => `${v.field}:${v.rule}`);
    throw error;
  }
  return [];
}

/** Every class reachable from the catalogue's input classes through their nested fields. */
function inputClasses(): Function[] {
  const seen = new Set<Function>();
  const visit = (type: Function) => {
    if (seen.has(type)) return;
    seen.add(type);
    for (const metadata of getMetadataStorage().getTargetValidationMetadatas(type, '', true, false)) {
      const nested = nestedFieldOf(type, metadata.propertyName);
      if (nested) visit(nested.type());
    }
  };
  for (const command of COMMANDS) visit(command.input);
  return [...seen];
}

describe('the catalogue’s input declarations', () => {
  it('rule: every nested field is declared as an object or a list of objects of a named class (NestedObject, NestedList)', () => {
    const undeclared = inputClasses().flatMap((type) =>
      getMetadataStorage()
        .getTargetValidationMetadatas(type, '', true, false)
        .filter((metadata) => metadata.type === ValidationTypes.NESTED_VALIDATION && !nestedFieldOf(type, metadata.propertyName))
        .map((metadata) => `${type.name}.${metadata.propertyName}`),
    );
    expect(undeclared).toEqual([]);
    expect(inputClasses().length).toBeGreaterThan(COMMANDS.length);
  });

  const submit = {
    callId: 'ami-2',
    territory: { id: 'pays-de-montbeliard', name: 'PMA', kind: 'agglomeration', region: 'BFC', actionCoeurDeVille: true },
    partners: [{ name: 'Cnam', kind: 'academic' }],
    trainingNeeds: ['Industrie'],
    effectiveDate: '2020-12-01',
  };
  const commit = {
    antennaId: 'montbeliard',
    agreementId: 'bdt',
    funder: 'Banque des Territoires',
    label: 'Amorçage',
    amountCents: 100,
    tranches: [{ trancheId: 't1', amountCents: 100, dueOn: '2021-06-01' }],
    effectiveDate: '2021-05-01',
  };
  const forecast = { antennaId: 'montbeliard', lines: [{ year: 2021, category: 'staff', amountCents: 100 }], effectiveDate: '2021-03-01' };
  const launch = { programmeId: 'acdt', name: 'ACDT', operator: 'Cnam', targets: { antennaCount: 100, targetDate: '2022-12-31' }, effectiveDate: '2019-01-15' };

  it('accepts the valid samples the hostile cases start from', () => {
    expect(violationsOf('SubmitCandidacy', submit)).toEqual([]);
    expect(violationsOf('CommitFunding', commit)).toEqual([]);
    expect(violationsOf('SetBudgetForecast', forecast)).toEqual([]);
    expect(violationsOf('LaunchProgramme', launch)).toEqual([]);
  });

  it('rule: an object field given a list is refused naming the field (it once reached the store as `candidacy-ami-x--undefined`)', () => {
    expect(violationsOf('SubmitCandidacy', { ...submit, territory: [] })).toEqual(['territory:isObject']);
    expect(violationsOf('SubmitCandidacy', { ...submit, territory: { ...submit.territory, figures: [] } })).toEqual(['territory.figures:isObject']);
    expect(violationsOf('LaunchProgramme', { ...launch, targets: [] })).toEqual(['targets:isObject']);
    expect(violationsOf('AddCandidacyPartner', { candidacyId: 'ami-2--pma', partner: [], effectiveDate: '2021-01-01' })).toEqual(['partner:isObject']);
  });

  it('rule: a list of objects given a list of lists is refused naming the field (it once reached the domain: 500 or English 422)', () => {
    expect(violationsOf('SubmitCandidacy', { ...submit, partners: [[]] })).toEqual(['partners:isObject']);
    expect(violationsOf('CommitFunding', { ...commit, tranches: [[]] })).toEqual(['tranches:isObject']);
    expect(violationsOf('SetBudgetForecast', { ...forecast, lines: [[]] })).toEqual(['lines:isObject']);
    expect(violationsOf('SetBudgetForecast', { ...forecast, lines: [[{ year: 2021, category: 'staff', amountCents: 100 }]] })).toEqual(['lines:isObject']);
  });
});
