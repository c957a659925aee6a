import { AID_NATURES, EARLIEST_DATE, isAcceptedDate, isIsoInstant, isRna, isSiret, isSlug, LATEST_DATE, MAX_AMOUNT_CENTS, SLUG_MAX_LENGTH } from '@jalon/domain';
import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

/**
 * Project-specific validation rules. Each decorator is one named rule, so that a refused input
 * says which rule it broke (`isSlug`, `isIsoDate`, `isText`, `isCents`). This file is the one home
 * of the rules on text typed by a person.
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

/** A calendar date, `YYYY-MM-DD`, within the domain's bounds (1900-01-01 to 2100-12-31). */
export const IsIsoDate = rule(
  'isIsoDate',
  isAcceptedDate,
  (a) => `${a.property} doit être une date ISO valide (AAAA-MM-JJ), du ${EARLIEST_DATE} au ${LATEST_DATE}`,
);

/**
 * An ISO 8601 instant with its offset (`2023-07-12T00:00:00Z`, `2023-07-12T02:00:00+02:00`) that
 * names a real time (the calendar's `isIsoInstant`), on a date within the domain's bounds.
 */
export function isCalendarInstant(value: unknown): value is string {
  return isIsoInstant(value) && isAcceptedDate(value.slice(0, 10));
}

/** A recorded-time cut (`knownAt`): see {@link isCalendarInstant}. */
export const IsInstant = rule(
  'isInstant',
  isCalendarInstant,
  (a) => `${a.property} doit être un instant ISO 8601 réel avec son fuseau (ex. 2023-07-12T00:00:00Z), du ${EARLIEST_DATE} au ${LATEST_DATE}`,
);

/** Integer number of euro cents, strictly positive and at most the domain's maximum (money is never a float). */
export const IsCents = rule(
  'isCents',
  (v) => typeof v === 'number' && Number.isSafeInteger(v) && v > 0 && v <= MAX_AMOUNT_CENTS,
  (a) =>
    `${a.property} doit être un montant entier positif en centimes d’euro, ${MAX_AMOUNT_CENTS} (100 000 000,00 €) au plus (ex. 78600000 pour 786 000,00 €)`,
);

/** A SIRET: 14 digits with a right Luhn key (an establishment's number, as INSEE gives it). */
export const IsSiret = rule(
  'isSiret',
  isSiret,
  (a) => `${a.property} doit être un numéro SIRET : 14 chiffres sans espace, dont la clé de contrôle (Luhn) est juste`,
);

/** A number in the register of associations: W and nine digits. */
export const IsRna = rule('isRna', isRna, (a) => `${a.property} doit être un numéro RNA : la lettre W suivie de 9 chiffres (ex. W251000000)`);

/** The nature of an aid, as the SCDL « subventions » format spells it. */
export const IsAidNature = rule(
  'isAidNature',
  (v) => typeof v === 'string' && (AID_NATURES as readonly string[]).includes(v),
  (a) => `${a.property} doit valoir l’une des natures d’aide du format national : ${AID_NATURES.map((n) => `« ${n} »`).join(', ')}`,
);

// C0 controls other than tab, line feed and carriage return, DEL, and the C1 controls (NEL among them).
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
// Line breaks, for text that must hold on one line: CR, LF and the Unicode line and paragraph separators.
const LINE_BREAKS = /[\r\n\u2028\u2029]/;
// Embeddings, overrides and isolates: they reorder what is displayed (« abc‮gnp.exe » reads « abcexe.png »).
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;
// Half of a UTF-16 surrogate pair without its other half: no character at all (stored, it comes back as U+FFFD).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// What displays as nothing: spaces, controls, format characters, zero-width and other default-ignorable code points, the braille blank.
const INVISIBLE_ONLY = /^[\p{White_Space}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]*$/u;

/** Why `value` is not acceptable text, as the end of a French sentence naming the field; undefined when it is. */
export function textProblem(value: unknown, maxLength: number, multiline: boolean): string | undefined {
  if (typeof value !== 'string') return 'doit être un texte';
  if (value.length > maxLength) return `doit compter ${maxLength} caractères au plus`;
  if (LONE_SURROGATE.test(value)) return 'contient un caractère Unicode invalide (une moitié isolée de paire de substitution)';
  if (INVISIBLE_ONLY.test(value)) return 'ne doit pas être vide ni fait seulement d’espaces ou de caractères invisibles';
  if (!multiline && LINE_BREAKS.test(value)) return 'doit tenir sur une ligne, sans retour à la ligne';
  if (CONTROL_CHARACTERS.test(value)) return 'ne doit pas contenir de caractère de contrôle';
  if (BIDI_CONTROLS.test(value)) return 'ne doit pas contenir de caractère qui inverse le sens d’écriture (U+202A à U+202E, U+2066 à U+2069)';
  return undefined;
}

// What a spreadsheet opening a CSV file runs as a formula: `=`, `+`, `-` or `@` first (after spaces), or a tab.
const FORMULA_START = /^(?:\s*[=+\-@]|\t)/;

/**
 * Text published as typed in an open-data file (the SCDL « subventions » CSV, whose format forbids
 * altering a value on export, docs/decisions/0014-scdl-subventions.md): it must not start as a
 * formula would, which a spreadsheet opening the file would run. With {@link IsText}, which judges
 * the rest (a value that is no text is only that).
 */
export const IsNotFormula = rule(
  'isNotFormula',
  (v) => typeof v !== 'string' || !FORMULA_START.test(v),
  (a) => `${a.property} ne doit pas commencer par =, +, - ou @ (ni par une tabulation) : ce texte est publié tel quel en données ouvertes (format SCDL), où un tableur le lirait comme une formule`,
);

// The scripts a name's letters are told apart by: a word mixing two of them imitates another name.
const SCRIPTS: readonly (readonly [name: string, letter: RegExp])[] = [
  ['latin', /\p{Script=Latin}/u],
  ['cyrillique', /\p{Script=Cyrillic}/u],
  ['grec', /\p{Script=Greek}/u],
  ['arménien', /\p{Script=Armenian}/u],
];

/** Why `value` could pass for another name in the audit trail, as the end of a French sentence; undefined when it cannot. */
export function lookAlikeProblem(value: string): string | undefined {
  if (value.normalize('NFKC') !== value) {
    return 'contient des caractères de compatibilité (pleine chasse, exposants, ligatures…) qui imitent des lettres ordinaires : écrivez-les en caractères ordinaires (a et non ａ)';
  }
  for (const word of value.split(/[\s\-‐'’.]+/u)) {
    const scripts = SCRIPTS.filter(([, letter]) => letter.test(word)).map(([name]) => name);
    if (scripts.length > 1) return `mêle dans un même mot (« ${word} ») des lettres de plusieurs alphabets (${scripts.join(' et ')}), qui imitent un autre nom`;
  }
  return undefined;
}

/**
 * A person's name as the audit trail shows it (« Par »): besides {@link IsText}, no character that
 * imitates another (full-width letters, a Cyrillic « е » among Latin ones), so that two people
 * cannot look alike there.
 */
export const IsUnambiguousName = rule(
  'isUnambiguousName',
  (v) => typeof v !== 'string' || lookAlikeProblem(v) === undefined,
  (a) => `${a.property} ${lookAlikeProblem(String(a.value)) ?? 'est invalide'}`,
);

/**
 * A file name offered for a download (`Content-Disposition`): one line of text by the rules of
 * {@link IsText} (no control character, no bidirectional override that would show « facture »,
 * U+202E, « fdp.exe » as « facture.exe.pdf »), 255 characters at most, without a directory or a
 * quote.
 */
export function isPlainFileName(value: unknown): value is string {
  return typeof value === 'string' && textProblem(value, 255, false) === undefined && !/["/\\]/.test(value);
}

/** Both kinds of text break one rule, `isText`; its constraints say which kind (read by the OpenAPI document). */
function textRule(maxLength: number, multiline: boolean, options?: ValidationOptions): PropertyDecorator {
  const valid = (value: unknown) => textProblem(value, maxLength, multiline) === undefined;
  return (target, propertyName) =>
    registerDecorator({
      name: 'isText',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [maxLength, multiline],
      options: {
        message: (a: ValidationArguments) => {
          // With `each`, the value is the whole list: name the first item at fault.
          if (options?.each && Array.isArray(a.value)) {
            const index = a.value.findIndex((item) => !valid(item));
            return `${a.property} : l’élément n° ${index + 1} ${textProblem(a.value[index], maxLength, multiline) ?? 'est invalide'}`;
          }
          return `${a.property} ${textProblem(a.value, maxLength, multiline) ?? 'est invalide'}`;
        },
        ...options,
      },
      validator: { validate: valid },
    });
}

/**
 * Text typed on one line (a name, a title, a label): a string of at most `maxLength` characters,
 * not blank nor made only of invisible characters, with no line break, no control character, no
 * character that reverses the reading direction and no half of a surrogate pair.
 */
export function IsText(maxLength = 200, options?: ValidationOptions): PropertyDecorator {
  return textRule(maxLength, false, options);
}

/** Text that may run over several lines (a reason, a description): as {@link IsText}, line breaks allowed. */
export function IsParagraph(maxLength = 1000, options?: ValidationOptions): PropertyDecorator {
  return textRule(maxLength, true, options);
}
