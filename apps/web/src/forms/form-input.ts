import { FieldViolation } from '@jalon/application';
import { FieldSpec, FormSpec } from './form-catalogue';
import { DATE_OUT_OF_RANGE, parseDate, parseDecimal, parseEurosToCents, parseWholeNumber } from './parse';

/** What was typed, control by control (checkboxes send `on`). */
export type FormValues = Readonly<Record<string, string>>;

/** A message for one control (`field` is its name), or for the whole form (`field` empty). */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export interface ConvertedInput {
  readonly input: Record<string, unknown>;
  /** Problems found before the catalogue is asked (malformed amount or date, required field left empty). */
  readonly errors: readonly FieldError[];
  /** Input row prefix → control row prefix, when empty rows were dropped (`tranches.0` ← `tranches.2`). */
  readonly rows: ReadonlyMap<string, string>;
}

/**
 * The string values of a urlencoded body, and the names sent more than once: no control of a form
 * sends two values, so a repeated name is refused by the caller (which value was meant?), its first
 * value kept only to show the form again.
 */
export function formValuesOf(body: unknown): { values: Record<string, string>; repeated: string[] } {
  const values: Record<string, string> = {};
  const repeated: string[] = [];
  if (typeof body !== 'object' || body === null) return { values, repeated };
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value === 'string') {
      values[key] = value;
    } else if (Array.isArray(value)) {
      repeated.push(key);
      if (typeof value[0] === 'string') values[key] = value[0];
    }
  }
  return { values, repeated };
}

/** The messages for names a form body sent more than once: on the control of that name, or on the form. */
export function repeatedFieldErrors(form: FormSpec, repeated: readonly string[]): FieldError[] {
  return repeated.map((name) => {
    const control = form.fields.find((field) => field.name === name);
    const message = 'Ce champ a été envoyé plusieurs fois : une seule valeur est acceptée. Vérifiez-le, puis enregistrez à nouveau.';
    return control ? { field: name, message } : { field: '', message: `Le champ « ${name.slice(0, 100)} » a été envoyé plusieurs fois : renvoyez le formulaire depuis la page.` };
  });
}

const REQUIRED = 'Ce champ est obligatoire.';

function isBlank(field: FieldSpec, values: FormValues): boolean {
  return field.kind === 'checkbox' ? values[field.name] === undefined : (values[field.name] ?? '').trim() === '';
}

/**
 * Turns typed values into the command's input. `fixed` holds what comes from the URL (the
 * antenna), which a form body cannot change.
 */
export function toCommandInput(form: FormSpec, values: FormValues, fixed: Readonly<Record<string, unknown>> = {}): ConvertedInput {
  const input: Record<string, unknown> = {};
  const errors: FieldError[] = [];
  const rows = new Map<string, string>();
  const rowCounters = new Map<string, number>();
  const keptRows = new Map<string, string>();

  for (const field of form.fields) {
    let path = field.name;
    if (field.row !== undefined) {
      const rowFields = form.fields.filter((other) => other.row === field.row);
      if (rowFields.every((other) => isBlank(other, values))) continue;
      let target = keptRows.get(field.row);
      if (target === undefined) {
        const array = field.row.slice(0, field.row.lastIndexOf('.'));
        const next = rowCounters.get(array) ?? 0;
        rowCounters.set(array, next + 1);
        target = `${array}.${next}`;
        keptRows.set(field.row, target);
        rows.set(target, field.row);
      }
      path = target + field.name.slice(field.row.length);
    }

    const typed = values[field.name] ?? '';
    if (field.kind === 'checkbox') {
      setPath(input, path, typed !== '');
      continue;
    }
    if (typed.trim() === '') {
      if (field.required) errors.push({ field: field.name, message: REQUIRED });
      else if (field.emptyList) setPath(input, path, []);
      continue;
    }
    switch (field.kind) {
      case 'text':
      case 'textarea':
        setPath(input, path, typed.trim());
        break;
      case 'select':
        if (field.splits) {
          const [first, second] = field.splits;
          const slash = typed.indexOf('/');
          setPath(input, first, slash < 0 ? typed : typed.slice(0, slash));
          setPath(input, second, slash < 0 ? '' : typed.slice(slash + 1));
        } else {
          setPath(input, path, typed);
        }
        break;
      case 'lines':
        setPath(
          input,
          path,
          typed
            .split(/\r?\n/)
            .map((line) => line.trim())
            .filter((line) => line !== ''),
        );
        break;
      case 'date': {
        const date = parseDate(typed);
        if (date.ok) setPath(input, path, date.value);
        else errors.push({ field: field.name, message: date.outOfRange ? DATE_OUT_OF_RANGE : capitalise(date.message) });
        break;
      }
      case 'money': {
        const cents = parseEurosToCents(typed);
        if (cents.ok) setPath(input, path, cents.value);
        else errors.push({ field: field.name, message: capitalise(cents.message) });
        break;
      }
      case 'integer': {
        const count = parseWholeNumber(typed);
        if (count.ok) setPath(input, path, count.value);
        else errors.push({ field: field.name, message: capitalise(count.message) });
        break;
      }
      case 'decimal': {
        const number = parseDecimal(typed);
        if (number.ok) setPath(input, path, number.value);
        else errors.push({ field: field.name, message: capitalise(number.message) });
        break;
      }
    }
  }
  // A list the command requires, every row left blank: sent empty (its minimum, if any, is the command's to check).
  for (const list of form.lists) if (list.required && input[list.path] === undefined) input[list.path] = [];
  for (const [key, value] of Object.entries(fixed)) input[key] = value;
  return { input, errors, rows };
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node: Record<string, unknown> | unknown[] = target;
  parts.forEach((part, index) => {
    const last = index === parts.length - 1;
    const key = /^\d+$/.test(part) ? Number(part) : part;
    const container = node as Record<string | number, unknown>;
    if (last) {
      container[key] = value;
      return;
    }
    if (container[key] === undefined) container[key] = /^\d+$/.test(parts[index + 1]!) ? [] : {};
    node = container[key] as Record<string, unknown>;
  });
}

/**
 * The control a message about input path `path` belongs to, or '' for the form as a whole. The
 * catalogue names list items with dots (`tranches.1.dueOn`), the deciders with brackets
 * (`tranches[1].dueOn`, `lines[3]`): both are the form's numbered controls (`tranches.1.dueOn`).
 */
export function controlFor(form: FormSpec, path: string, rows: ReadonlyMap<string, string> = new Map()): string {
  const dotted = path.replace(/\[(\d+)\]/g, '.$1');
  let control = dotted;
  for (const [inputRow, controlRow] of rows) {
    if (dotted === inputRow || dotted.startsWith(`${inputRow}.`)) {
      control = controlRow + dotted.slice(inputRow.length);
      break;
    }
  }
  const exact = form.fields.find((field) => field.name === control || field.splits?.includes(control));
  if (exact) return exact.name;
  const parent = form.fields.find((field) => control.startsWith(`${field.name}.`));
  if (parent) return parent.name;
  const child = form.fields.find((field) => control !== '' && field.name.startsWith(`${control}.`));
  return child?.name ?? '';
}

/** The catalogue's messages, reworded for someone filling a form (the label is shown beside it). */
export function fieldErrorsOf(form: FormSpec, violations: readonly FieldViolation[], values: FormValues, rows?: ReadonlyMap<string, string>): FieldError[] {
  const errors: FieldError[] = [];
  for (const violation of violations) {
    const field = controlFor(form, violation.field, rows);
    const spec = form.fields.find((candidate) => candidate.name === field);
    const message = spec && isBlank(spec, values) && spec.kind !== 'checkbox' ? REQUIRED : reword(violation);
    if (!errors.some((error) => error.field === field && error.message === message)) errors.push({ field, message });
  }
  return errors;
}

function reword(violation: FieldViolation): string {
  switch (violation.rule) {
    case 'isIsoDate':
      // The date typed is in the calendar and its bounds (parseDate checked it): a date the API
      // refuses all the same is worded as one out of the bounds.
      return DATE_OUT_OF_RANGE;
    case 'isCents':
      return 'Saisissez un montant strictement positif en euros, 100 000 000,00 au plus, par exemple 30 000,00.';
    case 'isSlug':
      return 'Identifiant en minuscules, chiffres et tirets, sans espace ni accent (ex. tranche-4).';
    case 'isCandidacyId':
      return 'Choisissez une candidature de la liste.';
    case 'isIn':
      return 'Choisissez une valeur de la liste.';
    case 'isDefined':
    case 'isNotEmpty':
    case 'arrayMinSize':
      return REQUIRED;
    case 'isText':
      return `${capitalise(stripField(violation).replace(/^: /, ''))}.`;
    default:
      return capitalise(stripField(violation));
  }
}

function stripField(violation: FieldViolation): string {
  return violation.message.startsWith(`${violation.field} `) ? violation.message.slice(violation.field.length + 1) : violation.message;
}

/** Messages in the order of the form's fields (the order a person reads them), those about the whole form last. */
export function inFieldOrder(form: FormSpec, errors: readonly FieldError[]): FieldError[] {
  const rank = (error: FieldError) => {
    const index = form.fields.findIndex((field) => field.name === error.field);
    return index < 0 ? form.fields.length : index;
  };
  return errors.map((error, index) => ({ error, index })).sort((a, b) => rank(a.error) - rank(b.error) || a.index - b.index).map(({ error }) => error);
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
