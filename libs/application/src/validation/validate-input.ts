import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { FieldViolation, InputValidationError } from '../errors';
import { fieldNameOf, FieldNaming } from './query-parameters';

/** No input of Jalon nests deeper than this (`territory.figures.jobs` is 3 levels). */
export const MAX_INPUT_DEPTH = 8;
/** No input of Jalon holds more values than this (a forecast of 500 lines holds about 2,000). */
export const MAX_INPUT_VALUES = 10_000;
/** Refusals listed at most in one answer; the rest are counted in a last entry. */
const MAX_VIOLATIONS = 100;

/**
 * Keys that name an object's machinery rather than data: class-transformer skips them without a
 * word, so they are refused here, as any other unexpected field.
 */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** French wording for class-validator's built-in rules; our own rules carry French messages already. */
const FRENCH: Record<string, (field: string, limit: string | undefined, message?: string) => string> = {
  whitelistValidation: (f) => `le champ ${f} n’est pas attendu`,
  isDefined: (f) => `${f} est obligatoire`,
  isNotEmpty: (f) => `${f} ne doit pas être vide`,
  isString: (f) => `${f} doit être une chaîne de caractères`,
  isInt: (f) => `${f} doit être un nombre entier`,
  isBoolean: (f) => `${f} doit valoir true ou false`,
  isArray: (f) => `${f} doit être une liste ([ … ])`,
  arrayMinSize: (f, n) => `${f} doit contenir au moins ${n ?? 'un'} élément${n && n !== '1' ? 's' : ''}`,
  arrayMaxSize: (f, n) => `${f} contient trop d’éléments${n ? ` (${n} au plus)` : ''}`,
  min: (f, n) => `${f} est trop petit${n ? ` (${n} au moins)` : ''}`,
  max: (f, n) => `${f} est trop grand${n ? ` (${n} au plus)` : ''}`,
  // class-validator's own message ends with the values allowed: the French one names them too.
  isIn: (f, _limit, message) => {
    const allowed = /following values: (.*)$/.exec(message ?? '')?.[1];
    return allowed ? `${f} n’est pas une valeur autorisée (valeurs possibles : ${allowed})` : `${f} n’est pas une valeur autorisée`;
  },
  nestedValidation: (f) => `${f} doit être un objet valide`,
  unknownValue: (f) => `${f || 'la requête'} doit être un objet JSON`,
  arrayUnique: (f) => `${f} ne doit pas contenir de doublon`,
  isNumber: (f) => `${f} doit être un nombre`,
};

const NOT_AN_OBJECT: FieldViolation = { field: '', rule: 'isObject', message: 'le corps de la requête doit être un objet JSON' };

const NOT_NULL = (field: string) => `${field} ne doit pas valoir null : omettez le champ s’il est sans objet`;

/** An object literal or JSON object (of any realm), or an object without prototype: not a class instance. */
function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value) as object | null;
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}

class TooLarge extends Error {}

/**
 * A copy of `input` as plain JSON data, and what makes it unfit before any rule of its class is
 * asked: `null` (an optional field is absent, never `null`: stored events would otherwise hold two
 * spellings of "nothing", and a repeated command could look new), keys such as `__proto__`, values
 * JSON cannot hold, and more nesting or values than any input has.
 */
function plainCopy(input: Record<string, unknown>): { copy: Record<string, unknown>; violations: FieldViolation[] } {
  const violations: FieldViolation[] = [];
  let values = 0;
  const at = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));
  const copyOf = (value: unknown, path: string, depth: number): unknown => {
    if (++values > MAX_INPUT_VALUES) throw new TooLarge();
    if (value === null) {
      violations.push({ field: path, rule: 'isNotNull', message: NOT_NULL(path) });
      return undefined;
    }
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
    if (typeof value === 'object' && depth >= MAX_INPUT_DEPTH) {
      violations.push({ field: path, rule: 'maxDepth', message: `${path} est imbriqué trop profondément (${MAX_INPUT_DEPTH} niveaux au plus)` });
      return undefined;
    }
    if (Array.isArray(value)) {
      const items: unknown[] = [];
      // Index by index: a hole in a sparse array is `undefined`, which JSON cannot hold.
      for (let index = 0; index < value.length; index++) {
        const item = value[index] as unknown;
        if (item === undefined) violations.push({ field: at(path, index), rule: 'isJson', message: `${at(path, index)} doit être une valeur JSON` });
        else items.push(copyOf(item, at(path, index), depth + 1));
      }
      return items;
    }
    if (typeof value === 'object' && isPlainObject(value)) return copyObject(value, path, depth);
    violations.push({ field: path, rule: 'isJson', message: `${path} doit être une valeur JSON (texte, nombre, booléen, liste ou objet)` });
    return undefined;
  };
  const copyObject = (object: Record<string, unknown>, path: string, depth: number): Record<string, unknown> => {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(object)) {
      const field = at(path, key);
      if (FORBIDDEN_KEYS.has(key)) {
        violations.push({ field, rule: 'whitelistValidation', message: FRENCH.whitelistValidation!(field, undefined) });
        continue;
      }
      const value = object[key];
      // An absent optional field, as JSON would leave it out.
      if (value !== undefined) copy[key] = copyOf(value, field, depth + 1);
    }
    return copy;
  };
  try {
    return { copy: copyObject(input, '', 0), violations };
  } catch (error) {
    if (!(error instanceof TooLarge)) throw error;
    return { copy: {}, violations: [{ field: '', rule: 'maxSize', message: `la requête contient plus de ${MAX_INPUT_VALUES} valeurs` }] };
  }
}

export interface ValidateInputOptions {
  readonly naming?: FieldNaming;
}

function nameOf(error: ValidationError, naming: FieldNaming): string {
  return fieldNameOf((error.target as object | undefined)?.constructor, error.property, naming);
}

function flatten(errors: readonly ValidationError[], naming: FieldNaming, prefix = ''): FieldViolation[] {
  return errors.flatMap((error) => {
    const name = nameOf(error, naming);
    const field = prefix ? `${prefix}.${name}` : name;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
        field,
        rule,
        // Our own rules' messages start with the property name; name the field as the refusal does (its whole path, its query name).
        message:
          FRENCH[rule]?.(field, /(\d+)\D*$/.exec(message)?.[1], message) ??
          (message.startsWith(`${error.property} `) ? field + message.slice(error.property.length) : message),
      }));
    return [...own, ...flatten(error.children ?? [], naming, field)];
  });
}

/** Rules that say a value is not a number at all. */
const NUMBER_TYPE_RULES = new Set(['isInt', 'isNumber']);
/** Rules that compare a number with a bound: meaningless, and contradictory, for a value that is not one (`"-1"` is not "too big"). */
const NUMBER_BOUND_RULES = new Set(['min', 'max']);

/**
 * One message where one is enough: a missing field is only missing (not also "not an object"),
 * "not an object" is not repeated by class-validator's "nested property must be an object"
 * on the field or its items, and a value that is not a number is only that (not also "too small"
 * and "too big").
 */
function withoutRepeats(violations: readonly FieldViolation[]): FieldViolation[] {
  const missing = new Set(violations.filter((v) => v.rule === 'isDefined').map((v) => v.field));
  const notObjects = violations.filter((v) => v.rule === 'isObject').map((v) => v.field);
  const notNumbers = new Set(violations.filter((v) => NUMBER_TYPE_RULES.has(v.rule)).map((v) => v.field));
  return violations.filter(
    (v) =>
      !(missing.has(v.field) && v.rule !== 'isDefined') &&
      !(v.rule === 'nestedValidation' && notObjects.some((field) => v.field === field || v.field.startsWith(`${field}.`))) &&
      !(notNumbers.has(v.field) && NUMBER_BOUND_RULES.has(v.rule)),
  );
}

function refuse(violations: readonly FieldViolation[]): never {
  if (violations.length <= MAX_VIOLATIONS) throw new InputValidationError(violations);
  const more = violations.length - MAX_VIOLATIONS;
  throw new InputValidationError([
    ...violations.slice(0, MAX_VIOLATIONS),
    { field: '', rule: 'maxViolations', message: `et ${more} autre${more > 1 ? 's' : ''} erreur${more > 1 ? 's' : ''}` },
  ]);
}

/**
 * Turns untrusted input into plain JSON data (a copy: what an event stores) that satisfies the
 * class-validator rules of `type`, or throws one violation per field and rule. The class is the
 * one declaration of an input: its rules validate it here and describe it in the OpenAPI document.
 * Unknown fields are refused (not silently dropped): a typo must not be mistaken for consent.
 * `options.naming` says how refusals name fields (their messages included): as declared, or as the
 * HTTP query that carried them names them.
 */
export function validateInput<T extends object>(type: new () => T, input: unknown, options: ValidateInputOptions = {}): T {
  if (typeof input !== 'object' || input === null || Array.isArray(input) || !isPlainObject(input)) {
    throw new InputValidationError([NOT_AN_OBJECT]);
  }
  const { copy, violations } = plainCopy(input);
  if (violations.length > 0) refuse(violations);
  const instance = plainToInstance(type, copy, { enableImplicitConversion: false });
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length > 0) refuse(withoutRepeats(flatten(errors, options.naming ?? 'declared')));
  return copy as T;
}

/**
 * The input of an action that takes everything from its address (a user's deactivation): no body,
 * or an empty object. A field is refused naming it, as by {@link validateInput}, never ignored
 * while the action runs.
 */
export function validateNoFields(input: unknown): void {
  if (input === undefined) return;
  if (typeof input !== 'object' || input === null || Array.isArray(input) || !isPlainObject(input)) throw new InputValidationError([NOT_AN_OBJECT]);
  const fields = Object.keys(input);
  if (fields.length > 0) refuse(fields.map((field) => ({ field, rule: 'whitelistValidation', message: FRENCH.whitelistValidation!(field, undefined) })));
}
