import type {
  AntennaOpened,
  BudgetTrancheReleased,
  Cents,
  ExpenditureRecorded,
  ExpenditureReversed,
  FundingAgreementClosed,
  FundingCommitted,
  FundingPublicData,
  FundingPublicDataRecorded,
  IsoDate,
  TrancheReceived,
  TrancheReleaseReversed,
} from '@jalon/domain';
import { defineProjection, ProjectedEvent } from '../../projection';

/**
 * The funding reconciliation read model: per funding agreement, the tranche schedule against what
 * was released, received and spent.
 *
 * ONE DOCUMENT PER ANTENNA, `antenna-funding:<antennaId>`, holding all the antenna's agreements
 * (an antenna has a handful, so the document stays small). Spending is charged to an agreement by
 * ExpenditureRecorded (`fundingAgreementId`) and credited back by ExpenditureReversed, which
 * carries the same `fundingAgreementId`: every change comes from the event alone, and nothing in
 * the document grows with the number of expenditures. Readers use {@link fundingAgreementsOf} or
 * `list('antenna-funding:')`.
 */

export type TrancheState =
  /** Never released. */
  | 'planned'
  /** Released (current release standing), not received yet. */
  | 'released'
  /** Released and received. */
  | 'received'
  /** Its last release was reversed: planned again, and it may be released again. */
  | 'reversed';

export type TrancheMovement =
  | { readonly kind: 'release'; readonly amountCents: Cents; readonly effectiveDate: IsoDate }
  | { readonly kind: 'reversal'; readonly amountCents: Cents; readonly effectiveDate: IsoDate; readonly reason: string };

export interface TrancheReceipt {
  readonly amountCents: Cents;
  readonly receivedOn: IsoDate;
  readonly bankReference: string;
}

export interface TrancheDoc {
  readonly trancheId: string;
  readonly label: string | null;
  readonly scheduledCents: Cents;
  readonly dueOn: IsoDate;
  readonly conditions: string | null;
  readonly state: TrancheState;
  /** The current release (null when never released or reversed). */
  readonly releasedCents: Cents | null;
  readonly releasedOn: IsoDate | null;
  /** Every release and reversal, in log order. */
  readonly movements: readonly TrancheMovement[];
  /** The receipt of the current release. */
  readonly receipt: TrancheReceipt | null;
}

export interface FundingAgreementDoc {
  readonly agreementId: string;
  readonly antennaId: string;
  readonly funder: string;
  readonly label: string;
  readonly committedCents: Cents;
  readonly committedOn: IsoDate;
  /** In schedule order. */
  readonly tranches: readonly TrancheDoc[];
  /** Net released: the current releases of all tranches (reversed releases excluded). */
  readonly releasedCents: Cents;
  readonly receivedCents: Cents;
  /** Expenditures charged to the agreement, less their reversals. */
  readonly spentCents: Cents;
  /** Committed − net released: what the funder may still release. */
  readonly remainingCommitmentCents: Cents;
  readonly closed: { readonly on: IsoDate; readonly reason: string | null } | null;
  /**
   * The public data in force (SCDL « subventions »): the commitment's, or the latest
   * FundingPublicDataRecorded. Absent from documents built before they existed, which had none
   * to hold: no rebuild is needed (readers take absent as none).
   */
  readonly publicData?: FundingPublicData;
}

export interface AntennaFundingDoc {
  readonly antennaId: string;
  /** From AntennaOpened; null until it is known. */
  readonly antennaName: string | null;
  readonly town: string | null;
  /** In the order they were committed. */
  readonly agreements: readonly FundingAgreementDoc[];
  /**
   * Agreement id → net cents charged to an agreement this document does not hold yet (never the
   * case in log order, but a cut or a loose reference could do it); moved onto the agreement when
   * it is committed. One entry per unknown agreement, never per expenditure.
   */
  readonly pendingSpentByAgreement: Readonly<Record<string, Cents>>;
}

export const fundingAntennaKey = (antennaId: string): string => `antenna-funding:${antennaId}`;
export const FUNDING_KEY_PREFIX = 'antenna-funding:';

/** The events of an antenna's funding: what this projection reads, and the agreement ledger too. */
export const FUNDING_EVENT_TYPES = [
  'AntennaOpened',
  'FundingCommitted',
  'FundingPublicDataRecorded',
  'BudgetTrancheReleased',
  'TrancheReleaseReversed',
  'TrancheReceived',
  'FundingAgreementClosed',
  'ExpenditureRecorded',
  'ExpenditureReversed',
] as const;

export const fundingProjection = defineProjection<AntennaFundingDoc>({
  name: 'funding',
  version: 1,
  handles: FUNDING_EVENT_TYPES,
  keysOf(event) {
    const antennaId = event.data.antennaId;
    if (typeof antennaId !== 'string') return [];
    // Spending not charged to any agreement (and its reversal) does not concern funding.
    if ((event.type === 'ExpenditureRecorded' || event.type === 'ExpenditureReversed') && typeof event.data.fundingAgreementId !== 'string') {
      return [];
    }
    return [fundingAntennaKey(antennaId)];
  },
  evolve(doc, event, key) {
    return evolveAntennaFunding(doc ?? emptyDoc(key.slice(FUNDING_KEY_PREFIX.length)), event);
  },
});

/** Every agreement of every antenna (antennas by id, agreements in commitment order). */
export function fundingAgreementsOf(docs: readonly AntennaFundingDoc[]): FundingAgreementDoc[] {
  return docs.flatMap((doc) => doc.agreements);
}

function evolveAntennaFunding(doc: AntennaFundingDoc, event: ProjectedEvent): AntennaFundingDoc {
  switch (event.type) {
    case 'AntennaOpened': {
      const data = event.data as AntennaOpened['data'];
      return { ...doc, antennaName: data.name, town: data.town };
    }
    case 'FundingCommitted': {
      const data = event.data as FundingCommitted['data'];
      if (doc.agreements.some((agreement) => agreement.agreementId === data.agreementId)) return doc;
      const { [data.agreementId]: pendingSpentCents = 0, ...pendingSpentByAgreement } = doc.pendingSpentByAgreement;
      const agreement: FundingAgreementDoc = {
        agreementId: data.agreementId,
        antennaId: data.antennaId,
        funder: data.funder,
        label: data.label,
        committedCents: data.amountCents,
        committedOn: data.effectiveDate,
        tranches: data.tranches.map(
          (tranche): TrancheDoc => ({
            trancheId: tranche.trancheId,
            label: tranche.label ?? null,
            scheduledCents: tranche.amountCents,
            dueOn: tranche.dueOn,
            conditions: tranche.conditions ?? null,
            state: 'planned',
            releasedCents: null,
            releasedOn: null,
            movements: [],
            receipt: null,
          }),
        ),
        releasedCents: 0,
        receivedCents: 0,
        // Spending charged before the commitment reached the log (never the case in order, but a
        // cut or a loose reference could do it) is counted as soon as the agreement exists.
        spentCents: Object.hasOwn(doc.pendingSpentByAgreement, data.agreementId) ? pendingSpentCents : 0,
        remainingCommitmentCents: data.amountCents,
        closed: null,
        ...(data.publicData === undefined ? {} : { publicData: data.publicData }),
      };
      return { ...doc, agreements: [...doc.agreements, agreement], pendingSpentByAgreement };
    }
    case 'FundingPublicDataRecorded': {
      const data = event.data as FundingPublicDataRecorded['data'];
      return withAgreement(doc, data.agreementId, (agreement) => ({ ...agreement, publicData: data.publicData }));
    }
    case 'BudgetTrancheReleased': {
      const data = event.data as BudgetTrancheReleased['data'];
      return withTranche(doc, data.agreementId, data.trancheId, (tranche) => ({
        ...tranche,
        state: 'released',
        releasedCents: data.amountCents,
        releasedOn: data.effectiveDate,
        movements: [...tranche.movements, { kind: 'release', amountCents: data.amountCents, effectiveDate: data.effectiveDate }],
        receipt: null,
      }));
    }
    case 'TrancheReleaseReversed': {
      const data = event.data as TrancheReleaseReversed['data'];
      return withTranche(doc, data.agreementId, data.trancheId, (tranche) => ({
        ...tranche,
        state: 'reversed',
        releasedCents: null,
        releasedOn: null,
        movements: [
          ...tranche.movements,
          { kind: 'reversal', amountCents: data.amountCents, effectiveDate: data.effectiveDate, reason: data.reason },
        ],
        receipt: null,
      }));
    }
    case 'TrancheReceived': {
      const data = event.data as TrancheReceived['data'];
      return withTranche(doc, data.agreementId, data.trancheId, (tranche) => ({
        ...tranche,
        state: 'received',
        receipt: { amountCents: data.amountCents, receivedOn: data.effectiveDate, bankReference: data.bankReference },
      }));
    }
    case 'FundingAgreementClosed': {
      const data = event.data as FundingAgreementClosed['data'];
      return withAgreement(doc, data.agreementId, (agreement) => ({
        ...agreement,
        closed: { on: data.effectiveDate, reason: data.reason ?? null },
      }));
    }
    case 'ExpenditureRecorded': {
      const data = event.data as ExpenditureRecorded['data'];
      return charge(doc, data.fundingAgreementId, data.amountCents);
    }
    case 'ExpenditureReversed': {
      const data = event.data as ExpenditureReversed['data'];
      // The reversal names the agreement the expenditure was charged to (absent: none, nothing to credit back).
      return charge(doc, data.fundingAgreementId, -data.amountCents);
    }
    default:
      return doc;
  }
}

function emptyDoc(antennaId: string): AntennaFundingDoc {
  return { antennaId, antennaName: null, town: null, agreements: [], pendingSpentByAgreement: {} };
}

function withAgreement(
  doc: AntennaFundingDoc,
  agreementId: string,
  update: (agreement: FundingAgreementDoc) => FundingAgreementDoc,
): AntennaFundingDoc {
  if (!doc.agreements.some((agreement) => agreement.agreementId === agreementId)) return doc;
  return { ...doc, agreements: doc.agreements.map((agreement) => (agreement.agreementId === agreementId ? update(agreement) : agreement)) };
}

/** Updates one tranche, then the agreement's totals, which are always recomputed from the tranches. */
function withTranche(doc: AntennaFundingDoc, agreementId: string, trancheId: string, update: (tranche: TrancheDoc) => TrancheDoc): AntennaFundingDoc {
  return withAgreement(doc, agreementId, (agreement) => {
    if (!agreement.tranches.some((tranche) => tranche.trancheId === trancheId)) return agreement;
    const tranches = agreement.tranches.map((tranche) => (tranche.trancheId === trancheId ? update(tranche) : tranche));
    const releasedCents = sum(tranches.map((tranche) => tranche.releasedCents ?? 0));
    return {
      ...agreement,
      tranches,
      releasedCents,
      receivedCents: sum(tranches.map((tranche) => tranche.receipt?.amountCents ?? 0)),
      remainingCommitmentCents: agreement.committedCents - releasedCents,
    };
  });
}

/** Adds signed cents to the spending of an agreement, or to the pending spending of one not committed yet. */
function charge(doc: AntennaFundingDoc, agreementId: string | undefined, cents: Cents): AntennaFundingDoc {
  if (typeof agreementId !== 'string') return doc;
  if (doc.agreements.some((agreement) => agreement.agreementId === agreementId)) {
    return withAgreement(doc, agreementId, (agreement) => ({ ...agreement, spentCents: agreement.spentCents + cents }));
  }
  const pending = Object.hasOwn(doc.pendingSpentByAgreement, agreementId) ? doc.pendingSpentByAgreement[agreementId]! : 0;
  return { ...doc, pendingSpentByAgreement: { ...doc.pendingSpentByAgreement, [agreementId]: pending + cents } };
}

function sum(values: readonly Cents[]): Cents {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
