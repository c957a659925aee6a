/**
 * Canonical JSON: one text per JSON value, whatever the key order it was built or stored with.
 * Object keys sorted by UTF-16 code units (JavaScript's default sort), no whitespace, strings and
 * numbers exactly as `JSON.stringify` writes them, properties whose value is `undefined` left out
 * (as `JSON.stringify` does), arrays in their order.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return stringText(value);
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
  const keys = sortedKeys(record);
  let text = '{';
  for (const key of keys) {
    const item = record[key];
    if (item === undefined || key === omitted) continue;
    if (text.length > 1) text += ',';
    text += `${quotedKey(key)}:${canonicalJson(item)}`;
  }
  return `${text}}`;
}

/**
 * What JSON.stringify escapes in a string: the quote, the backslash, control characters, and
 * surrogates (a lone one; a pair is left to JSON.stringify as well, which writes it as it is).
 */
const ESCAPED = /[\u0000-\u001f"\\\ud800-\udfff]/;

/**
 * A string as JSON.stringify writes it. Most strings of an event need no escape: quoted as they
 * are, after one test, in a little over half the time JSON.stringify takes for them (measured on an
 * event's strings, about 115 against 200 ns each); every command's hash chain writes a score of them.
 */
function stringText(value: string): string {
  return ESCAPED.test(value) ? JSON.stringify(value) : `"${value}"`;
}

/** At most this many keys are sorted in place by insertion; more by Array.prototype.sort. */
const INSERTION_SORTED_AT_MOST = 16;

/**
 * The object's keys in UTF-16 code unit order (as `Object.keys(record).sort()` gives them). An
 * event's data and metadata have a handful each: sorted by insertion, comparing strings as `<`
 * does (the same order), in about a third of the time the generic sort takes for them.
 */
function sortedKeys(record: Readonly<Record<string, unknown>>): string[] {
  const keys = Object.keys(record);
  if (keys.length > INSERTION_SORTED_AT_MOST) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    let j = i - 1;
    for (; j >= 0 && keys[j]! > key; j--) keys[j + 1] = keys[j]!;
    keys[j + 1] = key;
  }
  return keys;
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
