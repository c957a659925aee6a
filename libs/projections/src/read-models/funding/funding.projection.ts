import type {
  AntennaOpened,
  BudgetTrancheReleased,
  Cents,
  ExpenditureRecorded,
  ExpenditureReversed,
  FundingAgreementClosed,
  FundingCommitted,
  IsoDate,
  TrancheReceived,
  TrancheReleaseReversed,
} from '@jalon/domain';
import { defineProjection, ProjectedEvent } from '../../projection';

/**
 * The funding reconciliation read model: per funding agreement, the tranche schedule against what
 * was released, received and spent.
 *
 * ONE DOCUMENT PER ANTENNA, `antenna-funding:<antennaId>`, holding all the antenna's agreements.
 * Why not one document per agreement: spending is charged to an agreement by ExpenditureRecorded
 * (`fundingAgreementId`), but ExpenditureReversed names only the antenna and the expenditure. A
 * projection learns which documents an event changes from the event alone (`keysOf` cannot read
 * documents) and `evolve` sees only the documents it is given, so a reversal could not find the
 * `agreement:<id>` document to credit back, and a separate expenditure index document would not
 * help since no evolve can read one document while writing another. Every event involved does
 * name its antenna, so a per-antenna document can hold the index (expenditure id → agreement id)
 * beside the agreements it updates, in the same evolve. An antenna has a handful of agreements,
 * so the document stays small. Readers use {@link fundingAgreementsOf} or `list('antenna-funding:')`.
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
}

/** An expenditure charged to an agreement, remembered so that its reversal can be credited back. */
export interface ChargedExpenditure {
  readonly agreementId: string;
  readonly amountCents: Cents;
  readonly effectiveDate: IsoDate;
  readonly reversed: boolean;
}

export interface AntennaFundingDoc {
  readonly antennaId: string;
  /** From AntennaOpened; null until it is known. */
  readonly antennaName: string | null;
  readonly town: string | null;
  /** In the order they were committed. */
  readonly agreements: readonly FundingAgreementDoc[];
  /** Expenditure id → the agreement it was charged to (only expenditures charged to one). */
  readonly expenditures: Readonly<Record<string, ChargedExpenditure>>;
}

export const fundingAntennaKey = (antennaId: string): string => `antenna-funding:${antennaId}`;
export const FUNDING_KEY_PREFIX = 'antenna-funding:';

export const fundingProjection = defineProjection<AntennaFundingDoc>({
  name: 'funding',
  version: 1,
  handles: [
    'AntennaOpened',
    'FundingCommitted',
    'BudgetTrancheReleased',
    'TrancheReleaseReversed',
    'TrancheReceived',
    'FundingAgreementClosed',
    'ExpenditureRecorded',
    'ExpenditureReversed',
  ],
  keysOf(event) {
    const antennaId = event.data.antennaId;
    if (typeof antennaId !== 'string') return [];
    // Spending not charged to any agreement does not concern funding.
    if (event.type === 'ExpenditureRecorded' && typeof event.data.fundingAgreementId !== 'string') return [];
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
        spentCents: spentOn(doc.expenditures, data.agreementId),
        remainingCommitmentCents: data.amountCents,
        closed: null,
      };
      return { ...doc, agreements: [...doc.agreements, agreement] };
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
      const agreementId = data.fundingAgreementId;
      if (agreementId === undefined || Object.hasOwn(doc.expenditures, data.expenditureId)) return doc;
      const charged: ChargedExpenditure = { agreementId, amountCents: data.amountCents, effectiveDate: data.effectiveDate, reversed: false };
      return withSpending({ ...doc, expenditures: { ...doc.expenditures, [data.expenditureId]: charged } }, agreementId);
    }
    case 'ExpenditureReversed': {
      const data = event.data as ExpenditureReversed['data'];
      // Not in the index: the expenditure was charged to no agreement, so funding is not concerned.
      if (!Object.hasOwn(doc.expenditures, data.expenditureId)) return doc;
      const charged = doc.expenditures[data.expenditureId]!;
      if (charged.reversed) return doc;
      return withSpending(
        { ...doc, expenditures: { ...doc.expenditures, [data.expenditureId]: { ...charged, reversed: true } } },
        charged.agreementId,
      );
    }
    default:
      return doc;
  }
}

function emptyDoc(antennaId: string): AntennaFundingDoc {
  return { antennaId, antennaName: null, town: null, agreements: [], expenditures: {} };
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

function withSpending(doc: AntennaFundingDoc, agreementId: string): AntennaFundingDoc {
  return withAgreement(doc, agreementId, (agreement) => ({ ...agreement, spentCents: spentOn(doc.expenditures, agreementId) }));
}

function spentOn(expenditures: Readonly<Record<string, ChargedExpenditure>>, agreementId: string): Cents {
  return sum(
    Object.values(expenditures)
      .filter((expenditure) => expenditure.agreementId === agreementId && !expenditure.reversed)
      .map((expenditure) => expenditure.amountCents),
  );
}

function sum(values: readonly Cents[]): Cents {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
