import { conflict, notFound, ruleBroken } from './domain-error';
import { isBefore, IsoDate } from './calendar';

/**
 * What one decider may know of another stream. The application layer loads the other stream,
 * folds it with its own decider and hands the decider this small view in the command's
 * `context`; views keep deciders independent of each other's state shapes.
 */

export interface ProgrammeView {
  readonly programmeId: string;
  readonly launched: boolean;
  /** Effective date of the launch, when launched. */
  readonly launchedOn?: IsoDate;
}

/**
 * What the installation's programme registry says (docs/decisions/0061): the programme it follows,
 * once claimed. A launch goes ahead only for that programme.
 */
export interface ProgrammeRegistryView {
  readonly claimed?: { readonly programmeId: string; readonly name: string };
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
  /** The antenna this candidacy's opening was claimed for (`CandidacyAntennaAssigned`), if any. */
  readonly antennaId?: string;
  /** Effective date of that claim: the opening date it was made for. */
  readonly antennaAssignedOn?: IsoDate;
}

export type AntennaStatus = 'not-opened' | 'active' | 'suspended' | 'closed';

export interface AntennaView {
  readonly antennaId: string;
  readonly status: AntennaStatus;
  readonly openedOn?: IsoDate;
  /** The candidacy the antenna was opened from, once opened. */
  readonly candidacyId?: string;
}

/** What the budget may know of a funding agreement an expenditure is charged to. */
export interface FundingAgreementView {
  readonly agreementId: string;
  readonly status: 'not-committed' | 'committed' | 'closed';
  /** The antenna the agreement funds, once committed. */
  readonly antennaId?: string;
  readonly committedOn?: IsoDate;
  readonly closedOn?: IsoDate;
}

/**
 * The latest fact of a funding agreement that moves its money (a release, a receipt, a reversal of
 * a release): what the closing of its antenna may not precede (docs/decisions/0060).
 */
export interface FundingFactView {
  readonly agreementId: string;
  readonly kind: 'release' | 'receipt' | 'reversal';
  readonly trancheId: string;
  readonly effectiveDate: IsoDate;
}

/**
 * Money commands (budget, funding) need an opened antenna, and a closed antenna accepts nothing.
 * A suspended antenna still accepts them: bills keep arriving and funders keep paying.
 */
export function assertAntennaAcceptsCommands(antenna: AntennaView, antennaId: string): void {
  assertAntennaOpened(antenna, antennaId);
  if (antenna.status === 'closed') {
    throw conflict('ANTENNA.CLOSED', `antenna ${antennaId} is closed and accepts nothing`, { field: 'antennaId' });
  }
}

/** The antenna was opened (it may have closed since): the one check of what outlives a closing (docs/decisions/0035). */
export function assertAntennaOpened(antenna: AntennaView, antennaId: string): void {
  if (antenna.antennaId !== antennaId || antenna.status === 'not-opened') {
    throw notFound('ANTENNA.NOT_FOUND', `antenna ${antennaId} has not been opened`, { field: 'antennaId' });
  }
}

/**
 * What happens to an opened antenna's money (forecast, expenditure, funding) cannot predate the
 * antenna's opening. Same rule, and code, as for the antenna's own facts.
 */
export function assertNotBeforeAntennaOpening(antenna: AntennaView, effectiveDate: IsoDate): void {
  if (antenna.openedOn !== undefined && isBefore(effectiveDate, antenna.openedOn)) {
    throw ruleBroken(
      'ANTENNA.DATE_BEFORE_OPENING',
      `la date d’effet (${effectiveDate}) précède l’ouverture de l’antenne ${antenna.antennaId} (${antenna.openedOn})`,
      { field: 'effectiveDate', effectiveDate, openedOn: antenna.openedOn },
    );
  }
}
