import type { IsoDate } from '@jalon/domain';
import type { ReadModels } from '../budget/report-helpers';
import { antennaKey, PHASES_PROJECTION_NAME, PhasesDocument } from './phases.projection';

/**
 * The antennas' closing dates as a report reads them: from the phases read model (at the report's
 * cut, as every read model it reads), where the antenna's status lives. A closed antenna accepts
 * nothing but audit reads, so an open agreement on it can release nothing more (decision 0066).
 * Every report that needs it (échéancier, funding) reads it here, and lists `phases` in
 * REPORT_READ_MODELS.
 */
export function antennaClosings(models: ReadModels): (antennaId: string) => IsoDate | null {
  const phases = models.view<PhasesDocument>(PHASES_PROJECTION_NAME);
  return (antennaId) => closingOf(phases.get(antennaKey(antennaId)));
}

/** The antenna's closing date when the phases document has it closed; null otherwise (open, suspended, unknown). */
export function closingOf(antenna: PhasesDocument | undefined): IsoDate | null {
  return antenna?.kind === 'antenna' && antenna.status === 'closed' ? antenna.statusSince : null;
}
