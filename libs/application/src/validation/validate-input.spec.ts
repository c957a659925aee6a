import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { InputValidationError } from '../errors';
import { NestedList, NestedObject } from './nested.decorators';
import { IsCents, IsIsoDate, IsSlug, IsText } from './text.decorators';
import { MAX_INPUT_DEPTH, MAX_INPUT_VALUES, validateInput } from './validate-input';

class Inner {
  @IsCents()
  amountCents!: number;
}

class Sample {
  @IsSlug()
  id!: string;
  @IsOptional()
  @IsText(30)
  note?: string;
  @IsIsoDate()
  effectiveDate!: string;
  @NestedObject(() => Inner)
  inner!: Inner;
  @IsOptional()
  @NestedList(() => Inner, { max: 3 })
  items?: Inner[];
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3650)
  days?: number;
  @IsOptional()
  @IsIn(['distance', 'hybrid', 'on-site'])
  mode?: string;
}

function violationsOf(input: unknown) {
  try {
    validateInput(Sample, input);
  } catch (error) {
    if (error instanceof InputValidationError) return error.violations.map((v) => `${v.field}:${v.rule}`);
    throw error;
  }
  return [];
}

function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let level = 0; level < depth; level++) value = { a: value };
  return value;
}

describe('validateInput', () => {
  const valid = { id: 'montbeliard', effectiveDate: '2022-06-22', inner: { amountCents: 78_600_000 } };

  it('rule isIn: the French message names the field and the values it may take', () => {
    expect(() => validateInput(Sample, { ...valid, mode: 'présentiel' })).toThrow(
      expect.objectContaining({
        violations: [{ field: 'mode', rule: 'isIn', message: 'mode n’est pas une valeur autorisée (valeurs possibles : distance, hybrid, on-site)' }],
      }),
    );
  });

  it('accepts valid input and returns it as plain JSON data (a copy, never an instance of the input class)', () => {
    const input = { ...valid, inner: { ...valid.inner }, items: [{ amountCents: 1 }] };
    const data = validateInput(Sample, input);
    expect(data).toEqual(input);
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(data.inner)).toBe(Object.prototype);
    input.inner.amountCents = -5;
    input.items[0]!.amountCents = -5;
    expect(data.inner.amountCents).toBe(78_600_000);
    expect(data.items![0]!.amountCents).toBe(1);
  });

  it('leaves out an optional field given as undefined, as JSON would', () => {
    expect(Object.keys(validateInput(Sample, { ...valid, note: undefined }))).not.toContain('note');
  });

  it('rule: money is an integer number of cents, never a float (isCents)', () => {
    expect(violationsOf({ ...valid, inner: { amountCents: 786000.5 } })).toEqual(['inner.amountCents:isCents']);
    expect(violationsOf({ ...valid, inner: { amountCents: '78600000' } })).toEqual(['inner.amountCents:isCents']);
    expect(violationsOf({ ...valid, inner: { amountCents: -1 } })).toEqual(['inner.amountCents:isCents']);
  });

  it('rule: dates are real ISO calendar dates (isIsoDate)', () => {
    expect(violationsOf({ ...valid, effectiveDate: '2022-02-30' })).toEqual(['effectiveDate:isIsoDate']);
    expect(violationsOf({ ...valid, effectiveDate: '22/06/2022' })).toEqual(['effectiveDate:isIsoDate']);
    expect(violationsOf({ ...valid, effectiveDate: '2022-06-22T10:00:00Z' })).toEqual(['effectiveDate:isIsoDate']);
  });

  it('rule: unknown fields are refused, at any depth, not silently dropped', () => {
    expect(violationsOf({ ...valid, extra: 1, inner: { amountCents: 1, autre: 2 } })).toEqual(['extra:whitelistValidation', 'inner.autre:whitelistValidation']);
  });

  it('rule: __proto__, constructor and prototype keys are refused like any unknown field, at any depth', () => {
    expect(violationsOf(JSON.parse('{"id":"a","effectiveDate":"2022-06-22","inner":{"amountCents":1},"__proto__":{"x":1}}'))).toEqual(['__proto__:whitelistValidation']);
    expect(violationsOf(JSON.parse('{"id":"a","effectiveDate":"2022-06-22","inner":{"amountCents":1,"constructor":{"prototype":1}}}'))).toEqual([
      'inner.constructor:whitelistValidation',
    ]);
    expect(violationsOf({ ...valid, items: [JSON.parse('{"amountCents":1,"prototype":2}')] })).toEqual(['items.0.prototype:whitelistValidation']);
  });

  it('rule: optional means absent: null is refused with a message naming the field', () => {
    expect(violationsOf({ ...valid, note: null })).toEqual(['note:isNotNull']);
  });

  it('rule: a required nested object cannot be left out', () => {
    const { inner: _inner, ...withoutInner } = valid;
    expect(violationsOf(withoutInner)).toContain('inner:isDefined');
  });

  it('rule: an object field holds an object, not a list, a text or a number (isObject), and says so once', () => {
    expect(violationsOf({ ...valid, inner: [] })).toEqual(['inner:isObject']);
    expect(violationsOf({ ...valid, inner: [{ amountCents: 1 }] })).toEqual(['inner:isObject']);
    expect(violationsOf({ ...valid, inner: 'x' })).toEqual(['inner:isObject']);
    expect(violationsOf({ ...valid, inner: 3 })).toEqual(['inner:isObject']);
  });

  it('rule: a value that is not a whole number is refused as such, once, never also as too small and too big (once "-1 est trop grand")', () => {
    for (const days of ['-1', 'abc', '1e9', ['1', '2'], 1.5]) expect(violationsOf({ ...valid, days })).toEqual(['days:isInt']);
    expect(violationsOf({ ...valid, days: -1 })).toEqual(['days:min']);
    expect(violationsOf({ ...valid, days: 4000 })).toEqual(['days:max']);
  });

  it('rule: a list of objects holds objects only: a nested list or a text in it is refused (isObject)', () => {
    expect(violationsOf({ ...valid, items: [[]] })).toEqual(['items:isObject']);
    expect(violationsOf({ ...valid, items: [[{ amountCents: 1 }]] })).toEqual(['items:isObject']);
    expect(violationsOf({ ...valid, items: ['x'] })).toEqual(['items:isObject']);
    expect(violationsOf({ ...valid, items: {} })).toEqual(expect.arrayContaining(['items:isArray']));
    expect(violationsOf({ ...valid, items: [{}, {}, {}, {}] })).toEqual(expect.arrayContaining(['items:arrayMaxSize']));
  });

  it(`rule: nothing nests deeper than ${MAX_INPUT_DEPTH} levels: 100,000 levels are refused at once, without exhausting the stack`, () => {
    expect(violationsOf({ ...valid, note: nested(100_000) })).toEqual([`${Array.from({ length: MAX_INPUT_DEPTH }, (_, i) => (i === 0 ? 'note' : 'a')).join('.')}:maxDepth`]);
    const deepList: unknown[] = [];
    let node = deepList;
    for (let level = 0; level < 100_000; level++) node.push((node = []));
    expect(violationsOf({ ...valid, items: deepList })).toEqual([expect.stringMatching(/^items(\.0)+:maxDepth$/)]);
  });

  it(`rule: an input holds at most ${MAX_INPUT_VALUES} values`, () => {
    expect(violationsOf({ ...valid, items: Array.from({ length: MAX_INPUT_VALUES }, () => ({ amountCents: 1 })) })).toEqual([':maxSize']);
  });

  it('lists 100 refusals at most, and counts the others', () => {
    const extra = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`champ${i}`, i]));
    const violations = violationsOf({ ...valid, ...extra });
    expect(violations).toHaveLength(101);
    expect(violations[100]).toBe(':maxViolations');
  });

  it('rule: values JSON cannot hold (a Date, a function, a hole in a list) are refused', () => {
    expect(violationsOf({ ...valid, note: new Date('2021-01-01') })).toEqual(['note:isJson']);
    expect(violationsOf({ ...valid, note: () => 'x' })).toEqual(['note:isJson']);
    // eslint-disable-next-line no-sparse-arrays
    expect(violationsOf({ ...valid, items: [, { amountCents: 1 }] })).toEqual(['items.0:isJson']);
  });

  it('rule: the input must be a JSON object', () => {
    expect(violationsOf([valid])).toEqual([':isObject']);
    expect(violationsOf('texte')).toEqual([':isObject']);
    expect(violationsOf(new Date())).toEqual([':isObject']);
  });

  it('names the full path of a nested field in the French message, with the limit it broke', () => {
    try {
      validateInput(Sample, { ...valid, inner: { amountCents: 1.5 }, items: [{}, {}, {}, {}] });
    } catch (error) {
      const messages = (error as InputValidationError).violations.map((v) => v.message);
      expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(/^inner\.amountCents doit être un montant entier positif en centimes/), 'items contient trop d’éléments (3 au plus)']));
      return;
    }
    throw new Error('expected a validation error');
  });
});
