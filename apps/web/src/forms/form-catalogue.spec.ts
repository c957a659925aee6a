import { commandNamed, nestedFieldOf } from '@jalon/application';
import { getMetadataStorage } from 'class-validator';
import { FORMS } from './form-catalogue';

/** Whether `path` (`territory.region`, `tranches.0.amountCents`) names a field the input class declares, through its nested classes. */
function declares(type: Function, path: string): boolean {
  const [head, ...rest] = path.split('.');
  const fields = new Set(getMetadataStorage().getTargetValidationMetadatas(type, '', true, false).map((metadata) => metadata.propertyName));
  if (!head || !fields.has(head)) return false;
  if (rest.length === 0) return true;
  const nested = nestedFieldOf(type, head);
  if (!nested) return false;
  const inner = nested.list && /^\d+$/.test(rest[0]!) ? rest.slice(1) : rest;
  return inner.length > 0 && declares(nested.type(), inner.join('.'));
}

describe('the dashboard’s forms', () => {
  it('rule: every field of a form fills a field its command declares (the command’s input class is the one declaration)', () => {
    const unknown = FORMS.flatMap((form) =>
      form.fields.flatMap((field) => (field.splits ?? [field.name]).filter((path) => !declares(commandNamed(form.command).input, path)).map((path) => `${form.slug}: ${path}`)),
    );
    expect(unknown).toEqual([]);
    expect(FORMS.flatMap((form) => form.fields).length).toBeGreaterThan(30);
  });

  it('rule: every field a form marks required is one its command requires', () => {
    for (const form of FORMS) {
      const input = commandNamed(form.command).input;
      for (const field of form.fields.filter((candidate) => candidate.required && !candidate.name.includes('.'))) {
        const optional = getMetadataStorage()
          .getTargetValidationMetadatas(input, '', true, false)
          .some((metadata) => metadata.propertyName === field.name && metadata.type === 'conditionalValidation');
        expect({ form: form.slug, field: field.name, optional }).toEqual({ form: form.slug, field: field.name, optional: false });
      }
    }
  });
});
