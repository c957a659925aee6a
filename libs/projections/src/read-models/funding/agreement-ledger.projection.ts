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
import { comparePositions, defineProjection, ProjectedEvent } from '../../projection';
import { FUNDING_EVENT_TYPES } from './funding.projection';

/**
 * The ledger of each funding agreement: every release, reversal, receipt and expenditure charged to
 * it, one line per fact, with where the fact sits in the log (stream, revision, global position) and
 * the supporting documents attached to it. The statement of expenditure (« état récapitulatif des
 * dépenses ») is built from it for a chosen period, and cut at the position of a seal so that every
 * line it lists is covered by that seal.
 *
 * Documents (version 4; 3 without the tranches' ranks), every key derived from the event alone (`data.antennaId`, the agreement a
 * recording is charged to, the revision of the event in its stream):
 * - `agreement-ledger:<antennaId>` ({@link AntennaLedgerDoc}): the antenna's name and its agreements
 *   with their releases, receipts and documents; it does not grow with the antenna's expenditures;
 * - `agreement-ledger:<antennaId>:expenditures:<agreementId>:<page>` ({@link LedgerExpenditurePage}):
 *   the recordings of the expenditures charged to the agreement, in log order;
 * - `agreement-ledger:<antennaId>:amendments:<page>`: the reversals of the antenna's expenditures and
 *   the documents attached to them (whichever agreement they are charged to), in log order;
 * a page per {@link LEDGER_PAGE_REVISIONS} revisions of the antenna's budget stream
 * (`budget-<antennaId>`, where the domain writes all these facts). So recording an expenditure
 * rewrites one page of at most that many facts, and the statement of one agreement reads the
 * antenna's document, the agreement's pages and the antenna's amendments: two range reads in key
 * order, a document per {@link LEDGER_PAGE_REVISIONS} revisions instead of one per expenditure
 * (version 2), holding the statement's own expenditures and not the other agreements'. They are
 * folded by {@link ledgerExpenditures}. Ids are slugs (no `:`), so the prefixes below find this
 * antenna's (and this agreement's) pages only.
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
  /** By tranche id; `rank`: 1-based, in the schedule's order (a record's key order is not, for ids such as `2`). */
  readonly tranches: Readonly<Record<string, { readonly label: string | null; readonly rank: number; readonly dueOn: IsoDate; readonly amountCents: Cents }>>;
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

/** An expenditure charged to an agreement, as recorded (its reversal and documents come as facts of their own). */
export interface LedgerExpenditureRecorded extends Omit<LedgerExpenditure, 'reversal' | 'documents'> {
  readonly kind: 'recorded';
}

/** The reversal of an expenditure; it applies to the expenditure recorded before it, if not reversed already. */
export interface LedgerExpenditureReversed {
  readonly kind: 'reversed';
  readonly expenditureId: string;
  readonly on: IsoDate;
  readonly reason: string;
  readonly source: LedgerSource;
}

/** A supporting document attached to an expenditure recorded before it. */
export interface LedgerExpenditureDocument {
  readonly kind: 'document';
  readonly expenditureId: string;
  readonly document: LedgerDocument;
}

export type LedgerExpenditureFact = LedgerExpenditureRecorded | LedgerExpenditureReversed | LedgerExpenditureDocument;
export type LedgerExpenditureAmendment = LedgerExpenditureReversed | LedgerExpenditureDocument;

/** Facts of {@link LEDGER_PAGE_REVISIONS} revisions of the antenna's budget stream, in log order: recordings (an agreement's page) or amendments. */
export interface LedgerExpenditurePage {
  readonly kind: 'expenditures';
  readonly facts: readonly LedgerExpenditureFact[];
}

export type LedgerDoc = AntennaLedgerDoc | LedgerExpenditurePage;

/**
 * Revisions of an antenna's budget stream per page of its expenditure facts: recording an
 * expenditure rewrites a page of at most this many facts (a few KB), and a statement reads a page
 * per this many revisions (at most about 65 for the 1,000-odd budget events of the busiest antenna
 * of the 1,000,000-event benchmark store, instead of up to 430 documents at version 2).
 */
export const LEDGER_PAGE_REVISIONS = 16;
/** Page numbers padded to this many digits, so that keys sort as numbers do. */
const PAGE_DIGITS = 9;

export const LEDGER_KEY_PREFIX = 'agreement-ledger:';
export const ledgerAntennaKey = (antennaId: string): string => `${LEDGER_KEY_PREFIX}${antennaId}`;
/** The prefix of the pages of the expenditures charged to the agreement: `:` occurs in no id, so no other antenna's or agreement's key starts with it. */
export const ledgerExpenditurePagePrefix = (antennaId: string, agreementId: string): string => `${ledgerAntennaKey(antennaId)}:expenditures:${agreementId}:`;
/** The prefix of the pages of the antenna's reversals and documents of expenditures. */
export const ledgerAmendmentPagePrefix = (antennaId: string): string => `${ledgerAntennaKey(antennaId)}:amendments:`;
const pageOf = (revision: number): string => String(Math.floor(revision / LEDGER_PAGE_REVISIONS)).padStart(PAGE_DIGITS, '0');

/** What came after an expenditure's recording: its first reversal, the documents attached to it. */
export interface LedgerExpenditureAmendments {
  readonly reversal: LedgerExpenditure['reversal'];
  readonly documents: readonly LedgerDocument[];
}

/** An agreement's expenditures, folded from the facts of its pages and of the antenna's amendments. */
export interface LedgerExpenditures {
  /** Each expenditure's recording (the first, if recorded twice), in log order. */
  readonly recorded: readonly LedgerExpenditureRecorded[];
  /** The expenditures reversed or given documents after their recording, by id; the others have none. */
  readonly amended: ReadonlyMap<string, LedgerExpenditureAmendments>;
}

/**
 * An agreement's expenditures, folded from its pages and the antenna's amendment pages (each listed
 * in key order): the same expenditures, reversals and documents as version 2 kept one document each
 * for. A recording counts once (the first: the budget decider refuses an id already recorded); a
 * reversal applies to an expenditure recorded before it and not reversed yet; a document to one
 * recorded before it. Nothing is copied for an expenditure neither reversed nor documented.
 */
export function ledgerExpenditures(recordingPages: readonly LedgerDoc[], amendmentPages: readonly LedgerDoc[]): LedgerExpenditures {
  const amendmentsOf = new Map<string, LedgerExpenditureAmendment[]>();
  for (const fact of factsInLogOrder(amendmentPages)) {
    if (fact.kind === 'recorded') continue;
    const facts = amendmentsOf.get(fact.expenditureId);
    if (facts === undefined) amendmentsOf.set(fact.expenditureId, [fact]);
    else facts.push(fact);
  }
  const recorded: LedgerExpenditureRecorded[] = [];
  const seen = new Set<string>();
  const amended = new Map<string, LedgerExpenditureAmendments>();
  for (const fact of factsInLogOrder(recordingPages)) {
    if (fact.kind !== 'recorded' || seen.has(fact.expenditureId)) continue;
    seen.add(fact.expenditureId);
    recorded.push(fact);
    const later = amendmentsOf.get(fact.expenditureId)?.filter((amendment) => comparePositions(positionOf(amendment), fact.source.position) > 0);
    if (later === undefined || later.length === 0) continue;
    let reversal: LedgerExpenditure['reversal'] = null;
    const documents: LedgerDocument[] = [];
    for (const amendment of later) {
      if (amendment.kind === 'document') documents.push(amendment.document);
      else reversal ??= { on: amendment.on, reason: amendment.reason, source: amendment.source };
    }
    amended.set(fact.expenditureId, { reversal, documents: documents.length === 0 ? NO_DOCUMENTS : documents });
  }
  return { recorded, amended };
}

/** Shared by every expenditure without documents: documents are never changed by their readers. */
export const NO_DOCUMENTS: readonly LedgerDocument[] = Object.freeze([]);

/**
 * The pages' facts in log order. Pages follow the revisions of the antenna's budget stream, so
 * their facts are in log order already; a fact written on another stream (none is, today) would
 * break it, and they are then put in order of position.
 */
function factsInLogOrder(pages: readonly LedgerDoc[]): readonly LedgerExpenditureFact[] {
  if (pages.length === 1 && pages[0]!.kind === 'expenditures') return inLogOrder(pages[0]!.facts);
  const facts: LedgerExpenditureFact[] = [];
  for (const page of pages) if (page.kind === 'expenditures') for (const fact of page.facts) facts.push(fact);
  return inLogOrder(facts);
}

function inLogOrder(facts: readonly LedgerExpenditureFact[]): readonly LedgerExpenditureFact[] {
  for (let index = 1; index < facts.length; index++) {
    if (comparePositions(positionOf(facts[index - 1]!), positionOf(facts[index]!)) > 0) return [...facts].sort((a, b) => comparePositions(positionOf(a), positionOf(b)));
  }
  return facts;
}

function positionOf(fact: LedgerExpenditureFact): string {
  return fact.kind === 'document' ? fact.document.source.position : fact.source.position;
}

/** The event that attaches a supporting document (issue 14); read by its fields, so the ledger needs no change when it lands. */
export const DOCUMENT_ATTACHED = 'DocumentAttached';

export const agreementLedgerProjection = defineProjection<LedgerDoc>({
  name: 'agreement-ledger',
  // 4: each tranche keeps its rank in the schedule, so that the statement names it as every report does.
  version: 4,
  handles: [...FUNDING_EVENT_TYPES, DOCUMENT_ATTACHED],
  keysOf(event) {
    const antennaId = event.data.antennaId;
    if (typeof antennaId !== 'string') return [];
    const expenditureId = expenditureNamedBy(event);
    if (expenditureId === undefined) return [ledgerAntennaKey(antennaId)];
    if (expenditureId === null) return [];
    if (event.type !== 'ExpenditureRecorded') return [`${ledgerAmendmentPagePrefix(antennaId)}${pageOf(event.revision)}`];
    // An expenditure charged to no agreement is not in the ledger.
    const agreementId = event.data.fundingAgreementId;
    return typeof agreementId === 'string' ? [`${ledgerExpenditurePagePrefix(antennaId, agreementId)}${pageOf(event.revision)}`] : [];
  },
  evolve(doc, event, key) {
    if (expenditureNamedBy(event) !== undefined) return evolvePage(doc?.kind === 'expenditures' ? doc : null, event);
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

/**
 * A page of expenditure facts: the event's fact appended. Whether a reversal or a document is about
 * an expenditure of the ledger is told when the pages are folded (ledgerExpenditures), which sees
 * every fact before it; an event at or before the page's last fact is already in it.
 */
function evolvePage(page: LedgerExpenditurePage | null, event: ProjectedEvent): LedgerExpenditurePage | null {
  const fact = factOf(event);
  if (fact === undefined) return page;
  const last = page?.facts[page.facts.length - 1];
  if (last !== undefined && comparePositions(positionOf(last), positionOf(fact)) >= 0) return page;
  return { kind: 'expenditures', facts: [...(page?.facts ?? []), fact] };
}

function factOf(event: ProjectedEvent): LedgerExpenditureFact | undefined {
  switch (event.type) {
    case 'ExpenditureRecorded': {
      const data = event.data as ExpenditureRecorded['data'] & { readonly supplier?: string; readonly invoiceNumber?: string };
      if (typeof data.fundingAgreementId !== 'string') return undefined;
      return {
        kind: 'recorded',
        expenditureId: data.expenditureId,
        agreementId: data.fundingAgreementId,
        category: data.category,
        description: data.description,
        amountCents: data.amountCents,
        spentOn: data.effectiveDate,
        supplier: typeof data.supplier === 'string' ? data.supplier : null,
        invoiceNumber: typeof data.invoiceNumber === 'string' ? data.invoiceNumber : null,
        source: sourceOf(event),
      };
    }
    case 'ExpenditureReversed': {
      const data = event.data as ExpenditureReversed['data'];
      return { kind: 'reversed', expenditureId: data.expenditureId, on: data.effectiveDate, reason: data.reason, source: sourceOf(event) };
    }
    case DOCUMENT_ATTACHED: {
      const document = documentOf(event);
      const subject = event.data.subject as Readonly<Record<string, unknown>>;
      return document === undefined ? undefined : { kind: 'document', expenditureId: subject.expenditureId as string, document };
    }
    default:
      return undefined;
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
      const tranches: Record<string, { label: string | null; rank: number; dueOn: IsoDate; amountCents: Cents }> = {};
      data.tranches.forEach((tranche, index) => {
        tranches[tranche.trancheId] = { label: tranche.label ?? null, rank: index + 1, dueOn: tranche.dueOn, amountCents: tranche.amountCents };
      });
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
      // An expenditure's documents are facts of its page (evolvePage).
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
