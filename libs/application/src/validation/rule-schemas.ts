import { AID_NATURES, SLUG_MAX_LENGTH, SLUG_PATTERN } from '@jalon/domain';

/** A JSON Schema (draft 2020-12, as OpenAPI 3.1 reads it), as plain data. */
export type JsonSchema = Readonly<Record<string, unknown>>;

const slug = SLUG_PATTERN.source.replace(/^\^/, '').replace(/\$$/, '');

/**
 * What each of Jalon's own validation rules accepts, as JSON Schema, for the OpenAPI document:
 * keyed by the rule's name, fed the rule's constraints. The rules themselves (text.decorators.ts,
 * `IsCandidacyId`, `IsInstant`) stay the judges; these schemas describe them to clients.
 */
export const RULE_SCHEMAS: Readonly<Record<string, (constraints: readonly unknown[]) => JsonSchema>> = {
  isSlug: () => ({ type: 'string', pattern: `^${slug}$`, maxLength: SLUG_MAX_LENGTH, examples: ['montbeliard'] }),
  isCandidacyId: () => ({
    type: 'string',
    pattern: `^${slug}--${slug}$`,
    maxLength: 2 * SLUG_MAX_LENGTH + 2,
    description: 'identifiant de candidature : <appel>--<territoire>',
    examples: ['ami-2--pays-de-montbeliard'],
  }),
  isIsoDate: () => ({ type: 'string', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', examples: ['2022-06-22'] }),
  isSiret: () => ({ type: 'string', pattern: '^\\d{14}$', description: 'numéro SIRET : 14 chiffres, clé de Luhn juste', examples: ['12345678200002'] }),
  isRna: () => ({ type: 'string', pattern: '^W\\d{9}$', description: 'numéro RNA d’association', examples: ['W251000000'] }),
  isAidNature: () => ({ type: 'string', enum: [...AID_NATURES] }),
  // Beside isText's own pattern: what the text must not start with (text.decorators.ts, FORMULA_START).
  isNotFormula: () => ({ not: { pattern: '^(?:\\s*[=+\\-@]|\\t)' } }),
  isUnambiguousName: () => ({ description: 'nom sans caractère de compatibilité (forme NFKC) ni mot mêlant plusieurs alphabets (latin, cyrillique, grec, arménien)' }),
  isInstant: () => ({ type: 'string', format: 'date-time', examples: ['2023-07-12T00:00:00Z'] }),
  isCents: () => ({ type: 'integer', minimum: 1, description: 'montant en centimes d’euro (entier strictement positif)', examples: [78_600_000] }),
  isText: ([maxLength, multiline]) => ({
    type: 'string',
    minLength: 1,
    ...(typeof maxLength === 'number' ? { maxLength } : {}),
    // One line: no CR, LF, line or paragraph separator. Never: C0/C1 controls (tab and, over several lines, CR and LF aside),
    // bidirectional embeddings, overrides and isolates.
    pattern: multiline
      ? '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069]*$'
      : '^[^\\u0000-\\u0008\\u000A-\\u001F\\u007F-\\u009F\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069]*$',
    description: multiline
      ? 'texte (plusieurs lignes possibles), non vide ni fait seulement de caractères invisibles'
      : 'texte sur une ligne, non vide ni fait seulement de caractères invisibles',
  }),
};
