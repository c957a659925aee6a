import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsObject, IsOptional, ValidateNested, ValidationArguments } from 'class-validator';

/** Where each nested field of an input class says its items are: read by the OpenAPI document. */
export interface NestedField {
  readonly type: () => Function;
  readonly list: boolean;
}

const NESTED = new Map<Function, Map<string, NestedField>>();

/** The nested class of `target`'s property, if it was declared with {@link NestedObject} or {@link NestedList}. */
export function nestedFieldOf(target: Function, property: string): NestedField | undefined {
  for (let type: unknown = target; typeof type === 'function' && type !== Function.prototype; type = Object.getPrototypeOf(type)) {
    const field = NESTED.get(type as Function)?.get(property);
    if (field) return field;
  }
  return undefined;
}

function remember(target: object, property: string | symbol, field: NestedField): void {
  const fields = NESTED.get(target.constructor) ?? new Map<string, NestedField>();
  fields.set(String(property), field);
  NESTED.set(target.constructor, fields);
}

function apply(decorators: readonly PropertyDecorator[]): PropertyDecorator {
  return (target, property) => {
    for (const decorate of decorators) decorate(target, property);
  };
}

/**
 * A field holding one object checked by the rules of class `type`. An array, a string or a
 * number there is refused (`isObject`), not read as an object.
 */
export function NestedObject(type: () => Function, options: { optional?: boolean } = {}): PropertyDecorator {
  const decorate = apply([
    options.optional ? IsOptional() : IsDefined(),
    IsObject({ message: (a: ValidationArguments) => `${a.property} doit être un objet JSON ({ … })` }),
    ValidateNested(),
    Type(type),
  ]);
  return (target, property) => {
    remember(target, property, { type, list: false });
    decorate(target, property);
  };
}

/**
 * A field holding a list of `min` to `max` objects, each checked by the rules of class `type`.
 * Anything but an object in the list (a nested list, a string) is refused (`isObject`).
 */
export function NestedList(type: () => Function, size: { min?: number; max: number }): PropertyDecorator {
  const decorate = apply([
    IsArray(),
    ...(size.min ? [ArrayMinSize(size.min)] : []),
    ArrayMaxSize(size.max),
    IsObject({ each: true, message: (a: ValidationArguments) => `${a.property} doit être une liste d’objets JSON ({ … })` }),
    ValidateNested({ each: true }),
    Type(type),
  ]);
  return (target, property) => {
    remember(target, property, { type, list: true });
    decorate(target, property);
  };
}
