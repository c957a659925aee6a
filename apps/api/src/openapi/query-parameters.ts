import { queryParametersOf } from '@jalon/application';
import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { OperationObject, ParameterObject, ReferenceObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/** Marks a documented query parameter with the input field it fills (`ReportQueryInput.antennaId`), until the document builder reads it. */
const INPUT_FIELD = 'x-input-field';

/**
 * Documents a route's query parameters from the input class they fill: each field declared with
 * `QueryParameter`, under its query name, with its French description; its schema is the field's own
 * (see {@link useInputFieldSchemas}), so the document cannot drift from what is validated.
 */
export function ApiQueryParameters(input: new () => object): MethodDecorator {
  return applyDecorators(
    ...queryParametersOf(input).map((parameter) =>
      ApiQuery({ name: parameter.name, required: parameter.required, description: parameter.description, extensions: { [INPUT_FIELD]: `${input.name}.${parameter.field}` } }),
    ),
  );
}

type Schema = SchemaObject & { properties?: Record<string, SchemaObject | ReferenceObject> };

/**
 * Gives each query parameter of `operation` documented by {@link ApiQueryParameters} the JSON Schema
 * of the input field it fills (the same rules, limits and choices as its validation), and removes
 * the mark.
 */
export function useInputFieldSchemas(operation: OperationObject, inputs: Readonly<Record<string, Schema>>): void {
  for (const parameter of (operation.parameters ?? []) as (ParameterObject & Record<string, unknown>)[]) {
    const mark = parameter[INPUT_FIELD];
    if (typeof mark !== 'string') continue;
    delete parameter[INPUT_FIELD];
    const [input = '', field = ''] = mark.split('.');
    const schema = inputs[input]?.properties?.[field];
    if (schema) parameter.schema = schema;
  }
}
