import { RULE_SCHEMAS } from '@jalon/application';
import { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { CommandRoute } from '../commands/command-routes';

const REF = '#/components/schemas/';

/** RFC 9457 problem details as Jalon sends them, with its stable code and per-field errors. */
export const PROBLEM_SCHEMAS: Record<string, SchemaObject> = {
  FieldViolation: {
    type: 'object',
    description: 'Une règle enfreinte par un champ de l’entrée.',
    properties: {
      field: { type: 'string', description: 'chemin du champ, ex. territory.figures.jobs (vide : la requête entière)', examples: ['targets.antennaCount'] },
      rule: { type: 'string', description: 'la règle enfreinte', examples: ['isInt'] },
      message: { type: 'string', description: 'en français, nommant le champ et la règle' },
    },
    required: ['field', 'rule', 'message'],
  },
  ProblemDetails: {
    type: 'object',
    description: 'Une erreur (RFC 9457, application/problem+json), en français.',
    properties: {
      type: { type: 'string', format: 'uri-reference', description: 'décrit le code : /api/problems/<code>', examples: ['/api/problems/INPUT.INVALID'] },
      title: { type: 'string', description: 'le libellé français du code, le même à chaque fois' },
      status: { type: 'integer', minimum: 400, maximum: 599 },
      detail: { type: 'string', description: 'en français, propre à cette occurrence' },
      instance: { type: 'string', format: 'uri-reference', description: 'le chemin de la requête' },
      code: { type: 'string', pattern: '^[A-Z_]+\\.[A-Z0-9_]+$', description: 'code stable', examples: ['ANTENNA.NOT_FOUND'] },
      errors: { type: 'array', items: { $ref: `${REF}FieldViolation` }, description: 'pour une entrée invalide : une erreur par champ et par règle' },
      details: { type: 'object', additionalProperties: true, description: 'ce que l’erreur sait de plus (flux et révisions d’un conflit, dates comparées…)' },
    },
    required: ['type', 'title', 'status', 'detail', 'instance', 'code'],
  },
};

export const COMMAND_RESULT_SCHEMAS: Record<string, SchemaObject> = {
  CommandResult: {
    type: 'object',
    description: 'Le résultat d’une commande : les événements ajoutés (aucun pour une répétition), la révision du flux pour If-Match.',
    properties: {
      command: { type: 'string', examples: ['SubmitCandidacy'] },
      streamId: { type: 'string', examples: ['candidacy-ami-2--pays-de-montbeliard'] },
      written: { type: 'boolean', description: 'faux pour une commande répétée qui ne change rien' },
      nextExpectedRevision: {
        // `const` and type lists are JSON Schema 2020-12 (OpenAPI 3.1), which Nest's 3.0 typings do not know.
        oneOf: [{ type: 'integer', minimum: 0 }, { const: 'no_stream' } as SchemaObject],
        description: 'révision du dernier événement du flux : la valeur de l’en-tête ETag, à renvoyer dans If-Match',
      },
      position: { type: ['string', 'null'] as unknown as 'string', pattern: '^\\d+$', description: 'position globale du dernier événement ajouté (waitForPosition des rapports)' },
      events: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            id: { type: 'string', format: 'uuid' },
            type: { type: 'string' },
            streamId: { type: 'string', description: 'le flux de l’événement : une commande écrite en deux temps liste d’abord l’inscription sur le flux parent' },
            revision: { type: 'integer', minimum: 0, description: 'révision de l’événement dans son flux' },
          },
          required: ['id', 'type', 'streamId', 'revision'],
        },
      },
      replayed: { type: 'boolean', description: 'vrai quand c’est le résultat enregistré d’une requête précédente de même clé d’idempotence' },
    },
    required: ['command', 'streamId', 'written', 'nextExpectedRevision', 'position', 'events'],
  },
};

/** The result schema of a route's command: `CommandResult`, or one with `ids` when the command derives ids of its own. */
export function commandResultSchemaOf(route: CommandRoute): { readonly name: string; readonly schema?: SchemaObject } {
  const created = Object.entries(route.createdIds ?? {});
  if (created.length === 0) return { name: 'CommandResult' };
  return {
    name: `${route.command}Result`,
    schema: {
      allOf: [
        { $ref: `${REF}CommandResult` },
        {
          type: 'object',
          properties: {
            ids: {
              type: 'object',
              description: 'les identifiants que la commande a créés',
              properties: Object.fromEntries(created.map(([name, id]) => [name, RULE_SCHEMAS[id.rule]?.([]) ?? { type: 'string' }])),
              required: created.map(([name]) => name),
            },
          },
          required: ['ids'],
        },
      ],
    },
  };
}
