import { canonicalJson } from './canonical-json';

/** The definition, written as plainly as possible: what the fast version must match. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : reference(item))).join(',')}]`;
  const record = value as Record<string, unknown>;
  return `{${Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${reference(record[key])}`)
    .join(',')}}`;
}

function randomValue(seed: { n: number }, depth: number): unknown {
  const next = () => (seed.n = (seed.n * 1103515245 + 12345) % 2147483648);
  const pick = next() % (depth > 3 ? 6 : 9);
  switch (pick) {
    case 0: return null;
    case 1: return next() % 2 === 0;
    case 2: return (next() % 2_000_000) - 1_000_000;
    case 3: return (next() % 1000) / 7;
    case 4: return ['', 'é', '« 786 000,00 € »', 'line\nbreak', '"quoted"', '\u2028', 'Z', 'a'][next() % 8];
    case 5: return undefined;
    case 6: return Array.from({ length: next() % 4 }, () => randomValue(seed, depth + 1));
    default: {
      const keys = ['b', 'a', 'B', 'é', 'aa', '', '10', '9', 'effectiveDate', '__proto__x'];
      const record: Record<string, unknown> = {};
      for (let i = next() % 5; i > 0; i--) record[keys[next() % keys.length]!] = randomValue(seed, depth + 1);
      return record;
    }
  }
}

describe('canonical JSON, as fast as it is plain', () => {
  it('rule: gives exactly the text of the definition (sorted keys, undefined members left out, undefined in arrays as null) for 2 000 random values', () => {
    const seed = { n: 42 };
    for (let i = 0; i < 2_000; i++) {
      const value = { root: randomValue(seed, 0), other: randomValue(seed, 0) };
      expect(canonicalJson(value)).toBe(reference(value));
    }
  });

  it('rule: numbers are written exactly as JSON.stringify writes them (-0, NaN, infinities, exponents, fractions)', () => {
    const numbers = [0, -0, 1, -1, 0.1 + 0.2, 1e21, 1e-7, -123456789.125, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE, NaN, Infinity, -Infinity];
    expect(canonicalJson({ numbers })).toBe(JSON.stringify({ numbers }));
    for (const value of numbers) expect(canonicalJson(value)).toBe(JSON.stringify(value));
  });

  it('rule: strings are written exactly as JSON.stringify writes them (every UTF-16 code unit, alone and in text; surrogate pairs and lone surrogates)', () => {
    for (let unit = 0; unit <= 0xffff; unit++) {
      const alone = String.fromCharCode(unit);
      const inText = `Montbéliard ${alone} 786 000,00 €`;
      if (canonicalJson(alone) !== JSON.stringify(alone) || canonicalJson(inText) !== JSON.stringify(inText)) {
        expect([unit, canonicalJson(alone), canonicalJson(inText)]).toEqual([unit, JSON.stringify(alone), JSON.stringify(inText)]);
      }
    }
    for (const text of ['😀', 'a😀b', '\ud83d', '\ude00x', 'x\ud83d', '\u2028\u2029', '\u007f', '"\\', '']) expect(canonicalJson({ text })).toBe(JSON.stringify({ text }));
  });

  it('rule: keys are sorted by UTF-16 code units however many an object has (a few, sorted by insertion; many, by Array.prototype.sort)', () => {
    const keys = ['b', 'a', 'B', 'é', 'aa', '', '10', '9', 'Z', 'ü', 'e\u0301', '😀', '\uffff', 'z', 'A', '_', '$', '~'];
    for (const count of [2, 15, 16, 17, keys.length]) {
      const record = Object.fromEntries(keys.slice(0, count).reverse().map((key, index) => [key, index]));
      expect(canonicalJson(record)).toBe(reference(record));
    }
  });

  it('rule: a value with no JSON form is refused', () => {
    expect(() => canonicalJson({ f: () => 1 })).toThrow(TypeError);
    expect(() => canonicalJson({ big: 10n })).toThrow(TypeError);
  });
});
