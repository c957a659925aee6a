import type { IsoDate } from '@jalon/domain';
import type { ReadModels } from '../budget/report-helpers';
import { KeptForDocuments } from '../report-parts';
import { antennaKey, PHASES_PROJECTION_NAME, PhasesDocument } from './phases.projection';

/**
 * The antennas' closing dates as a report reads them: from the phases read model (at the report's
 * cut, as every read model it reads), where the antenna's status lives. A closed antenna accepts
 * nothing but audit reads, so an open agreement on it can release nothing more (decision 0066).
 * Every report that needs it (échéancier, funding) reads it here, and lists `phases` in
 * REPORT_READ_MODELS.
 *
 * One antenna's report reads that antenna's document. A whole-programme report reads the list of
 * the antennas' documents, once: a thousand documents read one by one were a thousand look-ups in
 * the storage's document cache, and, whenever the cache held fewer entries than the programme has
 * antennas, a thousand reads of storage on every query (the documents read one by one in turn are
 * never kept then, see DocumentCache); the list is one entry of its list cache, and the closings
 * are derived once per list of the same documents.
 */
export function antennaClosings(models: ReadModels, antennaId: string | undefined): (antennaId: string) => IsoDate | null {
  const phases = models.view<PhasesDocument>(PHASES_PROJECTION_NAME);
  if (antennaId !== undefined) return (id) => closingOf(phases.get(antennaKey(id)));
  const closed = CLOSINGS.of(phases.list(antennaKey('')));
  return (id) => closed.get(id) ?? null;
}

/** The antenna's closing date when the phases document has it closed; null otherwise (open, suspended, unknown). */
export function closingOf(antenna: PhasesDocument | undefined): IsoDate | null {
  return antenna?.kind === 'antenna' && antenna.status === 'closed' ? antenna.statusSince : null;
}

/** The closing date of each closed antenna of the list, by antenna id; derived once per list of the same documents. */
const CLOSINGS = new KeptForDocuments((docs: readonly PhasesDocument[]): ReadonlyMap<string, IsoDate> => {
  const closed = new Map<string, IsoDate>();
  for (const doc of docs) {
    const closedOn = closingOf(doc);
    if (closedOn !== null && doc.kind === 'antenna') closed.set(doc.antennaId, closedOn);
  }
  return closed;
});
