import { IsoDate, Message } from '../shared';

/**
 * What a supporting document (a signed convention, an invoice, a bank statement…) may prove, and
 * where its `DocumentAttached` event goes: on the stream of that fact. An agreement and its
 * tranches are on the agreement's funding stream; expenditures and budget revisions on the
 * antenna's budget stream. These kinds are stored in events: never rename one.
 */
export const DOCUMENT_SUBJECT_KINDS = ['funding-agreement', 'tranche-release', 'tranche-receipt', 'expenditure', 'budget-revision'] as const;
export type DocumentSubjectKind = (typeof DOCUMENT_SUBJECT_KINDS)[number];

export type FundingDocumentSubject =
  | { readonly kind: 'funding-agreement'; readonly agreementId: string }
  | { readonly kind: 'tranche-release'; readonly agreementId: string; readonly trancheId: string }
  | { readonly kind: 'tranche-receipt'; readonly agreementId: string; readonly trancheId: string };

export type BudgetDocumentSubject =
  | { readonly kind: 'expenditure'; readonly expenditureId: string }
  /** `revision` is the number of the revision (1 for the first), as `BudgetForecastRevised` carries it. */
  | { readonly kind: 'budget-revision'; readonly revision: number };

export type DocumentSubject = FundingDocumentSubject | BudgetDocumentSubject;

export const FUNDING_DOCUMENT_SUBJECT_KINDS = ['funding-agreement', 'tranche-release', 'tranche-receipt'] as const satisfies readonly FundingDocumentSubject['kind'][];
export const BUDGET_DOCUMENT_SUBJECT_KINDS = ['expenditure', 'budget-revision'] as const satisfies readonly BudgetDocumentSubject['kind'][];

/**
 * A supporting document attached to a recorded fact. The bytes are not in the event: they are
 * stored content-addressed, by their SHA-256, before the event is appended (docs/decisions/0017);
 * the event, which the log's hash chain and seals cover, fixes which bytes they are. Who attached
 * it is in the metadata, as for every event.
 */
export type DocumentAttached = Message<
  'DocumentAttached',
  {
    readonly antennaId: string;
    readonly subject: DocumentSubject;
    /** SHA-256 of the bytes, 64 lower-case hex digits: the file's name in the document store. */
    readonly sha256: string;
    /** The name the file was given when attached (no directory). */
    readonly fileName: string;
    readonly sizeBytes: number;
    /** The type read from the content (`application/pdf`, `image/png`…), not from the name alone. */
    readonly mediaType: string;
    /** The day it was attached. */
    readonly effectiveDate: IsoDate;
  }
>;

/** Schema version of the document event (docs/decisions/0011); each context whose streams carry it adds it to its own table. */
export const DOCUMENT_EVENT_VERSIONS = {
  DocumentAttached: 1,
} as const satisfies Record<DocumentAttached['type'], number>;

/** A key naming the subject, unique within its stream. */
export function documentSubjectKey(subject: DocumentSubject): string {
  switch (subject.kind) {
    case 'funding-agreement':
      return `funding-agreement/${subject.agreementId}`;
    case 'tranche-release':
    case 'tranche-receipt':
      return `${subject.kind}/${subject.agreementId}/${subject.trancheId}`;
    case 'expenditure':
      return `expenditure/${subject.expenditureId}`;
    case 'budget-revision':
      return `budget-revision/${subject.revision}`;
  }
}
