/** Structural equality of plain JSON-like data, key order ignored: used to recognise a repeated command. */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, index) => sameData(item, other[index]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)].filter((k) => left[k] !== undefined || right[k] !== undefined));
  for (const key of keys) if (!sameData(left[key], right[key])) return false;
  return true;
}

/**
 * A 53-bit digest of plain JSON-like data, key order and `undefined` entries ignored like
 * {@link sameData}: equal data always give equal digests; different data give different ones but
 * for a chance of about one in 2^53 per comparison (docs/decisions/0048). Pure, so that a decider
 * may keep a digest of what it only ever compares instead of the data itself.
 */
export function digestOf(data: unknown): number {
  return digestOfText(canonicalText(data));
}

/** The text of `data` with object keys sorted and `undefined` entries left out, unambiguous for JSON-like data. */
function canonicalText(data: unknown): string {
  if (Array.isArray(data)) return `[${data.map(canonicalText).join(',')}]`;
  if (data !== null && typeof data === 'object') {
    const record = data as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalText(record[key])}`).join(',')}}`;
  }
  return JSON.stringify(data) ?? 'null';
}

/** Two 32-bit multiplicative lanes over the UTF-16 code units, each finished by an avalanche, combined into 53 bits. */
function digestOfText(text: string): number {
  let low = 0x811c9dc5 ^ text.length;
  let high = 0x9e3779b9;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    low = Math.imul(low ^ unit, 0x01000193);
    high = Math.imul(high ^ unit, 0x5bd1e995);
    high ^= high >>> 15;
  }
  low = avalanche(low ^ Math.imul(high, 0x27d4eb2f));
  high = avalanche(high ^ low);
  return (high & 0x1fffff) * 0x100000000 + low;
}

/** Spreads every input bit over the whole word (the finishing step of MurmurHash3). */
function avalanche(word: number): number {
  let h = word ^ (word >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
