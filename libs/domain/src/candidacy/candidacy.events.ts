import { Cents, IsoDate, Message } from '../shared';

export type TerritoryKind = 'commune' | 'agglomeration' | 'employment-area';

/** Indicators the territory puts forward in its candidacy (e.g. PMA: 59,000 jobs, 30 % industrial employment). */
export interface TerritoryFigures {
  readonly jobs?: number;
  readonly companies?: number;
  readonly students?: number;
  /** Share of employment in industry, in percent (0–100). */
  readonly industrialEmploymentPercent?: number;
  /** Share of the population below baccalauréat level, in percent (0–100). */
  readonly belowBaccalaureatePercent?: number;
}

export interface Territory {
  /** Slug, part of the candidacy id: `candidacyIdOf(callId, territory.id)`. */
  readonly id: string;
  readonly name: string;
  readonly kind: TerritoryKind;
  readonly region: string;
  readonly department?: string;
  /** The territory is (or contains) a town of the Action Cœur de Ville programme. */
  readonly actionCoeurDeVille: boolean;
  readonly population?: number;
  readonly figures?: TerritoryFigures;
}

export type PartnerKind = 'academic' | 'local-authority' | 'employer' | 'training-provider' | 'employment-service' | 'other';

export interface CandidacyPartner {
  /** Unique within a candidacy, compared ignoring case, accents and extra spaces. */
  readonly name: string;
  readonly kind: PartnerKind;
}

export type CandidacySubmitted = Message<
  'CandidacySubmitted',
  {
    readonly candidacyId: string;
    readonly callId: string;
    /** Copied from the call when the candidacy was submitted. */
    readonly programmeId: string;
    readonly territory: Territory;
    readonly partners: readonly CandidacyPartner[];
    readonly trainingNeeds: readonly string[];
    readonly projectedBudgetCents?: Cents;
    readonly effectiveDate: IsoDate;
  }
>;

export type CandidacyPartnerAdded = Message<
  'CandidacyPartnerAdded',
  {
    readonly candidacyId: string;
    readonly partner: CandidacyPartner;
    readonly effectiveDate: IsoDate;
  }
>;

/** The candidacy became a laureate; `criteria` say why it was chosen. */
export type CandidacySelected = Message<
  'CandidacySelected',
  {
    readonly candidacyId: string;
    readonly criteria: readonly string[];
    readonly effectiveDate: IsoDate;
  }
>;

export type CandidacyRejected = Message<
  'CandidacyRejected',
  {
    readonly candidacyId: string;
    readonly reason: string;
    readonly effectiveDate: IsoDate;
  }
>;

/** The territory gave up, before or after being selected. */
export type CandidacyWithdrawn = Message<
  'CandidacyWithdrawn',
  {
    readonly candidacyId: string;
    readonly reason: string;
    readonly effectiveDate: IsoDate;
  }
>;

/**
 * The one antenna of a selected candidacy was claimed. Written on the candidacy's stream, with its
 * expected revision, before the antenna's own `AntennaOpened`: two openings from one candidacy
 * cannot both write it, on either store (docs/decisions/0012-one-antenna-per-candidacy.md).
 * `effectiveDate` is the date the antenna opens.
 */
export type CandidacyAntennaAssigned = Message<
  'CandidacyAntennaAssigned',
  {
    readonly candidacyId: string;
    readonly callId: string;
    readonly territoryId: string;
    readonly antennaId: string;
    readonly effectiveDate: IsoDate;
  }
>;

export type CandidacyEvent =
  | CandidacySubmitted
  | CandidacyPartnerAdded
  | CandidacySelected
  | CandidacyRejected
  | CandidacyWithdrawn
  | CandidacyAntennaAssigned;

/** Schema version of each candidacy event type's data (docs/decisions/0011); a type left out fails to compile. */
export const CANDIDACY_EVENT_VERSIONS = {
  CandidacySubmitted: 1,
  CandidacyPartnerAdded: 1,
  CandidacySelected: 1,
  CandidacyRejected: 1,
  CandidacyWithdrawn: 1,
  CandidacyAntennaAssigned: 1,
} as const satisfies Record<CandidacyEvent['type'], number>;
