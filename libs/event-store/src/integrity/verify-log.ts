/**
 * Verification of the whole log, on the event-store port only (docs/decisions/0011): every event's
 * hash recomputed, every stream's chain (revisions 0, 1, 2… without gaps, `previousHash` naming the
 * previous event, positions growing with revisions), every seal's signature and root, and, where
 * the store hands out positions densely (the embedded store), gaps in positions.
 *
 * {@link LogVerifier} takes events one at a time, in global order, keeping only what the next
 * checks need: one tip per stream and the Merkle tree's frontier with recent leaves (see
 * `PrefixRoots`). `jalon verify` feeds it the log once; the running service keeps one and feeds it
 * as the log grows. Problems are sentences in French that name the position, stream and revision.
 */
import {
  isUnreadable,
  UnreadableEventError,
  type EventStore,
  type StoredEvent,
  type UnreadableEvent,
} from '../event-store.port';
import { eventHash, GENESIS_HASH, isEventHash, tipOf, type ChainTip } from './event-hash';
import { MerkleFrontier, toHex, type FrontierSnapshot } from './merkle';
import { PrefixRoots } from './prefix-roots';
import { checkSeal, LOG_SEALED, type LogSealedData, type SealedEventRef } from './seal';
import type { AssignedPositions } from './embedded-positions';
import type { ListedDocumentFile } from '../documents/document-store';
import { yieldToEventLoop } from './log-tree';

export type LogProblemKind =
  /** A row that cannot be decoded. */
  | 'unreadable'
  /** The log could not be read past a point. */
  | 'read-failed'
  /** The event's content no longer gives its stored hash (data, metadata, type… changed). */
  | 'hash-mismatch'
  /** `hash` present but not 64 hex digits. */
  | 'hash-invalid'
  /** `previousHash` does not name the previous event of the stream. */
  | 'chain-broken'
  /** An event without hash in a stream whose earlier events are chained. */
  | 'chain-missing'
  /** Revisions missing in a stream (a deleted row). */
  | 'revision-gap'
  /** A revision that comes after a later one, or twice (rows swapped or copied). */
  | 'revision-order'
  /** Positions missing in a log that hands them out densely (a deleted row). */
  | 'position-gap'
  /** Positions handed out at the end of the log and no longer there (the tail cut off). */
  | 'tail-truncated'
  /** The store's file damaged where reading the events does not look (an index of the embedded store). */
  | 'store-damaged'
  /** A seal known to have been written (the one the service last wrote, kept beside the store) is no longer in the log, or not as it was. */
  | 'seal-removed'
  /** What was verified changed afterwards, found by a later read of the log (an event an audit export rehashed, a log now shorter). */
  | 'changed-after-verification'
  /** A seal that does not hold by itself: shape, key id, frontier, signature. */
  | 'seal-invalid'
  /** A seal signed with a key other than the service's. */
  | 'seal-foreign-key'
  /** A seal covering more events than precede it. */
  | 'seal-missing-events'
  /** The events a seal covers no longer give its root. */
  | 'seal-root-mismatch'
  /** A seal whose root cannot be recomputed (an unreadable event before it, or too far back). */
  | 'seal-unverifiable'
  /** Something else than a seal in the seals' stream. */
  | 'seal-stream'
  /** A file an event names (a supporting document) is not in the document store. */
  | 'document-missing'
  /** A file an event names no longer holds the bytes its hash names, or cannot be read. */
  | 'document-altered';

export interface LogProblem {
  readonly kind: LogProblemKind;
  /** Global position (decimal), when the problem is at one event. */
  readonly position?: string;
  readonly streamId?: string;
  readonly revision?: number;
  /** In French, naming position, stream and revision. */
  readonly message: string;
}

export interface SealSummary {
  readonly position: string;
  readonly revision: number;
  readonly treeSize: number;
  readonly rootHash: string;
  readonly sealedAt: string;
  readonly keyId: string;
}

export interface LogVerificationReport {
  readonly ok: boolean;
  /** Events read (unreadable rows included). */
  readonly events: number;
  readonly streams: number;
  /** Events carrying their hash. */
  readonly chained: number;
  /** Events written before the chain existed (no hash): verified only through the seals that cover them. */
  readonly beforeChain: number;
  readonly beforeChainPositions?: { readonly first: string; readonly last: string };
  readonly unreadable: number;
  readonly seals: number;
  readonly lastSeal?: SealSummary;
  /** Events of the log not covered by the last seal (seal events aside). */
  readonly eventsAfterLastSeal: number;
  /** Where the verification started (exclusive) when it started from a seal (`--from`). */
  readonly startedAfter?: string;
  readonly startedFromSeal?: SealSummary;
  readonly firstPosition?: string;
  readonly lastPosition?: string;
  readonly problems: readonly LogProblem[];
  /** All problems found, including those beyond the list's limit. */
  readonly problemCount: number;
  /** Files named by events (supporting documents) checked against their hash, when asked to. */
  readonly documents?: number;
  /**
   * Files of the documents' directory that no event read names (when the whole log was read): left
   * by an upload refused or cut short after its bytes were stored, or in progress, or put there by
   * hand. Not a problem of the log: proof of nothing, said so that they do not go unseen.
   */
  readonly unnamedFiles?: UnnamedFiles;
  readonly durationMs: number;
}

export interface LogVerifierOptions {
  readonly sealStreamId: string;
  /** Key ids seals must be signed with (the service's key, when known); any valid key otherwise. */
  readonly trustedKeyIds?: readonly string[];
  /** The store hands out positions 1, 2, 3… without gaps (the embedded store): a gap is a deleted row. */
  readonly densePositions?: boolean;
  /** How far back a seal's root can be recomputed, in events (default: everything). */
  readonly rootWindow?: number;
  /** Problems kept in the report (default 1 000); all are counted. */
  readonly maxProblems?: number;
  /** Start from a seal instead of the beginning of the log (see {@link verifyLog}'s `from`). */
  readonly start?: VerifierStart;
  /** Also check the files events name (supporting documents): each must be stored and hash to its name. */
  readonly files?: NamedFiles;
}

/** A file an event names by its SHA-256 (the store does not know which events do: the caller says). */
export interface NamedFile {
  readonly sha256: string;
  /** For the message. */
  readonly fileName: string;
}

/** What a file named by its hash is now. */
export type NamedFileState = { readonly state: 'ok' } | { readonly state: 'missing' } | { readonly state: 'altered'; readonly actualSha256: string } | { readonly state: 'unreadable'; readonly reason: string };

export interface NamedFiles {
  /** The files `event` names (none for most events). */
  filesOf(event: StoredEvent): readonly NamedFile[];
  check(sha256: string): Promise<NamedFileState>;
  /** Every file stored, listed (`sha256` for those stored under a hash): to find those no event names. */
  stored?(): AsyncIterable<ListedDocumentFile>;
}

/** What {@link LogVerificationReport.unnamedFiles} says. */
export type UnnamedFiles =
  | { readonly count: number; readonly bytes: number; /** The first {@link UNNAMED_FILES_LISTED}, in path order. */ readonly paths: readonly string[] }
  | { readonly notListed: string };

/** How many of the files no event names a report lists by path (all are counted). */
export const UNNAMED_FILES_LISTED = 20;

export interface VerifierStart {
  readonly frontier: FrontierSnapshot;
  /** Position of the last event the seal covers: reading goes on after it. */
  readonly afterPosition: bigint;
  readonly seal: SealSummary;
}

interface StreamTip {
  revision: number;
  /** Undefined when the event could not be read. */
  hash: string | undefined;
  chained: boolean;
  position: bigint;
}

/** The state needed to write a seal over what the verifier has read. */
export interface SealBasis {
  readonly treeSize: number;
  readonly rootHash: string;
  readonly frontier: readonly string[];
  readonly lastEvent: SealedEventRef;
}

export class LogVerifier {
  private readonly streams = new Map<string, StreamTip>();
  private readonly leaves: PrefixRoots;
  private readonly problemList: LogProblem[] = [];
  private readonly maxProblems: number;
  private readonly startedAt = process.hrtime.bigint();
  private problemCount = 0;
  private events = 0;
  private chained = 0;
  private beforeChain = 0;
  private firstBeforeChain: bigint | undefined;
  private lastBeforeChain: bigint | undefined;
  private unreadable = 0;
  private seals = 0;
  private firstPosition: bigint | undefined;
  private lastPosition: bigint | undefined;
  private lastEvent: SealedEventRef | undefined;
  /** Leaf index of the first event whose leaf is unknown (an unreadable row). */
  private brokenFrom: number | undefined;
  private lastSeal: SealSummary | undefined;
  /** Tree size of the last seal whose root held: the log up to there is what it was. */
  private lastGoodTreeSize = 0;
  /** Leaf indexes of the seal events (one per seal: few). */
  private readonly sealIndexes: number[] = [];
  /** Files named by the events read, checked by {@link checkFiles} (one entry per document: few). */
  private readonly namedFiles: { readonly file: NamedFile; readonly event: EventPlace }[] = [];
  private documentsChecked: number | undefined;
  private unnamedFiles: UnnamedFiles | undefined;

  constructor(private readonly options: LogVerifierOptions) {
    this.maxProblems = options.maxProblems ?? 1_000;
    const start = options.start;
    this.leaves = new PrefixRoots(start?.frontier, options.rootWindow);
    if (start) {
      this.lastPosition = start.afterPosition;
      this.lastSeal = start.seal;
      this.lastGoodTreeSize = start.seal.treeSize;
    }
  }

  /** Whether the verifier has seen the stream (a verification started from a seal looks its tip up first). */
  knowsStream(streamId: string): boolean {
    return this.streams.has(streamId);
  }

  /** The tip of a stream whose earlier events were verified before (a start from a seal). */
  assumeTip(streamId: string, tip: ChainTip, position: bigint, chained: boolean): void {
    this.streams.set(streamId, { revision: tip.revision, hash: tip.hash, chained, position });
  }

  /** The tip of a stream as the hash chain needs it. */
  tip(streamId: string): ChainTip | undefined {
    const tip = this.streams.get(streamId);
    return tip?.hash === undefined ? undefined : { revision: tip.revision, hash: tip.hash };
  }

  get position(): bigint | undefined {
    return this.lastPosition;
  }

  get leafCount(): number {
    return this.leaves.size;
  }

  get ok(): boolean {
    return this.problemCount === 0;
  }

  /**
   * Events read (seals aside) that neither the last seal read nor a seal of `coveredSize` (one just
   * written, not read back yet) covers: what the service counts to seal every N events.
   */
  uncoveredEvents(coveredSize = 0): number {
    const from = Math.max(coveredSize, this.lastSeal?.treeSize ?? 0);
    if (from >= this.leaves.size) return 0;
    let seals = 0;
    for (let i = this.sealIndexes.length - 1; i >= 0 && this.sealIndexes[i]! >= from; i--) seals += 1;
    return this.leaves.size - from - seals;
  }

  /** Whether some event other than a seal is not covered by the last seal. */
  get needsSeal(): boolean {
    return this.uncoveredEvents() > 0;
  }

  /** What a seal over everything read so far states, when the log read so far verified. */
  sealBasis(): SealBasis | undefined {
    if (!this.ok || this.lastEvent === undefined || this.brokenFrom !== undefined) return undefined;
    return {
      treeSize: this.leaves.size,
      rootHash: toHex(this.leaves.root()),
      frontier: this.leaves.snapshot().nodes.map(toHex),
      lastEvent: this.lastEvent,
    };
  }

  accept(event: StoredEvent | UnreadableEvent): void {
    this.events += 1;
    this.checkPosition(event.position);
    if (isUnreadable(event)) {
      this.acceptUnreadable(event);
      return;
    }
    const index = this.leaves.size;
    const stored = event.metadata.hash;
    const previous = event.metadata.previousHash;
    const computed = eventHash(event);
    const chained = stored !== undefined || previous !== undefined;
    let leaf = computed;
    // Equal to the recomputed hash, the stored one is well formed: the regular expression only runs on a difference.
    if (stored !== undefined && stored !== computed) {
      if (!isEventHash(stored)) {
        this.problem('hash-invalid', event, `son empreinte enregistrée n’est pas une empreinte SHA-256 (${JSON.stringify(stored).slice(0, 80)})`);
      } else {
        leaf = stored;
        this.problem('hash-mismatch', event, 'son contenu (type, données ou métadonnées) ne correspond plus à son empreinte : il a été modifié');
      }
    } else if (stored === undefined && previous !== undefined) {
      this.problem('hash-invalid', event, 'il porte l’empreinte de son prédécesseur mais pas la sienne');
    }
    if (chained) this.chained += 1;
    else {
      this.beforeChain += 1;
      this.firstBeforeChain ??= event.position;
      this.lastBeforeChain = event.position;
    }

    const tip = this.streams.get(event.streamId);
    if (this.checkRevision(event, tip)) {
      if (chained) {
        const expectedPrevious = event.revision === 0 ? GENESIS_HASH : tip?.revision === event.revision - 1 ? tip.hash : undefined;
        if (expectedPrevious !== undefined && previous !== expectedPrevious) {
          this.problem(
            'chain-broken',
            event,
            event.revision === 0
              ? 'premier événement du flux, il devrait désigner l’empreinte initiale (64 zéros)'
              : `il ne désigne pas l’empreinte de la révision ${event.revision - 1} du flux (position ${tip!.position}) : un événement a été modifié, retiré ou remplacé avant lui`,
          );
        }
      } else if (tip?.chained) {
        this.problem('chain-missing', event, 'il ne porte pas d’empreinte alors que les événements précédents du flux sont chaînés');
      }
      this.streams.set(event.streamId, { revision: event.revision, hash: leaf, chained: chained || (tip?.chained ?? false), position: event.position });
    }

    if (event.streamId === this.options.sealStreamId) this.checkSeal(event, index);
    if (this.options.files) for (const file of this.options.files.filesOf(event)) this.namedFiles.push({ file, event: withoutData(event) });
    this.lastEvent = { streamId: event.streamId, revision: event.revision, id: event.id };
    this.leaves.append(leaf, event.position);
  }

  /**
   * The log could not be read after `after`. With `skipped`, the row at that position (the next one,
   * where positions are dense) is counted as an unreadable event and reading resumes after it;
   * without, the verification stops there.
   */
  readFailed(after: bigint | undefined, reason: string, skipped?: bigint): void {
    const where = after === undefined ? 'dès le début du journal' : `après la position ${after}`;
    if (skipped === undefined) {
      this.record({ kind: 'read-failed', message: `Lecture impossible ${where} (${reason}) : la vérification s’arrête là.` });
      return;
    }
    this.events += 1;
    this.unreadable += 1;
    this.checkPosition(skipped);
    this.record({
      kind: 'unreadable',
      position: skipped.toString(),
      message: `Position ${skipped} : illisible (${reason}) ; la lecture reprend après elle.`,
    });
    this.appendUnknownLeaf(skipped);
  }

  /**
   * A change to what was already verified, found by another reader of the log (an audit export
   * that rehashed an event, a head below the last position verified): from then on the log does
   * not verify, and nothing is sealed or proved over it.
   */
  changedAfterVerification(message: string, position?: bigint): void {
    this.record({ kind: 'changed-after-verification', ...(position === undefined ? {} : { position: position.toString() }), message });
  }

  /**
   * At the end of the log, what reading the events cannot show: positions handed out beyond the
   * last event (the embedded store's counter: the tail cut off), the store's file damaged where
   * reading does not look, a seal known to have been written and no longer in the log.
   */
  checkEnd(end: EndChecks = {}): void {
    for (const message of end.storeDamage ?? []) this.record({ kind: 'store-damaged', message });
    for (const message of end.removedSeals ?? []) this.record({ kind: 'seal-removed', message });
    if (end.positions === undefined) return;
    // The counter is compared with the last event of its own snapshot, which may be later than the
    // events read here (another process appending meanwhile); the events read must still be there.
    const { highest } = end.positions;
    const stored = end.positions.lastStored ?? 0n;
    const verified = this.lastPosition ?? 0n;
    if (stored < verified) {
      this.record({
        kind: 'tail-truncated',
        position: (stored + 1n).toString(),
        message: `Positions ${range(stored + 1n, verified)} : vérifiées, puis retirées du journal (fin du journal tronquée).`,
      });
    } else if (highest > stored) {
      this.record({
        kind: 'tail-truncated',
        position: (stored + 1n).toString(),
        message: `Positions ${range(stored + 1n, highest)} : attribuées à des événements qui ne sont plus dans le journal (fin du journal tronquée).`,
      });
    }
  }

  /**
   * Checks every file the events read so far name: stored, and still the bytes of its hash. Each
   * file is read once, however many events name it; each event naming a missing or altered file is
   * named, with the file.
   */
  async checkFiles(): Promise<void> {
    const files = this.options.files;
    if (!files) return;
    const states = new Map<string, NamedFileState>();
    for (const { file, event } of this.namedFiles) {
      let state = states.get(file.sha256);
      if (!state) {
        state = await files.check(file.sha256).catch((error: unknown): NamedFileState => ({ state: 'unreadable', reason: (error as Error).message }));
        states.set(file.sha256, state);
      }
      const named = `le justificatif « ${file.fileName} » (empreinte ${file.sha256})`;
      if (state.state === 'missing') this.problem('document-missing', event, `${named} est absent du dossier des justificatifs`);
      else if (state.state === 'altered') this.problem('document-altered', event, `${named} a été modifié : son fichier a pour empreinte ${state.actualSha256}`);
      else if (state.state === 'unreadable') this.problem('document-altered', event, `${named} ne peut pas être lu (${state.reason})`);
    }
    this.documentsChecked = states.size;
    // Files no event names: only known once every event was read (not from a seal, whose covered events are not reread).
    if (files.stored && !this.options.start) this.unnamedFiles = await unnamedFilesOf(files.stored(), states);
  }

  report(): LogVerificationReport {
    const start = this.options.start;
    return {
      ok: this.ok,
      events: this.events,
      streams: this.streams.size,
      chained: this.chained,
      beforeChain: this.beforeChain,
      ...(this.firstBeforeChain === undefined ? {} : { beforeChainPositions: { first: this.firstBeforeChain.toString(), last: this.lastBeforeChain!.toString() } }),
      unreadable: this.unreadable,
      seals: this.seals,
      ...(this.lastSeal ? { lastSeal: this.lastSeal } : {}),
      eventsAfterLastSeal: this.uncoveredEvents(),
      ...(start ? { startedAfter: start.afterPosition.toString(), startedFromSeal: start.seal } : {}),
      ...(this.firstPosition === undefined ? {} : { firstPosition: this.firstPosition.toString(), lastPosition: this.lastPosition!.toString() }),
      problems: [...this.problemList],
      problemCount: this.problemCount,
      ...(this.documentsChecked === undefined ? {} : { documents: this.documentsChecked }),
      ...(this.unnamedFiles === undefined ? {} : { unnamedFiles: this.unnamedFiles }),
      durationMs: Number(process.hrtime.bigint() - this.startedAt) / 1e6,
    };
  }

  private acceptUnreadable(event: UnreadableEvent): void {
    this.unreadable += 1;
    this.problem('unreadable', event, `il est illisible (${event.reason})`);
    const tip = this.streams.get(event.streamId);
    if (this.checkRevision(event, tip)) {
      this.streams.set(event.streamId, { revision: event.revision, hash: undefined, chained: tip?.chained ?? false, position: event.position });
    }
    this.appendUnknownLeaf(event.position);
  }

  /** An event whose leaf cannot be known: the indexes of later events stay right, roots covering it cannot be checked. */
  private appendUnknownLeaf(position: bigint): void {
    this.brokenFrom ??= this.leaves.size;
    this.leaves.append(Buffer.alloc(32), position);
  }

  private checkPosition(position: bigint): void {
    this.firstPosition ??= position;
    const expected = (this.lastPosition ?? 0n) + 1n;
    if (this.options.densePositions && position > expected) {
      this.record({
        kind: 'position-gap',
        position: expected.toString(),
        message: `Position${position - expected > 1n ? 's' : ''} ${range(expected, position - 1n)} : absente${position - expected > 1n ? 's' : ''} du journal (ligne supprimée), avant la position ${position}.`,
      });
    }
    this.lastPosition = position;
  }

  /** Checks the event's revision against its stream's tip; false when it comes out of order (the tip stays). */
  private checkRevision(event: StoredEvent | UnreadableEvent, tip: StreamTip | undefined): boolean {
    const expected = tip ? tip.revision + 1 : 0;
    if (event.revision > expected) {
      this.problem(
        'revision-gap',
        event,
        `révision${event.revision - expected > 1 ? 's' : ''} ${range(BigInt(expected), BigInt(event.revision - 1))} du flux absente${event.revision - expected > 1 ? 's' : ''} avant lui (événement supprimé ou déplacé)`,
      );
      return true;
    }
    if (tip && event.revision < expected) {
      this.problem('revision-order', event, `il vient après la révision ${tip.revision} du même flux (position ${tip.position}) : événements déplacés, intervertis ou copiés`);
      return false;
    }
    return true;
  }

  private checkSeal(event: StoredEvent, index: number): void {
    if (event.type !== LOG_SEALED) {
      this.problem('seal-stream', event, `le flux des sceaux ne doit contenir que des sceaux (${LOG_SEALED}), pas un ${event.type}`);
      return;
    }
    this.seals += 1;
    this.sealIndexes.push(index);
    const check = checkSeal(event.data);
    if (!check.ok) {
      this.problem('seal-invalid', event, `sceau invalide : ${check.reason}`);
      return;
    }
    const seal = check.seal;
    const trusted = this.options.trustedKeyIds;
    if (trusted !== undefined && !trusted.includes(seal.keyId)) {
      this.problem('seal-foreign-key', event, `sceau signé par une autre clé que celle du service (clé ${seal.keyId.slice(0, 16)}…)`);
    }
    if (seal.treeSize > index) {
      this.problem(
        'seal-missing-events',
        event,
        `le sceau couvre ${seal.treeSize} événement(s) mais seuls ${index} le précèdent : les événements n° ${index + 1} à ${seal.treeSize} du journal manquent (journal tronqué ou lignes supprimées)`,
      );
    } else if (this.brokenFrom !== undefined && seal.treeSize > this.brokenFrom) {
      this.problem('seal-unverifiable', event, `sa racine ne peut être recalculée : l’événement n° ${this.brokenFrom + 1} du journal est illisible`);
    } else {
      const snapshot = this.leaves.snapshotAt(seal.treeSize);
      if (snapshot === undefined) {
        this.problem('seal-unverifiable', event, `sa racine porte sur un état du journal trop ancien pour être recalculé ici (${seal.treeSize} événements)`);
      } else if (toHex(new MerkleFrontier(snapshot).root()) !== seal.rootHash) {
        this.problem('seal-root-mismatch', event, `les ${seal.treeSize} premiers événements du journal ne sont plus ceux qu’il a scellés : ${this.locate(seal, snapshot)}`);
      } else {
        this.lastGoodTreeSize = Math.max(this.lastGoodTreeSize, seal.treeSize);
      }
    }
    this.lastSeal = summaryOf(event, seal);
  }

  /** Which events a changed root comes from: the first perfect subtree that differs, after the last seal that held. */
  private locate(seal: LogSealedData, actual: FrontierSnapshot): string {
    let offset = 0;
    let size = 2 ** Math.floor(Math.log2(seal.treeSize));
    for (let i = 0; i < seal.frontier.length; i++) {
      while (size > 0 && (seal.treeSize - offset) < size) size /= 2;
      if (seal.frontier[i] !== toHex(actual.nodes[i]!)) {
        const from = Math.max(offset, this.lastGoodTreeSize);
        const to = Math.min(offset + size, seal.treeSize) - 1;
        if (from > to) break;
        const first = this.leaves.positionAt(from);
        const last = this.leaves.positionAt(to);
        const positions = first !== undefined && last !== undefined ? ` (positions ${range(first, last)})` : '';
        return `le premier écart est parmi les événements n° ${from + 1} à ${to + 1}${positions} — événement inséré, retiré, déplacé ou réécrit avec sa chaîne`;
      }
      offset += size;
      size /= 2;
    }
    return 'événement inséré, retiré, déplacé ou réécrit avec sa chaîne';
  }

  private problem(kind: LogProblemKind, event: EventPlace | UnreadableEvent, what: string): void {
    this.record({
      kind,
      position: event.position.toString(),
      streamId: event.streamId,
      revision: event.revision,
      message: `Position ${event.position}, flux ${event.streamId}, révision ${event.revision} : ${what}.`,
    });
  }

  private record(problem: LogProblem): void {
    this.problemCount += 1;
    if (this.problemList.length < this.maxProblems) this.problemList.push(problem);
  }
}

type EventPlace = Pick<StoredEvent, 'position' | 'streamId' | 'revision'>;

/** What a problem message needs of an event: its place, not its data (kept for every document until the end). */
function withoutData(event: StoredEvent): EventPlace {
  return { position: event.position, streamId: event.streamId, revision: event.revision };
}

function summaryOf(event: StoredEvent, seal: LogSealedData): SealSummary {
  return { position: event.position.toString(), revision: event.revision, treeSize: seal.treeSize, rootHash: seal.rootHash, sealedAt: seal.sealedAt, keyId: seal.keyId };
}

function range(from: bigint, to: bigint): string {
  return from === to ? `${from}` : `${from} à ${to}`;
}

export interface VerifyLogOptions extends Omit<LogVerifierOptions, 'start'> {
  /**
   * Verify from the last valid seal at or before this position: its frontier stands for the
   * events it covers, and each stream's chain resumes from its last event before them.
   */
  readonly from?: bigint;
  /** The embedded store's position counter (`sqlite_sequence`) and last event, read together: positions beyond the last event were handed out. */
  readonly assignedPositions?: () => AssignedPositions | undefined | Promise<AssignedPositions | undefined>;
  /** The embedded store's file checked where reading the events does not look (`embeddedStoreDamage`): one message per problem. */
  readonly storeDamage?: () => readonly string[] | Promise<readonly string[]>;
  /** Seals known to have been written that the log no longer holds as they were (the service's last one): one message per seal. */
  readonly removedSeals?: () => readonly string[] | Promise<readonly string[]>;
  /** Called every 10 000 events. */
  readonly onProgress?: (events: number) => void;
}

/** What {@link LogVerifier.checkEnd} is given: found outside the events, once they were all read. */
export interface EndChecks {
  readonly positions?: AssignedPositions;
  readonly storeDamage?: readonly string[];
  readonly removedSeals?: readonly string[];
}

/** The end checks a verification's options ask for, each looked up now. */
export async function endChecks(options: Pick<VerifyLogOptions, 'assignedPositions' | 'storeDamage' | 'removedSeals'>): Promise<EndChecks> {
  const positions = await options.assignedPositions?.();
  return {
    ...(positions === undefined ? {} : { positions }),
    storeDamage: (await options.storeDamage?.()) ?? [],
    removedSeals: (await options.removedSeals?.()) ?? [],
  };
}

/** Reads the log as it stands when called (up to its head), once, and verifies it. */
export async function verifyLog(store: EventStore, options: VerifyLogOptions): Promise<LogVerificationReport> {
  const head = await store.headPosition();
  const start = options.from === undefined ? undefined : await startFromSeal(store, options.sealStreamId, options.from);
  const verifier = new LogVerifier({ ...options, ...(start ? { start } : {}) });
  await feedVerifier(store, verifier, {
    until: head,
    densePositions: options.densePositions ?? false,
    lookUpTips: start !== undefined,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    // Between pages, the event loop turns: a long verification can be interrupted (Ctrl-C), its temporary copy removed.
    pause: yieldToEventLoop,
  });
  verifier.checkEnd(await endChecks(options));
  await verifier.checkFiles();
  return verifier.report();
}

export interface FeedOptions {
  /** Stop after this position (the head when the verification started). */
  readonly until?: bigint;
  readonly densePositions: boolean;
  /** For a verifier started from a seal: read each stream's previous event the first time it appears. */
  readonly lookUpTips?: boolean;
  readonly onProgress?: (events: number) => void;
  /** Called between pages, so that a long verification in a serving process lets requests through. */
  readonly pause?: () => Promise<void>;
  readonly shouldStop?: () => boolean;
}

/**
 * Feeds the verifier the log after its last position, yielding undecodable rows as such. A store
 * that cannot decode a row and throws is read again after that row when positions are dense (the
 * row is the next position), otherwise the verification stops there and says so.
 */
export async function feedVerifier(store: EventStore, verifier: LogVerifier, options: FeedOptions): Promise<void> {
  let read = 0;
  for (;;) {
    const after = verifier.position;
    try {
      for await (const event of store.readAll({ ...(after === undefined ? {} : { after }), includeUnreadable: true })) {
        if (options.until !== undefined && event.position > options.until) return;
        if (options.lookUpTips && !isUnreadable(event) && event.revision > 0 && !verifier.knowsStream(event.streamId)) {
          await lookUpTip(store, verifier, event);
        }
        verifier.accept(event);
        read += 1;
        if (read % 10_000 === 0) options.onProgress?.(read);
        if (read % 1_000 === 0) {
          await options.pause?.();
          if (options.shouldStop?.()) return;
        }
        if (options.until !== undefined && event.position >= options.until) return;
      }
      return;
    } catch (error) {
      const last = verifier.position;
      if (error instanceof UnreadableEventError) {
        verifier.accept(error.event);
        continue;
      }
      const reason = error instanceof Error ? error.message : String(error);
      if (!options.densePositions) {
        verifier.readFailed(last, reason);
        return;
      }
      const skipped = (last ?? 0n) + 1n;
      if (options.until !== undefined && skipped > options.until) {
        verifier.readFailed(last, reason);
        return;
      }
      verifier.readFailed(last, reason, skipped);
      if (options.until !== undefined && skipped >= options.until) return;
    }
  }
}

async function lookUpTip(store: EventStore, verifier: LogVerifier, event: StoredEvent): Promise<void> {
  for await (const previous of store.readStream(event.streamId, { fromRevision: event.revision - 1, maxCount: 1 })) {
    if (previous.revision === event.revision - 1 && previous.position < event.position) {
      const chained = previous.metadata.hash !== undefined || previous.metadata.previousHash !== undefined;
      verifier.assumeTip(event.streamId, tipOf(previous), previous.position, chained);
    }
  }
}

/** The last seal at or before `from` that holds by itself, and where reading resumes after it. */
async function startFromSeal(store: EventStore, sealStreamId: string, from: bigint): Promise<VerifierStart | undefined> {
  for await (const event of store.readStream(sealStreamId, { direction: 'backwards' })) {
    if (event.position > from || event.type !== LOG_SEALED) continue;
    const check = checkSeal(event.data);
    if (!check.ok) continue;
    const seal = check.seal;
    const last = await lastCoveredEvent(store, seal.lastEvent);
    if (last === undefined || last.position > event.position) continue;
    return {
      frontier: { size: seal.treeSize, nodes: seal.frontier.map((hex) => Buffer.from(hex, 'hex')) },
      afterPosition: last.position,
      seal: summaryOf(event, seal),
    };
  }
  return undefined;
}

async function lastCoveredEvent(store: EventStore, ref: SealedEventRef): Promise<StoredEvent | undefined> {
  for await (const event of store.readStream(ref.streamId, { fromRevision: ref.revision, maxCount: 1 })) {
    if (event.revision === ref.revision && event.id === ref.id) return event;
  }
  return undefined;
}

/** The stored files whose hash no event read names (`named`), counted, the first ones by path. */
async function unnamedFilesOf(stored: AsyncIterable<ListedDocumentFile>, named: ReadonlyMap<string, unknown>): Promise<UnnamedFiles> {
  let count = 0;
  let bytes = 0;
  const paths: string[] = [];
  try {
    for await (const file of stored) {
      if (file.sha256 !== undefined && named.has(file.sha256)) continue;
      count += 1;
      bytes += file.sizeBytes;
      if (paths.length < UNNAMED_FILES_LISTED) paths.push(file.path);
    }
  } catch (error) {
    return { notListed: (error as Error).message };
  }
  return { count, bytes, paths };
}
