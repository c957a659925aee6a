import { COMMANDS, NewUserInput, nestedFieldOf, RULE_SCHEMAS } from '@jalon/application';
import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { OperationObject, ParameterObject, ReferenceObject, ResponseObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { MetadataStorage, ValidationTypes } from 'class-validator';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { COMMAND_ROUTES, pathParametersOf } from '../commands/command-routes';
import { PROBLEM_TYPE_PREFIX } from '../errors/problem-details';
import { COMMAND_RESULT_SCHEMAS, commandResultSchemaOf, PROBLEM_SCHEMAS } from './response-schemas';
import { useInputFieldSchemas } from './query-parameters';

type ValidationMetadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];
type SchemaConverters = NonNullable<NonNullable<Parameters<typeof validationMetadatasToSchemas>[0]>['additionalConverters']>;
type Schema = SchemaObject & { properties?: Record<string, SchemaObject | ReferenceObject>; required?: string[] };

const REF = '#/components/schemas/';
const PROBLEM_TYPE = 'application/problem+json';

/** The type a property was declared with, as TypeScript emitted it: the last resort for a rule without a schema. */
function declaredTypeSchema(target: Function, property: string): SchemaObject {
  const type = Reflect.getMetadata('design:type', target.prototype as object, property) as unknown;
  if (type === String) return { type: 'string' };
  if (type === Number) return { type: 'number' };
  if (type === Boolean) return { type: 'boolean' };
  if (type === Array) return { type: 'array' };
  return {};
}

/**
 * JSON Schemas of every class-validator input class, from the very rules that validate them: the
 * library's converters for class-validator's own rules, {@link RULE_SCHEMAS} for Jalon's, and the
 * nested classes that `NestedObject` / `NestedList` name. Every input refuses unknown fields.
 */
function inputSchemas(): Record<string, Schema> {
  const schemas = validationMetadatasToSchemas({
    refPointerPrefix: REF,
    additionalConverters: {
      [ValidationTypes.NESTED_VALIDATION]: (meta: ValidationMetadata) => {
        const nested = nestedFieldOf(meta.target as Function, meta.propertyName);
        return nested ? { $ref: `${REF}${nested.type().name}` } : { type: 'object' };
      },
      [ValidationTypes.CUSTOM_VALIDATION]: (meta: ValidationMetadata) => declaredTypeSchema(meta.target as Function, meta.propertyName),
      ...Object.fromEntries(Object.entries(RULE_SCHEMAS).map(([name, schemaOf]) => [name, (meta: ValidationMetadata) => schemaOf(meta.constraints ?? [])])),
    } as unknown as SchemaConverters,
  }) as Record<string, Schema>;
  for (const schema of Object.values(schemas)) schema.additionalProperties = false;
  return schemas;
}

const problemResponse = (description: string): ResponseObject => ({
  description,
  content: { [PROBLEM_TYPE]: { schema: { $ref: `${REF}ProblemDetails` } } },
});

/**
 * The OpenAPI 3.1 document: routes from the controllers, request bodies and path parameters from
 * the very class-validator rules that validate them (so the documentation cannot drift from the
 * validation), command results, and RFC 9457 problem details for every error.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Jalon')
    .setDescription(
      'Suivi événementiel du programme « Au cœur des territoires » (Cnam) : chaque fait est un événement immuable. ' +
        'Montants en centimes d’euro (entiers), dates ISO AAAA-MM-JJ. Authentification : en-tête `Authorization: Bearer <jeton>`. ' +
        `Toute erreur est un « problem details » (RFC 9457, \`${PROBLEM_TYPE}\`) avec un \`code\` stable et, pour une entrée invalide, ` +
        'une erreur par champ et par règle (`errors`).',
    )
    .setVersion('1')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      // Nest's default says JWT; Jalon's tokens are random strings the server looks up.
      bearerFormat: 'opaque',
      description:
        'Jeton d’accès opaque (`jalon_` suivi de caractères aléatoires ; ce n’est pas un JWT), affiché une seule fois à la création ' +
        'de l’utilisateur ; le serveur n’en garde que l’empreinte SHA-256.',
    })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.openapi = '3.1.0';
  const inputs = inputSchemas();
  const components: Record<string, SchemaObject | ReferenceObject> = {
    ...document.components?.schemas,
    ...inputs,
    ...PROBLEM_SCHEMAS,
    ...COMMAND_RESULT_SCHEMAS,
  };
  document.components = { ...document.components, schemas: components };

  for (const route of COMMAND_ROUTES) {
    const definition = COMMANDS.find((command) => command.name === route.command);
    const input = definition && inputs[definition.input.name];
    const operation = document.paths[`/api/${route.path.replace(/:([A-Za-z]+)/g, '{$1}')}`]?.post;
    if (!input || !operation) continue;
    const inPath = new Set(pathParametersOf(route.path));
    components[`${route.command}Body`] = {
      ...input,
      properties: Object.fromEntries(Object.entries(input.properties ?? {}).filter(([name]) => !inPath.has(name))),
      required: (input.required ?? []).filter((name) => !inPath.has(name)),
      additionalProperties: false,
    };
    // A path parameter is a field of the input: the same rule, the same pattern.
    for (const parameter of (operation.parameters ?? []) as ParameterObject[]) {
      const schema = input.properties?.[parameter.name];
      if (parameter.in === 'path' && schema) parameter.schema = schema;
    }
    const resultSchema = commandResultSchemaOf(route);
    if (resultSchema.schema) components[resultSchema.name] = resultSchema.schema;
    const result = { $ref: `${REF}${resultSchema.name}` };
    operation.responses['201'] = { description: 'Événements enregistrés', content: { 'application/json': { schema: result } } };
    operation.responses['200'] = { description: 'Commande répétée : rien de nouveau à enregistrer', content: { 'application/json': { schema: result } } };
  }

  const newUser = document.paths['/api/users']?.post;
  if (newUser && inputs[NewUserInput.name]) {
    newUser.requestBody = { required: true, content: { 'application/json': { schema: { $ref: `${REF}${NewUserInput.name}` } } } };
  }

  for (const item of Object.values(document.paths)) {
    for (const operation of [item.get, item.post, item.put, item.patch, item.delete].filter((o): o is OperationObject => o !== undefined)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) >= 400 && response && !('$ref' in response)) operation.responses[status] = problemResponse(response.description);
      }
      operation.responses.default ??= problemResponse(`Erreur : « problem details » (RFC 9457) ; \`type\` renvoie à ${PROBLEM_TYPE_PREFIX}<code>`);
      // A query parameter that is a field of an input: the same rule, the same schema.
      useInputFieldSchemas(operation, inputs);
    }
  }
  return document;
}

export function serveOpenApi(app: INestApplication): void {
  SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'api/openapi.json',
    customSiteTitle: 'Jalon — API',
  });
}
