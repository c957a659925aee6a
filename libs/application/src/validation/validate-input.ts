import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { FieldViolation, InputValidationError } from '../errors';
import { acceptByPlan, inputPlanOf } from './input-plan';

/** French wording for class-validator's built-in rules; our own rules carry French messages already. */
const FRENCH: Record<string, (field: string) => string> = {
  whitelistValidation: (f) => `le champ ${f} n’est pas attendu`,
  isDefined: (f) => `${f} est obligatoire`,
  isNotEmpty: (f) => `${f} ne doit pas être vide`,
  isString: (f) => `${f} doit être une chaîne de caractères`,
  isInt: (f) => `${f} doit être un nombre entier`,
  isBoolean: (f) => `${f} doit valoir true ou false`,
  isArray: (f) => `${f} doit être une liste`,
  arrayMinSize: (f) => `${f} doit contenir au moins un élément`,
  arrayMaxSize: (f) => `${f} contient trop d’éléments`,
  min: (f) => `${f} est trop petit`,
  max: (f) => `${f} est trop grand`,
  isIn: (f) => `${f} n’est pas une valeur autorisée`,
  nestedValidation: (f) => `${f} doit être un objet valide`,
  unknownValue: (f) => `${f || 'la requête'} doit être un objet JSON`,
  arrayUnique: (f) => `${f} ne doit pas contenir de doublon`,
  isNumber: (f) => `${f} doit être un nombre`,
  isNotNull: (f) => `${f} ne doit pas valoir null : omettez le champ s’il est sans objet`,
};

/**
 * An optional field is either present with a valid value or absent. `null` is refused: stored
 * events would otherwise hold two spellings of "nothing", and a repeated command could look new.
 */
function nullFields(value: unknown, prefix = ''): FieldViolation[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => nullFields(item, `${prefix}${prefix ? '.' : ''}${index}`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, item]) => {
    const field = prefix ? `${prefix}.${key}` : key;
    return item === null ? [{ field, rule: 'isNotNull', message: FRENCH.isNotNull!(field) }] : nullFields(item, field);
  });
}

function flatten(errors: readonly ValidationError[], prefix = ''): FieldViolation[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      rule,
      // Our own rules' messages start with the property name; name the whole path instead.
      message: FRENCH[rule]?.(field) ?? (message.startsWith(`${error.property} `) ? field + message.slice(error.property.length) : message),
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * Turns untrusted input into an instance of `type`, or throws one violation per field and rule.
 * Unknown fields are refused (not silently dropped): a typo must not be mistaken for consent.
 */
export function validateInput<T extends object>(type: new () => T, input: unknown): T {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InputValidationError([{ field: '', rule: 'isObject', message: 'le corps de la requête doit être un objet JSON' }]);
  }
  const nulls = nullFields(input);
  if (nulls.length > 0) throw new InputValidationError(nulls);
  const instance = plainToInstance(type, input, { enableImplicitConversion: false });
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length > 0) throw new InputValidationError(flatten(errors));
  return instance;
}

const validatedData = new WeakSet<object>();

/**
 * The command path's validation: the same rules and the same violations as {@link validateInput},
 * but a valid input comes back as plain JSON data (a copy, what an event stores) rather than as a
 * class instance. Valid input is accepted by the input class's plan without class-validator's
 * per-call work; anything else goes through {@link validateInput}.
 */
export function validateInputData<T extends object>(type: new () => T, input: unknown): T {
  const plan = inputPlanOf(type);
  const accepted = plan && acceptByPlan(plan, input);
  if (!accepted) return validateInput(type, input);
  validatedData.add(accepted);
  return accepted as T;
}

/** True for what {@link validateInputData} returned from its plan: already plain JSON data. */
export function isValidatedData(value: unknown): boolean {
  return typeof value === 'object' && value !== null && validatedData.has(value);
}
