/**
 * Seals (docs/decisions/0011): a `LogSealed` event states the root of the Merkle tree over the first
 * `treeSize` events of the log, signed with the service's Ed25519 key. Anyone holding the seal (it
 * carries its public key) checks the signature; anyone holding the public key obtained elsewhere
 * also checks that the seal comes from that service.
 *
 * The signature covers the UTF-8 canonical JSON of `{ treeSize, rootHash, lastEvent, sealedAt,
 * algorithm, keyId }`. The seal also carries the roots of the tree's perfect subtrees at that size
 * (`frontier`): they hash up to the signed root, so they need no signature of their own, and let a
 * verification start at the seal (`jalon verify --from`) and say which range of events a changed
 * root comes from.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, sign, verify } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EventMetadata, EventToAppend, StoredEvent } from '../event-store.port';
import { canonicalJson } from '../transfer/canonical-json';
import { fileSystemCause } from '../transfer/output-file';
import { IntegrityError } from './integrity-error';
import { fromHex, isHexHash, rootOfFrontier, toHex } from './merkle';

export const LOG_SEALED = 'LogSealed';
export const LOG_SEALED_VERSION = 1;
export const SEAL_ALGORITHM = 'ed25519';

/** The last event a seal covers, named as every store names it (no position: positions differ between stores). */
export interface SealedEventRef {
  readonly streamId: string;
  readonly revision: number;
  readonly id: string;
}

/** What the sealer states. */
export interface SealStatement {
  readonly treeSize: number;
  /** Root of the Merkle tree over the first `treeSize` events (hex). */
  readonly rootHash: string;
  readonly lastEvent: SealedEventRef;
  /** When the seal was made (ISO 8601, UTC). */
  readonly sealedAt: string;
  /** Roots of the perfect subtrees at `treeSize`, left to right (hex); they hash up to `rootHash`. */
  readonly frontier: readonly string[];
}

/** The data of a `LogSealed` event (version 1). */
export interface LogSealedData extends SealStatement {
  readonly algorithm: typeof SEAL_ALGORITHM;
  /** SPKI DER of the Ed25519 public key, base64. */
  readonly publicKey: string;
  /** SHA-256 (hex) of that DER. */
  readonly keyId: string;
  /** Ed25519 signature of {@link signedText} (base64). */
  readonly signature: string;
  /** The local date of `sealedAt` (every Jalon event says when it took effect). */
  readonly effectiveDate: string;
}

/** The exact bytes a seal's signature covers. */
export function signedText(seal: Pick<LogSealedData, 'treeSize' | 'rootHash' | 'lastEvent' | 'sealedAt' | 'algorithm' | 'keyId'>): string {
  const { treeSize, rootHash, lastEvent, sealedAt, algorithm, keyId } = seal;
  return canonicalJson({ treeSize, rootHash, lastEvent: { streamId: lastEvent.streamId, revision: lastEvent.revision, id: lastEvent.id }, sealedAt, algorithm, keyId });
}

/** SHA-256 (hex) of a public key's SPKI DER. */
export function keyIdOf(publicKeyDer: Buffer): string {
  return createHash('sha256').update(publicKeyDer).digest('hex');
}

/** The service's signing key. */
export class SealKey {
  /** SPKI DER, base64. */
  readonly publicKey: string;
  readonly keyId: string;

  private constructor(private readonly privateKey: KeyObject) {
    const der = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
    this.publicKey = der.toString('base64');
    this.keyId = keyIdOf(der);
  }

  static generate(): SealKey {
    return new SealKey(generateKeyPairSync('ed25519').privateKey);
  }

  static fromPem(pem: string): SealKey {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new TypeError(`the seal key must be an Ed25519 key, not ${String(key.asymmetricKeyType)}`);
    return new SealKey(key);
  }

  privatePem(): string {
    return this.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  }

  publicPem(): string {
    return createPublicKey(this.privateKey).export({ format: 'pem', type: 'spki' }).toString();
  }

  sign(statement: SealStatement, effectiveDate: string): LogSealedData {
    const unsigned = { ...statement, algorithm: SEAL_ALGORITHM, publicKey: this.publicKey, keyId: this.keyId } as const;
    return { ...unsigned, signature: this.signText(signedText(unsigned)), effectiveDate };
  }

  /**
   * The Ed25519 signature (base64) of a text's UTF-8 bytes: a seal's statement, or what an audit
   * export's producer states of the whole file. Each text names what it is (its fields differ), so
   * that no signature of one can pass for the other.
   */
  signText(text: string): string {
    return sign(null, Buffer.from(text, 'utf8'), this.privateKey).toString('base64');
  }
}

/**
 * The key kept in `file` (PKCS#8 PEM), or undefined when there is no such file. A file that cannot
 * be read (a folder in its place, no rights, an I/O error) or that holds no Ed25519 private key is
 * refused with `INTEGRITY.SEAL_KEY_UNREADABLE`, in French and naming the file.
 */
export function readSealKey(file: string): SealKey | undefined {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw sealKeyUnreadable(file, fileSystemCause(error) ?? String(error));
  }
  try {
    return SealKey.fromPem(pem);
  } catch {
    throw sealKeyUnreadable(file, 'ce n’est pas une clé privée Ed25519 au format PEM');
  }
}

/**
 * The key kept in `file` (see `readSealKey`), created there (mode 0600, never overwritten) when
 * absent. Two processes starting together both end up with the one key written first.
 */
export function loadOrCreateSealKey(file: string): { key: SealKey; created: boolean } {
  const existing = readSealKey(file);
  if (existing) return { key: existing, created: false };
  const key = SealKey.generate();
  let fd: number;
  try {
    mkdirSync(dirname(file), { recursive: true });
    fd = openSync(file, 'wx', 0o600);
  } catch (error) {
    // Another process wrote it first: its key is the one (read again from the start, never a key not on disk).
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateSealKey(file);
    throw sealKeyUnwritable(file, error);
  }
  try {
    writeSync(fd, key.privatePem());
  } catch (error) {
    throw sealKeyUnwritable(file, error);
  } finally {
    closeSync(fd);
  }
  return { key, created: true };
}

function sealKeyUnreadable(file: string, why: string): IntegrityError {
  return new IntegrityError('INTEGRITY.SEAL_KEY_UNREADABLE', `la clé de scellement ${file} ne peut pas être lue : ${why}`);
}

function sealKeyUnwritable(file: string, error: unknown): IntegrityError {
  return new IntegrityError('INTEGRITY.SEAL_KEY_UNREADABLE', `la clé de scellement ${file} ne peut pas être créée : ${fileSystemCause(error) ?? String(error)}`);
}

/** Metadata of the events the sealer writes. */
export function sealEvent(id: string, data: LogSealedData, metadata: EventMetadata): EventToAppend {
  return { id, type: LOG_SEALED, version: LOG_SEALED_VERSION, data: data as unknown as Record<string, unknown>, metadata };
}

export type SealCheck = { readonly ok: true; readonly seal: LogSealedData } | { readonly ok: false; readonly reason: string };

/**
 * Checks a seal on its own: its shape, that `keyId` names `publicKey`, that the frontier hashes up
 * to the root, and the signature. Says nothing of the log it seals (that is the verifier's part)
 * nor of whose key it is (compare `keyId` with a key obtained elsewhere).
 */
export function checkSeal(data: unknown): SealCheck {
  const shape = sealShapeProblem(data);
  if (shape) return { ok: false, reason: shape };
  const seal = data as LogSealedData;
  const publicKey = ed25519PublicKey(seal.publicKey);
  if (typeof publicKey === 'string') return { ok: false, reason: publicKey };
  if (publicKey.keyId !== seal.keyId) return { ok: false, reason: 'son identifiant de clé ne correspond pas à sa clé publique' };
  if (rootOfFrontier(seal.frontier.map(fromHex)).toString('hex') !== seal.rootHash) {
    return { ok: false, reason: 'ses sous-arbres ne donnent pas sa racine' };
  }
  if (!signatureHolds(seal.publicKey, signedText(seal), seal.signature)) {
    return { ok: false, reason: 'sa signature est fausse (sceau falsifié ou modifié)' };
  }
  return { ok: true, seal };
}

/** The Ed25519 key a seal carries (SPKI DER, base64) with its key id, or why it is none (French). */
function ed25519PublicKey(base64: string): { readonly key: KeyObject; readonly keyId: string } | string {
  let der: Buffer;
  let key: KeyObject;
  try {
    der = Buffer.from(base64, 'base64');
    key = createPublicKey({ key: der, format: 'der', type: 'spki' });
  } catch {
    return 'sa clé publique est illisible';
  }
  if (key.asymmetricKeyType !== 'ed25519') return 'sa clé publique n’est pas une clé Ed25519';
  return { key, keyId: keyIdOf(der) };
}

/** Whether `signature` (base64) is the Ed25519 signature of `text` by the key `publicKey` (SPKI DER, base64) carries. */
export function signatureHolds(publicKey: string, text: string, signature: unknown): boolean {
  const key = ed25519PublicKey(publicKey);
  if (typeof key === 'string' || typeof signature !== 'string') return false;
  return verify(null, Buffer.from(text, 'utf8'), key.key, Buffer.from(signature, 'base64'));
}

function sealShapeProblem(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return 'ce n’est pas un sceau';
  const seal = data as Record<string, unknown>;
  const wrong: string[] = [];
  if (!Number.isSafeInteger(seal.treeSize) || (seal.treeSize as number) < 1) wrong.push('treeSize');
  if (!isHexHash(seal.rootHash)) wrong.push('rootHash');
  const last = seal.lastEvent as Record<string, unknown> | undefined;
  if (typeof last !== 'object' || last === null || typeof last.streamId !== 'string' || !Number.isSafeInteger(last.revision) || typeof last.id !== 'string') {
    wrong.push('lastEvent');
  }
  if (typeof seal.sealedAt !== 'string' || Number.isNaN(Date.parse(seal.sealedAt))) wrong.push('sealedAt');
  if (seal.algorithm !== SEAL_ALGORITHM) wrong.push('algorithm');
  if (typeof seal.publicKey !== 'string') wrong.push('publicKey');
  if (!isHexHash(seal.keyId)) wrong.push('keyId');
  if (typeof seal.signature !== 'string') wrong.push('signature');
  if (!Array.isArray(seal.frontier) || !seal.frontier.every(isHexHash) || (Number.isSafeInteger(seal.treeSize) && seal.frontier.length !== bitsSet(seal.treeSize as number))) {
    wrong.push('frontier');
  }
  return wrong.length === 0 ? undefined : `sceau mal formé (${wrong.join(', ')})`;
}

function bitsSet(n: number): number {
  let bits = 0;
  for (let rest = n; rest > 0; rest = Math.floor(rest / 2)) bits += rest % 2;
  return bits;
}

/**
 * A public key as a controller may give it (`--public-key`): a PEM file's content, the base64 of
 * its SPKI DER, or its key id (64 hex digits). Returns the key id, or undefined if it is none of these.
 */
export function keyIdOfPublicKeyText(text: string): string | undefined {
  const trimmed = text.trim();
  if (/^[0-9a-f]{64}$/.test(trimmed)) return trimmed;
  try {
    const key = trimmed.startsWith('-----BEGIN')
      ? createPublicKey(trimmed)
      : createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ed25519') return undefined;
    return keyIdOf(key.export({ format: 'der', type: 'spki' }));
  } catch {
    return undefined;
  }
}

/** The hex of a seal's frontier, from the verifier's buffers. */
export function frontierHex(nodes: readonly Uint8Array[]): string[] {
  return nodes.map(toHex);
}

export function isSealEvent(event: Pick<StoredEvent, 'streamId' | 'type'>, sealStreamId: string): boolean {
  return event.streamId === sealStreamId && event.type === LOG_SEALED;
}
