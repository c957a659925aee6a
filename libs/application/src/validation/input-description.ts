import { AID_NATURES } from '@jalon/domain';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { nestedFieldOf } from './nested.decorators';

/**
 * What a person fills for one field of a command's input, read from the class-validator rules
 * that validate it (the one declaration of the input): the dashboard generates its forms from
 * this, so a form cannot ask for a field the command does not declare, nor forget one it does.
 */
export type InputFieldKind =
  /** An identifier (`isSlug`): lower case, digits and hyphens. */
  | 'slug'
  /** A candidacy's identifier (`isCandidacyId`): `<call>--<territory>`. */
  | 'candidacyId'
  /** One line of text (`isText`, or a format such as a SIRET). */
  | 'text'
  /** Text over several lines (`isText` with line breaks: reasons, descriptions). */
  | 'paragraph'
  /** A calendar date (`isIsoDate`). */
  | 'date'
  /** An amount of money in integer euro cents (`isCents`). */
  | 'cents'
  /** A whole number (`isInt`). */
  | 'integer'
  /** A number that may have decimals (`isNumber`: a percentage). */
  | 'decimal'
  /** Yes or no (`isBoolean`). */
  | 'boolean'
  /** One value of a fixed list (`isIn`, `isAidNature`). */
  | 'choice'
  /** A list of one-line texts (`isArray` with `isText` on each item). */
  | 'textList'
  /** One nested object (`NestedObject`). */
  | 'object'
  /** A list of nested objects (`NestedList`). */
  | 'list';

export interface InputField {
  /** The property's name in its class. */
  readonly name: string;
  /** Dotted path from the command's input, list items left out: `tranches.amountCents`, `territory.region`. */
  readonly path: string;
  readonly kind: InputFieldKind;
  /** False when the field may be left out (`IsOptional`, or an optional `NestedObject`). */
  readonly required: boolean;
  /** Every rule the field is checked by, by name (`isText`, `isSlug`, `min`…). */
  readonly rules: readonly string[];
  /** Longest text accepted (`isText`), for a text, a paragraph or each item of a text list. */
  readonly maxLength?: number;
  /** Bounds of a number (`min`, `max`). */
  readonly min?: number;
  readonly max?: number;
  /** The values of a choice. */
  readonly choices?: readonly string[];
  /** The pattern a text must match (`matches`). */
  readonly pattern?: RegExp;
  /** Bounds of a list's length (`arrayMinSize`, `arrayMaxSize`). */
  readonly minItems?: number;
  readonly maxItems?: number;
  /** The fields of the object, or of each item of the list. */
  readonly fields?: readonly InputField[];
}

type Metadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];

function metadataOf(type: Function): Metadata[] {
  return getMetadataStorage().getTargetValidationMetadatas(type, '', true, false);
}

const number = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

function describeField(type: Function, name: string, rules: readonly Metadata[], prefix: string, seen: ReadonlySet<Function>): InputField {
  const path = prefix ? `${prefix}.${name}` : name;
  const named = (rule: string) => rules.find((metadata) => metadata.name === rule);
  const optional = rules.some((metadata) => metadata.type === ValidationTypes.CONDITIONAL_VALIDATION);
  const ruleNames = [...new Set(rules.flatMap((metadata) => (metadata.name ? [metadata.name] : metadata.type === ValidationTypes.NESTED_VALIDATION ? ['nestedValidation'] : [])))];
  const base = { name, path, required: !optional, rules: ruleNames };
  const bounds = {
    ...(named('min') ? { min: number(named('min')!.constraints?.[0]) } : {}),
    ...(named('max') ? { max: number(named('max')!.constraints?.[0]) } : {}),
    ...(named('arrayMinSize') ? { minItems: number(named('arrayMinSize')!.constraints?.[0]) } : {}),
    ...(named('arrayMaxSize') ? { maxItems: number(named('arrayMaxSize')!.constraints?.[0]) } : {}),
  };

  const nested = nestedFieldOf(type, name);
  if (nested) {
    const inner = nested.type();
    if (seen.has(inner)) throw new Error(`${type.name}.${name} nests ${inner.name} in itself: an input cannot be described as a form`);
    return { ...base, ...bounds, kind: nested.list ? 'list' : 'object', fields: describeClass(inner, path, new Set([...seen, inner])) };
  }
  const text = named('isText');
  const textBounds = text && typeof text.constraints?.[0] === 'number' ? { maxLength: text.constraints[0] as number } : {};
  if (text?.each) return { ...base, ...bounds, ...textBounds, kind: 'textList' };
  if (text) return { ...base, ...bounds, ...textBounds, kind: text.constraints?.[1] === true ? 'paragraph' : 'text' };
  if (named('isSlug')) return { ...base, kind: 'slug' };
  if (named('isCandidacyId')) return { ...base, kind: 'candidacyId' };
  if (named('isIsoDate')) return { ...base, kind: 'date' };
  if (named('isCents')) return { ...base, kind: 'cents' };
  if (named('isInt')) return { ...base, ...bounds, kind: 'integer' };
  if (named('isNumber')) return { ...base, ...bounds, kind: 'decimal' };
  if (named('isBoolean')) return { ...base, kind: 'boolean' };
  if (named('isIn')) return { ...base, kind: 'choice', choices: [...((named('isIn')!.constraints?.[0] as readonly string[]) ?? [])] };
  if (named('isAidNature')) return { ...base, kind: 'choice', choices: [...AID_NATURES] };
  const matches = named('matches');
  if (matches && matches.constraints?.[0] instanceof RegExp) return { ...base, kind: 'text', pattern: matches.constraints[0] };
  // A format checked by its own rule (a SIRET, an RNA number): typed as one line of text.
  return { ...base, kind: 'text' };
}

function describeClass(type: Function, prefix: string, seen: ReadonlySet<Function>): InputField[] {
  const byProperty = new Map<string, Metadata[]>();
  for (const metadata of metadataOf(type)) {
    const rules = byProperty.get(metadata.propertyName) ?? [];
    rules.push(metadata);
    byProperty.set(metadata.propertyName, rules);
  }
  // Properties in the order the class declares them (the metadata storage keeps that order).
  return [...byProperty].map(([name, rules]) => describeField(type, name, rules, prefix, seen));
}

/** The fields of an input class, in declaration order, nested objects and list items described in turn. */
export function describeInput(type: new () => object): readonly InputField[] {
  return describeClass(type, '', new Set([type]));
}

/** Every field of a description, nested ones after their parent, in order. */
export function flattenFields(fields: readonly InputField[]): InputField[] {
  return fields.flatMap((field) => [field, ...flattenFields(field.fields ?? [])]);
}
