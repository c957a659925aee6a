import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { InputValidationError } from '../errors';
import { ReportQueryInput } from '../queries/report-query.input';
import { describeInput } from './input-description';
import { fieldNameOf, inputFromQuery, QueryParameter, queryParametersOf } from './query-parameters';
import { IsCents, IsSlug } from './text.decorators';
import { validateInput } from './validate-input';

class Query {
  /** In the path: not a query parameter. */
  @IsSlug()
  subject!: string;

  @QueryParameter({ name: 'territoire', description: 'le territoire' })
  @IsOptional()
  @IsSlug()
  territoryId?: string;

  @QueryParameter({ name: 'jours', description: 'un nombre de jours' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3650)
  days?: number;

  @QueryParameter({ description: 'un montant' })
  @IsOptional()
  @IsCents()
  amountCents?: number;
}

function refusalOf(input: unknown, naming?: 'declared' | 'queryParameter', type: new () => object = Query) {
  try {
    validateInput(type, input, naming ? { naming } : {});
  } catch (error) {
    if (error instanceof InputValidationError) return error.violations;
    throw error;
  }
  throw new Error('the input was accepted');
}

describe('query parameters declared on an input class', () => {
  it('rule: a query parameter is its field under the name the declaration gives, and is a number when its rules say so', () => {
    expect(queryParametersOf(Query)).toEqual([
      { field: 'territoryId', name: 'territoire', description: 'le territoire', required: false, wholeNumber: false },
      { field: 'days', name: 'jours', description: 'un nombre de jours', required: false, wholeNumber: true },
      { field: 'amountCents', name: 'amountCents', description: 'un montant', required: false, wholeNumber: true },
    ]);
  });

  it('rule: every field of the report query but its kind (in the path) is a query parameter with a French description', () => {
    const parameters = queryParametersOf(ReportQueryInput);
    expect(parameters.map((parameter) => parameter.field)).toEqual(describeInput(ReportQueryInput).map((field) => field.name).filter((name) => name !== 'kind'));
    for (const parameter of parameters) expect(parameter.description).toMatch(/[a-zé]{3,} /);
    expect(parameters.filter((parameter) => parameter.name !== parameter.field).map(({ field, name }) => `${field}→${name}`)).toEqual(['antennaId→antenna', 'agreementId→agreement']);
  });

  it('rule: a query gives its input by field, a whole number as a number (negative included) and anything else as typed', () => {
    const parameters = queryParametersOf(Query);
    expect(inputFromQuery(parameters, { territoire: 'doubs', jours: '-1', amountCents: '1200' })).toEqual({ territoryId: 'doubs', days: -1, amountCents: 1200 });
    expect(inputFromQuery(parameters, { jours: '1e9' })).toEqual({ days: '1e9' });
    expect(inputFromQuery(parameters, { jours: ['1', '2'] })).toEqual({ days: ['1', '2'] });
    expect(inputFromQuery(parameters, { jours: '12345678901' })).toEqual({ days: '12345678901' });
    // The field's own name is not a parameter: the caller refuses it, naming it.
    expect(inputFromQuery(parameters, { territoryId: 'doubs', days: '3' })).toEqual({});
  });

  it('rule: asked to, validation names each field and its message as the query does (jours, not days), for built-in and Jalon rules alike', () => {
    const input = inputFromQuery(queryParametersOf(Query), { territoire: 'Pas un id', jours: '-1' });
    const refused = refusalOf({ subject: 'doubs', ...input }, 'queryParameter');
    expect(refused).toEqual([
      { field: 'territoire', rule: 'isSlug', message: expect.stringMatching(/^territoire doit être un identifiant/) },
      { field: 'jours', rule: 'min', message: 'jours est trop petit (0 au moins)' },
    ]);
    expect(JSON.stringify(refused)).not.toMatch(/territoryId|days/);
    // A field that is no query parameter keeps its name.
    expect(refusalOf({ subject: 'Pas un id' }, 'queryParameter')).toEqual([expect.objectContaining({ field: 'subject', rule: 'isSlug' })]);
  });

  it('rule: a refusal past the rules names a field from the one declaration, as validation does: rename the query parameter and the name follows', () => {
    class Renamed extends Query {}
    // The same field declared under another query name on a subclass: the declaration, not the caller, gives the name.
    QueryParameter({ name: 'region', description: 'la région' })(Renamed.prototype, 'territoryId');
    expect(fieldNameOf(Query, 'territoryId', 'queryParameter')).toBe('territoire');
    expect(fieldNameOf(Renamed, 'territoryId', 'queryParameter')).toBe('region');
    expect(fieldNameOf(Renamed, 'days', 'queryParameter')).toBe('jours');
    expect(fieldNameOf(Renamed, 'territoryId', 'declared')).toBe('territoryId');
    // A field that is no query parameter keeps its name.
    expect(fieldNameOf(Renamed, 'subject', 'queryParameter')).toBe('subject');
    // validateInput names its refusals through the same function.
    const refused = refusalOf({ subject: 'doubs', territoryId: 'Pas un id' }, 'queryParameter', Renamed);
    expect(refused.map((violation) => violation.field)).toEqual([fieldNameOf(Renamed, 'territoryId', 'queryParameter')]);
  });

  it('rule: by default, validation names fields as declared (the CLI and the dashboard give antennaId, not antenna)', () => {
    expect(refusalOf({ subject: 'doubs', territoryId: 'Pas un id', days: 4000 }).map((v) => `${v.field}:${v.rule}:${v.message.split(' ')[0]}`)).toEqual([
      'territoryId:isSlug:territoryId',
      'days:max:days',
    ]);
  });
});
