import { DocumentAttached, DOCUMENT_EVENT_VERSIONS } from '../documents/document.events';
import { Cents, IsoDate, Message } from '../shared';

/** One planned payment of a funding agreement (IATI planned-disbursement). */
export interface FundingTranche {
  readonly trancheId: string;
  readonly label?: string;
  readonly amountCents: Cents;
  /** When the funder plans to pay: a plan, so it may lie in the future. */
  readonly dueOn: IsoDate;
  /** Free text: what must be done before the funder releases the tranche. */
  readonly conditions?: string;
}

/** The values of `nature` in the national SCDL « subventions » format. */
export const AID_NATURES = ['aide en numéraire', 'aide en nature', 'aide en numéraire;aide en nature', 'aide en nature;aide en numéraire'] as const;
export type AidNature = (typeof AID_NATURES)[number];

/**
 * What the « données essentielles des conventions de subvention » (SCDL « subventions ») need of
 * an agreement that Jalon cannot derive (docs/decisions/0014). The agreement date defaults to the
 * commitment's effective date; `montant`, `conditionsVersement` and `datesPeriodeVersement` come
 * from the commitment and its tranches.
 */
export interface FundingPublicData {
  /** Official name of the awarding body (`nomAttribuant`) when it differs from `funder`. */
  readonly funderLegalName?: string;
  /** `idAttribuant`: the funder's SIRET (14 digits, Luhn). */
  readonly funderSiret: string;
  /** `dateConvention` when the agreement was signed on another day than its commitment. */
  readonly agreementDate?: IsoDate;
  /** `referenceDecision`. */
  readonly decisionReference: string;
  /** `nomBeneficiaire`: the body that receives the money for the antenna. */
  readonly beneficiaryName: string;
  /** `idBeneficiaire`; may be absent only for an in-kind grant to an association that has `beneficiaryRna`. */
  readonly beneficiarySiret?: string;
  /** `rnaBeneficiaire`: `W` and nine digits. */
  readonly beneficiaryRna?: string;
  /** `objet`, at most 256 characters. */
  readonly object: string;
  readonly nature: AidNature;
  /** `notificationUE`: the aid was notified to the European Commission. */
  readonly euNotified: boolean;
  /** `idRAE`, fewer than 5 characters. */
  readonly raeId?: string;
  /** `dispositifAide`. */
  readonly aidScheme?: string;
}

/** A funder's commitment to an antenna (IATI transaction type 11, incoming commitment), with its tranche schedule. */
export type FundingCommitted = Message<
  'FundingCommitted',
  {
    readonly agreementId: string;
    readonly antennaId: string;
    readonly funder: string;
    readonly label: string;
    readonly amountCents: Cents;
    /** Their amounts add up exactly to `amountCents`. */
    readonly tranches: readonly FundingTranche[];
    /** Version 2: the agreement's public data, when known at commitment (else recorded later by FundingPublicDataRecorded). */
    readonly publicData?: FundingPublicData;
    readonly effectiveDate: IsoDate;
  }
>;

/** The agreement's public data (SCDL « subventions ») recorded or corrected after its commitment; the latest stands. */
export type FundingPublicDataRecorded = Message<
  'FundingPublicDataRecorded',
  {
    readonly agreementId: string;
    readonly antennaId: string;
    readonly publicData: FundingPublicData;
    readonly effectiveDate: IsoDate;
  }
>;

/** The funder released a tranche (name fixed by the design). The amount may differ from the scheduled one. */
export type BudgetTrancheReleased = Message<
  'BudgetTrancheReleased',
  {
    readonly agreementId: string;
    readonly antennaId: string;
    readonly trancheId: string;
    readonly amountCents: Cents;
    readonly effectiveDate: IsoDate;
  }
>;

/**
 * The antenna's finance staff confirm the money arrived (IATI transaction type 1, incoming funds).
 * `amountCents` is what arrived; when it differs from the released amount the read side flags a discrepancy.
 */
export type TrancheReceived = Message<
  'TrancheReceived',
  {
    readonly agreementId: string;
    readonly antennaId: string;
    readonly trancheId: string;
    readonly amountCents: Cents;
    readonly bankReference: string;
    readonly effectiveDate: IsoDate;
  }
>;

/** Cancels the current release of a tranche (never a received one); the tranche may then be released again. */
export type TrancheReleaseReversed = Message<
  'TrancheReleaseReversed',
  {
    readonly agreementId: string;
    readonly antennaId: string;
    readonly trancheId: string;
    /** The released amount, copied so that projections need not look it up. */
    readonly amountCents: Cents;
    /** The effective date of the reversed release: the reversal is attributed to its year. */
    readonly releasedOn: IsoDate;
    readonly reason: string;
    readonly effectiveDate: IsoDate;
  }
>;

/** Nothing more happens on the agreement; what was never released stays unreleased. */
export type FundingAgreementClosed = Message<
  'FundingAgreementClosed',
  {
    readonly agreementId: string;
    readonly antennaId: string;
    readonly reason?: string;
    readonly effectiveDate: IsoDate;
  }
>;

/** A funding stream also carries the documents attached to its agreement, releases and receipts (documents/). */
export type FundingEvent =
  | DocumentAttached
  | FundingCommitted
  | FundingPublicDataRecorded
  | BudgetTrancheReleased
  | TrancheReceived
  | TrancheReleaseReversed
  | FundingAgreementClosed;

/** Schema version of each funding event type's data (docs/decisions/0011); a type left out fails to compile. */
export const FUNDING_EVENT_VERSIONS = {
  /** 2: may carry `publicData` (funding.upcasters.ts reads version 1, which never does). */
  FundingCommitted: 2,
  FundingPublicDataRecorded: 1,
  BudgetTrancheReleased: 1,
  TrancheReceived: 1,
  /** 2: carries `releasedOn`, the date of the release it reverses (funding.upcasters.ts reads version 1). */
  TrancheReleaseReversed: 2,
  FundingAgreementClosed: 1,
  ...DOCUMENT_EVENT_VERSIONS,
} as const satisfies Record<FundingEvent['type'], number>;
