import { FORMS, formWithRows, rowCounts } from '../forms/form-catalogue';
import { inFieldOrder } from '../forms/form-input';
import { formView, FormModel } from './form.view';

const base = (slug: string, extra: Partial<FormModel> = {}): FormModel => {
  const generic = FORMS.find((form) => form.slug === slug)!;
  const values = extra.values ?? {};
  return {
    form: formWithRows(generic, rowCounts(generic, values)),
    action: '/x',
    back: { href: '/', label: 'Retour' },
    values,
    errors: [],
    options: {},
    revisions: '',
    submissionKey: 'cle-de-test-0123456789',
    csrfToken: 't',
    timeZone: 'Europe/Paris',
    ...extra,
  };
};

describe('a generated form, as people and assistive technologies meet it', () => {
  it('rule: required fields are marked in the label and to assistive technologies (required, aria-required); optional ones are not', () => {
    const markup = formView(base('planifier-phase')).value;
    expect(markup).toMatch(/<label for="champ-name">Intitulé <span class="obligatoire">\(obligatoire\)<\/span><\/label>/);
    expect(markup).toMatch(/<input type="text" id="champ-name" name="name" value=""[^>]* required aria-required="true">/);
    expect(markup).toMatch(/<label for="champ-site">Site<\/label>/);
    expect(markup).not.toMatch(/id="champ-site"[^>]*aria-required/);
  });

  it('rule: the error summary lists messages in the order of the fields, is focused, and links each message to its field; each field names its message (aria-describedby)', () => {
    const model = base('planifier-phase');
    const errors = inFieldOrder(model.form, [
      { field: 'effectiveDate', message: 'Date invalide.' },
      { field: '', message: 'Erreur générale.' },
      { field: 'name', message: 'Ce champ est obligatoire.' },
      { field: 'plannedStart', message: 'Saisissez une date valide (JJ/MM/AAAA).' },
    ]);
    expect(errors.map((error) => error.field)).toEqual(['name', 'plannedStart', 'effectiveDate', '']);
    const markup = formView({ ...model, errors }).value;
    expect(markup).toContain('<div class="alerte erreur" role="alert" id="resume-erreurs" tabindex="-1" autofocus>');
    const links = [...markup.matchAll(/<li><a href="#(champ-[^"]+)">/g)].map((match) => match[1]);
    expect(links).toEqual(['champ-name', 'champ-plannedStart', 'champ-effectiveDate']);
    expect(markup).toMatch(/id="champ-name"[^>]*aria-describedby="erreur-champ-name"[^>]*aria-invalid="true"/);
  });

  it('rule: a list of any length offers « Ajouter une ligne » and, with more than one row, « Retirer » on each row, as submit buttons (no script)', () => {
    const one = formView(base('engager-financement')).value;
    expect(one).toContain('name="_action" value="ajouter:tranches"');
    expect(one).not.toContain('value="retirer:');
    const values = Object.fromEntries(Array.from({ length: 13 }, (_, index) => [`tranches.${index}.label`, `Tranche n° ${index + 1}`]));
    const thirteen = formView(base('engager-financement', { values })).value;
    expect(thirteen.match(/value="retirer:tranches\.\d+"/g)).toHaveLength(13);
    expect(thirteen).toContain('<legend>Tranche 13</legend>');
    expect(thirteen).toContain('value="Tranche n° 13"');
    // Enter in a field records the form: the first submit button is the form's own, not « Retirer ».
    expect(thirteen.indexOf('<button type="submit" class="sr"')).toBeLessThan(thirteen.indexOf('value="retirer:'));
  });

  it('rule: a form with nothing to choose says why and cannot be submitted', () => {
    const markup = formView(base('verser-tranche', { nothingToChoose: 'Aucune tranche prévue n’attend son versement.' })).value;
    expect(markup).toContain('Aucune tranche prévue n’attend son versement.');
    expect(markup).not.toContain('<button type="submit"');
  });

  it('rule: a form that cannot serve now (a closed antenna) says why instead of showing its fields', () => {
    const markup = formView(base('suspendre', { unavailable: 'L’antenne a été fermée le 14/03/2024 : elle n’accepte plus rien.' })).value;
    expect(markup).toContain('L’antenne a été fermée le 14/03/2024');
    expect(markup).not.toContain('<form');
  });
});
