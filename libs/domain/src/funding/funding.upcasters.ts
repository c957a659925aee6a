import { EventUpcastError, Upcaster } from '../shared';
import { BudgetTrancheReleased, FundingCommitted, TrancheReleaseReversed } from './funding.events';

/** `TrancheReleaseReversed` at version 1: without `releasedOn` before commit 41c8fe2, with it after. */
export type TrancheReleaseReversedV1Data = Omit<TrancheReleaseReversed['data'], 'releasedOn'> &
  Partial<Pick<TrancheReleaseReversed['data'], 'releasedOn'>>;

/** What a reversal needs of the release it cancels. */
export type TrancheRelease = Pick<BudgetTrancheReleased['data'], 'agreementId' | 'trancheId' | 'amountCents' | 'effectiveDate'>;

/**
 * v1 → v2: a reversal carries the date of the release it cancels. The history is the tranche's
 * latest `BudgetTrancheReleased` in the stream: a tranche whose release was reversed may be
 * released again, and a reversal always cancels the release in force.
 */
export const trancheReleaseReversedV1: Upcaster<
  'TrancheReleaseReversed',
  TrancheReleaseReversedV1Data,
  TrancheReleaseReversed['data'],
  TrancheRelease | undefined
> = {
  type: 'TrancheReleaseReversed',
  from: 1,
  needsHistory: (data) => data.releasedOn === undefined,
  upcast(data, release) {
    if (data.releasedOn !== undefined) return data as TrancheReleaseReversed['data'];
    if (!release || release.agreementId !== data.agreementId || release.trancheId !== data.trancheId) {
      throw new EventUpcastError(`the reversal of tranche ${data.trancheId} of agreement ${data.agreementId} finds no release of it before it`);
    }
    if (release.amountCents !== data.amountCents) {
      throw new EventUpcastError(
        `the reversal of tranche ${data.trancheId} of agreement ${data.agreementId} copies ${data.amountCents} cents, ` +
          `the release before it is of ${release.amountCents}`,
      );
    }
    const { agreementId, antennaId, trancheId, amountCents, reason, effectiveDate } = data;
    return { agreementId, antennaId, trancheId, amountCents, releasedOn: release.effectiveDate, reason, effectiveDate };
  },
};

/** `FundingCommitted` at version 1: no public data. */
export type FundingCommittedV1Data = Omit<FundingCommitted['data'], 'publicData'>;

/**
 * v1 → v2: version 2 may carry the agreement's public data (SCDL « subventions »); a version 1
 * commitment has none and is read as it is (its public data, if any, come from a later
 * FundingPublicDataRecorded). Pure, needs nothing from the stream.
 */
export const fundingCommittedV1: Upcaster<'FundingCommitted', FundingCommittedV1Data, FundingCommitted['data'], undefined> = {
  type: 'FundingCommitted',
  from: 1,
  needsHistory: () => false,
  upcast: (data) => data,
};
