import { COMMANDS, commandNamed } from '../commands';
import { asData } from '../command-handling/command-definition';
import { InputValidationError } from '../errors';
import { acceptByPlan, inputPlanOf } from './input-plan';
import { validateInput, validateInputData } from './validate-input';

/** One valid input of commands that, together, use every kind of rule of the catalogue. */
const SAMPLES: Record<string, Record<string, unknown>> = {
  LaunchProgramme: {
    programmeId: 'acdt',
    name: 'Au cœur des territoires',
    operator: 'Cnam',
    description: 'Ouvrir des antennes',
    targets: { antennaCount: 100, targetDate: '2022-12-31' },
    effectiveDate: '2019-01-15',
  },
  OpenCallForApplications: {
    callId: 'ami-2',
    programmeId: 'acdt',
    title: 'Deuxième appel',
    number: 2,
    opensOn: '2020-10-01',
    closesOn: '2020-12-15',
    criteria: ['Dynamique partenariale', 'Besoins'],
    effectiveDate: '2020-10-01',
  },
  SubmitCandidacy: {
    callId: 'ami-2',
    territory: {
      id: 'pays-de-montbeliard',
      name: 'Pays de Montbéliard Agglomération',
      kind: 'agglomeration',
      region: 'Bourgogne-Franche-Comté',
      actionCoeurDeVille: true,
      population: 140_000,
      figures: { jobs: 60_000, industrialEmploymentPercent: 27.5 },
    },
    partners: [
      { name: 'Université de Franche-Comté', kind: 'academic' },
      { name: 'Stellantis', kind: 'employer' },
    ],
    trainingNeeds: ['Industrie', 'Numérique'],
    projectedBudgetCents: 78_600_000,
    effectiveDate: '2020-12-01',
  },
  SelectCandidacy: { candidacyId: 'ami-2--pays-de-montbeliard', criteria: ['Partenariat'], effectiveDate: '2021-02-01' },
  ReportLearners: { antennaId: 'montbeliard', period: '2021-09', learners: 42, effectiveDate: '2021-10-01' },
  SetBudgetForecast: {
    antennaId: 'montbeliard',
    lines: [
      { year: 2021, category: 'staff', amountCents: 10_000_000 },
      { year: 2022, category: 'equipment', amountCents: 2_500_000 },
    ],
    effectiveDate: '2021-03-01',
  },
  RecordExpenditure: {
    antennaId: 'montbeliard',
    expenditureId: 'facture-1',
    category: 'staff',
    amountCents: 12_345,
    description: 'Facture de test',
    fundingAgreementId: 'bdt-amorcage',
    effectiveDate: '2021-04-01',
  },
  CommitFunding: {
    antennaId: 'montbeliard',
    agreementId: 'bdt-amorcage',
    funder: 'Banque des Territoires',
    label: 'Amorçage',
    amountCents: 10_000_000,
    tranches: [
      { trancheId: 't1', label: 'Première', amountCents: 5_000_000, dueOn: '2021-06-01' },
      { trancheId: 't2', amountCents: 5_000_000, dueOn: '2022-06-01', conditions: 'Rapport d’activité' },
    ],
    effectiveDate: '2021-05-01',
  },
};

const REPLACEMENTS: readonly unknown[] = [
  undefined,
  null,
  '',
  '   ',
  'x',
  'Pas un id',
  'x'.repeat(2_000),
  '2022-02-30',
  'ami-2--x',
  1.5,
  -1,
  0,
  -0,
  2_000,
  2_000_000_000,
  Number.NaN,
  true,
  [],
  ['x'],
  [{}],
  {},
  { autre: 1 },
  new Date('2021-01-01'),
];

/** Every input obtained from `sample` by changing, removing or adding one field, at any depth. */
function mutants(sample: unknown): readonly unknown[] {
  if (Array.isArray(sample)) {
    return sample.flatMap((item, index) => [
      ...mutants(item).map((changed) => sample.map((other, i) => (i === index ? changed : other))),
      sample.filter((_, i) => i !== index),
    ]);
  }
  if (typeof sample !== 'object' || sample === null) return REPLACEMENTS;
  const object = sample as Record<string, unknown>;
  const changed = Object.keys(object).flatMap((key) => [
    ...mutants(object[key]).map((value) => ({ ...object, [key]: value })),
    Object.fromEntries(Object.entries(object).filter(([k]) => k !== key)),
  ]);
  return [...changed, { ...object, inattendu: 'x' }];
}

type Outcome = { data: unknown } | { violations: string[] };

function outcome(run: () => unknown): Outcome {
  try {
    return { data: asData(run()) };
  } catch (error) {
    if (error instanceof InputValidationError) return { violations: error.violations.map((v) => `${v.field}:${v.rule}:${v.message}`) };
    throw error;
  }
}

describe('input plans: accepting valid input without class-validator’s per-call work', () => {
  it('every input class of the catalogue has a plan (the fast path covers every command)', () => {
    expect(COMMANDS.filter((command) => !inputPlanOf(command.input)).map((command) => command.name)).toEqual([]);
  });

  it('accepts each valid sample by its plan, as the same plain data that class-validator’s instance gives', () => {
    for (const [name, sample] of Object.entries(SAMPLES)) {
      const type = commandNamed(name).input;
      const accepted = acceptByPlan(inputPlanOf(type)!, sample);
      expect({ name, accepted }).toEqual({ name, accepted: asData(validateInput(type, sample)) });
    }
  });

  it('rule: a plan never accepts what class-validator refuses, and valid or not the command path answers as class-validator does', () => {
    let accepted = 0;
    let refused = 0;
    for (const [name, sample] of Object.entries(SAMPLES)) {
      const type = commandNamed(name).input;
      const plan = inputPlanOf(type)!;
      for (const input of mutants(sample)) {
        const reference = outcome(() => validateInput(type, input));
        const byPlan = acceptByPlan(plan, input);
        if (byPlan !== undefined) expect({ name, input, outcome: { data: byPlan } }).toEqual({ name, input, outcome: reference });
        expect({ name, input, outcome: outcome(() => validateInputData(type, input)) }).toEqual({ name, input, outcome: reference });
        if ('data' in reference) accepted++;
        else refused++;
      }
    }
    // The mutations reach both sides of the rules, not only one.
    expect(accepted).toBeGreaterThan(50);
    expect(refused).toBeGreaterThan(500);
  });

  it('returns a copy: changing the caller’s object afterwards changes nothing that was validated', () => {
    const sample = structuredClone(SAMPLES.SetBudgetForecast!) as { lines: { amountCents: number }[] };
    const data = validateInputData(commandNamed('SetBudgetForecast').input, sample) as typeof sample;
    sample.lines[0]!.amountCents = -5;
    expect(data.lines[0]!.amountCents).toBe(10_000_000);
  });
});
