import { conflict, notFound } from './domain-error';
import { IsoDate } from './dates';

/**
 * What one decider may know of another stream. The application layer loads the other stream,
 * folds it with its own decider and hands the decider this small view in the command's
 * `context`; views keep deciders independent of each other's state shapes.
 */

export interface ProgrammeView {
  readonly programmeId: string;
  readonly launched: boolean;
}

export interface CallView {
  readonly callId: string;
  readonly status: 'not-opened' | 'open' | 'closed';
  readonly programmeId?: string;
  readonly opensOn?: IsoDate;
  /** Deadline announced when the call opened. */
  readonly closesOn?: IsoDate;
  /** Date the call was actually closed, if it was. */
  readonly closedOn?: IsoDate;
}

export interface TerritorySummary {
  readonly id: string;
  readonly name: string;
  readonly region: string;
  readonly actionCoeurDeVille: boolean;
}

export interface CandidacyView {
  readonly candidacyId: string;
  readonly status: 'not-submitted' | 'submitted' | 'selected' | 'rejected' | 'withdrawn';
  readonly callId?: string;
  readonly programmeId?: string;
  readonly territory?: TerritorySummary;
  readonly submittedOn?: IsoDate;
  readonly selectedOn?: IsoDate;
}

export type AntennaStatus = 'not-opened' | 'active' | 'suspended' | 'closed';

export interface AntennaView {
  readonly antennaId: string;
  readonly status: AntennaStatus;
  readonly openedOn?: IsoDate;
}

/**
 * Money commands (budget, funding) need an opened antenna, and a closed antenna accepts nothing.
 * A suspended antenna still accepts them: bills keep arriving and funders keep paying.
 */
export function assertAntennaAcceptsCommands(antenna: AntennaView, antennaId: string): void {
  if (antenna.antennaId !== antennaId || antenna.status === 'not-opened') {
    throw notFound('ANTENNA.NOT_FOUND', `antenna ${antennaId} has not been opened`, { field: 'antennaId' });
  }
  if (antenna.status === 'closed') {
    throw conflict('ANTENNA.CLOSED', `antenna ${antennaId} is closed and accepts nothing`, { field: 'antennaId' });
  }
}
