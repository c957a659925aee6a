import { COMMANDS } from '@jalon/application';
import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ReferenceObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { COMMAND_ROUTES, pathParametersOf } from '../commands/command-routes';

type Schema = SchemaObject & { properties?: Record<string, SchemaObject | ReferenceObject>; required?: string[] };

/**
 * The OpenAPI document: routes from the controllers, request bodies from the very class-validator
 * rules that validate them (so the documentation cannot drift from the validation).
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Jalon')
    .setDescription(
      'Suivi événementiel du programme « Au cœur des territoires » (Cnam) : chaque fait est un événement immuable. ' +
        'Montants en centimes d’euro (entiers), dates ISO AAAA-MM-JJ. Authentification : en-tête `Authorization: Bearer <jeton>`.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  const schemas = validationMetadatasToSchemas({
    refPointerPrefix: '#/components/schemas/',
    classTransformerMetadataStorage: defaultMetadataStorage,
  }) as Record<string, Schema>;
  const components: Record<string, SchemaObject | ReferenceObject> = { ...document.components?.schemas, ...schemas };
  document.components = { ...document.components, schemas: components };
  for (const route of COMMAND_ROUTES) {
    const definition = COMMANDS.find((command) => command.name === route.command);
    const input = definition && schemas[definition.input.name];
    if (!input) continue;
    const inPath = new Set(pathParametersOf(route.path));
    const body: Schema = {
      ...input,
      properties: Object.fromEntries(Object.entries(input.properties ?? {}).filter(([name]) => !inPath.has(name))),
      required: (input.required ?? []).filter((name) => !inPath.has(name)),
      additionalProperties: false,
    };
    components[`${route.command}Body`] = body;
  }
  return document;
}

export function serveOpenApi(app: INestApplication): void {
  SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'api/openapi.json',
    customSiteTitle: 'Jalon — API',
  });
}
