import { commandNamed, FieldViolation, InputValidationError, validateInput } from '@jalon/application';
import { FormSpec, FORMS, formNamed, formWithRows, rowCounts } from './form-catalogue';
import { controlFor, fieldErrorsOf, formValuesOf, FormValues, toCommandInput } from './form-input';

/** A form with as many rows in its lists as `values` fill (three for `tranches.0` and `tranches.2`). */
const form = (scope: 'programme' | 'antenna', slug: string, values: FormValues = {}): FormSpec => {
  const generic = formNamed(scope, slug)!;
  return formWithRows(generic, rowCounts(generic, values));
};

describe('form values → command input', () => {
  it('builds a funding commitment: euros to cents, French dates to ISO, empty tranche rows dropped and the rest renumbered', () => {
    const typed = {
        agreementId: 'region-bfc-2024',
        funder: ' Région Bourgogne-Franche-Comté ',
        label: 'Soutien au démarrage',
        amountCents: '50 000,00',
        'tranches.0.trancheId': 'tranche-1',
        'tranches.0.amountCents': '20 000',
        'tranches.0.dueOn': '01/06/2024',
        'tranches.2.trancheId': 'tranche-2',
        'tranches.2.amountCents': '30000,00',
        'tranches.2.dueOn': '2025-01-15',
        effectiveDate: '12/03/2024',
      };
    const { input, errors, rows } = toCommandInput(form('antenna', 'engager-financement', typed), typed, { antennaId: 'montbeliard' });
    expect(errors).toEqual([]);
    expect(input).toEqual({
      antennaId: 'montbeliard',
      agreementId: 'region-bfc-2024',
      funder: 'Région Bourgogne-Franche-Comté',
      label: 'Soutien au démarrage',
      amountCents: 5_000_000,
      tranches: [
        { trancheId: 'tranche-1', amountCents: 2_000_000, dueOn: '2024-06-01' },
        { trancheId: 'tranche-2', amountCents: 3_000_000, dueOn: '2025-01-15' },
      ],
      effectiveDate: '2024-03-12',
    });
    expect(() => validateInput(commandNamed('CommitFunding').input, input)).not.toThrow();
    // A message about the second kept row belongs beside the third row's control.
    expect(controlFor(form('antenna', 'engager-financement', typed), 'tranches.1.amountCents', rows)).toBe('tranches.2.amountCents');
  });

  it('says in French what is malformed or missing, before the catalogue is asked', () => {
    const { errors } = toCommandInput(form('antenna', 'enregistrer-depense'), { amountCents: '12,345', effectiveDate: '31/02/2024' }, { antennaId: 'x' });
    expect(errors).toEqual(
      expect.arrayContaining([
        { field: 'description', message: 'Ce champ est obligatoire.' },
        { field: 'amountCents', message: 'Pas plus de deux chiffres après la virgule (centimes)' },
        { field: 'effectiveDate', message: 'Le 31/02/2024 n’existe pas dans le calendrier' },
      ]),
    );
  });

  it('splits a tranche choice into its agreement and tranche, and maps messages on either back to it', () => {
    const spec = form('antenna', 'verser-tranche');
    const { input } = toCommandInput(spec, { tranche: 'bdt-amorcage-montbeliard/tranche-3', effectiveDate: '12/03/2024' }, { antennaId: 'montbeliard' });
    expect(input).toMatchObject({ agreementId: 'bdt-amorcage-montbeliard', trancheId: 'tranche-3' });
    expect(controlFor(spec, 'trancheId')).toBe('tranche');
    expect(controlFor(spec, 'agreementId')).toBe('tranche');
    expect(controlFor(spec, 'antennaId')).toBe('');
  });

  it('rule: a decider’s message about a list item (`tranches[1].dueOn`, `lines[2]`) goes to that row’s control, renumbered as the form shows it', () => {
    const values = { 'tranches.0.trancheId': 't1', 'tranches.2.trancheId': 't3', 'tranches.2.dueOn': '01/01/2024' };
    const funding = form('antenna', 'engager-financement', values);
    const { rows } = toCommandInput(funding, values, { antennaId: 'montbeliard' });
    // The empty row 1 was dropped: the command's tranches[1] is the form's row 2.
    expect(controlFor(funding, 'tranches[1].dueOn', rows)).toBe('tranches.2.dueOn');
    expect(controlFor(funding, 'tranches[0].trancheId', rows)).toBe('tranches.0.trancheId');
    const budget = form('antenna', 'reviser-budget', { 'lines.2.year': '2023' });
    // A whole line (BUDGET.DUPLICATE_LINE): its first control.
    expect(controlFor(budget, 'lines[2]')).toBe('lines.2.year');
    expect(controlFor(budget, 'lines[2].category')).toBe('lines.2.category');
  });

  it('turns lines into lists and a checkbox into a boolean', () => {
    const { input } = toCommandInput(form('programme', 'deposer-candidature'), {
      trainingNeeds: 'Industrie 4.0\r\n\r\n  Hydrogène  \n',
      'territory.actionCoeurDeVille': 'on',
    });
    expect(input.trainingNeeds).toEqual(['Industrie 4.0', 'Hydrogène']);
    expect(input.territory).toMatchObject({ actionCoeurDeVille: true });
    expect(toCommandInput(form('programme', 'deposer-candidature'), {}).input.territory).toMatchObject({ actionCoeurDeVille: false });
  });

  it('rewords the catalogue’s messages for someone filling a form', () => {
    const spec = form('antenna', 'enregistrer-depense');
    let violations: readonly FieldViolation[] = [];
    try {
      validateInput(commandNamed('RecordExpenditure').input, { antennaId: 'montbeliard', expenditureId: 'Pas Un Id', category: 'x', amountCents: 0, description: 'ok', effectiveDate: '2024-13-01' });
    } catch (error) {
      violations = (error as InputValidationError).violations;
    }
    const errors = fieldErrorsOf(spec, violations, { expenditureId: 'Pas Un Id', category: 'x', amountCents: '0', description: 'ok', effectiveDate: '2024-13-01' });
    expect(errors).toEqual(
      expect.arrayContaining([
        { field: 'expenditureId', message: expect.stringContaining('minuscules, chiffres et tirets') },
        { field: 'category', message: 'Choisissez une valeur de la liste.' },
        { field: 'amountCents', message: expect.stringContaining('strictement positif en euros') },
        { field: 'effectiveDate', message: 'Saisissez une date valide (JJ/MM/AAAA), du 01/01/1900 au 31/12/2100.' },
      ]),
    );
  });

  it('rule: a list the command requires but allows empty (partners, training needs) left blank is sent as an empty list, not refused', () => {
    const { input, errors } = toCommandInput(form('programme', 'deposer-candidature'), { 'partners.0.name': '', 'partners.0.kind': '', trainingNeeds: '  ' });
    expect(input).toMatchObject({ partners: [], trainingNeeds: [] });
    expect(errors.map((error) => error.field)).not.toContain('trainingNeeds');
    // A list with a minimum (tranches) is sent empty too: the command says it needs one.
    expect(toCommandInput(form('antenna', 'engager-financement'), {}).input).toMatchObject({ tranches: [] });
  });

  it('keeps only strings of a urlencoded body, and names those sent twice (no control sends two values)', () => {
    expect(formValuesOf({ a: 'x', b: ['y', 'z'], c: { d: 1 } })).toEqual({ values: { a: 'x', b: 'y' }, repeated: ['b'] });
  });

  it('fills only input paths the command knows, for every field of every form', () => {
    const sample = { text: 'a-b', textarea: 'texte', lines: 'un\ndeux', date: '01/01/2024', money: '10', integer: '10', decimal: '12,5', select: 'a/b', checkbox: 'on' } as const;
    for (const generic of FORMS) {
      const spec = formWithRows(generic, rowCounts(generic, {}));
      const values = Object.fromEntries(spec.fields.map((field) => [field.name, sample[field.kind]]));
      const { input } = toCommandInput(spec, values, spec.scope === 'antenna' ? { antennaId: 'montbeliard' } : {});
      let unknown: string[] = [];
      try {
        validateInput(commandNamed(spec.command).input, input);
      } catch (error) {
        unknown = (error as InputValidationError).violations.filter((v) => v.rule === 'whitelistValidation').map((v) => `${spec.slug}: ${v.field}`);
      }
      expect(unknown).toEqual([]);
    }
  });
});
