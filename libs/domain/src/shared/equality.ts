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
  const lanes: Lanes = { low: 0x811c9dc5, high: 0x9e3779b9 };
  feedCanonical(lanes, data);
  const low = avalanche(lanes.low ^ Math.imul(lanes.high, 0x27d4eb2f));
  const high = avalanche(lanes.high ^ low);
  return (high & 0x1fffff) * 0x100000000 + low;
}

/** Two 32-bit multiplicative lanes over UTF-16 code units, finished by {@link avalanche}. */
interface Lanes {
  low: number;
  high: number;
}

/** One code unit into the low lane (FNV-1a's step). */
function mixLow(lane: number, unit: number): number {
  return Math.imul(lane ^ unit, 0x01000193);
}

/** One code unit into the high lane (another multiplier, and a shift so that high bits reach low ones). */
function mixHigh(lane: number, unit: number): number {
  const mixed = Math.imul(lane ^ unit, 0x5bd1e995);
  return mixed ^ (mixed >>> 15);
}

function feedUnit(lanes: Lanes, unit: number): void {
  lanes.low = mixLow(lanes.low, unit);
  lanes.high = mixHigh(lanes.high, unit);
}

/** Feeds `text` between quotes, a quote or a backslash inside escaped: no two strings feed the same units. */
function feedString(lanes: Lanes, text: string): void {
  feedUnit(lanes, 0x22);
  // The lanes in locals for the loop: this is where the time goes.
  let low = lanes.low;
  let high = lanes.high;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit === 0x22 || unit === 0x5c) {
      low = mixLow(low, 0x5c);
      high = mixHigh(high, 0x5c);
    }
    low = mixLow(low, unit);
    high = mixHigh(high, unit);
  }
  lanes.low = low;
  lanes.high = high;
  feedUnit(lanes, 0x22);
}

/**
 * Feeds a canonical text of `data` without building it: object keys sorted, `undefined` entries left
 * out (as {@link sameData} sees them), strings quoted, anything else as `JSON.stringify` writes it.
 * Arrays and objects are bracketed and their items separated, so that the text is unambiguous.
 */
function feedCanonical(lanes: Lanes, data: unknown): void {
  if (typeof data === 'string') return feedString(lanes, data);
  if (Array.isArray(data)) {
    feedUnit(lanes, 0x5b);
    for (let i = 0; i < data.length; i++) {
      if (i > 0) feedUnit(lanes, 0x2c);
      feedCanonical(lanes, data[i]);
    }
    return feedUnit(lanes, 0x5d);
  }
  if (data !== null && typeof data === 'object') {
    const record = data as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort();
    feedUnit(lanes, 0x7b);
    for (let i = 0; i < keys.length; i++) {
      if (i > 0) feedUnit(lanes, 0x2c);
      feedString(lanes, keys[i]!);
      feedUnit(lanes, 0x3a);
      feedCanonical(lanes, record[keys[i]!]);
    }
    return feedUnit(lanes, 0x7d);
  }
  const text = JSON.stringify(data) ?? 'null';
  for (let i = 0; i < text.length; i++) feedUnit(lanes, text.charCodeAt(i));
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
