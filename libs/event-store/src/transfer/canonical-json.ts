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
  // Loops and one growing string rather than map/filter/join: every event hash and every checksum
  // goes through here (a million events per `jalon verify`).
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) text += ',';
      const item: unknown = value[i];
      text += item === undefined ? 'null' : canonicalJson(item);
    }
    return `${text}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let text = '{';
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    if (text.length > 1) text += ',';
    text += `${JSON.stringify(key)}:${canonicalJson(item)}`;
  }
  return `${text}}`;
}
