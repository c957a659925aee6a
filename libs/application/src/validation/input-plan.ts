import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage, ValidationArguments, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

/**
 * A fast way to accept valid input, for the command path: the class-validator rules of an input
 * class, read once from its metadata into a plan, and run on the plain JSON input directly (no
 * class-transformer instance, no per-call metadata look-up).
 *
 * The plan only ever says "valid" or "not sure". It calls the very constraint validators that
 * class-validator would call, in the same situations, so an input it accepts is one that
 * class-validator accepts too; anything it does not model (null, non-JSON values, unknown keys,
 * groups, async rules, transforms, a nested rule without `@Type`), and every refusal, is handed
 * to class-validator, which produces the violations as before.
 */

type Check = (value: unknown, object: Record<string, unknown>) => boolean;

interface PropertyPlan {
  readonly name: string;
  /** `@IsOptional()` and the like: when one says no, the other rules of the property are skipped. */
  readonly conditions: readonly ((object: Record<string, unknown>, value: unknown) => boolean)[];
  /** `@IsDefined()` first, then the other rules, as class-validator orders them. */
  readonly checks: readonly Check[];
  /** `@ValidateNested()` with `@Type(() => Class)`: the plan of that class. */
  readonly nested?: () => InputPlan | undefined;
}

export interface InputPlan {
  readonly properties: ReadonlyMap<string, PropertyPlan>;
}

const plans = new Map<Function, InputPlan | undefined>();

/** The plan of an input class, or undefined when its rules use something the plan does not model. */
export function inputPlanOf(type: Function): InputPlan | undefined {
  if (!plans.has(type)) {
    plans.set(type, undefined); // a class nested in itself: its inner occurrences fall back
    plans.set(type, buildPlan(type));
  }
  return plans.get(type);
}

function buildPlan(type: Function): InputPlan | undefined {
  // As validateSync(instance, options) asks for them: no schema, no groups, `always` off.
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(type, undefined as unknown as string, false, false, undefined);
  if (metadatas.length === 0 || defaultMetadataStorage.getStrategy(type) !== 'none') return undefined;
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const metadata of metadatas) byProperty.set(metadata.propertyName, [...(byProperty.get(metadata.propertyName) ?? []), metadata]);
  const properties = new Map<string, PropertyPlan>();
  for (const [name, own] of byProperty) {
    const property = propertyPlan(type, name, own);
    if (!property) return undefined;
    properties.set(name, property);
  }
  return { properties };
}

function propertyPlan(type: Function, name: string, metadatas: readonly ValidationMetadata[]): PropertyPlan | undefined {
  const conditions: PropertyPlan['conditions'][number][] = [];
  const defined: Check[] = [];
  const checks: Check[] = [];
  let nestedType: Function | undefined;
  let nested = false;
  for (const metadata of metadatas) {
    if (metadata.groups?.length || metadata.always !== undefined) return undefined;
    switch (metadata.type) {
      case ValidationTypes.WHITELIST:
        break;
      case ValidationTypes.CONDITIONAL_VALIDATION:
        conditions.push(metadata.constraints[0] as PropertyPlan['conditions'][number]);
        break;
      case ValidationTypes.IS_DEFINED:
      case ValidationTypes.CUSTOM_VALIDATION: {
        const constraints = getMetadataStorage().getTargetValidatorConstraints(metadata.constraintCls);
        if (constraints.some((constraint) => constraint.async)) return undefined;
        const target = metadata.type === ValidationTypes.IS_DEFINED ? defined : checks;
        for (const constraint of constraints) target.push(customCheck(type, metadata, constraint.instance));
        break;
      }
      case ValidationTypes.NESTED_VALIDATION: {
        const typeMetadata = defaultMetadataStorage.findTypeMetadata(type, name);
        if (!typeMetadata || typeMetadata.options?.discriminator) return undefined;
        nestedType = typeMetadata.typeFunction() as Function;
        nested = true;
        break;
      }
      default:
        return undefined;
    }
  }
  // class-transformer changes what it copies when told to; only plain copies are modelled.
  if (defaultMetadataStorage.findTransformMetadatas(type, name, 0 /* TransformationType.PLAIN_TO_CLASS */).length > 0) return undefined;
  if (defaultMetadataStorage.findExposeMetadata(type, name) || defaultMetadataStorage.findExcludeMetadata(type, name)) return undefined;
  if (!nested && defaultMetadataStorage.findTypeMetadata(type, name)) return undefined;
  return {
    name,
    conditions,
    checks: [...defined, ...checks],
    ...(nestedType ? { nested: () => inputPlanOf(nestedType) } : {}),
  };
}

function customCheck(type: Function, metadata: ValidationMetadata, validator: { validate(value: unknown, args: ValidationArguments): unknown }): Check {
  const one = (value: unknown, object: Record<string, unknown>, whole: unknown) => {
    const args: ValidationArguments = { targetName: type.name, property: metadata.propertyName, object, value: whole, constraints: metadata.constraints };
    const valid = validator.validate(value, args);
    // A promise is an async rule: not modelled, so "not sure".
    return Boolean(valid) && !(valid instanceof Promise);
  };
  if (!metadata.each) return (value, object) => one(value, object, value);
  return (value, object) => (Array.isArray(value) ? value.every((item) => one(item, object, value)) : one(value, object, value));
}

/**
 * Runs the plan on `input`; returns a copy of it as plain JSON data when it is valid, undefined
 * when class-validator must decide (which it then does on the original input).
 */
export function acceptByPlan(plan: InputPlan, input: unknown): Record<string, unknown> | undefined {
  if (!isPlainObject(input)) return undefined;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(input)) {
    // Unknown keys are refused by whitelisting; `null` and non-JSON values by the full path.
    if (!plan.properties.has(key)) return undefined;
    if (!isJson(input[key])) return undefined;
  }
  for (const property of plan.properties.values()) {
    const value = input[property.name];
    if (!property.conditions.every((condition) => condition(input, value))) continue;
    for (const check of property.checks) if (!check(value, input)) return undefined;
    if (property.nested && value !== undefined) {
      const nested = property.nested();
      if (!nested) return undefined;
      if (Array.isArray(value)) {
        const items: unknown[] = [];
        for (const item of value) {
          const accepted = acceptByPlan(nested, item);
          if (!accepted) return undefined;
          items.push(accepted);
        }
        copy[property.name] = items;
      } else {
        const accepted = acceptByPlan(nested, value);
        if (!accepted) return undefined;
        copy[property.name] = accepted;
      }
      continue;
    }
    if (value !== undefined) copy[property.name] = jsonCopy(value);
  }
  return copy;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** What reads back from JSON as it is: no null, undefined, NaN, -0, Date, class instance or `__proto__` key. */
function isJson(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object':
      if (Array.isArray(value)) {
        // Index by index: a hole in a sparse array is `undefined`, not JSON.
        for (let index = 0; index < value.length; index++) if (!isJson(value[index])) return false;
        return true;
      }
      return isPlainObject(value) && Object.keys(value).every((key) => key !== '__proto__' && isJson(value[key]));
    default:
      return false;
  }
}

function jsonCopy(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(jsonCopy);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = jsonCopy((value as Record<string, unknown>)[key]);
  return copy;
}
