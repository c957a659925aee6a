import { AuditedEvent, AUDITED_EVENT_TYPES, historySentence, HistoryNames, isAuditedEventType } from '@jalon/reporting';
import type {
  AntennaOpened,
  CallForApplicationsOpened,
  CandidacyAntennaAssigned,
  CandidacySubmitted,
  ExpenditureRecorded,
  FundingCommitted,
  PhasePlanned,
  ProgrammeLaunched,
} from '@jalon/domain';
import { isAfter, isBefore } from '@jalon/domain';
import { comparePositions, defineProjection, ProjectedEvent, ReadModelView } from '../../projection';
import { keptOnly, PartsByDocument } from '../report-parts';

/**
 * The audit trail: every event of the programme, its calls, its candidacies, its antennas and
 * their budgets and funding agreements, in log order, as FACTS: its type, when it took effect,
 * when and by whom it was recorded, why (for corrections), and its data (the values it recorded).
 * Nothing is worded here: the French sentences are rendered when the trail is read, by
 * `libs/reporting/src/wording/history-sentences.ts`, so that a wording change needs no rebuild.
 * Users, idempotency records and seals are not audited here (token hashes, request hashes).
 *
 * So that sentences name things rather than show ids, the projection keeps a small NAME INDEX,
 * one document per named thing, read back through {@link historyNames}:
 * - `names:programme:<programmeId>`, `names:call:<callId>` (its title),
 *   `names:candidacy:<candidacyId>` (its territory's name, and the antenna claimed on it),
 *   `names:antenna:<antennaId>` (name and candidacy), `names:phase:<antennaId>:<phaseId>`,
 *   `names:agreement:<agreementId>` (funder, label, tranche labels in schedule order),
 *   `names:expenditure:<antennaId>:<expenditureId>` (its description), `names:actor:<actorId>`
 *   (the last name and role seen, for the actor filter).
 * Each name document also keeps what the trail at a past cut needs (docs/decisions/0024, « The
 * audit trail at a cut »): the events that set it (`sources`: position, effective date, recorded
 * instant, and the part of their data the name reads), folded again through the cut when read
 * there; an actor's document keeps, for each run of their events with the same role (and with the
 * same name), the few of them that decide whether a cut holds one of the run (`runs`, see
 * {@link HistoryActorRuns}). `history-at-cut.ts` reads the read model through a cut.
 *
 * Entries, so that an event changes one small document and a trail reads a few dozen:
 * - `antenna:<antennaId>:entries:<streamId>:<block>`: the entries of up to
 *   {@link ENTRIES_PER_DOCUMENT} consecutive events of one stream of the antenna, its budget or
 *   its funding (they all carry `antennaId`), in log order; the block is the event's revision
 *   divided by that number, zero-padded. One document per entry would cost a storage row per event
 *   (most of a replay's time); one per antenna would copy an ever longer list at each event.
 * - `candidacy:<candidacyId>:entries:<streamId>:<block>`, `call:<callId>:entries:…`,
 *   `programme:<programmeId>:entries:…`: the same for the other streams.
 * The programme-wide trail read whole lists the four prefixes and merges them by position; a PAGE
 * of it is found through the JOURNAL, an index of the audited facts in log order kept beside them:
 * - `journal:<block>`: one pointer row per audited event whose position lies in the block (positions
 *   divided by {@link JOURNAL_BLOCK_POSITIONS}, zero-padded), in log order: its position, the key
 *   of its entries document, and its effective date and recorded instant (what a cut tests).
 * - `journal-counts:<group>`: the number of rows of each non-empty block of a group of
 *   {@link JOURNAL_BLOCKS_PER_GROUP} blocks, so that a page finds its blocks without reading the others.
 * A page reads the counts, one or two journal blocks, and the entries documents its rows point to
 * (see {@link programmeJournal}); the counts' `last` position keeps replays idempotent.
 * A FILTERED page (effective dates, actor, kind of fact) is found through the journal too: each row
 * also names its fact's type and actor (what the filters test; a block keeps each (type, actor) pair
 * once, and a row the index of its pair), and
 * - `journal-summary:<group>`: for each non-empty block of a group of {@link JOURNAL_SUMMARY_BLOCKS}
 *   blocks, its rows, the first and last effective dates among them, how many have none, and how
 *   many rows it holds of each (type, actor) pair; its `last` position keeps replays idempotent.
 * tells, block by block, how many rows match without reading the block, but for a block whose dates
 * straddle a date filter's bounds: a page reads the summaries, those blocks, and the blocks holding
 * its facts (see {@link programmeJournalMatching}).
 * A page of ONE antenna's trail is found through its ORDER, an index of its own facts in log order:
 * - `antenna-order:<antennaId>:<group>`: the antenna's own facts (its antenna, budget and funding
 *   streams) whose positions lie in the group (positions divided by {@link ANTENNA_ORDER_POSITIONS},
 *   zero-padded), one character per fact naming its stream, and each stream's revisions as runs:
 *   the n-th fact of a stream in the group is the n-th revision of its runs, found in the entries
 *   document of that revision. No copy of a fact, no position per fact: the group's first and last
 *   positions, and its length (the antenna's count), are what a page needs to place itself.
 * A page reads the antenna's order documents, the entries documents its facts lie in, and its
 * candidacy's facts (a few, merged by position; see {@link antennaTrailIndex}).
 * An antenna's trail joins its candidacy's entries, found through its name document (candidacy events carry
 * no antenna id, and `evolve` sees only the document it changes). Candidacy events recorded
 * before the opening and after it both appear, whichever document was written first.
 *
 * The stored data is the event's data at its current schema version (projections read events
 * upcast): a change of an audited event's shape bumps this projection's version.
 * Replays are idempotent: an event applied again replaces its own entry, found by position.
 */

/** A fact of the trail with its words: what a reader of the trail gets. */
export interface HistoryEntry extends HistoryFact {
  /** What changed, in French, rendered when read. */
  readonly changes: string;
}

/** What the actor and kind-of-fact filters test: a fact's type and who recorded it. */
export type HistoryFactKind = readonly [type: string, actor: string];

/**
 * A journal row: an audited fact's position, the key of the entries document holding it, what a cut
 * tests (effective date, recorded instant), and what the other filters test (its type and actor, as
 * the index of the pair in its block's `kinds`).
 */
export type HistoryJournalRow = readonly [position: string, entriesKey: string, effectiveDate: string | null, recordedAt: string, kind: number];

/** `journal:<block>`: the audited facts of a block of log positions, in log order. */
export interface HistoryJournalDocument {
  readonly kind: 'journal';
  /** The (type, actor) pairs of the rows, in the order they first name them. */
  readonly kinds: readonly HistoryFactKind[];
  readonly rows: readonly HistoryJournalRow[];
}

/** `journal-counts:<group>`: rows per non-empty journal block of the group, in block order. */
export interface HistoryJournalCountsDocument {
  readonly kind: 'journal-counts';
  /** Position of the last event counted: one at or before it was counted already (a replay applying it again changes nothing). */
  readonly last: string;
  readonly counts: readonly (readonly [block: number, rows: number])[];
}

/**
 * What a filter needs to know of a journal block without reading it: its block, its rows, the first
 * and last effective dates among them (null: none has one), how many rows have no effective date,
 * and its rows of each (type, actor) pair of its summary document, by the pair's index there (a
 * pair past the end of `kinds` has none).
 */
export type HistoryJournalBlockSummary = readonly [block: number, rows: number, firstDate: string | null, lastDate: string | null, undated: number, kinds: readonly number[]];

/** `journal-summary:<group>`: a summary of each non-empty journal block of the group, in block order. */
export interface HistoryJournalSummaryDocument {
  readonly kind: 'journal-summary';
  /** Position of the last row summed: one at or before it was summed already (a replay applying it again changes nothing). */
  readonly last: string;
  /** The (type, actor) pairs of the group's rows, in the order first seen: each block counts its rows of each by index. */
  readonly kinds: readonly HistoryFactKind[];
  readonly blocks: readonly HistoryJournalBlockSummary[];
}

/**
 * `antenna-order:<antennaId>:<group>`: the antenna's own facts whose positions lie in the group, in
 * log order, as one character per fact (its stream's index in `streams`, see {@link orderDigit}).
 */
export interface HistoryAntennaOrderDocument {
  readonly kind: 'antenna-order';
  readonly antennaId: string;
  /** Position of the first fact placed here. */
  readonly first: string;
  /** Position of the last fact placed here: one at or before it was placed already (a replay applying it again changes nothing). */
  readonly last: string;
  /** The streams of the facts placed here, each with its facts' revisions as runs of consecutive revisions, in log order. */
  readonly streams: readonly (readonly [streamId: string, runs: readonly (readonly [revision: number, count: number])[]])[];
  /** One character per fact, in log order: the index of its stream in `streams`. */
  readonly order: string;
}

/** `names:antenna:<antennaId>`: the antenna's name and the candidacy it was opened from. */
export interface HistoryAntennaDocument {
  readonly kind: 'antenna';
  readonly antennaId: string;
  readonly name: string;
  readonly candidacyId: string;
  readonly sources?: readonly HistoryNameSource[];
}

/** `names:candidacy:<candidacyId>`. */
export interface HistoryCandidacyName {
  readonly kind: 'candidacy';
  readonly territoryName: string | null;
  readonly antennaId: string | null;
  readonly sources?: readonly HistoryNameSource[];
}

/** `names:programme:…`, `names:call:…`, `names:phase:…`, `names:expenditure:…`. */
export interface HistoryPlainName {
  readonly kind: 'name';
  readonly name: string;
  readonly sources?: readonly HistoryNameSource[];
}

/** `names:agreement:<agreementId>`. */
export interface HistoryAgreementDocument {
  readonly kind: 'agreement';
  readonly funder: string;
  readonly label: string;
  /** Each tranche's id and label, in schedule order. */
  readonly tranches: readonly (readonly [trancheId: string, label: string | null])[];
  readonly sources?: readonly HistoryNameSource[];
}

/** `names:actor:<actorId>`. */
export interface HistoryActorDocument {
  readonly kind: 'actor';
  readonly actor: string;
  readonly name: string | null;
  readonly role: string;
  readonly runs?: HistoryActorRuns;
}

/** What of an event's data a name document reads. */
export interface HistoryNameInput {
  readonly name?: string;
  readonly antennaId?: string;
  readonly candidacyId?: string;
  readonly territoryName?: string | null;
  readonly funder?: string;
  readonly label?: string;
  readonly tranches?: readonly (readonly [trancheId: string, label: string | null])[];
}

/** One event that set a name document: where it lies (position, effective date, recorded instant), its type, what the name reads of it. */
export type HistoryNameSource = readonly [position: string, effectiveDate: string | null, recordedAt: string, type: string, input: HistoryNameInput];

/** An event's effective date (null: none) and recorded instant: what tells whether a cut holds it. */
export type HistoryPoint = readonly [effectiveDate: string | null, recordedAt: string];

/**
 * A run of consecutive events (in log order) of one actor with the same value (a role, or a
 * name), with the points of its events that no other of them dominates (recorded no later and
 * effective no later): a cut holds an event of the run exactly when it holds one of these points.
 */
export type HistoryRun = readonly [value: string, frontier: readonly HistoryPoint[]];

/**
 * An actor's roles and names over the log, so that the actor's document at a cut (the last role
 * and the last name among their events inside the cut, absent when none is) is told without a replay.
 */
export interface HistoryActorRuns {
  /** Position of the last event that changed this document: one at or before it was folded already (a replay applying it again changes nothing). */
  readonly last: string;
  /** Runs of the role recorded. */
  readonly roles: readonly HistoryRun[];
  /** Runs of the name kept, over the events that kept one. */
  readonly names: readonly HistoryRun[];
  /** False once a run kept more than {@link ACTOR_RUN_POINTS} points: a cut then reads this actor from a replay. */
  readonly exact: boolean;
}

/** Points kept per run at most (effective dates far out of log order make a run keep more). */
export const ACTOR_RUN_POINTS = 32;

/**
 * `<subject>:entries:<streamId>:<block>`: one row per event of the block, in log order, with what
 * the stream and the recorders share written once.
 */
export interface HistoryEntriesDocument {
  readonly kind: 'entries';
  readonly streamId: string;
  /** The antenna of the stream (antenna, budget, funding streams); null for programme, call and candidacy streams. */
  readonly antennaId: string | null;
  /** Everyone who recorded an event of the block, once each. */
  readonly recorders: readonly HistoryRecorder[];
  readonly rows: readonly HistoryRow[];
}

export type HistoryRecorder = readonly [actor: string, actorName: string | null, role: string];

/** An entry without its stream, `recorder` indexing the document's recorders, `data` the event's. */
export type HistoryRow = readonly [
  position: string,
  revision: number,
  type: string,
  effectiveDate: string | null,
  recordedAt: string,
  recorder: number,
  reason: string | null,
  data: Readonly<Record<string, unknown>>,
];

export type HistoryDocument =
  | HistoryAntennaDocument
  | HistoryCandidacyName
  | HistoryPlainName
  | HistoryAgreementDocument
  | HistoryActorDocument
  | HistoryEntriesDocument
  | HistoryJournalDocument
  | HistoryJournalCountsDocument
  | HistoryJournalSummaryDocument
  | HistoryAntennaOrderDocument;

export const HISTORY_PROJECTION_NAME = 'history';

/** Key of an antenna's name document (read it with `get`, or {@link historyAntenna}). */
export const historyAntennaKey = (antennaId: string): string => `names:antenna:${antennaId}`;
/** Prefix of an antenna's entry documents (list it, then merge by position: see {@link antennaEntries}). */
export const antennaEntriesPrefix = (antennaId: string): string => `antenna:${antennaId}:entries:`;
/** Prefix of a candidacy's entry documents (list it, then merge by position: see {@link candidacyEntries}). */
export const candidacyEntriesPrefix = (candidacyId: string): string => `candidacy:${candidacyId}:entries:`;
/** The root of a candidacy's entry keys (no document is stored under it: read its entries with {@link candidacyEntries}). */
export const candidacyIndexKey = (candidacyId: string): string => `candidacy:${candidacyId}`;
/** Prefixes listing every entry document of the programme. */
export const ALL_ENTRIES_PREFIXES = ['programme:', 'call:', 'candidacy:', 'antenna:'] as const;
export const ACTOR_NAMES_PREFIX = 'names:actor:';
export const JOURNAL_PREFIX = 'journal:';
export const JOURNAL_COUNTS_PREFIX = 'journal-counts:';
/** Log positions per journal block: a page of 50 reads one or two blocks, and an event copies at most this many rows. */
export const JOURNAL_BLOCK_POSITIONS = 256;
/** Journal blocks counted by one counts document (65,536 positions): a page reads one counts document per group. */
export const JOURNAL_BLOCKS_PER_GROUP = 256;
/** Key of the journal block `block`. */
export const journalKey = (block: number): string => `${JOURNAL_PREFIX}${String(block).padStart(16, '0')}`;
/** Key of the counts document of group `group`. */
export const journalCountsKey = (group: number): string => `${JOURNAL_COUNTS_PREFIX}${String(group).padStart(16, '0')}`;
const journalBlockOf = (position: bigint): number => Number(position / BigInt(JOURNAL_BLOCK_POSITIONS));
export const JOURNAL_SUMMARY_PREFIX = 'journal-summary:';
/**
 * Journal blocks summed up by one summary document (4,096 positions): a command rewrites its group's
 * summary (a few KB), a filtered page lists them all (about 250 at 1,000,000 events).
 */
export const JOURNAL_SUMMARY_BLOCKS = 16;
/** Key of the summary document of the group of journal blocks holding `block`. */
export const journalSummaryKey = (block: number): string => `${JOURNAL_SUMMARY_PREFIX}${String(Math.floor(block / JOURNAL_SUMMARY_BLOCKS)).padStart(16, '0')}`;
export const ANTENNA_NAMES_PREFIX = 'names:antenna:';
export const ANTENNA_ORDER_PREFIX = 'antenna-order:';
/**
 * Log positions per antenna order document. On the bench's 1,000,000-event store (1,000 antennas) a
 * document keeps about 60 facts; an antenna that has the log to itself (an import) keeps at most this
 * many characters in one, rewritten at each of its events.
 */
export const ANTENNA_ORDER_POSITIONS = 8192;
/** Prefix of an antenna's order documents, in log order (list it: see {@link antennaTrailIndex}). */
export const antennaOrderPrefix = (antennaId: string): string => `${ANTENNA_ORDER_PREFIX}${antennaId}:`;
/** Key of the antenna's order document of the group holding `position`. */
export const antennaOrderKey = (antennaId: string, position: bigint): string =>
  `${antennaOrderPrefix(antennaId)}${String(position / BigInt(ANTENNA_ORDER_POSITIONS)).padStart(16, '0')}`;
/** Characters naming a stream of an order document by its index; past them, one character from U+0100 on. */
const ORDER_DIGITS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** The character of the stream of index `index` in an order document. */
export const orderDigit = (index: number): string => ORDER_DIGITS[index] ?? String.fromCharCode(0x100 + index);
/** The stream index a character of an order document names. */
export const orderIndex = (digit: string): number => {
  const index = ORDER_DIGITS.indexOf(digit);
  return index >= 0 ? index : digit.charCodeAt(0) - 0x100;
};

const programmeNameKey = (programmeId: string): string => `names:programme:${programmeId}`;
const callNameKey = (callId: string): string => `names:call:${callId}`;
const candidacyNameKey = (candidacyId: string): string => `names:candidacy:${candidacyId}`;
const phaseNameKey = (antennaId: string, phaseId: string): string => `names:phase:${antennaId}:${phaseId}`;
const agreementNameKey = (agreementId: string): string => `names:agreement:${agreementId}`;
const expenditureNameKey = (antennaId: string, expenditureId: string): string => `names:expenditure:${antennaId}:${expenditureId}`;
const actorNameKey = (actor: string): string => `${ACTOR_NAMES_PREFIX}${actor}`;

/** Entries of one stream held by one document: a document never grows beyond this. */
export const ENTRIES_PER_DOCUMENT = 8;

/** The key part naming the document of `event`'s entry: its stream, and its block of revisions zero-padded so that key order is revision order. */
export const entriesBlock = (event: Pick<ProjectedEvent, 'streamId' | 'revision'>): string =>
  `${event.streamId}:${String(Math.floor(event.revision / ENTRIES_PER_DOCUMENT)).padStart(16, '0')}`;

const PROGRAMME_EVENTS = new Set(['ProgrammeLaunched', 'ProgrammeTargetsRevised', 'ConventionSigned']);
const CALL_EVENTS = new Set(['CallForApplicationsOpened', 'CallForApplicationsClosed', 'CallCandidacyRegistered']);
const CANDIDACY_EVENTS = new Set(['CandidacySubmitted', 'CandidacyPartnerAdded', 'CandidacySelected', 'CandidacyRejected', 'CandidacyWithdrawn', 'CandidacyAntennaAssigned']);

/** The key of the entries document of `event`, or undefined for an event the trail cannot place. */
function entriesKey(event: ProjectedEvent): string | undefined {
  const data = event.data;
  const block = entriesBlock(event);
  if (PROGRAMME_EVENTS.has(event.type)) return typeof data.programmeId === 'string' ? `programme:${data.programmeId}:entries:${block}` : undefined;
  if (CALL_EVENTS.has(event.type)) return typeof data.callId === 'string' ? `call:${data.callId}:entries:${block}` : undefined;
  if (CANDIDACY_EVENTS.has(event.type)) return typeof data.candidacyId === 'string' ? `${candidacyEntriesPrefix(data.candidacyId)}${block}` : undefined;
  return typeof data.antennaId === 'string' ? `${antennaEntriesPrefix(data.antennaId)}${block}` : undefined;
}

/** The name documents `event` sets. */
function nameKeys(event: ProjectedEvent): string[] {
  const d = event.data;
  switch (event.type) {
    case 'ProgrammeLaunched':
      return [programmeNameKey(d.programmeId)];
    case 'CallForApplicationsOpened':
      return [callNameKey(d.callId)];
    case 'CandidacySubmitted':
    case 'CandidacyAntennaAssigned':
      return [candidacyNameKey(d.candidacyId)];
    case 'AntennaOpened':
      return [historyAntennaKey(d.antennaId), candidacyNameKey(d.candidacyId)];
    case 'PhasePlanned':
      return [phaseNameKey(d.antennaId, d.phaseId)];
    case 'FundingCommitted':
      return [agreementNameKey(d.agreementId)];
    case 'ExpenditureRecorded':
      return [expenditureNameKey(d.antennaId, d.expenditureId)];
    default:
      return [];
  }
}

export const historyProjection = defineProjection<HistoryDocument>({
  name: HISTORY_PROJECTION_NAME,
  // 4: facts rather than sentences (worded when read), a name index, and the programme's and calls' events.
  // 5: name documents keep the events that set them, actors their runs of roles and names (the trail at a cut).
  // 6: the journal, a log-ordered index of the facts with counts per block (a programme page reads its blocks only).
  // 7: each antenna's order, an index of its own facts in log order (a page of one antenna reads its facts only).
  // 8: smaller entries documents (8 entries each): a command rewrites a quarter of its stream's bytes.
  // 9: journal rows carry their fact's type and actor, and a summary per group of blocks (a filtered programme page reads a few blocks).
  version: 9,
  handles: AUDITED_EVENT_TYPES,
  keysOf(event) {
    const entries = entriesKey(event);
    if (entries === undefined) return [];
    const block = journalBlockOf(event.position);
    const keys = [
      entries,
      ...nameKeys(event),
      actorNameKey(event.metadata.actor),
      journalKey(block),
      journalCountsKey(Math.floor(block / JOURNAL_BLOCKS_PER_GROUP)),
      journalSummaryKey(block),
    ];
    // An antenna's own fact (kept in the antenna's entries): its place in the antenna's order.
    const { antennaId } = event.data;
    if (typeof antennaId === 'string' && entries.startsWith(antennaEntriesPrefix(antennaId))) keys.push(antennaOrderKey(antennaId, event.position));
    return keys;
  },
  evolve(doc, event, key) {
    if (key.startsWith('names:')) return named(doc, event, key);
    if (key.startsWith(JOURNAL_PREFIX)) return journalAfter(doc?.kind === 'journal' ? doc : null, event);
    if (key.startsWith(JOURNAL_COUNTS_PREFIX)) return countsAfter(doc?.kind === 'journal-counts' ? doc : null, event);
    if (key.startsWith(JOURNAL_SUMMARY_PREFIX)) {
      return summaryWith(doc?.kind === 'journal-summary' ? doc : null, journalBlockOf(event.position), event.position.toString(), effectiveDateOf(event), [event.type, event.metadata.actor]);
    }
    if (key.startsWith(ANTENNA_ORDER_PREFIX)) return orderAfter(doc?.kind === 'antenna-order' ? doc : null, event);
    return withEntry(doc?.kind === 'entries' ? doc : { kind: 'entries', streamId: event.streamId, antennaId: antennaOf(event), recorders: [], rows: [] }, event);
  },
});

/** The journal block after `event`: its row added in log order, or replacing its own (replays stay idempotent). */
function journalAfter(doc: HistoryJournalDocument | null, event: ProjectedEvent): HistoryJournalDocument {
  const position = event.position.toString();
  const kinds = doc?.kinds ?? [];
  const known = kinds.findIndex(([type, actor]) => type === event.type && actor === event.metadata.actor);
  const withKind = known < 0 ? [...kinds, [event.type, event.metadata.actor] as const] : kinds;
  const row: HistoryJournalRow = [position, entriesKey(event)!, effectiveDateOf(event), event.metadata.recordedAt, known < 0 ? kinds.length : known];
  const rows = doc?.rows ?? [];
  const last = rows[rows.length - 1];
  if (last === undefined || byPosition({ position: last[0] }, { position }) < 0) return { kind: 'journal', kinds: withKind, rows: [...rows, row] };
  const placed = [...rows.filter((existing) => existing[0] !== position), row].sort((a, b) => byPosition({ position: a[0] }, { position: b[0] }));
  return { kind: 'journal', kinds: withKind, rows: placed };
}

/**
 * The summary document after the fact at `position` of block `block`, unless it was summed already
 * (the trail at a cut folds the rows it holds with it). Facts come in log order.
 */
export function summaryWith(doc: HistoryJournalSummaryDocument | null, block: number, position: string, effectiveDate: string | null, [type, actor]: HistoryFactKind): HistoryJournalSummaryDocument {
  if (doc !== null && byPosition({ position }, { position: doc.last }) <= 0) return doc;
  const pairs = doc?.kinds ?? [];
  const known = pairs.findIndex(([t, a]) => t === type && a === actor);
  const index = known < 0 ? pairs.length : known;
  const blocks = doc?.blocks ?? [];
  const held = blocks[blocks.length - 1];
  const [, rows, firstDate, lastDate, undated, kinds]: HistoryJournalBlockSummary = held !== undefined && held[0] === block ? held : [block, 0, null, null, 0, []];
  const counted = Array.from({ length: Math.max(kinds.length, index + 1) }, (_, at) => (kinds[at] ?? 0) + (at === index ? 1 : 0));
  const summary: HistoryJournalBlockSummary = [
    block,
    rows + 1,
    effectiveDate !== null && (firstDate === null || isBefore(effectiveDate, firstDate)) ? effectiveDate : firstDate,
    effectiveDate !== null && (lastDate === null || isAfter(effectiveDate, lastDate)) ? effectiveDate : lastDate,
    undated + (effectiveDate === null ? 1 : 0),
    counted,
  ];
  return {
    kind: 'journal-summary',
    last: position,
    kinds: known < 0 ? [...pairs, [type, actor]] : pairs,
    blocks: held !== undefined && held[0] === block ? [...blocks.slice(0, -1), summary] : [...blocks, summary],
  };
}

/** The counts document after `event`: one more row in its block, unless it was counted already. */
function countsAfter(doc: HistoryJournalCountsDocument | null, event: ProjectedEvent): HistoryJournalCountsDocument {
  const position = event.position.toString();
  if (doc !== null && byPosition({ position }, { position: doc.last }) <= 0) return doc;
  const block = journalBlockOf(event.position);
  const counts = doc?.counts ?? [];
  const last = counts[counts.length - 1];
  const next = last !== undefined && last[0] === block ? [...counts.slice(0, -1), [block, last[1] + 1] as const] : [...counts, [block, 1] as const];
  return { kind: 'journal-counts', last: position, counts: next };
}

/** The antenna order document after `event`: one more character, its revision added to its stream's runs, unless it was placed already. */
function orderAfter(doc: HistoryAntennaOrderDocument | null, event: ProjectedEvent): HistoryAntennaOrderDocument {
  return orderWith(doc, event.data.antennaId as string, event.streamId, event.revision, event.position.toString());
}

/** The order document after the fact of `streamId` at `revision` and `position` (the trail at a cut folds the facts it holds with it). */
export function orderWith(doc: HistoryAntennaOrderDocument | null, antennaId: string, streamId: string, revision: number, position: string): HistoryAntennaOrderDocument {
  if (doc !== null && byPosition({ position }, { position: doc.last }) <= 0) return doc;
  const streams = doc?.streams ?? [];
  const known = streams.findIndex(([id]) => id === streamId);
  const index = known < 0 ? streams.length : known;
  let next: HistoryAntennaOrderDocument['streams'];
  if (known < 0) next = [...streams, [streamId, [[revision, 1]]]];
  else {
    const runs = streams[known]![1];
    const [first, count] = runs[runs.length - 1]!;
    const extended = first + count === revision ? [...runs.slice(0, -1), [first, count + 1] as const] : [...runs, [revision, 1] as const];
    next = streams.map((stream, at) => (at === known ? [stream[0], extended] : stream));
  }
  return { kind: 'antenna-order', antennaId, first: doc?.first ?? position, last: position, streams: next, order: `${doc?.order ?? ''}${orderDigit(index)}` };
}

function antennaOf(event: ProjectedEvent): string | null {
  return !CANDIDACY_EVENTS.has(event.type) && typeof event.data.antennaId === 'string' ? event.data.antennaId : null;
}

/** The name document `key` after `event`. */
function named(doc: HistoryDocument | null, event: ProjectedEvent, key: string): HistoryDocument | null {
  if (key.startsWith(ACTOR_NAMES_PREFIX)) return actorAfter(doc?.kind === 'actor' ? doc : null, event);
  const input = nameInput(event);
  if (input === undefined) return doc;
  const source: HistoryNameSource = [event.position.toString(), effectiveDateOf(event), event.metadata.recordedAt, event.type, input];
  const before = doc !== null && (doc.kind === 'name' || doc.kind === 'antenna' || doc.kind === 'candidacy' || doc.kind === 'agreement') ? (doc.sources ?? []) : [];
  // An event applied again replaces its own source: replays stay idempotent.
  const sources = [...before.filter(([position]) => position !== source[0]), source].sort((a, b) => byPosition({ position: a[0] }, { position: b[0] }));
  const state = nameFromSources(key, sources);
  return state === null ? null : { ...state, sources };
}

function effectiveDateOf(event: ProjectedEvent): string | null {
  return typeof event.data.effectiveDate === 'string' ? event.data.effectiveDate : null;
}

/** What the name documents read of `event`; undefined for an event that sets none. */
function nameInput(event: ProjectedEvent): HistoryNameInput | undefined {
  switch (event.type) {
    case 'ProgrammeLaunched':
      return { name: (event.data as ProgrammeLaunched['data']).name };
    case 'CallForApplicationsOpened':
      return { name: (event.data as CallForApplicationsOpened['data']).title };
    case 'CandidacySubmitted':
      return { territoryName: (event.data as CandidacySubmitted['data']).territory.name };
    case 'CandidacyAntennaAssigned':
    case 'AntennaOpened': {
      const data = event.data as CandidacyAntennaAssigned['data'] | AntennaOpened['data'];
      const territoryName = 'territory' in data ? data.territory.name : null;
      return 'name' in data ? { antennaId: data.antennaId, name: data.name, candidacyId: data.candidacyId, territoryName } : { antennaId: data.antennaId, territoryName };
    }
    case 'PhasePlanned':
      return { name: (event.data as PhasePlanned['data']).name };
    case 'FundingCommitted': {
      const data = event.data as FundingCommitted['data'];
      return { funder: data.funder, label: data.label, tranches: data.tranches.map((t) => [t.trancheId, t.label ?? null] as const) };
    }
    case 'ExpenditureRecorded':
      return { name: (event.data as ExpenditureRecorded['data']).description };
    default:
      return undefined;
  }
}

/** A name document without what it keeps for cuts. */
export type HistoryNameState = HistoryAntennaDocument | HistoryCandidacyName | HistoryPlainName | HistoryAgreementDocument;

/**
 * The name document `key` (without its sources) after `sources`, in log order: the live document
 * folds them all, the trail at a cut those the cut holds (`history-at-cut.ts`). Null before any.
 */
export function nameFromSources(key: string, sources: readonly HistoryNameSource[]): HistoryNameState | null {
  let doc: HistoryNameState | null = null;
  for (const [, , , type, input] of sources) doc = nameAfter(doc, type, input, key);
  return doc;
}

function nameAfter(doc: HistoryNameState | null, type: string, input: HistoryNameInput, key: string): HistoryNameState | null {
  switch (type) {
    case 'ProgrammeLaunched':
    case 'CallForApplicationsOpened':
    case 'PhasePlanned':
    case 'ExpenditureRecorded':
      return { kind: 'name', name: input.name! };
    case 'CandidacySubmitted': {
      const antennaId = doc?.kind === 'candidacy' ? doc.antennaId : null;
      return { kind: 'candidacy', territoryName: input.territoryName!, antennaId };
    }
    case 'CandidacyAntennaAssigned':
    case 'AntennaOpened': {
      if (type === 'AntennaOpened' && key === historyAntennaKey(input.antennaId!)) {
        return { kind: 'antenna', antennaId: input.antennaId!, name: input.name!, candidacyId: input.candidacyId! };
      }
      const territoryName = doc?.kind === 'candidacy' ? doc.territoryName : (input.territoryName ?? null);
      return { kind: 'candidacy', territoryName, antennaId: input.antennaId! };
    }
    case 'FundingCommitted':
      return { kind: 'agreement', funder: input.funder!, label: input.label!, tranches: input.tranches! };
    default:
      return doc;
  }
}

/** An actor's document after one more of their events: the last role and name seen, and their runs. */
function actorAfter(doc: HistoryActorDocument | null, event: ProjectedEvent): HistoryActorDocument {
  const { actor, actorName, role } = event.metadata;
  const position = event.position.toString();
  const runs = doc?.runs;
  // Folded already (a replay applying it again): nothing changes.
  if (doc !== null && runs !== undefined && byPosition({ position }, { position: runs.last }) <= 0) return doc;
  const point: HistoryPoint = [effectiveDateOf(event), event.metadata.recordedAt];
  const roles = withPoint(runs?.roles ?? [], role, point);
  const names = actorName == null ? (runs?.names ?? []) : withPoint(runs?.names ?? [], actorName, point);
  // Unchanged: the same document, so that nothing new is written.
  if (doc !== null && runs !== undefined && roles === runs.roles && names === runs.names) return doc;
  const exact = (runs?.exact ?? true) && [...roles, ...names].every(([, frontier]) => frontier.length <= ACTOR_RUN_POINTS);
  const name = actorName ?? doc?.name ?? null;
  return { kind: 'actor', actor, name, role, runs: { last: position, roles, names, exact } };
}

/** `runs` with `point` added to the last run when it has `value`, else in a new run (the same array when the point adds nothing). */
function withPoint(runs: readonly HistoryRun[], value: string, point: HistoryPoint): readonly HistoryRun[] {
  const last = runs[runs.length - 1];
  if (last === undefined || last[0] !== value) return [...runs, [value, [point]]];
  const frontier = last[1];
  if (frontier.some((kept) => dominates(kept, point))) return runs;
  return [...runs.slice(0, -1), [value, [...frontier.filter((kept) => !dominates(point, kept)), point]]];
}

/** True when every cut holding an event at `b` holds one at `a`: recorded no later, and effective no later (or without a date). */
function dominates(a: HistoryPoint, b: HistoryPoint): boolean {
  if (!(Date.parse(a[1]) <= Date.parse(b[1]))) return false;
  return a[0] === null || (b[0] !== null && a[0] <= b[0]);
}

/**
 * The event's data with its keys in one order (recursively): an event written at an older version
 * and upcast holds the same values as one written today, in another key order, and the trail must
 * be the same for both.
 */
function inKeyOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(inKeyOrder);
  if (value === null || typeof value !== 'object') return value;
  const ordered: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) ordered[key] = inKeyOrder((value as Record<string, unknown>)[key]);
  return ordered;
}

function withEntry(doc: HistoryEntriesDocument, event: ProjectedEvent): HistoryEntriesDocument {
  const { metadata, data } = event;
  const actorName = metadata.actorName ?? null;
  const known = doc.recorders.findIndex(([actor, name, role]) => actor === metadata.actor && name === actorName && role === metadata.role);
  const recorders = known < 0 ? [...doc.recorders, [metadata.actor, actorName, metadata.role] as const] : doc.recorders;
  const position = event.position.toString();
  const row: HistoryRow = [
    position,
    event.revision,
    event.type,
    effectiveDateOf(event),
    metadata.recordedAt,
    known < 0 ? recorders.length - 1 : known,
    metadata.reason ?? (typeof data.reason === 'string' ? data.reason : null),
    inKeyOrder(data) as Readonly<Record<string, unknown>>,
  ];
  // An event applied again replaces its own row: replays stay idempotent.
  const again = doc.rows.findIndex((existing) => existing[0] === position);
  return { ...doc, recorders, rows: again < 0 ? [...doc.rows, row] : doc.rows.map((existing, index) => (index === again ? row : existing)) };
}

// ——— Reading ———

/**
 * The names sentences need, read from the index (each document once per call of this function:
 * build one per trail read, not one per entry).
 */
export function historyNames(view: ReadModelView<HistoryDocument>): HistoryNames & {
  actor(actorId: string): HistoryActorDocument | undefined;
  antennaDocument(antennaId: string): HistoryAntennaDocument | undefined;
  candidacyDocument(candidacyId: string): HistoryCandidacyName | undefined;
} {
  const cache = new Map<string, HistoryDocument | undefined>();
  const read = (key: string): HistoryDocument | undefined => {
    if (!cache.has(key)) cache.set(key, view.get(key));
    return cache.get(key);
  };
  const plain = (key: string): string | undefined => {
    const doc = read(key);
    return doc?.kind === 'name' ? doc.name : undefined;
  };
  const agreement = (agreementId: string): HistoryAgreementDocument | undefined => {
    const doc = read(agreementNameKey(agreementId));
    return doc?.kind === 'agreement' ? doc : undefined;
  };
  const antennaDocument = (antennaId: string): HistoryAntennaDocument | undefined => {
    const doc = read(historyAntennaKey(antennaId));
    return doc?.kind === 'antenna' ? doc : undefined;
  };
  const candidacyDocument = (candidacyId: string): HistoryCandidacyName | undefined => {
    const doc = read(candidacyNameKey(candidacyId));
    return doc?.kind === 'candidacy' ? doc : undefined;
  };
  return {
    programme: (programmeId) => plain(programmeNameKey(programmeId)),
    call: (callId) => plain(callNameKey(callId)),
    candidacy: (candidacyId) => candidacyDocument(candidacyId)?.territoryName ?? undefined,
    antenna: (antennaId) => antennaDocument(antennaId)?.name,
    phase: (antennaId, phaseId) => plain(phaseNameKey(antennaId, phaseId)),
    agreement: (agreementId) => {
      const doc = agreement(agreementId);
      return doc ? { funder: doc.funder, label: doc.label } : undefined;
    },
    tranche: (agreementId, trancheId) => {
      const tranches = agreement(agreementId)?.tranches ?? [];
      const rank = tranches.findIndex(([id]) => id === trancheId);
      if (rank < 0) return undefined;
      const label = tranches[rank]![1];
      return label ? { label, rank: rank + 1 } : { rank: rank + 1 };
    },
    expenditure: (antennaId, expenditureId) => plain(expenditureNameKey(antennaId, expenditureId)),
    actor: (actorId) => {
      const doc = read(actorNameKey(actorId));
      return doc?.kind === 'actor' ? doc : undefined;
    },
    antennaDocument,
    candidacyDocument,
  };
}

/** A stored row, before it is worded. */
export interface HistoryFact {
  /** Global log position, as a string (positions are bigints; documents are plain JSON). */
  readonly position: string;
  readonly streamId: string;
  readonly revision: number;
  readonly type: string;
  /** `YYYY-MM-DD`; null only for an event without an effective date (none in the domain). */
  readonly effectiveDate: string | null;
  readonly recordedAt: string;
  /** Id of who recorded the event. */
  readonly actor: string;
  /** Their display name at the time, when the event kept it (else the last one the index knows). */
  readonly actorName: string | null;
  readonly role: string;
  readonly reason: string | null;
  /** The antenna the entry concerns: its own streams, or its candidacy once the antenna was claimed; null otherwise. */
  readonly antennaId: string | null;
  /** The values the event recorded (its data). */
  readonly values: Readonly<Record<string, unknown>>;
}

/** The facts of several entry documents, merged in log order. */
export function factsOf(docs: readonly HistoryDocument[]): HistoryFact[] {
  const facts: HistoryFact[] = [];
  for (const doc of docs) {
    if (doc.kind !== 'entries') continue;
    for (const row of doc.rows) facts.push(factOf(doc, row));
  }
  return facts.sort(byPosition);
}

function factOf(doc: HistoryEntriesDocument, [position, revision, type, effectiveDate, recordedAt, recorder, reason, values]: HistoryRow): HistoryFact {
  const [actor, actorName, role] = doc.recorders[recorder]!;
  return { position, streamId: doc.streamId, revision, type, effectiveDate, recordedAt, actor, actorName, role, reason, antennaId: doc.antennaId, values };
}

/** A trail read through an index (the programme's journal, an antenna's order): how many facts it holds, and a range of them in log order. */
export interface IndexedTrail {
  readonly total: number;
  /**
   * The facts from index `from` (included) to `to` (excluded), 0-based in log order; undefined
   * when the journal does not agree with the entries (a block holding another number of rows than
   * counted, a row pointing to a fact its entries document lacks): the caller merges the trail instead.
   */
  slice(from: number, to: number): HistoryFact[] | undefined;
}

/**
 * The whole programme's trail, read a range at a time (the same facts, in the same order, as
 * {@link programmeFacts}): the counts documents tell which journal blocks hold the range, and only
 * those blocks and the entries documents their rows point to are read.
 */
export function programmeJournal(view: ReadModelView<HistoryDocument>): IndexedTrail {
  // The counts documents as they are: a page walks their blocks (about 3,900 at 1,000,000 events)
  // without copying them, and each document's sum is kept with it.
  const countDocs = keptOnly(view.list(JOURNAL_COUNTS_PREFIX), (doc): doc is HistoryJournalCountsDocument => doc.kind === 'journal-counts');
  let total = 0;
  for (let i = 0; i < countDocs.length; i++) total += COUNTED_ROWS.of(countDocs[i]!, '', rowsCounted);
  return {
    total,
    slice(from, to) {
      const rows: HistoryJournalRow[] = [];
      let start = 0;
      for (let d = 0; d < countDocs.length; d++) {
        const { counts } = countDocs[d]!;
        for (let c = 0; c < counts.length; c++) {
          const [block, count] = counts[c]!;
          const end = start + count;
          if (end > from && start < to) {
            const doc = view.get(journalKey(block));
            const held = doc?.kind === 'journal' ? doc.rows : [];
            if (held.length !== count) return undefined;
            for (let r = Math.max(from - start, 0); r < Math.min(to, end) - start; r++) rows.push(held[r]!);
          }
          if (end >= to) return factsOfRows(view, rows);
          start = end;
        }
      }
      return factsOfRows(view, rows);
    },
  };
}

/** The rows a counts document counts, kept with it. */
const COUNTED_ROWS = new PartsByDocument<HistoryJournalCountsDocument, number>(1);
function rowsCounted(doc: HistoryJournalCountsDocument): number {
  let rows = 0;
  for (let i = 0; i < doc.counts.length; i++) rows += doc.counts[i]![1];
  return rows;
}

/** Where each position's row is in an entries document, kept with it: a page reads a few rows of a document, not all. */
const ROW_INDEXES = new PartsByDocument<HistoryEntriesDocument, ReadonlyMap<string, number>>(1);
function rowIndexOf(doc: HistoryEntriesDocument): ReadonlyMap<string, number> {
  const index = new Map<string, number>();
  for (let i = 0; i < doc.rows.length; i++) index.set(doc.rows[i]![0], i);
  return index;
}

/** The facts journal rows point to, in their order; undefined when an entries document lacks one. */
function factsOfRows(view: ReadModelView<HistoryDocument>, rows: readonly HistoryJournalRow[]): HistoryFact[] | undefined {
  const facts = new Array<HistoryFact>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const [position, key] = rows[i]!;
    const doc = view.get(key);
    if (doc?.kind !== 'entries') return undefined;
    const at = ROW_INDEXES.of(doc, '', rowIndexOf).get(position);
    if (at === undefined) return undefined;
    facts[i] = factOf(doc, doc.rows[at]!);
  }
  return facts;
}

/** What a filtered page of the programme's trail tests: effective dates (both included), actor, kind of fact. */
export interface HistoryFactFilter {
  readonly from?: string;
  readonly to?: string;
  readonly actor?: string;
  readonly eventType?: string;
}

/** True when `fact` passes `filter` (a fact without an effective date never passes a date filter). */
export function factMatches(fact: Pick<HistoryFact, 'effectiveDate' | 'actor' | 'type'>, filter: HistoryFactFilter): boolean {
  if (filter.from !== undefined && (fact.effectiveDate === null || isBefore(fact.effectiveDate, filter.from))) return false;
  if (filter.to !== undefined && (fact.effectiveDate === null || isAfter(fact.effectiveDate, filter.to))) return false;
  if (filter.actor !== undefined && fact.actor !== filter.actor) return false;
  if (filter.eventType !== undefined && fact.type !== filter.eventType) return false;
  return true;
}

/**
 * The facts of the programme's trail that pass `filter` (the same facts, in the same order, as
 * {@link programmeFacts} filtered), read a range at a time through the journal's summaries: a
 * block's matching rows are counted from its summary (its (type, actor) pairs; every one of them
 * when its dates lie inside the date filter, none when outside), and only a block whose dates
 * straddle a bound of the filter is read to count them; a range reads the blocks holding it and
 * the entries documents their rows point to. A journal that disagrees with its summaries or the
 * entries (a block holding another number of rows, or matching rows, than summed up; a row
 * pointing to a fact its entries document lacks, or to a fact that does not pass the filter) is
 * not trusted: the trail (when counting finds it) or the slice is undefined, and the caller merges
 * the trail instead.
 */
export function programmeJournalMatching(view: ReadModelView<HistoryDocument>, filter: HistoryFactFilter): IndexedTrail | undefined {
  const variant = filterVariant(filter);
  const summaries = view.list(JOURNAL_SUMMARY_PREFIX).filter((doc): doc is HistoryJournalSummaryDocument => doc.kind === 'journal-summary');
  // Per summary document, the rows of each of its blocks that pass the filter (READ_ROWS: to be read).
  // One function each per query, not a closure per document.
  const countsOf = (doc: HistoryJournalSummaryDocument) => summaryCounts(doc, filter);
  const matchesOf = (doc: HistoryJournalDocument) => journalMatches(doc, filter);
  const counted = summaries.map((doc) => SUMMARY_COUNTS.of(doc, variant, countsOf));
  /** The block's rows that pass the filter (undefined: the block does not hold the rows summed up). */
  const matchingRows = (summary: HistoryJournalBlockSummary): readonly HistoryJournalRow[] | undefined => {
    const doc = view.get(journalKey(summary[0]));
    if (doc?.kind !== 'journal' || doc.rows.length !== summary[1]) return undefined;
    return JOURNAL_MATCHES.of(doc, variant, matchesOf);
  };
  const read = new Map<number, readonly HistoryJournalRow[] | undefined>();
  let total = 0;
  // Index loops: `entries()` here allocated a pair per block and query, most of what a page allocated.
  for (let at = 0; at < summaries.length; at++) {
    const { blocks } = summaries[at]!;
    const counts = counted[at]!;
    for (let index = 0; index < blocks.length; index++) {
      const summary = blocks[index]!;
      const count = counts[index]!;
      if (count !== READ_ROWS) {
        total += count;
        continue;
      }
      const rows = matchingRows(summary);
      if (rows === undefined) return undefined;
      read.set(summary[0], rows);
      total += rows.length;
    }
  }
  return {
    total,
    slice(from, to) {
      const rows: HistoryJournalRow[] = [];
      let start = 0;
      for (let at = 0; at < summaries.length; at++) {
        const { blocks } = summaries[at]!;
        const counts = counted[at]!;
        for (let index = 0; index < blocks.length; index++) {
          const summary = blocks[index]!;
          const count = counts[index] === READ_ROWS ? (read.get(summary[0])?.length ?? 0) : counts[index]!;
          const end = start + count;
          if (count > 0 && end > from && start < to) {
            const held = read.has(summary[0]) ? read.get(summary[0]) : matchingRows(summary);
            if (held === undefined || held.length !== count) return undefined;
            for (let i = Math.max(from - start, 0); i < Math.min(to, end) - start; i++) rows.push(held[i]!);
          }
          if (end >= to) return matchingFacts(view, rows, filter);
          start = end;
        }
      }
      return matchingFacts(view, rows, filter);
    },
  };
}

/** A count of {@link summaryCounts} for a block whose rows must be read: its dates straddle a bound of the filter. */
const READ_ROWS = -1;

/**
 * What a filter's counting derives from one summary or journal document alone, kept with that
 * committed document (immutable and shared: see report-parts.ts) for the last filters asked: a page
 * of the audit trail then only adds up, instead of going over every block's (type, actor) pairs again.
 */
const SUMMARY_COUNTS = new PartsByDocument<HistoryJournalSummaryDocument, readonly number[]>();
const JOURNAL_MATCHES = new PartsByDocument<HistoryJournalDocument, readonly HistoryJournalRow[]>();

function filterVariant(filter: HistoryFactFilter): string {
  return JSON.stringify([filter.from ?? null, filter.to ?? null, filter.actor ?? null, filter.eventType ?? null]);
}

/** For each block of `doc`, in order: how many of its rows pass `filter`, counted from the summary; {@link READ_ROWS} when only its rows can tell. */
function summaryCounts(doc: HistoryJournalSummaryDocument, filter: HistoryFactFilter): number[] {
  // Only the pairs that pass are summed: one kind of fact or one actor is a few of a group's pairs.
  const passing: number[] = [];
  doc.kinds.forEach(([type, actor], index) => {
    if ((filter.eventType === undefined || type === filter.eventType) && (filter.actor === undefined || actor === filter.actor)) passing.push(index);
  });
  const dated = filter.from !== undefined || filter.to !== undefined;
  return doc.blocks.map(([, , firstDate, lastDate, undated, kinds]) => {
    let kindRows = 0;
    for (const index of passing) kindRows += kinds[index] ?? 0;
    if (!dated || kindRows === 0) return kindRows;
    // A fact without an effective date never passes a date filter.
    if (firstDate === null || lastDate === null) return 0;
    const inside = (filter.from === undefined || !isBefore(firstDate, filter.from)) && (filter.to === undefined || !isAfter(lastDate, filter.to));
    if (inside && undated === 0) return kindRows;
    const outside = (filter.from !== undefined && isBefore(lastDate, filter.from)) || (filter.to !== undefined && isAfter(firstDate, filter.to));
    return outside ? 0 : READ_ROWS;
  });
}

/** The rows of a journal block that pass `filter`. */
function journalMatches(doc: HistoryJournalDocument, filter: HistoryFactFilter): HistoryJournalRow[] {
  const { kinds } = doc;
  return doc.rows.filter(([, , effectiveDate, , kind]) => kinds[kind] !== undefined && factMatches({ effectiveDate, type: kinds[kind][0], actor: kinds[kind][1] }, filter));
}

/** The facts `rows` point to, provided every one passes `filter` (undefined otherwise, or when an entries document lacks one). */
function matchingFacts(view: ReadModelView<HistoryDocument>, rows: readonly HistoryJournalRow[], filter: HistoryFactFilter): HistoryFact[] | undefined {
  const facts = factsOfRows(view, rows);
  return facts === undefined || !facts.every((fact) => factMatches(fact, filter)) ? undefined : facts;
}

/**
 * One antenna's whole trail (the same facts, in the same order, as {@link antennaFacts}), read a
 * range at a time: its own facts through its order documents (each fact's stream and revision tell
 * the entries document holding it, and only those are read), its candidacy's facts (a few) read
 * whole and put in their places by position. Undefined when the antenna has no order document (an
 * antenna the read model does not know, or the trail seen through a cut, which hides them): the
 * caller merges the trail instead; undefined too when the order does not agree with the entries.
 */
export function antennaTrailIndex(view: ReadModelView<HistoryDocument>, antennaId: string): IndexedTrail | undefined {
  const chunks = view.list(antennaOrderPrefix(antennaId)).filter((doc): doc is HistoryAntennaOrderDocument => doc.kind === 'antenna-order');
  if (chunks.length === 0) return undefined;
  const antenna = historyAntenna(view, antennaId);
  const candidacy = antenna === undefined ? [] : factsOf(view.list(candidacyEntriesPrefix(antenna.candidacyId)));
  const ownTotal = chunks.reduce((sum, chunk) => sum + chunk.order.length, 0);
  const entries = new Map<string, HistoryEntriesDocument | undefined>();

  /** The antenna's own facts from ordinal `from` (included) to `to` (excluded), in log order; undefined when the order and the entries disagree. */
  const own = (from: number, to: number): HistoryFact[] | undefined => {
    const facts: HistoryFact[] = [];
    let start = 0;
    for (const chunk of chunks) {
      const end = start + chunk.order.length;
      if (end > from && start < to) {
        const low = Math.max(from - start, 0);
        const high = Math.min(to, end) - start;
        // The n-th character of a stream is its n-th revision here: count the stream's characters before the range.
        const seen = new Array<number>(chunk.streams.length).fill(0);
        for (let at = 0; at < high; at++) {
          const index = orderIndex(chunk.order[at]!);
          const nth = seen[index]++;
          if (at < low) continue;
          const stream = chunk.streams[index];
          const revision = stream === undefined ? undefined : nthRevision(stream[1], nth!);
          const fact = revision === undefined ? undefined : ownFact(stream![0], revision);
          if (fact === undefined) return undefined;
          facts.push(fact);
        }
      }
      if (end >= to) break;
      start = end;
    }
    return facts;
  };
  const ownFact = (streamId: string, revision: number): HistoryFact | undefined => {
    const key = `${antennaEntriesPrefix(antennaId)}${entriesBlock({ streamId, revision })}`;
    if (!entries.has(key)) {
      const doc = view.get(key);
      entries.set(key, doc?.kind === 'entries' ? doc : undefined);
    }
    const doc = entries.get(key);
    if (doc === undefined) return undefined;
    // Rows are in revision order, one per revision of the block but for events the trail could not place.
    const guess = doc.rows[revision % ENTRIES_PER_DOCUMENT];
    const row = guess?.[1] === revision ? guess : doc.rows.find((candidate) => candidate[1] === revision);
    return row === undefined ? undefined : factOf(doc, row);
  };
  /** How many of the antenna's own facts come before `position` (undefined: the order and the entries disagree). */
  const ownBefore = (position: string): number | undefined => {
    let count = 0;
    for (const chunk of chunks) {
      if (byPosition({ position }, { position: chunk.first }) < 0) return count;
      if (byPosition({ position }, { position: chunk.last }) > 0) {
        count += chunk.order.length;
        continue;
      }
      const facts = own(count, count + chunk.order.length);
      return facts === undefined ? undefined : count + facts.filter((fact) => byPosition(fact, { position }) < 0).length;
    }
    return count;
  };
  // The merged rank of each candidacy fact: its rank among its own, plus the antenna's facts before it.
  const ranks: number[] = [];
  for (const [index, fact] of candidacy.entries()) {
    const before = ownBefore(fact.position);
    if (before === undefined) return undefined;
    ranks.push(index + before);
  }
  const candidacyBefore = (rank: number): number => ranks.filter((held) => held < rank).length;
  return {
    total: ownTotal + candidacy.length,
    slice(from, to) {
      const ownFacts = own(from - candidacyBefore(from), to - candidacyBefore(to));
      if (ownFacts === undefined) return undefined;
      const theirs = candidacy.filter((_, index) => ranks[index]! >= from && ranks[index]! < to);
      return theirs.length === 0 ? ownFacts : [...ownFacts, ...theirs].sort(byPosition);
    },
  };
}

/** The `nth` (0-based) revision of runs of consecutive revisions; undefined past their end. */
export function nthRevision(runs: readonly (readonly [revision: number, count: number])[], nth: number): number | undefined {
  let left = nth;
  for (const [first, count] of runs) {
    if (left < count) return first + left;
    left -= count;
  }
  return undefined;
}

/** Worded entries of `facts`: the sentence of each, rendered now with the names the index knows. */
export function wordEntries(facts: readonly HistoryFact[], names: ReturnType<typeof historyNames>): HistoryEntry[] {
  return facts.map((fact) => wordEntry(fact, names));
}

export function wordEntry(fact: HistoryFact, names: ReturnType<typeof historyNames>): HistoryEntry {
  const candidacyId = CANDIDACY_EVENTS.has(fact.type) && typeof fact.values.candidacyId === 'string' ? fact.values.candidacyId : undefined;
  const antennaId = fact.antennaId ?? (candidacyId !== undefined ? (names.candidacyDocument(candidacyId)?.antennaId ?? null) : null);
  // Field by field, in the fact's order: an object spread here (`{ ...fact, … }`) left every young
  // collection about 2 MB of survivors to copy and promote (4–8 ms pauses in a page of the audit
  // trail), where the same object built field by field leaves none.
  return {
    position: fact.position,
    streamId: fact.streamId,
    revision: fact.revision,
    type: fact.type,
    effectiveDate: fact.effectiveDate,
    recordedAt: fact.recordedAt,
    actor: fact.actor,
    actorName: fact.actorName ?? names.actor(fact.actor)?.name ?? null,
    role: fact.role,
    reason: fact.reason,
    antennaId,
    values: fact.values,
    changes: isAuditedEventType(fact.type) ? historySentence({ type: fact.type, data: fact.values } as AuditedEvent, names) : fact.type,
  };
}

/** The entries of an antenna, its budget and its funding, in log order. */
export function antennaEntries(view: ReadModelView<HistoryDocument>, antennaId: string): HistoryEntry[] {
  return wordEntries(factsOf(view.list(antennaEntriesPrefix(antennaId))), historyNames(view));
}

/** The entries of a candidacy, in log order. */
export function candidacyEntries(view: ReadModelView<HistoryDocument>, candidacyId: string): HistoryEntry[] {
  return wordEntries(factsOf(view.list(candidacyEntriesPrefix(candidacyId))), historyNames(view));
}

/** The name document of an antenna (name, candidacy), undefined before its opening is seen. */
export function historyAntenna(view: ReadModelView<HistoryDocument>, antennaId: string): HistoryAntennaDocument | undefined {
  const doc = view.get(historyAntennaKey(antennaId));
  return doc?.kind === 'antenna' ? doc : undefined;
}

/**
 * The facts of an antenna's whole trail: its own and its candidacy's, merged by log position.
 * Undefined for an antenna the read model does not know (no opening and no entry).
 */
export function antennaFacts(view: ReadModelView<HistoryDocument>, antennaId: string): HistoryFact[] | undefined {
  const antenna = historyAntenna(view, antennaId);
  const own = view.list(antennaEntriesPrefix(antennaId));
  if (antenna === undefined && own.length === 0) return undefined;
  return factsOf(antenna === undefined ? own : [...view.list(candidacyEntriesPrefix(antenna.candidacyId)), ...own]);
}

/** The facts of the whole programme's trail, in log order. */
export function programmeFacts(view: ReadModelView<HistoryDocument>): HistoryFact[] {
  return factsOf(ALL_ENTRIES_PREFIXES.flatMap((prefix) => view.list(prefix)));
}

/** An antenna's whole trail, worded; undefined for an antenna the read model does not know. */
export function antennaTrail(view: ReadModelView<HistoryDocument>, antennaId: string): readonly HistoryEntry[] | undefined {
  const facts = antennaFacts(view, antennaId);
  return facts === undefined ? undefined : wordEntries(facts, historyNames(view));
}

/** Everyone who recorded an audited fact, by id, with the last name and role seen. */
export function historyActors(view: ReadModelView<HistoryDocument>): readonly HistoryActorDocument[] {
  return keptOnly(view.list(ACTOR_NAMES_PREFIX), (doc): doc is HistoryActorDocument => doc.kind === 'actor');
}

/** Every antenna the trail knows, with its name. */
export function historyAntennas(view: ReadModelView<HistoryDocument>): readonly HistoryAntennaDocument[] {
  return keptOnly(view.list(ANTENNA_NAMES_PREFIX), (doc): doc is HistoryAntennaDocument => doc.kind === 'antenna');
}

/** Log order of two facts (see comparePositions). */
function byPosition(a: { readonly position: string }, b: { readonly position: string }): number {
  return comparePositions(a.position, b.position);
}
