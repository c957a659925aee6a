/**
 * Canonical JSON: one text per JSON value, whatever the key order it was built or stored with.
 * Object keys sorted by UTF-16 code units (JavaScript's default sort), no whitespace, strings and
 * numbers exactly as `JSON.stringify` writes them, properties whose value is `undefined` left out
 * (as `JSON.stringify` does), arrays in their order.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    // `undefined`, functions and symbols have no JSON form; they only occur inside objects here.
    if (text === undefined) throw new TypeError(`no JSON form for a value of type ${typeof value}`);
    return text;
  }
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
  return `{${members.join(',')}}`;
}
