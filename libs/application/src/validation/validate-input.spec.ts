import { IsDefined, IsOptional, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { InputValidationError } from '../errors';
import { IsCents, IsIsoDate, IsSlug, IsText } from './text.decorators';
import { validateInput } from './validate-input';

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
  @IsDefined()
  @ValidateNested()
  @Type(() => Inner)
  inner!: Inner;
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

describe('validateInput', () => {
  const valid = { id: 'montbeliard', effectiveDate: '2022-06-22', inner: { amountCents: 78_600_000 } };

  it('accepts valid input and returns an instance of the input class', () => {
    expect(validateInput(Sample, valid)).toBeInstanceOf(Sample);
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

  it('rule: text is not blank, bounded, and free of control characters (isText)', () => {
    expect(violationsOf({ ...valid, note: '   ' })).toEqual(['note:isText']);
    expect(violationsOf({ ...valid, note: 'x'.repeat(31) })).toEqual(['note:isText']);
    expect(violationsOf({ ...valid, note: 'bip\u0007' })).toEqual(['note:isText']);
    expect(violationsOf({ ...valid, note: 'Au cœur des territoires' })).toEqual([]);
  });

  it('rule: unknown fields are refused, at any depth, not silently dropped', () => {
    expect(violationsOf({ ...valid, extra: 1, inner: { amountCents: 1, autre: 2 } })).toEqual(['extra:whitelistValidation', 'inner.autre:whitelistValidation']);
  });

  it('rule: optional means absent: null is refused with a message naming the field', () => {
    expect(violationsOf({ ...valid, note: null })).toEqual(['note:isNotNull']);
  });

  it('rule: a required nested object cannot be left out', () => {
    const { inner: _inner, ...withoutInner } = valid;
    expect(violationsOf(withoutInner)).toContain('inner:isDefined');
  });

  it('rule: the input must be a JSON object', () => {
    expect(violationsOf([valid])).toEqual([':isObject']);
    expect(violationsOf('texte')).toEqual([':isObject']);
  });

  it('names the full path of a nested field in the French message', () => {
    try {
      validateInput(Sample, { ...valid, inner: { amountCents: 1.5 } });
    } catch (error) {
      expect((error as InputValidationError).violations[0]!.message).toMatch(/^inner\.amountCents doit être un montant entier positif en centimes/);
      return;
    }
    throw new Error('expected a validation error');
  });
});
