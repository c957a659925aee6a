import { ProjectedEvent, ReadModelView } from '../../projection';
import { cutFilter, EventCut } from '../../runner/event-cut';
import { ReadModels } from '../../runner/replay';
import {
  ACTOR_NAMES_PREFIX,
  antennaEntriesPrefix,
  entriesBlock,
  HistoryAntennaOrderDocument,
  nthRevision,
  orderIndex,
  orderWith,
  HISTORY_PROJECTION_NAME,
  historyAntennaKey,
  HistoryActorDocument,
  HistoryDocument,
  HistoryEntriesDocument,
  HistoryJournalCountsDocument,
  HistoryFactKind,
  HistoryJournalDocument,
  HistoryJournalRow,
  HistoryJournalSummaryDocument,
  HistoryPoint,
  HistoryRun,
  journalKey,
  nameFromSources,
  summaryWith,
} from './history.projection';

/**
 * The audit trail at a past cut, read from today's `history` read model (docs/decisions/0024,
 * « The audit trail at a cut »): what a replay of the log to the cut would hold, document by
 * document, without reading the log.
 * - An entries document holds one row per event, in log order, each with the effective date and
 *   the recorded instant of its event: at the cut, it holds the rows of the events inside the cut
 *   (the replay's own test, `cutFilter`, on what the row kept), and is absent when none is.
 * - A name document keeps the events that set it (`sources`): at the cut, it is the fold of those
 *   inside the cut, by the projection's own fold (`nameFromSources`), and absent when none is.
 * - An actor's document keeps runs of their roles and names, each with the points that decide
 *   whether a cut holds an event of the run: at the cut, the role and the name of the last runs
 *   the cut holds, absent when it holds none. An actor whose runs outgrew what is kept
 *   (`exact: false`) cannot be told: reading it throws {@link HistoryCutNotExactError}, and the
 *   caller replays the log instead.
 * - A journal block holds one pointer row per event, with its effective date and recorded instant:
 *   at the cut, the rows of the events inside it, like an entries document. A counts document
 *   counts, at the cut, the rows each of its blocks holds there (it reads those blocks), and its
 *   `last` is the last position among them; absent when none is. A summary document is the fold,
 *   by the projection's own fold (`summaryWith`), of the rows its blocks hold at the cut (it reads
 *   those blocks); absent when they hold none.
 * - An antenna's order document keeps no dates: each of its facts is found in its entries document
 *   (by stream and revision), and the order at the cut is the fold of the facts the cut holds, as
 *   the projection folds them (`orderWith`); absent when it holds none.
 * Effective dates are compared as the event had them when stored: upcasting keeps them.
 */
export function historyAtCut(live: ReadModelView<HistoryDocument>, cut: EventCut): ReadModelView<HistoryDocument> {
  const test = cutFilter(cut);
  const inCut = (effectiveDate: string | null, recordedAt: string): boolean =>
    test({ data: effectiveDate === null ? {} : { effectiveDate }, metadata: { recordedAt } } as unknown as ProjectedEvent);
  const atCut = (key: string, doc: HistoryDocument | undefined): HistoryDocument | undefined => {
    if (doc === undefined) return undefined;
    switch (doc.kind) {
      case 'entries':
        return entriesAtCut(doc, inCut);
      case 'actor':
        return actorAtCut(doc, inCut);
      case 'journal':
        return journalAtCut(doc, inCut);
      case 'journal-counts':
        return countsAtCut(doc, (block) => {
          const held = live.get(journalKey(block));
          return held?.kind === 'journal' ? journalAtCut(held, inCut) : undefined;
        });
      case 'journal-summary':
        return summaryAtCut(doc, (block) => {
          const held = live.get(journalKey(block));
          return held?.kind === 'journal' ? journalAtCut(held, inCut) : undefined;
        });
      case 'antenna-order':
        return orderAtCut(key, doc, inCut, (entriesKey) => {
          const held = live.get(entriesKey);
          return held?.kind === 'entries' ? held : undefined;
        });
      default: {
        if (doc.sources === undefined) throw new HistoryCutNotExactError(key);
        return nameFromSources(key, doc.sources.filter(([, effectiveDate, recordedAt]) => inCut(effectiveDate, recordedAt))) ?? undefined;
      }
    }
  };
  const view: ReadModelView<HistoryDocument> = {
    get: (key) => atCut(key, live.get(key)),
    list: (prefix) => {
      // Keys are not listed with their documents: a name document's key is told from the document.
      const found: HistoryDocument[] = [];
      for (const doc of live.list(prefix)) {
        const seen = atCut(keyOf(prefix, doc), doc);
        if (seen !== undefined) found.push(seen);
      }
      return found;
    },
  };
  SEEN_THROUGH_A_CUT.add(view);
  return view;
}

const SEEN_THROUGH_A_CUT = new WeakSet<ReadModelView<HistoryDocument>>();

/**
 * True for a view made by {@link historyAtCut}: there an antenna's order is told by finding each of
 * its facts in its entries document, which costs more than merging the antenna's entries seen
 * through the cut, so a page of an antenna's trail merges them (the same report, by the specs).
 */
export function seenThroughACut(view: ReadModelView<HistoryDocument>): boolean {
  return SEEN_THROUGH_A_CUT.has(view);
}

/** Read models where `history` is seen through the cut (the other projections are not served). */
export function historyModelsAtCut(live: ReadModels, cut: EventCut): ReadModels {
  const view = historyAtCut(live.view<HistoryDocument>(HISTORY_PROJECTION_NAME), cut);
  return {
    view<Doc>(name: string): ReadModelView<Doc> {
      if (name !== HISTORY_PROJECTION_NAME) throw new Error(`no projection named ${name} at this cut`);
      return view as unknown as ReadModelView<Doc>;
    },
  };
}

/** A document of the trail that cannot be told at a cut from what it kept: the caller replays the log. */
export class HistoryCutNotExactError extends Error {
  constructor(readonly key: string) {
    super(`the history document ${key} cannot be read at a cut: replay the log`);
    this.name = 'HistoryCutNotExactError';
  }
}

type InCut = (effectiveDate: string | null, recordedAt: string) => boolean;

function entriesAtCut(doc: HistoryEntriesDocument, inCut: InCut): HistoryEntriesDocument | undefined {
  const rows = doc.rows.filter((row) => inCut(row[3], row[4]));
  if (rows.length === 0) return undefined;
  return rows.length === doc.rows.length ? doc : { ...doc, rows };
}

function journalAtCut(doc: HistoryJournalDocument, inCut: InCut): HistoryJournalDocument | undefined {
  const held = doc.rows.filter((row) => inCut(row[2], row[3]));
  if (held.length === 0) return undefined;
  if (held.length === doc.rows.length) return doc;
  // The (type, actor) pairs as a replay to the cut numbers them: in the order the rows it holds first name them.
  const kinds: HistoryFactKind[] = [];
  const renumbered = new Map<number, number>();
  const rows = held.map(([position, entriesKey, effectiveDate, recordedAt, kind]): HistoryJournalRow => {
    let index = renumbered.get(kind);
    if (index === undefined) {
      index = kinds.length;
      renumbered.set(kind, index);
      kinds.push(doc.kinds[kind]!);
    }
    return [position, entriesKey, effectiveDate, recordedAt, index];
  });
  return { kind: 'journal', kinds, rows };
}

function countsAtCut(doc: HistoryJournalCountsDocument, blockAtCut: (block: number) => HistoryJournalDocument | undefined): HistoryJournalCountsDocument | undefined {
  const counts: (readonly [number, number])[] = [];
  let last: string | undefined;
  for (const [block] of doc.counts) {
    const rows = blockAtCut(block)?.rows ?? [];
    if (rows.length === 0) continue;
    counts.push([block, rows.length]);
    // Blocks are in log order, and rows in each: the last row held is the last position counted.
    last = rows[rows.length - 1]![0];
  }
  return last === undefined ? undefined : { kind: 'journal-counts', last, counts };
}

function summaryAtCut(doc: HistoryJournalSummaryDocument, blockAtCut: (block: number) => HistoryJournalDocument | undefined): HistoryJournalSummaryDocument | undefined {
  let atCut: HistoryJournalSummaryDocument | null = null;
  for (const [block] of doc.blocks) {
    const held = blockAtCut(block);
    for (const [position, , effectiveDate, , kind] of held?.rows ?? []) atCut = summaryWith(atCut, block, position, effectiveDate, held!.kinds[kind]!);
  }
  return atCut ?? undefined;
}

function orderAtCut(key: string, doc: HistoryAntennaOrderDocument, inCut: InCut, entriesOf: (key: string) => HistoryEntriesDocument | undefined): HistoryAntennaOrderDocument | undefined {
  const nth = new Array<number>(doc.streams.length).fill(0);
  const entries = new Map<string, HistoryEntriesDocument | undefined>();
  let atCut: HistoryAntennaOrderDocument | null = null;
  let held = 0;
  for (const digit of doc.order) {
    const index = orderIndex(digit);
    const stream = doc.streams[index];
    const revision = stream === undefined ? undefined : nthRevision(stream[1], nth[index]++);
    const streamId = stream?.[0] ?? '';
    const entriesKey = revision === undefined ? undefined : `${antennaEntriesPrefix(doc.antennaId)}${entriesBlock({ streamId, revision })}`;
    if (entriesKey !== undefined && !entries.has(entriesKey)) entries.set(entriesKey, entriesOf(entriesKey));
    const row = entriesKey === undefined ? undefined : entries.get(entriesKey)?.rows.find((candidate) => candidate[1] === revision);
    // An order the entries do not bear out cannot be told at the cut: the caller replays the log.
    if (row === undefined) throw new HistoryCutNotExactError(key);
    if (!inCut(row[3], row[4])) continue;
    atCut = orderWith(atCut, doc.antennaId, streamId, row[1], row[0]);
    held++;
  }
  return held === doc.order.length ? doc : (atCut ?? undefined);
}

function actorAtCut(doc: HistoryActorDocument, inCut: InCut): HistoryActorDocument | undefined {
  if (doc.runs === undefined || !doc.runs.exact) throw new HistoryCutNotExactError(`${ACTOR_NAMES_PREFIX}${doc.actor}`);
  const held = (run: HistoryRun): boolean => run[1].some(([effectiveDate, recordedAt]: HistoryPoint) => inCut(effectiveDate, recordedAt));
  const role = lastHeld(doc.runs.roles, held);
  if (role === undefined) return undefined;
  return { kind: 'actor', actor: doc.actor, name: lastHeld(doc.runs.names, held)?.[0] ?? null, role: role[0] };
}

function lastHeld(runs: readonly HistoryRun[], held: (run: HistoryRun) => boolean): HistoryRun | undefined {
  for (let index = runs.length - 1; index >= 0; index--) if (held(runs[index]!)) return runs[index];
  return undefined;
}

/**
 * The key of a listed name document, for the fold (which tells an antenna's own document from its
 * candidacy's by key). Entries and actors do not need it.
 */
function keyOf(prefix: string, doc: HistoryDocument): string {
  if (doc.kind === 'antenna') return historyAntennaKey(doc.antennaId);
  return prefix;
}
