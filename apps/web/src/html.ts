/**
 * HTML built by a tagged template that ESCAPES every interpolated value, so that nothing typed
 * by a user (an antenna name, a reason, a form value) can become markup. Only values that are
 * already `SafeHtml` (the result of another `html` template, or of `raw` for trusted constants)
 * are inserted as they are. Arrays are rendered item by item; `null`, `undefined` and `false`
 * render nothing, so `${condition && html`…`}` works.
 */
export class SafeHtml {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Text as HTML: safe in element content and in double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (character) => ESCAPES[character]!);
}

export type HtmlValue = SafeHtml | string | number | bigint | boolean | null | undefined | readonly HtmlValue[];

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  for (let index = 0; index < values.length; index++) out += render(values[index]) + strings[index + 1]!;
  return new SafeHtml(out);
}

/** Trusted markup written in this code base (never user data). */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** A path with query parameters; empty and undefined parameters are left out. */
export function href(path: string, query: Readonly<Record<string, string | undefined | null>> = {}): string {
  const parameters = Object.entries(query).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '');
  if (parameters.length === 0) return path;
  return `${path}?${parameters.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&')}`;
}

/** A path segment from an identifier (ids are slugs, but never trust that in a URL). */
export function segment(id: string): string {
  return encodeURIComponent(id);
}
