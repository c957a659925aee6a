import { describeInput } from './input-description';

/** What an input class says of one of its fields when it travels in an HTTP query (`?antenna=montbeliard`). */
export interface QueryParameterOptions {
  /** The parameter's name in the query, when it is not the field's (`antenna` for `antennaId`). */
  readonly name?: string;
  /** What the parameter selects, in French: the API document shows it to integrators. */
  readonly description: string;
}

/** One query parameter of an input class: the field it fills, read from the class's one declaration. */
export interface QueryParameterDescription {
  /** The field of the input class (`antennaId`): what the CLI and the dashboard give. */
  readonly field: string;
  /** The parameter in the query (`antenna`): what the client sends, and what its errors name. */
  readonly name: string;
  readonly description: string;
  /** False when the field may be left out (`IsOptional`). */
  readonly required: boolean;
  /**
   * Declared a whole number (`isInt`, `isCents`): the query's text is read as a number before the
   * rules judge it, so `-1` is "too small" rather than "not a number".
   */
  readonly wholeNumber: boolean;
}

const DECLARED = new Map<Function, Map<string, QueryParameterOptions>>();

/**
 * Declares that a field of an input class is also a parameter of an HTTP query: its name there and
 * its French description. The field keeps its name for every other caller (CLI, dashboard), and its
 * class-validator rules stay its only judges.
 */
export function QueryParameter(options: QueryParameterOptions): PropertyDecorator {
  return (target, property) => {
    const fields = DECLARED.get(target.constructor) ?? new Map<string, QueryParameterOptions>();
    fields.set(String(property), options);
    DECLARED.set(target.constructor, fields);
  };
}

/** What `target`'s property declares as a query parameter ({@link QueryParameter}), if anything. */
export function queryParameterOf(target: Function | undefined, property: string): QueryParameterOptions | undefined {
  for (let type: unknown = target; typeof type === 'function' && type !== Function.prototype; type = Object.getPrototypeOf(type)) {
    const options = DECLARED.get(type as Function)?.get(property);
    if (options) return options;
  }
  return undefined;
}

/**
 * How a refusal names a field: as its class declares it (`antennaId`, the default: the CLI and the
 * dashboard give fields so), or as the HTTP query that carries it names it (`antenna`, declared with
 * `QueryParameter`), so that a client is told about the parameter it sent.
 */
export type FieldNaming = 'declared' | 'queryParameter';

/**
 * The name a refusal gives `property` of `type`, read from the class's one declaration: the property
 * itself, or, named as the query does, its `QueryParameter` name (`antenna` for `antennaId`). Every
 * refusal of an input names its fields through here: `validateInput` for the rules of the class,
 * and what judges the input past them (the report service's own rules, a report's missing parameter).
 */
export function fieldNameOf(type: Function | undefined, property: string, naming: FieldNaming): string {
  if (naming === 'declared') return property;
  return queryParameterOf(type, property)?.name ?? property;
}

const WHOLE_NUMBER_KINDS: ReadonlySet<string> = new Set(['integer', 'cents']);

/**
 * The query parameters of an input class, in declaration order: each field declared with
 * {@link QueryParameter}, whether a number is expected derived from its rules. A field without it
 * (a report's `kind`, in the path) is not a query parameter.
 */
export function queryParametersOf(type: new () => object): readonly QueryParameterDescription[] {
  return describeInput(type).flatMap((field) => {
    const declared = queryParameterOf(type, field.name);
    if (!declared) return [];
    return [{ field: field.name, name: declared.name ?? field.name, description: declared.description, required: field.required, wholeNumber: WHOLE_NUMBER_KINDS.has(field.kind) }];
  });
}

/** A whole number typed in a query, negative included; anything else (`1e9`, `abc`, a repeated parameter) as typed, for the rules to refuse naming it. */
function wholeNumberOf(value: unknown): unknown {
  return typeof value === 'string' && /^-?\d{1,9}$/.test(value) ? Number(value) : value;
}

/**
 * The input an HTTP query gives, by field (`antenna` → `antennaId`), numbers read as numbers; what
 * the parameters do not name is left out (the caller refuses it, naming it). Nothing is judged here:
 * `validateInput` does, with `naming: 'queryParameter'` to name fields as the query did.
 */
export function inputFromQuery(parameters: readonly QueryParameterDescription[], query: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const parameter of parameters) {
    const value = query[parameter.name];
    if (value !== undefined) input[parameter.field] = parameter.wholeNumber ? wholeNumberOf(value) : value;
  }
  return input;
}
