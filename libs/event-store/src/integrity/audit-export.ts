/**
 * The verifiable audit export (docs/decisions/0011): the events of one subject (an antenna, the
 * programme) with, for each, its hash and the proof that it is in the log a signed seal covers.
 * A controller checks it offline with nothing but the file (and, better, the service's public
 * key obtained elsewhere): `jalon verify-export FILE --public-key KEY`.
 *
 * JSON lines, UTF-8:
 *
 *   line 1   {"kind":"header","format":"jalon-audit","version":1,"generatedAt":…,"subject":{…},"publicKey":…,"keyId":…,"seal":{…}}
 *   line 2   {"kind":"seal", …the LogSealed event as stored…}
 *  (line 3)  {"kind":"consistency","fromSeal":{…an earlier LogSealed event…},"proof":[…]}   with --from-seal
 *   …        {"kind":"event","leafIndex":n,"position":"…","streamId":…,"revision":…,"id":…,"type":…,"version":…,"data":…,"metadata":…,"hash":…,"inclusionProof":[…]}
 *   last     {"kind":"summary","events":n,"streams":k,"text":"…in French…","checksum":"…","signature":"…"}
 *
 * What is proved: each event's content gives its `hash` (recomputed), each hash is leaf
 * `leafIndex` of the tree whose root the seal signs (RFC 9162 inclusion proof), each stream's
 * events follow each other from revision 0 (`previousHash`), and, with a consistency line, the
 * earlier seal's log is a prefix of this one. The summary's `checksum` (SHA-256 of every line
 * before it, each with its line feed) and its text, recomputed, catch any other change to the
 * file. Version 2 (docs/decisions/0057): the producer, holding the seal's key, signs that checksum
 * (`signature`, over {@link exportSignedText}), so that the file as a whole, every stream of the
 * subject up to the seal included, is proof against whoever passes it on: a line removed (a stream's
 * last events, a whole stream) fails even with the checksum recomputed. A file made without the
 * key (`--latest-seal` on a backup) has no signature, and says so in its summary: it proves only
 * the lines it holds.
 */
import { createHash } from 'node:crypto';
import { isUnreadable, type EventStore, type StoredEvent } from '../event-store.port';
import { eventHash, GENESIS_HASH } from './event-hash';
import { IntegrityError } from './integrity-error';
import { assertSealHolds, buildLogTree, YIELD_EVERY, yieldToEventLoop } from './log-tree';
import { fromHex, isHexHash, leafHash, toHex, verifyConsistency, verifyInclusion } from './merkle';
import { canonicalJson } from '../transfer/canonical-json';
import { checkSeal, keyIdOfPublicKeyText, LOG_SEALED, signatureHolds, type LogSealedData, type SealKey } from './seal';

export const AUDIT_FORMAT = 'jalon-audit';
export const AUDIT_FORMAT_VERSION = 2;
/** Versions `verify-export` reads: 1, before files were signed (docs/decisions/0057), proves only the lines it holds. */
const READABLE_VERSIONS: readonly unknown[] = [1, AUDIT_FORMAT_VERSION];
export const EVENT_HASH_ALGORITHM = 'sha256/canonical-json/v1';
export const MERKLE_ALGORITHM = 'rfc9162/sha256';

/** Whose events an export holds. `select` is called once per pass over the log, in global order. */
export interface AuditSubject {
  readonly kind: 'antenna' | 'programme';
  readonly id?: string;
  /** French, for the summary: « l’antenne montbeliard », « le programme ». */
  readonly label: string;
  select(): (event: StoredEvent) => boolean;
}

export interface AuditExportOptions {
  readonly subject: AuditSubject;
  /** The seal the events are proved under (a `LogSealed` event of the log). */
  readonly seal: StoredEvent;
  /** An earlier seal: the export then proves that its log is a prefix of the sealed one. */
  readonly fromSeal?: StoredEvent;
  /**
   * The key that signed the seal, when the producer holds it: the file is then signed as a whole.
   * Another key signs nothing (a seal made before the key was replaced): the file is unsigned.
   */
  readonly signer?: SealKey;
  readonly now?: () => Date;
}

export interface AuditExportReport {
  readonly events: number;
  readonly streams: number;
  readonly seal: LogSealedData;
  readonly text: string;
  /** Whether the file is signed as a whole (see AuditExportOptions.signer). */
  readonly signed: boolean;
}

/**
 * The exact text an export's signature covers: what it is, the key, and the SHA-256 of every line
 * before the summary (header, seal, consistency, events), which the summary's text is computed from.
 */
export function exportSignedText(keyId: string, checksum: string): string {
  return canonicalJson({ signs: 'jalon-audit-export', format: AUDIT_FORMAT, version: AUDIT_FORMAT_VERSION, keyId, checksum });
}

/** The seal of a `LogSealed` event, or an error saying why it is none. */
export function sealOf(event: StoredEvent, what = 'le sceau'): LogSealedData {
  const check = event.type === LOG_SEALED ? checkSeal(event.data) : { ok: false as const, reason: `c’est un ${event.type}` };
  if (!check.ok) throw new IntegrityError('INTEGRITY.SEAL_NOT_FOUND', `${what} (position ${event.position}) n’est pas valide : ${check.reason}`);
  return check.seal;
}

/**
 * The export's lines (without line feeds). The log is read twice up to the seal's size: once to
 * build the tree and check that it still gives the seal's root (and the earlier seal's), once to
 * write the subject's events with their proofs. Nothing but the tree (64 bytes per event) is kept.
 */
export async function* auditExportLines(store: EventStore, options: AuditExportOptions, report?: (done: AuditExportReport) => void): AsyncGenerator<string> {
  const seal = sealOf(options.seal);
  const from = options.fromSeal === undefined ? undefined : sealOf(options.fromSeal, 'le sceau de départ');
  if (from && from.treeSize > seal.treeSize) {
    throw new IntegrityError('INTEGRITY.SEAL_NOT_FOUND', `le sceau de départ couvre ${from.treeSize} événements, plus que le sceau d’arrivée (${seal.treeSize})`);
  }
  const tree = await buildLogTree(store, seal.treeSize);
  assertSealHolds(tree, seal, 'du sceau');
  if (from) assertSealHolds(tree, from, 'du sceau de départ');

  const checksum = createHash('sha256');
  const emit = (value: unknown) => {
    const line = JSON.stringify(value);
    checksum.update(`${line}\n`, 'utf8');
    return line;
  };
  const { subject } = options;
  yield emit({
    kind: 'header',
    format: AUDIT_FORMAT,
    version: AUDIT_FORMAT_VERSION,
    generatedAt: (options.now?.() ?? new Date()).toISOString(),
    subject: { kind: subject.kind, ...(subject.id === undefined ? {} : { id: subject.id }), label: subject.label },
    hashAlgorithm: EVENT_HASH_ALGORITHM,
    merkleAlgorithm: MERKLE_ALGORITHM,
    publicKey: seal.publicKey,
    keyId: seal.keyId,
    seal: { streamId: options.seal.streamId, revision: options.seal.revision, id: options.seal.id, treeSize: seal.treeSize, rootHash: seal.rootHash },
  });
  yield emit({ kind: 'seal', ...eventLine(options.seal) });
  if (from) yield emit({ kind: 'consistency', fromSeal: eventLine(options.fromSeal!), proof: tree.consistencyProof(from.treeSize, seal.treeSize).map(toHex) });

  const summary = new SummaryBuilder();
  const select = subject.select();
  let index = 0;
  for await (const event of store.readAll({ includeUnreadable: true })) {
    if (index >= seal.treeSize) break;
    if (isUnreadable(event)) throw new IntegrityError('INTEGRITY.LOG_NOT_VERIFIED', `l’événement en position ${event.position} est illisible : lancez jalon verify`);
    if (select(event)) {
      const hash = eventHash(event);
      const stored = event.metadata.hash;
      if (stored !== undefined && stored !== hash) {
        throw new IntegrityError(
          'INTEGRITY.LOG_NOT_VERIFIED',
          `l’événement en position ${event.position} (flux ${event.streamId}, révision ${event.revision}) ne correspond plus à son empreinte : lancez jalon verify`,
        );
      }
      summary.add(event);
      yield emit({ kind: 'event', leafIndex: index, ...eventLine(event), hash, inclusionProof: tree.inclusionProof(index, seal.treeSize).map(toHex) });
    }
    index += 1;
    if (index % YIELD_EVERY === 0) await yieldToEventLoop();
  }
  const signer = options.signer?.keyId === seal.keyId ? options.signer : undefined;
  const text = summaryText(subject.label, summary, seal, from, signer !== undefined);
  const digest = checksum.digest('hex');
  const signature = signer ? { signature: signer.signText(exportSignedText(seal.keyId, digest)) } : {};
  yield JSON.stringify({ kind: 'summary', events: summary.events, streams: summary.streams.size, text, checksum: digest, ...signature });
  report?.({ events: summary.events, streams: summary.streams.size, seal, text, signed: signer !== undefined });
}

/**
 * The last line of an export its producer had to stop (an event that no longer gives its hash, a
 * read that failed): the file says why it ends there, and `verify-export` names that reason
 * rather than a mere truncation. It is no proof of anything: the file has no summary and fails.
 */
export function interruptionLine(code: string, message: string): string {
  return JSON.stringify({ kind: 'interruption', code, message });
}

function eventLine(event: StoredEvent) {
  const { position, streamId, revision, id, type, version, data, metadata } = event;
  return { position: position.toString(), streamId, revision, id, type, version, data, metadata };
}

class SummaryBuilder {
  events = 0;
  readonly streams = new Set<string>();
  firstEffective: string | undefined;
  lastEffective: string | undefined;

  add(event: { streamId: string; data: unknown }): void {
    this.events += 1;
    this.streams.add(event.streamId);
    const effective = (event.data as Record<string, unknown> | null)?.effectiveDate;
    if (typeof effective === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(effective)) {
      if (this.firstEffective === undefined || effective < this.firstEffective) this.firstEffective = effective;
      if (this.lastEffective === undefined || effective > this.lastEffective) this.lastEffective = effective;
    }
  }
}

/** `2022-06-22` → `22/06/2022`. */
function frenchDate(iso: string): string {
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}

/** `2024-03-15T10:00:00.000Z` → `15/03/2024 à 10:00 UTC`. */
export function frenchInstant(iso: string): string {
  const date = new Date(iso).toISOString();
  return `${frenchDate(date.slice(0, 10))} à ${date.slice(11, 16)} UTC`;
}

/**
 * The summary a person reads; recomputed by the verifier from what it checked. `signed`: whether the
 * file is signed as a whole (version 2); undefined for a version-1 file, whose text said nothing of it.
 */
function summaryText(label: string, summary: SummaryBuilder, seal: LogSealedData, from: LogSealedData | undefined, signed: boolean | undefined): string {
  const dates =
    summary.firstEffective === undefined ? '' : `, dates d’effet du ${frenchDate(summary.firstEffective)} au ${frenchDate(summary.lastEffective!)}`;
  const extension = from
    ? ` Le journal du sceau antérieur du ${frenchInstant(from.sealedAt)} (${from.treeSize} événements) y est inclus tel quel, événement pour événement (preuve de cohérence RFC 9162).`
    : '';
  const whole =
    signed === undefined
      ? ''
      : signed
        ? ' Le fichier entier est signé par la même clé : il contient tous les événements du sujet couverts par le sceau, et aucune ligne ne peut en être retirée ni modifiée sans que la vérification échoue.'
        : ' Le fichier n’est pas signé (produit sans la clé du sceau) : il prouve les événements qu’il contient, pas qu’aucun n’en a été retiré.';
  return (
    `Export d’audit de ${label} : ${summary.events} événement(s) de ${summary.streams.size} flux${dates}. ` +
    `Chacun porte son empreinte SHA-256 et la preuve qu’il figure dans le journal scellé le ${frenchInstant(seal.sealedAt)} ` +
    `(${seal.treeSize} événements, racine ${seal.rootHash.slice(0, 16)}…, sceau signé par la clé ${seal.keyId.slice(0, 16)}…).${extension}${whole} ` +
    'Vérification hors ligne : jalon verify-export FICHIER --public-key CLÉ (clé publique du service obtenue par un autre canal).'
  );
}

export interface AuditFileProblem {
  /** 1-based line of the file (0: the file as a whole). */
  readonly line: number;
  readonly message: string;
}

export interface AuditFileReport {
  readonly ok: boolean;
  readonly problems: readonly AuditFileProblem[];
  readonly events: number;
  readonly streams: number;
  readonly subject?: string;
  readonly seal?: { readonly treeSize: number; readonly sealedAt: string; readonly keyId: string; readonly rootHash: string };
  /** Whether the seal is signed by the key given (`--public-key`), when one was. */
  readonly keyMatches?: boolean;
  readonly fromSeal?: { readonly treeSize: number; readonly sealedAt: string };
  readonly text?: string;
  /**
   * Whether the file is signed as a whole by the seal's key, its signature holding: then no line was
   * removed from it. False for an unsigned file (version 1, or made without the key), which proves
   * only the lines it holds.
   */
  readonly signed: boolean;
}

export interface AuditFileOptions {
  /** The service's public key obtained elsewhere (PEM, base64 SPKI or key id): the seal must be signed by it. */
  readonly publicKey?: string;
  /**
   * Accepts a file that is not signed as a whole (version 1, or made without the seal's key): only
   * the lines it holds are then checked, and `signed` is false. Otherwise such a file fails.
   */
  readonly acceptUnsigned?: boolean;
}

interface StreamState {
  revision: number;
  hash: string;
}

/**
 * Checks an audit export line by line, keeping one tip per stream: nothing but the file (and the
 * public key, when given) is needed. Every problem names its line.
 */
export async function verifyAuditExport(lines: AsyncIterable<string> | Iterable<string>, options: AuditFileOptions = {}): Promise<AuditFileReport> {
  const problems: AuditFileProblem[] = [];
  const fail = (line: number, message: string) => problems.push({ line, message });
  const checksum = createHash('sha256');
  const streams = new Map<string, StreamState>();
  const summary = new SummaryBuilder();
  let header: Record<string, unknown> | undefined;
  let seal: LogSealedData | undefined;
  let sealRoot: Buffer | undefined;
  let from: LogSealedData | undefined;
  let keyMatches: boolean | undefined;
  let expectedKeyId: string | undefined;
  if (options.publicKey !== undefined) {
    expectedKeyId = keyIdOfPublicKeyText(options.publicKey);
    if (expectedKeyId === undefined) fail(0, 'la clé publique donnée n’est ni une clé Ed25519 (PEM ou base64 SPKI), ni un identifiant de clé');
  }
  let lineNumber = 0;
  let lastLeaf = -1;
  let summaryLine: Record<string, unknown> | undefined;
  let summaryAt = 0;
  let phase: 'header' | 'seal' | 'body' | 'done' = 'header';
  let interrupted = false;

  for await (const raw of lines) {
    lineNumber += 1;
    if (phase === 'done') {
      if (raw.trim() !== '') fail(lineNumber, 'une ligne suit la ligne de résumé');
      continue;
    }
    let value: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      value = parsed as Record<string, unknown>;
    } catch {
      fail(lineNumber, 'ce n’est pas un objet JSON');
      checksum.update(`${raw}\n`, 'utf8');
      if (phase === 'header') phase = 'seal';
      continue;
    }
    if (value.kind === 'interruption') {
      interrupted = true;
      fail(lineNumber, `l’export a été interrompu par le service qui le produisait : ${String(value.message)}`);
      phase = 'done';
      continue;
    }
    if (value.kind === 'summary') {
      summaryLine = value;
      summaryAt = lineNumber;
      phase = 'done';
      continue;
    }
    checksum.update(`${raw}\n`, 'utf8');

    if (phase === 'header') {
      phase = 'seal';
      if (value.kind !== 'header' || value.format !== AUDIT_FORMAT) {
        fail(lineNumber, `ce n’est pas un export d’audit Jalon (en-tête "format":"${AUDIT_FORMAT}" attendu)`);
      } else if (!READABLE_VERSIONS.includes(value.version)) {
        fail(lineNumber, `version ${String(value.version)} du format non prise en charge (versions ${READABLE_VERSIONS.join(' et ')} lues)`);
      }
      header = value;
      continue;
    }

    if (phase === 'seal') {
      phase = 'body';
      if (value.kind !== 'seal') {
        fail(lineNumber, 'la deuxième ligne doit être le sceau');
        continue;
      }
      const checked = checkSealLine(value, lineNumber, fail, 'le sceau');
      if (!checked) continue;
      seal = checked;
      sealRoot = fromHex(seal.rootHash);
      const announced = (header?.seal ?? {}) as Record<string, unknown>;
      if (header?.keyId !== seal.keyId || header?.publicKey !== seal.publicKey) fail(1, 'la clé annoncée dans l’en-tête n’est pas celle du sceau');
      if (announced.treeSize !== seal.treeSize || announced.rootHash !== seal.rootHash || announced.id !== value.id) {
        fail(1, 'le sceau annoncé dans l’en-tête n’est pas celui de la ligne 2');
      }
      if (expectedKeyId !== undefined) {
        keyMatches = expectedKeyId === seal.keyId;
        if (!keyMatches) fail(lineNumber, `le sceau n’est pas signé par la clé donnée (il l’est par la clé ${seal.keyId.slice(0, 16)}…)`);
      }
      continue;
    }

    if (value.kind === 'consistency') {
      const fromSeal = checkSealLine((value.fromSeal ?? {}) as Record<string, unknown>, lineNumber, fail, 'le sceau de départ');
      if (!fromSeal || !seal) continue;
      from = fromSeal;
      if (expectedKeyId !== undefined && fromSeal.keyId !== expectedKeyId) fail(lineNumber, 'le sceau de départ n’est pas signé par la clé donnée');
      const proof = hexList(value.proof);
      if (!proof || !verifyConsistency(fromSeal.treeSize, seal.treeSize, fromHex(fromSeal.rootHash), sealRoot!, proof)) {
        fail(lineNumber, `la preuve de cohérence ne montre pas que le journal du sceau de départ (${fromSeal.treeSize} événements) est inclus tel quel dans celui du sceau (${seal.treeSize})`);
      }
      continue;
    }

    if (value.kind !== 'event') {
      fail(lineNumber, `ligne de type inconnu (${JSON.stringify(value.kind)})`);
      continue;
    }
    const event = eventOfLine(value);
    if (typeof event === 'string') {
      fail(lineNumber, `événement mal formé (${event})`);
      continue;
    }
    const where = `flux ${event.streamId}, révision ${event.revision}`;
    const hash = eventHash(event);
    if (value.hash !== hash) fail(lineNumber, `${where} : le contenu de l’événement ne donne pas son empreinte (${String(value.hash).slice(0, 16)}…) : il a été modifié`);
    else if (event.metadata.hash !== undefined && event.metadata.hash !== hash) fail(lineNumber, `${where} : l’empreinte de ses métadonnées n’est pas celle de son contenu`);
    const leafIndex = value.leafIndex;
    if (!Number.isSafeInteger(leafIndex) || (leafIndex as number) <= lastLeaf) {
      fail(lineNumber, `${where} : rang dans le journal absent ou pas après celui de la ligne précédente`);
    } else {
      lastLeaf = leafIndex as number;
      const proof = hexList(value.inclusionProof);
      if (seal && isHexHash(value.hash)) {
        if (lastLeaf >= seal.treeSize) fail(lineNumber, `${where} : l’événement n° ${lastLeaf + 1} n’est pas couvert par le sceau (${seal.treeSize} événements)`);
        else if (!proof || !verifyInclusion(leafHash(fromHex(value.hash)), lastLeaf, seal.treeSize, proof, sealRoot!)) {
          fail(lineNumber, `${where} : la preuve d’inclusion ne mène pas à la racine du sceau : l’événement n’est pas, tel quel, dans le journal scellé`);
        }
      }
    }
    const previous = streams.get(event.streamId);
    const expectedRevision = previous ? previous.revision + 1 : 0;
    if (event.revision !== expectedRevision) {
      fail(lineNumber, `${where} : la révision ${expectedRevision} du flux est attendue (événement manquant, en trop ou déplacé)`);
    } else if (event.metadata.previousHash !== undefined && event.metadata.previousHash !== (previous?.hash ?? GENESIS_HASH)) {
      fail(lineNumber, `${where} : il ne désigne pas l’empreinte de l’événement précédent du flux`);
    }
    // The hash the line claims links the next one: a changed event is named once, not its successors too.
    streams.set(event.streamId, { revision: event.revision, hash: isHexHash(value.hash) ? value.hash : hash });
    summary.add(event);
  }

  if (lineNumber === 0) fail(0, 'le fichier est vide');
  else if (!seal && !problems.some((p) => p.line === 2)) fail(0, 'le fichier ne contient pas de sceau');
  const version = header?.version === 1 ? 1 : AUDIT_FORMAT_VERSION;
  let signed = false;
  if (!summaryLine) {
    if (lineNumber > 0 && !interrupted) fail(0, 'le fichier n’a pas de ligne de résumé : il est tronqué');
  } else {
    const digest = checksum.digest('hex');
    if (summaryLine.checksum !== digest) fail(summaryAt, 'l’empreinte des lignes précédentes ne correspond pas : le fichier a été modifié');
    if (summaryLine.signature !== undefined) {
      if (version === 1) fail(summaryAt, 'un fichier de version 1 n’est pas signé : cette signature n’en fait pas partie');
      else if (seal && signatureHolds(seal.publicKey, exportSignedText(seal.keyId, digest), summaryLine.signature)) signed = true;
      else if (seal) fail(summaryAt, 'la signature du fichier est fausse : il a été modifié après sa production (une ligne retirée, ajoutée ou changée)');
    } else if (seal && !options.acceptUnsigned) {
      fail(
        summaryAt,
        `le fichier n’est pas signé dans son ensemble (${version === 1 ? 'version 1 du format' : 'produit sans la clé du sceau'}) : il prouve les événements qu’il contient, pas qu’aucun n’en a été retiré`,
      );
    }
    if (summaryLine.events !== summary.events || summaryLine.streams !== summary.streams.size) {
      fail(summaryAt, `le résumé annonce ${String(summaryLine.events)} événement(s) de ${String(summaryLine.streams)} flux, le fichier en contient ${summary.events} de ${summary.streams.size}`);
    }
    const label = ((header?.subject ?? {}) as Record<string, unknown>).label;
    if (seal && typeof label === 'string' && summaryLine.text !== summaryText(label, summary, seal, from, version === 1 ? undefined : summaryLine.signature !== undefined)) {
      fail(summaryAt, 'le texte du résumé ne correspond pas au contenu du fichier');
    }
  }
  const label = ((header?.subject ?? {}) as Record<string, unknown>).label;
  return {
    ok: problems.length === 0,
    problems,
    events: summary.events,
    streams: summary.streams.size,
    ...(typeof label === 'string' ? { subject: label } : {}),
    ...(seal ? { seal: { treeSize: seal.treeSize, sealedAt: seal.sealedAt, keyId: seal.keyId, rootHash: seal.rootHash } } : {}),
    ...(keyMatches === undefined ? {} : { keyMatches }),
    ...(from ? { fromSeal: { treeSize: from.treeSize, sealedAt: from.sealedAt } } : {}),
    ...(typeof summaryLine?.text === 'string' ? { text: summaryLine.text } : {}),
    signed: signed && problems.length === 0,
  };
}

/** Checks a seal event given as a line (or inside one): its own hash, its type, its signature. */
export function checkSealLine(value: Record<string, unknown>, line: number, fail: (line: number, message: string) => void, what: string): LogSealedData | undefined {
  const event = eventOfLine(value);
  if (typeof event === 'string') {
    fail(line, `${what} est mal formé (${event})`);
    return undefined;
  }
  if (event.type !== LOG_SEALED) {
    fail(line, `${what} n’est pas un événement ${LOG_SEALED}`);
    return undefined;
  }
  if (event.metadata.hash !== undefined && event.metadata.hash !== eventHash(event)) fail(line, `l’événement portant ${what} a été modifié (son empreinte ne correspond plus)`);
  const check = checkSeal(event.data);
  if (!check.ok) {
    fail(line, `${what} n’est pas valide : ${check.reason}`);
    return undefined;
  }
  return check.seal;
}

type LineEvent = { id: string; streamId: string; revision: number; type: string; version: number; data: Record<string, unknown>; metadata: Record<string, unknown> & { hash?: unknown; previousHash?: unknown } };

function eventOfLine(value: Record<string, unknown>): LineEvent | string {
  const { id, streamId, revision, type, version, data, metadata } = value;
  const wrong: string[] = [];
  if (typeof id !== 'string' || id === '') wrong.push('id');
  if (typeof streamId !== 'string' || streamId === '') wrong.push('streamId');
  if (!Number.isSafeInteger(revision) || (revision as number) < 0) wrong.push('revision');
  if (typeof type !== 'string' || type === '') wrong.push('type');
  if (!Number.isSafeInteger(version)) wrong.push('version');
  if (typeof data !== 'object' || data === null || Array.isArray(data)) wrong.push('data');
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) wrong.push('metadata');
  if (wrong.length > 0) return wrong.join(', ');
  return { id, streamId, revision, type, version, data, metadata } as LineEvent;
}

function hexList(value: unknown): Buffer[] | undefined {
  if (!Array.isArray(value) || !value.every(isHexHash)) return undefined;
  return value.map((hex) => fromHex(hex as string));
}

