import { duplicateKeysOf, jsonStructureOf } from './json-structure';

/** A key given twice in one JSON object is ambiguous (`JSON.parse` keeps the last value): each such field is named. */
describe('duplicateKeysOf', () => {
  it('rule: a key repeated in one object is named once, with its path as validation names fields', () => {
    expect(duplicateKeysOf('{"amountCents": 100, "amountCents": 999999}')).toEqual(['amountCents']);
    expect(duplicateKeysOf('{"amountCents": 1, "amountCents": 2, "amountCents": 3}')).toEqual(['amountCents']);
    expect(duplicateKeysOf('{"lines":[{"amountCents":1},{"year":2021,"amountCents":1,"amountCents":2}]}')).toEqual(['lines.1.amountCents']);
    expect(duplicateKeysOf('{"territory":{"figures":{"jobs":1,"jobs":2}},"territory":{}}')).toEqual(['territory.figures.jobs', 'territory']);
    expect(duplicateKeysOf('[{"a":1},[{"b":1,"b":1}]]')).toEqual(['1.0.b']);
  });

  it('rule: the same value given twice is refused too: the body is ambiguous whatever the values', () => {
    expect(duplicateKeysOf('{"a":{"x":1},"a":{"x":1}}')).toEqual(['a']);
  });

  it('rule: keys are compared decoded: an escaped spelling is the same key', () => {
    expect(duplicateKeysOf('{"amountCents":1,"amount\\u0043ents":2}')).toEqual(['amountCents']);
    expect(duplicateKeysOf('{"a\\"b":1,"a\\u0022b":2}')).toEqual(['a"b']);
  });

  it('rule: the same key in sibling or nested objects, and keys spelled inside strings, are not repeated', () => {
    expect(duplicateKeysOf('{"amountCents":100,"tranches":[{"amountCents":60},{"amountCents":40}],"meta":{"amountCents":1}}')).toEqual([]);
    expect(duplicateKeysOf('{"name":"\\"name\\": 1, \\\\","note":"{\\"name\\":2}"}')).toEqual([]);
    expect(duplicateKeysOf('{"a":[1,2,{"b":"a"}],"b":"a","c":[]}')).toEqual([]);
    expect(duplicateKeysOf('{}')).toEqual([]);
  });

  it('rule: at the deepest nesting the parser reads (32 levels), the path names every level', () => {
    const text = `${'{"a":'.repeat(31)}{"b":1,"b":2}${'}'.repeat(31)}`;
    expect(duplicateKeysOf(text)).toEqual([`${'a.'.repeat(31)}b`]);
  });

  it('rule: keys that name object machinery are compared as any other', () => {
    expect(duplicateKeysOf('{"__proto__":1,"__proto__":2,"constructor":1}')).toEqual(['__proto__']);
  });
});

describe('jsonStructureOf: numbers written with more digits than a number keeps', () => {
  const inexact = (text: string) => jsonStructureOf(text).inexactNumbers;

  it('rule: a number of more than 15 significant digits is named by its field, in objects and lists; one of 15 or fewer is not', () => {
    expect(inexact('{"amountCents":1234.99999999999999}')).toEqual([{ field: 'amountCents', written: '1234.99999999999999' }]);
    expect(inexact('{"lines":[{"amountCents":1},{"amountCents":-99999999999999999}]}')).toEqual([{ field: 'lines.1.amountCents', written: '-99999999999999999' }]);
    expect(inexact('{"a":[1,2,3.0000000000000001]}')).toEqual([{ field: 'a.2', written: '3.0000000000000001' }]);
    expect(inexact('{"amountCents":123456789012345,"b":0.00000000000000001,"c":1e300}')).toEqual([]);
  });

  it('rule: zeros before and after the digits are no precision (1234.000000000000000, 0.000000000000001), and digits inside texts are not numbers', () => {
    expect(inexact('{"a":1234.000000000000000,"b":0.000000000000001,"c":100000000000000000000}')).toEqual([]);
    expect(inexact('{"description":"1234.99999999999999","n":1}')).toEqual([]);
  });
});
