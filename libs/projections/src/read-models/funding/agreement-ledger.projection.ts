import type {
  BudgetCategory,
  BudgetTrancheReleased,
  Cents,
  ExpenditureRecorded,
  ExpenditureReversed,
  FundingAgreementClosed,
  FundingCommitted,
  FundingPublicDataRecorded,
  IsoDate,
  TrancheReceived,
  TrancheReleaseReversed,
} from '@jalon/domain';
import { defineProjection, ProjectedEvent } from '../../projection';
import { FUNDING_EVENT_TYPES } from './funding.projection';

/**
 * The ledger of each funding agreement: every release, reversal, receipt and expenditure charged to
 * it, one line per fact, with where the fact sits in the log (stream, revision, global position) and
 * the supporting documents attached to it. The statement of expenditure (« état récapitulatif des
 * dépenses ») is built from it for a chosen period, and cut at the position of a seal so that every
 * line it lists is covered by that seal.
 *
 * Documents (version 2), every key derived from the event's `data.antennaId` alone:
 * - `agreement-ledger:<antennaId>` ({@link AntennaLedgerDoc}): the antenna's name and its agreements
 *   with their releases, receipts and documents; it does not grow with the antenna's expenditures;
 * - `agreement-ledger:<antennaId>:expenditure:<expenditureId>` ({@link LedgerExpenditureDoc}): one
 *   expenditure charged to an agreement, its reversal and its documents (`ExpenditureReversed` and a
 *   `DocumentAttached` about an expenditure name the expenditure and carry `antennaId`).
 * So recording an expenditure writes one small document, not the antenna's whole ledger (version 1
 * kept every expenditure in the antenna's document and rewrote it per expenditure). Ids are slugs
 * (no `:`), so listing {@link ledgerExpenditurePrefix} finds this antenna's expenditures only; the
 * statement orders them by the log position of their recording.
 */

/** Where a fact sits in the log; `position` is a decimal string (a bigint in the store). */
export interface LedgerSource {
  readonly streamId: string;
  readonly revision: number;
  readonly position: string;
  readonly recordedAt: string | null;
  /** The event's hash in its stream's chain (docs/decisions/0011), which the audit export proves under a seal. */
  readonly hash: string | null;
}

/** A supporting document attached to a line (hash, name, size, media type). */
export interface LedgerDocument {
  readonly sha256: string;
  readonly fileName: string;
  readonly sizeBytes: number;
  readonly mediaType: string;
  readonly source: LedgerSource;
}

export interface LedgerRelease {
  readonly trancheId: string;
  readonly trancheLabel: string | null;
  readonly amountCents: Cents;
  readonly releasedOn: IsoDate;
  readonly source: LedgerSource;
  /** Set when this release was reversed. */
  readonly reversal: { readonly on: IsoDate; readonly reason: string; readonly source: LedgerSource } | null;
  readonly documents: readonly LedgerDocument[];
}

export interface LedgerReceipt {
  readonly trancheId: string;
  readonly trancheLabel: string | null;
  readonly amountCents: Cents;
  readonly receivedOn: IsoDate;
  readonly bankReference: string;
  readonly source: LedgerSource;
  readonly documents: readonly LedgerDocument[];
}

export interface LedgerExpenditure {
  readonly expenditureId: string;
  readonly agreementId: string;
  readonly category: BudgetCategory;
  readonly description: string;
  readonly amountCents: Cents;
  readonly spentOn: IsoDate;
  readonly supplier: string | null;
  readonly invoiceNumber: string | null;
  readonly source: LedgerSource;
  readonly reversal: { readonly on: IsoDate; readonly reason: string; readonly source: LedgerSource } | null;
  readonly documents: readonly LedgerDocument[];
}

export interface AgreementLedger {
  readonly agreementId: string;
  readonly funder: string;
  readonly label: string;
  readonly committedCents: Cents;
  readonly committedOn: IsoDate;
  readonly beneficiaryName: string | null;
  readonly tranches: Readonly<Record<string, { readonly label: string | null; readonly dueOn: IsoDate; readonly amountCents: Cents }>>;
  readonly releases: readonly LedgerRelease[];
  readonly receipts: readonly LedgerReceipt[];
  readonly documents: readonly LedgerDocument[];
  readonly closedOn: IsoDate | null;
}

export interface AntennaLedgerDoc {
  readonly kind: 'antenna';
  readonly antennaId: string;
  readonly antennaName: string | null;
  /** In the order they were committed. */
  readonly agreements: readonly AgreementLedger[];
}

/** One expenditure charged to an agreement, in a document of its own. */
export interface LedgerExpenditureDoc extends LedgerExpenditure {
  readonly kind: 'expenditure';
}

export type LedgerDoc = AntennaLedgerDoc | LedgerExpenditureDoc;

export const LEDGER_KEY_PREFIX = 'agreement-ledger:';
export const ledgerAntennaKey = (antennaId: string): string => `${LEDGER_KEY_PREFIX}${antennaId}`;
/** The prefix of the antenna's expenditure documents only: `:` occurs in no id, so no other antenna's key starts with it. */
export const ledgerExpenditurePrefix = (antennaId: string): string => `${ledgerAntennaKey(antennaId)}:expenditure:`;
export const ledgerExpenditureKey = (antennaId: string, expenditureId: string): string => `${ledgerExpenditurePrefix(antennaId)}${expenditureId}`;

/** The event that attaches a supporting document (issue 14); read by its fields, so the ledger needs no change when it lands. */
export const DOCUMENT_ATTACHED = 'DocumentAttached';

export const agreementLedgerProjection = defineProjection<LedgerDoc>({
  name: 'agreement-ledger',
  version: 2,
  handles: [...FUNDING_EVENT_TYPES, DOCUMENT_ATTACHED],
  keysOf(event) {
    const antennaId = event.data.antennaId;
    if (typeof antennaId !== 'string') return [];
    const expenditureId = expenditureNamedBy(event);
    if (expenditureId === undefined) return [ledgerAntennaKey(antennaId)];
    if (expenditureId === null) return [];
    // An expenditure charged to no agreement is not in the ledger.
    if (event.type === 'ExpenditureRecorded' && typeof event.data.fundingAgreementId !== 'string') return [];
    return [ledgerExpenditureKey(antennaId, expenditureId)];
  },
  evolve(doc, event, key) {
    if (expenditureNamedBy(event) !== undefined) return evolveExpenditure(doc?.kind === 'expenditure' ? doc : null, event);
    return evolveLedger(doc?.kind === 'antenna' ? doc : { kind: 'antenna', antennaId: key.slice(LEDGER_KEY_PREFIX.length), antennaName: null, agreements: [] }, event);
  },
});

/**
 * The expenditure an event is about: its id for `ExpenditureRecorded`, `ExpenditureReversed` and a
 * `DocumentAttached` whose subject is an expenditure; null when such an event names none; undefined
 * for the events about the antenna and its agreements.
 */
function expenditureNamedBy(event: ProjectedEvent): string | null | undefined {
  switch (event.type) {
    case 'ExpenditureRecorded':
    case 'ExpenditureReversed':
      return typeof event.data.expenditureId === 'string' ? event.data.expenditureId : null;
    case DOCUMENT_ATTACHED: {
      const subject = event.data.subject as Readonly<Record<string, unknown>> | undefined;
      if (subject?.kind !== 'expenditure') return undefined;
      return typeof subject.expenditureId === 'string' ? subject.expenditureId : null;
    }
    default:
      return undefined;
  }
}

/** An expenditure's document: made by its recording; a reversal or a document about an expenditure not in the ledger changes nothing. */
function evolveExpenditure(doc: LedgerExpenditureDoc | null, event: ProjectedEvent): LedgerExpenditureDoc | null {
  switch (event.type) {
    case 'ExpenditureRecorded': {
      // Recorded once (the budget decider refuses an id already recorded).
      if (doc !== null) return doc;
      const data = event.data as ExpenditureRecorded['data'] & { readonly supplier?: string; readonly invoiceNumber?: string };
      if (typeof data.fundingAgreementId !== 'string') return null;
      return {
        kind: 'expenditure',
        expenditureId: data.expenditureId,
        agreementId: data.fundingAgreementId,
        category: data.category,
        description: data.description,
        amountCents: data.amountCents,
        spentOn: data.effectiveDate,
        supplier: typeof data.supplier === 'string' ? data.supplier : null,
        invoiceNumber: typeof data.invoiceNumber === 'string' ? data.invoiceNumber : null,
        source: sourceOf(event),
        reversal: null,
        documents: [],
      };
    }
    case 'ExpenditureReversed': {
      if (doc === null || doc.reversal !== null) return doc;
      const data = event.data as ExpenditureReversed['data'];
      return { ...doc, reversal: { on: data.effectiveDate, reason: data.reason, source: sourceOf(event) } };
    }
    case DOCUMENT_ATTACHED: {
      const document = documentOf(event);
      return doc === null || document === undefined ? doc : { ...doc, documents: [...doc.documents, document] };
    }
    default:
      return doc;
  }
}

function sourceOf(event: ProjectedEvent): LedgerSource {
  const { recordedAt, hash } = event.metadata;
  return {
    streamId: event.streamId,
    revision: event.revision,
    position: event.position.toString(),
    recordedAt: typeof recordedAt === 'string' ? recordedAt : null,
    hash: typeof hash === 'string' ? hash : null,
  };
}

function withAgreement(doc: AntennaLedgerDoc, agreementId: string, change: (agreement: AgreementLedger) => AgreementLedger): AntennaLedgerDoc {
  if (!doc.agreements.some((agreement) => agreement.agreementId === agreementId)) return doc;
  return { ...doc, agreements: doc.agreements.map((agreement) => (agreement.agreementId === agreementId ? change(agreement) : agreement)) };
}

/** The last element of `items` matching, changed; the others as they were. */
function changeLast<T>(items: readonly T[], matches: (item: T) => boolean, change: (item: T) => T): readonly T[] {
  for (let index = items.length - 1; index >= 0; index -= 1) {
    if (matches(items[index]!)) return [...items.slice(0, index), change(items[index]!), ...items.slice(index + 1)];
  }
  return items;
}

function evolveLedger(doc: AntennaLedgerDoc, event: ProjectedEvent): AntennaLedgerDoc {
  switch (event.type) {
    case 'AntennaOpened':
      return { ...doc, antennaName: typeof event.data.name === 'string' ? event.data.name : doc.antennaName };
    case 'FundingCommitted': {
      const data = event.data as FundingCommitted['data'];
      if (doc.agreements.some((agreement) => agreement.agreementId === data.agreementId)) return doc;
      const tranches: Record<string, { label: string | null; dueOn: IsoDate; amountCents: Cents }> = {};
      for (const tranche of data.tranches) tranches[tranche.trancheId] = { label: tranche.label ?? null, dueOn: tranche.dueOn, amountCents: tranche.amountCents };
      const agreement: AgreementLedger = {
        agreementId: data.agreementId,
        funder: data.funder,
        label: data.label,
        committedCents: data.amountCents,
        committedOn: data.effectiveDate,
        beneficiaryName: data.publicData?.beneficiaryName ?? null,
        tranches,
        releases: [],
        receipts: [],
        documents: [],
        closedOn: null,
      };
      return { ...doc, agreements: [...doc.agreements, agreement] };
    }
    case 'FundingPublicDataRecorded': {
      const data = event.data as FundingPublicDataRecorded['data'];
      return withAgreement(doc, data.agreementId, (agreement) => ({ ...agreement, beneficiaryName: data.publicData.beneficiaryName }));
    }
    case 'BudgetTrancheReleased': {
      const data = event.data as BudgetTrancheReleased['data'];
      return withAgreement(doc, data.agreementId, (agreement) => ({
        ...agreement,
        releases: [
          ...agreement.releases,
          {
            trancheId: data.trancheId,
            trancheLabel: agreement.tranches[data.trancheId]?.label ?? null,
            amountCents: data.amountCents,
            releasedOn: data.effectiveDate,
            source: sourceOf(event),
            reversal: null,
            documents: [],
          },
        ],
      }));
    }
    case 'TrancheReleaseReversed': {
      const data = event.data as TrancheReleaseReversed['data'];
      return withAgreement(doc, data.agreementId, (agreement) => ({
        ...agreement,
        releases: changeLast(
          agreement.releases,
          (release) => release.trancheId === data.trancheId && release.reversal === null,
          (release) => ({ ...release, reversal: { on: data.effectiveDate, reason: data.reason, source: sourceOf(event) } }),
        ),
      }));
    }
    case 'TrancheReceived': {
      const data = event.data as TrancheReceived['data'];
      return withAgreement(doc, data.agreementId, (agreement) => ({
        ...agreement,
        receipts: [
          ...agreement.receipts,
          {
            trancheId: data.trancheId,
            trancheLabel: agreement.tranches[data.trancheId]?.label ?? null,
            amountCents: data.amountCents,
            receivedOn: data.effectiveDate,
            bankReference: data.bankReference,
            source: sourceOf(event),
            documents: [],
          },
        ],
      }));
    }
    case 'FundingAgreementClosed': {
      const data = event.data as FundingAgreementClosed['data'];
      return withAgreement(doc, data.agreementId, (agreement) => ({ ...agreement, closedOn: data.effectiveDate }));
    }
    case DOCUMENT_ATTACHED:
      return attachDocument(doc, event);
    default:
      return doc;
  }
}

/** `DocumentAttached`: the document goes on the line its subject names; a subject the ledger does not hold leaves it unchanged. */
function attachDocument(doc: AntennaLedgerDoc, event: ProjectedEvent): AntennaLedgerDoc {
  const subject = event.data.subject as Readonly<Record<string, unknown>> | undefined;
  const document = documentOf(event);
  if (!subject || document === undefined) return doc;
  const add = <T extends { readonly documents: readonly LedgerDocument[] }>(item: T): T => ({ ...item, documents: [...item.documents, document] });
  const agreementId = typeof subject.agreementId === 'string' ? subject.agreementId : undefined;
  const trancheId = typeof subject.trancheId === 'string' ? subject.trancheId : undefined;
  switch (subject.kind) {
    case 'funding-agreement':
      return agreementId === undefined ? doc : withAgreement(doc, agreementId, add);
    case 'tranche-release':
      return agreementId === undefined
        ? doc
        : withAgreement(doc, agreementId, (agreement) => ({ ...agreement, releases: changeLast(agreement.releases, (release) => release.trancheId === trancheId, add) }));
    case 'tranche-receipt':
      return agreementId === undefined
        ? doc
        : withAgreement(doc, agreementId, (agreement) => ({ ...agreement, receipts: changeLast(agreement.receipts, (receipt) => receipt.trancheId === trancheId, add) }));
    default:
      // An expenditure's documents are on its own document (evolveExpenditure).
      return doc;
  }
}

/** The supporting document a `DocumentAttached` event attaches; undefined without its hash. */
function documentOf(event: ProjectedEvent): LedgerDocument | undefined {
  const data = event.data;
  if (!data.subject || typeof data.sha256 !== 'string') return undefined;
  return {
    sha256: data.sha256,
    fileName: typeof data.fileName === 'string' ? data.fileName : '',
    sizeBytes: typeof data.sizeBytes === 'number' ? data.sizeBytes : 0,
    mediaType: typeof data.mediaType === 'string' ? data.mediaType : '',
    source: sourceOf(event),
  };
}
