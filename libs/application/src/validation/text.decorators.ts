import { isSlug, isIsoDate, SLUG_MAX_LENGTH } from '@jalon/domain';
import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

/**
 * Project-specific validation rules. Each decorator is one named rule, so that a refused input
 * says which rule it broke (`isSlug`, `isIsoDate`, `isText`, `isCents`).
 */

function rule(name: string, validate: (value: unknown) => boolean, message: (args: ValidationArguments) => string) {
  return (options?: ValidationOptions): PropertyDecorator =>
    (target, propertyName) =>
      registerDecorator({
        name,
        target: target.constructor,
        propertyName: propertyName as string,
        options: { message, ...options },
        validator: { validate },
      });
}

export const IsSlug = rule(
  'isSlug',
  isSlug,
  (a) => `${a.property} doit être un identifiant en minuscules, chiffres et tirets (ex. montbeliard), ${SLUG_MAX_LENGTH} caractères au plus`,
);

export const IsIsoDate = rule('isIsoDate', isIsoDate, (a) => `${a.property} doit être une date ISO valide (AAAA-MM-JJ)`);

/** Integer number of euro cents, strictly positive (money is never a float). */
export const IsCents = rule(
  'isCents',
  (v) => typeof v === 'number' && Number.isSafeInteger(v) && v > 0,
  (a) => `${a.property} doit être un montant entier positif en centimes d’euro (ex. 78600000 pour 786 000,00 €)`,
);

// Control characters other than tab and newline have no place in text typed by a person.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Human text: a string, not blank, without control characters, at most `maxLength` characters. */
export function IsText(maxLength = 200, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isText',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [maxLength],
      options: {
        message: (a: ValidationArguments) => `${a.property} doit être un texte non vide de ${maxLength} caractères au plus, sans caractère de contrôle`,
        ...options,
      },
      validator: {
        validate: (v: unknown) => typeof v === 'string' && v.trim().length > 0 && v.length <= maxLength && !CONTROL_CHARACTERS.test(v),
      },
    });
}
