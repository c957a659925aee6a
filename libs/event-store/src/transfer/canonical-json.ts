/**
 * Canonical JSON: one text per JSON value, whatever the key order it was built or stored with.
 * Object keys sorted by UTF-16 code units (JavaScript's default sort), no whitespace, strings and
 * numbers exactly as `JSON.stringify` writes them, properties whose value is `undefined` left out
 * (as `JSON.stringify` does), arrays in their order.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      // What JSON.stringify writes: the shortest round-trip text, `null` for NaN and infinities.
      if (Number.isFinite(value)) return String(value);
      faithful = false;
      return 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? arrayText(value) : objectText(value as Record<string, unknown>, undefined);
    default:
      // `undefined`, functions, symbols and BigInt have no JSON form; `undefined` only occurs inside objects here.
      throw new TypeError(`no JSON form for a value of type ${typeof value}`);
  }
}

/**
 * The canonical JSON of a value that reads back as the same value (`JSON.parse` of it deeply equal
 * to it, whatever its key order), or `undefined` when it would not: a number that is not finite, an
 * object that is not plain (a Date, a Map…), `undefined` or a hole in an array. What a store may
 * keep as the value's text; a value it returns `undefined` for is for the store's own checks to refuse.
 */
export function faithfulCanonicalJson(value: unknown): string | undefined {
  faithful = true;
  const text = canonicalJson(value);
  return faithful ? text : undefined;
}

/**
 * Cleared by the walk when what it writes would not read back as the value it was given (see
 * {@link faithfulCanonicalJson}). The walk is synchronous and calls no `toJSON`: one flag serves every walk.
 */
let faithful = true;

/**
 * The canonical JSON of an object without one of its members, as if it had been copied without
 * it first (what an event's hash covers: its metadata without `hash`), without the copy.
 */
export function canonicalJsonWithout(record: Readonly<Record<string, unknown>>, omitted: string): string {
  return objectText(record, omitted);
}

// Loops and one growing string rather than map/filter/join: every event hash and every checksum
// goes through here (every command's events, a million events per `jalon verify`).
function arrayText(array: readonly unknown[]): string {
  let text = '[';
  for (let i = 0; i < array.length; i++) {
    if (i > 0) text += ',';
    const item: unknown = array[i];
    if (item === undefined) faithful = false;
    text += item === undefined ? 'null' : canonicalJson(item);
  }
  return `${text}]`;
}

function objectText(record: Readonly<Record<string, unknown>>, omitted: string | undefined): string {
  const prototype = Object.getPrototypeOf(record) as unknown;
  if (prototype !== Object.prototype && prototype !== null) faithful = false;
  const keys = Object.keys(record).sort();
  let text = '{';
  for (const key of keys) {
    const item = record[key];
    if (item === undefined || key === omitted) continue;
    if (text.length > 1) text += ',';
    text += `${quotedKey(key)}:${canonicalJson(item)}`;
  }
  return `${text}}`;
}

/** Keys come from a small vocabulary (the events' fields): each is quoted once, up to a bound. */
const QUOTED_KEYS = new Map<string, string>();
const MAX_QUOTED_KEYS = 4_096;

function quotedKey(key: string): string {
  let quoted = QUOTED_KEYS.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (QUOTED_KEYS.size < MAX_QUOTED_KEYS) QUOTED_KEYS.set(key, quoted);
  }
  return quoted;
}
