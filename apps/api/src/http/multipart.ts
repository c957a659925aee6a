import fastifyMultipart, { type MultipartFile, type MultipartValue } from '@fastify/multipart';
import { FieldViolation, InputValidationError } from '@jalon/application';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isApiPath } from './api-path';
import { MalformedBodyError, UnsupportedMediaTypeError } from './body-parsers';

/** The route option that lets a route read `multipart/form-data`; every other route refuses it (415). */
const MULTIPART_CONFIG = 'jalonMultipart';

/** Put on a controller method that reads `multipart/form-data` (with {@link readMultipart}). */
export const AcceptsMultipart = (): MethodDecorator => RouteConfig({ [MULTIPART_CONFIG]: true });

export interface MultipartLimits {
  /** The largest file part, in bytes. */
  readonly fileBytes: number;
  /** At most this many file parts (default 1). */
  readonly files?: number;
  /** At most this many text fields (default 50), each of at most `fieldBytes` (default 10 000). */
  readonly fields?: number;
  readonly fieldBytes?: number;
}

/** A file part, read whole (within the limit). */
export interface UploadedFile {
  /** The form field's name (`file`). */
  readonly field: string;
  /** The file's own name as the client gives it, without any directory. */
  readonly fileName: string;
  /** What the client says it is: never trusted, the content is read instead. */
  readonly declaredType: string;
  readonly bytes: Buffer;
}

export interface MultipartForm {
  readonly fields: Readonly<Record<string, string>>;
  readonly files: readonly UploadedFile[];
}

export interface MultipartReadOptions {
  /**
   * Called once with the text fields read so far, as soon as the first file part begins (before
   * any of its bytes are read), or once the last part is read if the form has no file: what it
   * throws stops the reading and is thrown as is. The dashboard checks its anti-forgery token here
   * (apps/web/src/session/upload-form.ts), so that a forged upload is not even read.
   */
  readonly beforeFiles?: (fields: Readonly<Record<string, string>>) => void;
}

/**
 * `multipart/form-data`, registered once for the whole app (@fastify/multipart) and read only by
 * the routes marked {@link AcceptsMultipart}: any other route, API or dashboard, answers 415 as
 * for any content type it does not read (the JSON routes keep accepting JSON only). Limits hold
 * while the body is read: a file over `fileBytes` stops the upload with `FileTooLargeError`.
 */
export async function registerMultipart(fastify: FastifyInstance, limits: MultipartLimits): Promise<void> {
  await fastify.register(fastifyMultipart, {
    limits: {
      fileSize: limits.fileBytes,
      files: limits.files ?? 1,
      fields: limits.fields ?? 50,
      fieldSize: limits.fieldBytes ?? 10_000,
      parts: (limits.files ?? 1) + (limits.fields ?? 50),
      headerPairs: 200,
    },
    throwFileSizeLimit: true,
  });
  fastify.addHook('preValidation', async (request) => {
    if (!request.isMultipart()) return;
    const config = request.routeOptions.config as unknown as Record<string, unknown> | undefined;
    if (config?.[MULTIPART_CONFIG] !== true) {
      throw new UnsupportedMediaTypeError(request.headers['content-type'], isApiPath(request.url) ? 'application/json (UTF-8)' : 'application/x-www-form-urlencoded (UTF-8)');
    }
  });
}

/** A file part larger than the route's limit: nothing of it is kept. */
export class FileTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`le fichier dépasse ${limitBytes} octets`);
    this.name = 'FileTooLargeError';
  }
}

/**
 * Reads a multipart body whole: its text fields (UTF-8) and its files (each within the limit).
 * A body that is not well-formed multipart answers 400 `INPUT.MALFORMED`, and so does one that
 * ends before its closing delimiter (cut short, or the client gone): @fastify/multipart then stops
 * without a word, and the parts that did not arrive (an effective date, a subject) would be read as
 * absent. Too many parts, 413. A name given twice (which copy would count?) answers 400
 * `INPUT.INVALID` naming the field, rule `uniqueKey`, as the JSON body parser does (decision 0038).
 */
export async function readMultipart(request: FastifyRequest, fileLimitBytes: number, options: MultipartReadOptions = {}): Promise<MultipartForm> {
  if (!request.isMultipart()) throw new UnsupportedMediaTypeError(request.headers['content-type'], 'multipart/form-data');
  const fields: Record<string, string> = {};
  const files: UploadedFile[] = [];
  const seen = new Set<string>();
  const violations: FieldViolation[] = [];
  let beforeFiles = options.beforeFiles;
  /** Runs `beforeFiles` once: at the first file part, or after the last part. */
  const reachFiles = () => {
    const check = beforeFiles;
    beforeFiles = undefined;
    check?.({ ...fields });
  };
  const closed = watchClosingDelimiter(request);
  try {
    for await (const part of request.parts()) {
      const name = part.fieldname.slice(0, 100);
      if (seen.has(part.fieldname)) {
        if (!violations.some((violation) => violation.field === name && violation.rule === 'uniqueKey')) {
          violations.push({ field: name, rule: 'uniqueKey', message: `${name} figure plusieurs fois dans le formulaire : donnez-le une seule fois` });
        }
      }
      seen.add(part.fieldname);
      if (part.type === 'file') {
        reachFiles();
        const file = part as MultipartFile;
        const bytes = await file.toBuffer();
        files.push({ field: file.fieldname, fileName: baseName(file.filename), declaredType: file.mimetype, bytes });
      } else {
        const value = (part as MultipartValue<unknown>).value;
        fields[part.fieldname] = typeof value === 'string' ? value : String(value);
      }
    }
    reachFiles();
  } catch (error) {
    closed();
    throw translate(error, fileLimitBytes);
  }
  if (!closed()) throw new MalformedBodyError('le formulaire multipart/form-data s’arrête avant son délimiteur de fin : il est incomplet, rien n’est lu');
  if (violations.length > 0) throw new InputValidationError(violations);
  return { fields, files };
}

/**
 * Whether the body carried the closing delimiter `--boundary--` at the start of a line (or of the
 * body), as the parser requires to end a form: found by watching the raw body as it streams to the
 * parser, keeping only the bytes that may begin a delimiter split across two chunks. Undefined
 * boundary: the parser refuses the body itself.
 */
function watchClosingDelimiter(request: FastifyRequest): () => boolean {
  const boundary = boundaryOf(request.headers['content-type']);
  if (boundary === undefined) return () => true;
  const delimiter = Buffer.from(`\r\n--${boundary}--`, 'latin1');
  // The body's start counts as a line start: a form with no part at all is `--boundary--`.
  let tail = Buffer.from('\r\n');
  let found = false;
  const onData = (chunk: Buffer) => {
    if (found) return;
    const window = Buffer.concat([tail, chunk]);
    if (window.includes(delimiter)) {
      found = true;
      request.raw.off('data', onData);
      return;
    }
    tail = window.subarray(Math.max(0, window.length - (delimiter.length - 1)));
  };
  request.raw.on('data', onData);
  return () => {
    request.raw.off('data', onData);
    return found;
  };
}

/** The `boundary` parameter of a multipart content type, quoted or not. */
function boundaryOf(contentType: string | undefined): string | undefined {
  const match = /;\s*boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))/i.exec(contentType ?? '');
  return match?.[1] ?? match?.[2];
}

function translate(error: unknown, fileLimitBytes: number): Error {
  const code = (error as { code?: unknown })?.code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return new FileTooLargeError(fileLimitBytes);
  if (code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') {
    return new MalformedBodyError('le formulaire compte trop de champs ou de fichiers : un seul fichier, dans le champ file');
  }
  if (code === 'FST_PROTO_VIOLATION') return new MalformedBodyError('un champ du formulaire porte un nom interdit (__proto__, constructor)');
  if (typeof code === 'string' && code.startsWith('FST_')) return new MalformedBodyError('le corps de la requête n’est pas un formulaire multipart/form-data valide');
  const message = (error as Error)?.message ?? '';
  if (/Unexpected end of (form|multipart data)|Malformed|boundary/i.test(message)) {
    return new MalformedBodyError('le corps de la requête n’est pas un formulaire multipart/form-data complet et valide');
  }
  return error as Error;
}

/** A file name without any directory a client may have sent with it (`C:\\…\\facture.pdf`). */
function baseName(name: string | undefined): string {
  const text = name ?? '';
  return text.slice(Math.max(text.lastIndexOf('/'), text.lastIndexOf('\\')) + 1);
}
