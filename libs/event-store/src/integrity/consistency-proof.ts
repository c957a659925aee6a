/**
 * Proof that the log only grew (docs/decisions/0011): someone who kept a seal asks for a
 * consistency proof from it to the latest seal (`jalon prove-extends`), and checks offline
 * (`jalon verify-extends`) that both seals are signed and that the log of the first is, event for
 * event, the beginning of the log of the second (RFC 9162 §2.1.4).
 *
 * The file is one JSON document:
 *   {"format":"jalon-consistency","version":1,"generatedAt":…,"from":{…LogSealed event…},"to":{…LogSealed event…},"proof":["…"],"text":"…"}
 */
import type { EventStore, StoredEvent } from '../event-store.port';
import { checkSealLine, frenchInstant, sealOf } from './audit-export';
import { IntegrityError } from './integrity-error';
import { assertSealHolds, buildLogTree } from './log-tree';
import { fromHex, isHexHash, toHex, verifyConsistency } from './merkle';
import { keyIdOfPublicKeyText, LOG_SEALED, type LogSealedData } from './seal';

export const CONSISTENCY_FORMAT = 'jalon-consistency';
export const CONSISTENCY_FORMAT_VERSION = 1;

export interface ConsistencyProofFile {
  readonly format: typeof CONSISTENCY_FORMAT;
  readonly version: typeof CONSISTENCY_FORMAT_VERSION;
  readonly generatedAt: string;
  readonly from: SealEventJson;
  readonly to: SealEventJson;
  readonly proof: readonly string[];
  readonly text: string;
}

/** A stored seal event as files carry it (the position as a decimal string). */
export type SealEventJson = Omit<StoredEvent, 'position'> & { readonly position: string };

export function sealEventJson(event: StoredEvent): SealEventJson {
  const { position, streamId, revision, id, type, version, data, metadata } = event;
  return { position: position.toString(), streamId, revision, id, type, version, data, metadata };
}

/** Builds the proof from `fromSeal` to `toSeal` over the log, refusing if the log no longer gives either root. */
export async function proveExtends(store: EventStore, fromSeal: StoredEvent, toSeal: StoredEvent, now: Date = new Date()): Promise<ConsistencyProofFile> {
  const from = sealOf(fromSeal, 'le sceau de départ');
  const to = sealOf(toSeal, 'le dernier sceau');
  if (from.treeSize > to.treeSize) {
    throw new IntegrityError('INTEGRITY.SEAL_NOT_FOUND', `le sceau de départ couvre ${from.treeSize} événements, plus que le dernier sceau (${to.treeSize})`);
  }
  const tree = await buildLogTree(store, to.treeSize);
  assertSealHolds(tree, to, 'du dernier sceau');
  assertSealHolds(tree, from, 'du sceau de départ');
  return {
    format: CONSISTENCY_FORMAT,
    version: CONSISTENCY_FORMAT_VERSION,
    generatedAt: now.toISOString(),
    from: sealEventJson(fromSeal),
    to: sealEventJson(toSeal),
    proof: tree.consistencyProof(from.treeSize, to.treeSize).map(toHex),
    text: extensionText(from, to),
  };
}

function extensionText(from: LogSealedData, to: LogSealedData): string {
  return (
    `Le journal scellé le ${frenchInstant(from.sealedAt)} (${from.treeSize} événements, racine ${from.rootHash.slice(0, 16)}…) est le début, ` +
    `inchangé, du journal scellé le ${frenchInstant(to.sealedAt)} (${to.treeSize} événements, racine ${to.rootHash.slice(0, 16)}…). ` +
    'Vérification hors ligne : jalon verify-extends FICHIER --public-key CLÉ.'
  );
}

export interface ConsistencyCheck {
  readonly ok: boolean;
  readonly problems: readonly string[];
  readonly from?: { readonly treeSize: number; readonly sealedAt: string; readonly rootHash: string };
  readonly to?: { readonly treeSize: number; readonly sealedAt: string; readonly rootHash: string; readonly keyId: string };
  readonly keyMatches?: boolean;
}

/**
 * Checks a consistency proof file offline: both seals, their key, and the proof; with `keptSeal`
 * (the seal a controller kept: its size and root), that the proof starts from that very seal, since
 * a proof from any other seal says nothing of the one kept.
 */
export function verifyExtends(file: unknown, options: { publicKey?: string; keptSeal?: { readonly treeSize: number; readonly rootHash: string } } = {}): ConsistencyCheck {
  const problems: string[] = [];
  if (typeof file !== 'object' || file === null || (file as Record<string, unknown>).format !== CONSISTENCY_FORMAT) {
    return { ok: false, problems: [`ce n’est pas une preuve de cohérence Jalon ("format":"${CONSISTENCY_FORMAT}" attendu)`] };
  }
  const document = file as Record<string, unknown>;
  if (document.version !== CONSISTENCY_FORMAT_VERSION) problems.push(`version ${String(document.version)} du format non prise en charge`);
  const fail = (_line: number, message: string) => problems.push(message);
  const from = checkSealLine((document.from ?? {}) as Record<string, unknown>, 0, fail, 'le sceau de départ');
  const to = checkSealLine((document.to ?? {}) as Record<string, unknown>, 0, fail, 'le dernier sceau');
  let keyMatches: boolean | undefined;
  if (options.publicKey !== undefined) {
    const keyId = keyIdOfPublicKeyText(options.publicKey);
    if (keyId === undefined) problems.push('la clé publique donnée n’est ni une clé Ed25519 (PEM ou base64 SPKI), ni un identifiant de clé');
    else {
      keyMatches = (!from || from.keyId === keyId) && (!to || to.keyId === keyId);
      if (!keyMatches) problems.push('les sceaux ne sont pas tous deux signés par la clé donnée');
    }
  } else if (from && to && from.keyId !== to.keyId) {
    problems.push('les deux sceaux ne sont pas signés par la même clé');
  }
  if (from && to) {
    const proof = Array.isArray(document.proof) && document.proof.every(isHexHash) ? (document.proof as string[]).map(fromHex) : undefined;
    if (from.treeSize > to.treeSize) problems.push(`le sceau de départ couvre plus d’événements (${from.treeSize}) que le dernier (${to.treeSize})`);
    else if (!proof || !verifyConsistency(from.treeSize, to.treeSize, fromHex(from.rootHash), fromHex(to.rootHash), proof)) {
      problems.push(
        `la preuve ne montre pas que le journal du sceau de départ (${from.treeSize} événements) est le début inchangé de celui du dernier sceau (${to.treeSize}) : ` +
          'un événement couvert par le premier sceau a été modifié, retiré ou déplacé, ou la preuve a été altérée',
      );
    }
    if (document.text !== extensionText(from, to)) problems.push('le texte du fichier ne correspond pas aux sceaux qu’il contient');
  }
  const kept = options.keptSeal;
  if (kept && (!from || from.treeSize !== kept.treeSize || from.rootHash !== kept.rootHash)) {
    problems.push(
      `la preuve ne part pas du sceau conservé (${kept.treeSize} événements, racine ${kept.rootHash.slice(0, 16)}…)` +
        (from ? ` mais d’un autre (${from.treeSize} événements, racine ${from.rootHash.slice(0, 16)}…) : elle ne dit rien du sceau conservé` : ''),
    );
  }
  return {
    ok: problems.length === 0,
    problems,
    ...(from ? { from: { treeSize: from.treeSize, sealedAt: from.sealedAt, rootHash: from.rootHash } } : {}),
    ...(to ? { to: { treeSize: to.treeSize, sealedAt: to.sealedAt, rootHash: to.rootHash, keyId: to.keyId } } : {}),
    ...(keyMatches === undefined ? {} : { keyMatches }),
  };
}

/**
 * The seal a file holds, as `--from-seal FILE` takes it: a consistency proof (its `to` seal), an
 * audit export (its seal line), or one JSON seal event per line (`jalon events integrity-seals
 * --json`: the last one). Undefined when the text holds none.
 */
export function sealEventFromText(text: string): SealEventJson | undefined {
  const candidates: unknown[] = [];
  try {
    candidates.push(JSON.parse(text));
  } catch {
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        candidates.push(JSON.parse(line));
      } catch {
        // Not a line of JSON: not a seal.
      }
    }
  }
  let found: SealEventJson | undefined;
  for (const candidate of candidates) {
    if (typeof candidate !== 'object' || candidate === null) continue;
    const value = candidate as Record<string, unknown>;
    // An audit export's own seal wins over the seal events a programme export lists among its events.
    if (value.kind === 'seal' && value.type === LOG_SEALED) return value as unknown as SealEventJson;
    if (value.format === CONSISTENCY_FORMAT && typeof value.to === 'object') found = value.to as SealEventJson;
    else if (value.kind !== 'event' && value.type === LOG_SEALED && typeof value.data === 'object') found = value as unknown as SealEventJson;
  }
  return found;
}
