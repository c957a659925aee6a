import { DocumentAttached, FundingDocumentSubject } from '../documents/document.events';
import { AntennaView, Cents, IsoDate, Message } from '../shared';
import {
  BudgetTrancheReleased,
  FundingAgreementClosed,
  FundingCommitted,
  FundingPublicDataRecorded,
  TrancheReceived,
  TrancheReleaseReversed,
} from './funding.events';

/** `context.antenna` is the antenna the agreement funds, as its own stream knows it. */
export interface FundingContext {
  readonly antenna: AntennaView;
}

/**
 * `context.attachedOn`: the date the antenna attached this agreement (its first step, decision
 * 0060), read on the antenna's stream by the application; absent when it did not.
 */
export interface CommitFunding extends Message<'CommitFunding', FundingCommitted['data']> {
  readonly context: FundingContext & { readonly attachedOn?: IsoDate };
}

/** `amountCents` defaults to the tranche's scheduled amount. */
export interface ReleaseTranche
  extends Message<'ReleaseTranche', Omit<BudgetTrancheReleased['data'], 'amountCents'> & { readonly amountCents?: Cents }> {
  readonly context: FundingContext;
}

export interface RecordTrancheReceipt extends Message<'RecordTrancheReceipt', TrancheReceived['data']> {
  readonly context: FundingContext;
}

export interface ReverseTrancheRelease extends Message<'ReverseTrancheRelease', Omit<TrancheReleaseReversed['data'], 'amountCents' | 'releasedOn'>> {
  readonly context: FundingContext;
}

/** `context.latestChargedExpenditureOn`: the latest expenditure charged to the agreement (the antenna's budget stream, read by the application), which the closing may not precede. */
export interface CloseFundingAgreement extends Message<'CloseFundingAgreement', FundingAgreementClosed['data']> {
  readonly context: FundingContext & { readonly latestChargedExpenditureOn?: IsoDate };
}

export interface RecordFundingPublicData extends Message<'RecordFundingPublicData', FundingPublicDataRecorded['data']> {
  readonly context: FundingContext;
}

/** Attaches a stored document to the agreement, a tranche's release or its receipt. */
export interface AttachFundingDocument
  extends Message<'AttachFundingDocument', Omit<DocumentAttached['data'], 'subject'> & { readonly subject: FundingDocumentSubject }> {
  readonly context: FundingContext;
}

export type FundingCommand = AttachFundingDocument | CommitFunding | RecordFundingPublicData | ReleaseTranche | RecordTrancheReceipt | ReverseTrancheRelease | CloseFundingAgreement;
