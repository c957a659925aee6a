import { duplicateKeysOf } from './json-structure';

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
