import { extensionOf, sniffMediaType } from '@jalon/event-store';
import { attachmentDisposition } from './content-disposition';

/**
 * The response headers of a stored supporting document, the same on every route that serves one
 * (`GET /api/documents/:sha256` and the dashboard's `/justificatifs/:sha256`, docs/decisions/0045):
 * - `Content-Type` read from the content; text (CSV or TXT, told apart only by the name) is UTF-8,
 *   `text/csv` for a `.csv` name and `text/plain` otherwise (no name: the hash);
 * - `Content-Disposition: attachment` under the name offered (`attachmentDisposition`), or the hash;
 * - nothing the browser may run, guess or frame: `nosniff`, a sandboxing content security policy,
 *   `X-Frame-Options: DENY`, no referrer beyond the site;
 * - `Cache-Control: no-store`: a document holds people's data (invoices, bank details), as the
 *   dashboard's pages do, and nothing answers a revalidation; the `ETag` is the content's hash.
 * `fileName` must already have passed `isPlainFileName` and agree with the content (`checkOfferedName`).
 */
export function storedDocumentHeaders(bytes: Buffer, sha256: string, fileName: string = sha256): Record<string, string> {
  const sniffed = sniffMediaType(bytes);
  const type = sniffed === undefined || sniffed === 'text' ? `${extensionOf(fileName) === 'csv' ? 'text/csv' : 'text/plain'}; charset=utf-8` : sniffed;
  return {
    'Content-Type': type,
    'Content-Length': String(bytes.length),
    'Content-Disposition': attachmentDisposition(fileName),
    ETag: `"${sha256}"`,
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "sandbox; default-src 'none'; frame-ancestors 'none'",
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  };
}
