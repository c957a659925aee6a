/**
 * `Content-Disposition` for a file offered to save (a supporting document): `attachment`, an ASCII
 * `filename` for old clients (accents folded, anything else `_`, no quote nor backslash) and the
 * exact name in `filename*` (RFC 8187: UTF-8, percent-encoded; `'`, `(`, `)` and `*`, which
 * `encodeURIComponent` leaves bare, are encoded too, or a strict parser refuses the header). The
 * name must already be one line of text without quote or directory (`isPlainFileName`).
 */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.normalize('NFKD').replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
