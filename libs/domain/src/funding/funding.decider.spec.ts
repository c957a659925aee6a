import { AntennaView, DomainError, fold, MAX_AMOUNT_CENTS } from '../shared';
import { specificationFor } from '../testing/decider-specification';
import { CloseFundingAgreement, CommitFunding, RecordFundingPublicData, RecordTrancheReceipt, ReleaseTranche, ReverseTrancheRelease } from './funding.commands';
import { fundingAgreementViewOf, fundingDecider, initialFundingState, latestFundingFactOf } from './funding.decider';
import {
  BudgetTrancheReleased,
  FundingAgreementClosed,
  FundingCommitted,
  FundingEvent,
  FundingPublicData,
  FundingPublicDataRecorded,
  TrancheReceived,
  TrancheReleaseReversed,
} from './funding.events';

const spec = specificationFor(fundingDecider);

const montbeliard: AntennaView = { antennaId: 'montbeliard', status: 'active', openedOn: '2021-06-01' };
const context = { antenna: montbeliard };
const closedAntenna = { antenna: { ...montbeliard, status: 'closed' as const } };
const unopenedAntenna = { antenna: { antennaId: 'montbeliard', status: 'not-opened' as const } };

/**
 * Banque des Territoires' seed envelope of 100,000 € (from the articles). The three tranches, their
 * dates and conditions are illustrative: 40,000 € + 40,000 € + 20,000 €.
 */
const committed: FundingCommitted = {
  type: 'FundingCommitted',
  data: {
    agreementId: 'bdt-seed',
    antennaId: 'montbeliard',
    funder: 'Banque des Territoires',
    label: 'Enveloppe d’amorçage',
    amountCents: 10_000_000,
    tranches: [
      { trancheId: 'signature', label: 'À la signature', amountCents: 4_000_000, dueOn: '2021-09-30' },
      {
        trancheId: 'aioa-opening',
        label: 'Ouverture de l’AIOA',
        amountCents: 4_000_000,
        dueOn: '2022-06-30',
        conditions: 'Espace d’accueil ouvert au Mattern Lab',
      },
      { trancheId: 'balance', amountCents: 2_000_000, dueOn: '2023-12-31', conditions: 'Bilan d’exécution transmis' },
    ],
    effectiveDate: '2021-07-01',
  },
};
/** Attached to its antenna first, at its date (docs/decisions/0060). */
const commit: CommitFunding = { type: 'CommitFunding', data: committed.data, context: { ...context, attachedOn: committed.data.effectiveDate } };

const ids = { agreementId: 'bdt-seed', antennaId: 'montbeliard' };

const released = (trancheId: string, amountCents: number, effectiveDate: string): BudgetTrancheReleased => ({
  type: 'BudgetTrancheReleased',
  data: { ...ids, trancheId, amountCents, effectiveDate },
});
const signatureReleased = released('signature', 4_000_000, '2021-09-15');
const openingReleased = released('aioa-opening', 4_000_000, '2022-07-01');

const signatureReceived: TrancheReceived = {
  type: 'TrancheReceived',
  data: { ...ids, trancheId: 'signature', amountCents: 4_000_000, bankReference: 'VIR-BDT-2021-0917', effectiveDate: '2021-09-17' },
};

const signatureReversed: TrancheReleaseReversed = {
  type: 'TrancheReleaseReversed',
  data: {
    ...ids,
    trancheId: 'signature',
    amountCents: 4_000_000,
    releasedOn: '2021-09-15',
    reason: 'Virement annulé par le financeur',
    effectiveDate: '2021-09-16',
  },
};

/** The signature's release reversed on `effectiveDate`. */
const reversedOn = (effectiveDate: string): TrancheReleaseReversed => ({ ...signatureReversed, data: { ...signatureReversed.data, effectiveDate } });

const closed: FundingAgreementClosed = {
  type: 'FundingAgreementClosed',
  data: { ...ids, reason: 'Enveloppe soldée', effectiveDate: '2024-01-31' },
};

const release = (trancheId: string, effectiveDate: string, amountCents?: number): ReleaseTranche => ({
  type: 'ReleaseTranche',
  data: { ...ids, trancheId, effectiveDate, ...(amountCents === undefined ? {} : { amountCents }) },
  context,
});
const receive: RecordTrancheReceipt = { type: 'RecordTrancheReceipt', data: signatureReceived.data, context };
const reverse: ReverseTrancheRelease = {
  type: 'ReverseTrancheRelease',
  data: { ...ids, trancheId: 'signature', reason: signatureReversed.data.reason, effectiveDate: '2021-09-16' },
  context,
};
const close: CloseFundingAgreement = { type: 'CloseFundingAgreement', data: closed.data, context };

describe('funding decider', () => {
  it('starts with no commitment', () => {
    expect(initialFundingState()).toEqual({ status: 'not-committed' });
  });

  describe('CommitFunding', () => {
    it('records the commitment and its tranche schedule (4,000,000 + 4,000,000 + 2,000,000 = 10,000,000 cents)', () => {
      spec.given([]).when(commit).then([committed]);
    });

    it('records only the known fields of each tranche', () => {
      const loose = { ...committed.data.tranches[2], label: undefined, note: 'not part of the schedule' };
      const data = { ...committed.data, tranches: [committed.data.tranches[0], committed.data.tranches[1], loose] };
      spec.given([]).when({ ...commit, data }).then([committed]);
    });

    it('rule: committing the same funding again changes nothing', () => {
      spec.given([committed]).when(commit).thenNothingHappens();
    });

    it('rule: a repeated commitment changes nothing even once the agreement is closed', () => {
      spec.given([committed, closed]).when(commit).thenNothingHappens();
    });

    it('rule: an antenna knows its agreements: a commitment its antenna has not attached, or attached at another date, is refused (FUNDING.COMMITMENT_NOT_CLAIMED)', () => {
      spec.given([]).when({ ...commit, context }).thenThrows('FUNDING.COMMITMENT_NOT_CLAIMED', 'conflict');
      spec
        .given([])
        .when({ ...commit, context: { ...context, attachedOn: '2021-06-15' } })
        .thenThrows('FUNDING.COMMITMENT_NOT_CLAIMED', 'conflict');
    });

    it('rule: a commitment recorded before antennas listed their agreements, repeated, still changes nothing (0060)', () => {
      spec.given([committed]).when({ ...commit, context }).thenNothingHappens();
    });

    it('rule: an agreement is committed once (FUNDING.ALREADY_COMMITTED)', () => {
      spec
        .given([committed])
        .when({ ...commit, data: { ...committed.data, label: 'Autre enveloppe' } })
        .thenThrows('FUNDING.ALREADY_COMMITTED', 'conflict');
    });

    it.each([0, -10_000_000, 10_000_000.5])('rule: the commitment is a positive integer of cents, not %p (MONEY.NOT_POSITIVE_CENTS)', (amountCents) => {
      spec
        .given([])
        .when({ ...commit, data: { ...committed.data, amountCents } })
        .thenThrows('MONEY.NOT_POSITIVE_CENTS', 'rule');
    });

    it('rule: every tranche is a positive integer of cents (MONEY.NOT_POSITIVE_CENTS)', () => {
      const tranches = [
        { trancheId: 'a', amountCents: 10_000_000, dueOn: '2021-09-30' },
        { trancheId: 'b', amountCents: 0, dueOn: '2022-09-30' },
      ];
      spec
        .given([])
        .when({ ...commit, data: { ...committed.data, tranches } })
        .thenThrows('MONEY.NOT_POSITIVE_CENTS', 'rule');
    });

    it('rule: a commitment is paid in at least one tranche (FUNDING.EMPTY_SCHEDULE)', () => {
      spec
        .given([])
        .when({ ...commit, data: { ...committed.data, tranches: [] } })
        .thenThrows('FUNDING.EMPTY_SCHEDULE', 'rule');
    });

    it('rule: tranche ids are unique in a schedule (FUNDING.DUPLICATE_TRANCHE)', () => {
      const tranches = [
        { trancheId: 'signature', amountCents: 5_000_000, dueOn: '2021-09-30' },
        { trancheId: 'signature', amountCents: 5_000_000, dueOn: '2022-09-30' },
      ];
      spec
        .given([])
        .when({ ...commit, data: { ...committed.data, tranches } })
        .thenThrows('FUNDING.DUPLICATE_TRANCHE', 'rule');
    });

    it('rule: the tranches add up exactly to the commitment, to the cent (FUNDING.SCHEDULE_MISMATCH)', () => {
      const tranches = committed.data.tranches.map((t) => (t.trancheId === 'balance' ? { ...t, amountCents: 1_999_999 } : t));
      spec
        .given([])
        .when({ ...commit, data: { ...committed.data, tranches } })
        .thenThrows('FUNDING.SCHEDULE_MISMATCH', 'rule');
    });

    it('rule: funding goes to an opened antenna (ANTENNA.NOT_FOUND)', () => {
      spec.given([]).when({ ...commit, context: unopenedAntenna }).thenThrows('ANTENNA.NOT_FOUND', 'not-found');
    });

    it('rule: a closed antenna accepts nothing (ANTENNA.CLOSED)', () => {
      spec.given([]).when({ ...commit, context: closedAntenna }).thenThrows('ANTENNA.CLOSED', 'conflict');
    });

    it('rule: funding is not committed before the antenna opened (ANTENNA.DATE_BEFORE_OPENING)', () => {
      spec
        .given([])
        .when({ ...commit, data: { ...committed.data, effectiveDate: '2021-05-31', tranches: committed.data.tranches } })
        .thenThrows('ANTENNA.DATE_BEFORE_OPENING', 'rule');
    });

    it('rule: a tranche is not due before the agreement was committed (FUNDING.TRANCHE_DUE_BEFORE_COMMITMENT)', () => {
      const tranches = committed.data.tranches.map((t) => (t.trancheId === 'signature' ? { ...t, dueOn: '2021-06-30' } : t));
      spec
        .given([])
        .when({ ...commit, data: { ...committed.data, tranches } })
        .thenThrows('FUNDING.TRANCHE_DUE_BEFORE_COMMITMENT', 'rule');
    });

    it('rule: a tranche may fall due on the day of the commitment', () => {
      const tranches = committed.data.tranches.map((t) => (t.trancheId === 'signature' ? { ...t, dueOn: committed.data.effectiveDate } : t));
      spec
        .given([])
        .when({ ...commit, data: { ...committed.data, tranches } })
        .then([{ type: 'FundingCommitted', data: { ...committed.data, tranches } }]);
    });

    it('rule: a due date lies no further than 2100-12-31 (DATE.OUT_OF_RANGE)', () => {
      const tranches = committed.data.tranches.map((t) => (t.trancheId === 'balance' ? { ...t, dueOn: '9999-12-31' } : t));
      spec
        .given([])
        .when({ ...commit, data: { ...committed.data, tranches } })
        .thenThrows('DATE.OUT_OF_RANGE', 'rule');
    });

    it('rule: a commitment is at most 10^10 cents, 100 000 000,00 € (MONEY.AMOUNT_TOO_LARGE)', () => {
      const tranches = [{ trancheId: 'all', amountCents: MAX_AMOUNT_CENTS + 1, dueOn: '2021-09-30' }];
      spec
        .given([])
        .when({ ...commit, data: { ...committed.data, amountCents: MAX_AMOUNT_CENTS + 1, tranches } })
        .thenThrows('MONEY.AMOUNT_TOO_LARGE', 'rule');
    });
  });

  describe('ReleaseTranche', () => {
    it('releases the scheduled amount when none is given (BudgetTrancheReleased)', () => {
      spec.given([committed]).when(release('signature', '2021-09-15')).then([signatureReleased]);
    });

    it('releases a stated amount that differs from the schedule, within the commitment', () => {
      spec
        .given([committed])
        .when(release('signature', '2021-09-15', 3_500_000))
        .then([released('signature', 3_500_000, '2021-09-15')]);
    });

    it('may release on the day of the commitment', () => {
      spec
        .given([committed])
        .when(release('signature', '2021-07-01'))
        .then([released('signature', 4_000_000, '2021-07-01')]);
    });

    it('rule: releasing the same tranche again the same way changes nothing', () => {
      spec.given([committed, signatureReleased]).when(release('signature', '2021-09-15')).thenNothingHappens();
      spec.given([committed, signatureReleased]).when(release('signature', '2021-09-15', 4_000_000)).thenNothingHappens();
    });

    it('rule: a tranche is released once (TRANCHE.ALREADY_RELEASED)', () => {
      spec
        .given([committed, signatureReleased])
        .when(release('signature', '2021-10-01'))
        .thenThrows('TRANCHE.ALREADY_RELEASED', 'conflict');
      spec
        .given([committed, signatureReleased])
        .when(release('signature', '2021-09-15', 3_000_000))
        .thenThrows('TRANCHE.ALREADY_RELEASED', 'conflict');
    });

    it('rule: a tranche whose release was reversed may be released again (a new release)', () => {
      spec
        .given([committed, signatureReleased, signatureReversed])
        .when(release('signature', '2021-10-04'))
        .then([released('signature', 4_000_000, '2021-10-04')]);
    });

    it('rule: a release again is not dated before the reversal it follows (TRANCHE.RELEASED_BEFORE_REVERSAL)', () => {
      const reversedOn20th = { ...signatureReversed, data: { ...signatureReversed.data, effectiveDate: '2021-09-20' } };
      spec
        .given([committed, signatureReleased, reversedOn20th])
        .when(release('signature', '2021-09-10', 5_599_999))
        .thenThrows('TRANCHE.RELEASED_BEFORE_REVERSAL', 'rule');
      spec
        .given([committed, signatureReleased, reversedOn20th])
        .when(release('signature', '2021-09-20'))
        .then([released('signature', 4_000_000, '2021-09-20')]);
    });

    it('accepts a release above the tranche\'s scheduled amount, within the commitment (the domain page has the reconciliation flag it)', () => {
      spec
        .given([committed])
        .when(release('signature', '2021-09-15', 4_500_000))
        .then([released('signature', 4_500_000, '2021-09-15')]);
    });

    it('rule: a tranche release cannot exceed what remains of the commitment (FUNDING.RELEASE_EXCEEDS_COMMITMENT)', () => {
      spec
        .given([committed])
        .when(release('signature', '2021-09-15', 10_000_001))
        .thenThrows('FUNDING.RELEASE_EXCEEDS_COMMITMENT', 'rule');
      spec
        .given([committed, signatureReleased, openingReleased])
        .when(release('balance', '2023-12-01', 2_000_001))
        .thenThrows('FUNDING.RELEASE_EXCEEDS_COMMITMENT', 'rule');
    });

    it('rule: the remaining commitment is exact to the cent and counts only releases not reversed', () => {
      spec
        .given([committed, signatureReleased, openingReleased])
        .when(release('balance', '2023-12-01'))
        .then([released('balance', 2_000_000, '2023-12-01')]);
      const overReleased = released('aioa-opening', 6_000_000, '2022-07-01');
      spec
        .given([committed, signatureReleased, overReleased])
        .when(release('balance', '2023-12-01', 1))
        .thenThrows('FUNDING.RELEASE_EXCEEDS_COMMITMENT', 'rule');
      spec
        .given([committed, signatureReleased, overReleased, signatureReversed])
        .when(release('balance', '2023-12-01'))
        .then([released('balance', 2_000_000, '2023-12-01')]);
    });

    it('rule: a tranche released again after a reversal counts with its new amount only', () => {
      const events = [committed, signatureReleased, signatureReversed, released('signature', 5_000_000, '2021-10-04'), openingReleased];
      spec.given(events).when(release('balance', '2023-12-01')).thenThrows('FUNDING.RELEASE_EXCEEDS_COMMITMENT', 'rule');
      spec.given(events).when(release('balance', '2023-12-01', 1_000_000)).then([released('balance', 1_000_000, '2023-12-01')]);
    });

    it('rule: a release cannot exceed the commitment on any day from its date on, counting a release that stood then and was reversed later (FUNDING.RELEASE_EXCEEDS_COMMITMENT)', () => {
      // From 2021-12-01 until the signature's reversal took effect (2022-03-01), 80 000 € stood released of 100 000 €.
      const events = [committed, signatureReleased, released('aioa-opening', 4_000_000, '2021-12-01'), reversedOn('2022-03-01')];
      // Dated 2021-10-01, this release would stand beside both in December: at most 20 000 € remained then.
      spec.given(events).when(release('balance', '2021-10-01', 2_000_001)).thenThrows('FUNDING.RELEASE_EXCEEDS_COMMITMENT', 'rule');
      spec.given(events).when(release('balance', '2021-10-01', 2_000_000)).then([released('balance', 2_000_000, '2021-10-01')]);
      // Dated on the reversal's day or after, the signature no longer stands: 60 000 € remain.
      spec.given(events).when(release('balance', '2022-03-01', 6_000_000)).then([released('balance', 6_000_000, '2022-03-01')]);
      // The signature released again after its reversal counts from its new date.
      const again = [...events, released('signature', 4_000_000, '2022-04-01')];
      spec.given(again).when(release('balance', '2022-03-01', 2_000_001)).thenThrows('FUNDING.RELEASE_EXCEEDS_COMMITMENT', 'rule');
      spec.given(again).when(release('balance', '2022-03-01', 2_000_000)).then([released('balance', 2_000_000, '2022-03-01')]);
    });

    it('rule: the error tells how many cents remain on the day that leaves the least', () => {
      const state = fold(fundingDecider, [committed, signatureReleased, released('aioa-opening', 4_000_000, '2021-12-01'), reversedOn('2022-03-01')] as FundingEvent[]);
      expect(() => fundingDecider.decide(release('balance', '2021-10-01', 8_000_000), state)).toThrow(
        expect.objectContaining({ details: { field: 'amountCents', amountCents: 8_000_000, remainingCents: 2_000_000 } }),
      );
    });

    it('rule: the error tells how many cents remain', () => {
      const state = fold(fundingDecider, [committed, signatureReleased, openingReleased] as FundingEvent[]);
      let error: unknown;
      try {
        fundingDecider.decide(release('balance', '2023-12-01', 2_000_001), state);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).details).toEqual({ field: 'amountCents', amountCents: 2_000_001, remainingCents: 2_000_000 });
    });

    it('rule: a tranche is not released before the commitment (TRANCHE.RELEASED_BEFORE_COMMITMENT)', () => {
      spec
        .given([committed])
        .when(release('signature', '2021-06-30'))
        .thenThrows('TRANCHE.RELEASED_BEFORE_COMMITMENT', 'rule');
    });

    it.each([0, -1, 0.5])('rule: a release is a positive integer of cents, not %p (MONEY.NOT_POSITIVE_CENTS)', (amountCents) => {
      spec
        .given([committed])
        .when(release('signature', '2021-09-15', amountCents))
        .thenThrows('MONEY.NOT_POSITIVE_CENTS', 'rule');
    });

    it('rule: only a scheduled tranche is released (TRANCHE.NOT_FOUND)', () => {
      spec.given([committed]).when(release('bonus', '2021-09-15')).thenThrows('TRANCHE.NOT_FOUND', 'not-found');
      spec.given([committed]).when(release('constructor', '2021-09-15')).thenThrows('TRANCHE.NOT_FOUND', 'not-found');
    });

    it('rule: the agreement must be committed, for this antenna (FUNDING.NOT_FOUND)', () => {
      spec.given([]).when(release('signature', '2021-09-15')).thenThrows('FUNDING.NOT_FOUND', 'not-found');
      const forChaumont = release('signature', '2021-09-15');
      spec
        .given([committed])
        .when({
          ...forChaumont,
          data: { ...forChaumont.data, antennaId: 'chaumont' },
          context: { antenna: { antennaId: 'chaumont', status: 'active' } },
        })
        .thenThrows('FUNDING.NOT_FOUND', 'not-found');
    });

    it('rule: a closed agreement accepts no release (FUNDING.CLOSED)', () => {
      spec.given([committed, closed]).when(release('signature', '2024-02-01')).thenThrows('FUNDING.CLOSED', 'conflict');
    });

    it('rule: a closed antenna accepts nothing (ANTENNA.CLOSED)', () => {
      spec
        .given([committed])
        .when({ ...release('signature', '2021-09-15'), context: closedAntenna })
        .thenThrows('ANTENNA.CLOSED', 'conflict');
    });

    it('rule: funding goes to an opened antenna (ANTENNA.NOT_FOUND)', () => {
      spec
        .given([committed])
        .when({ ...release('signature', '2021-09-15'), context: unopenedAntenna })
        .thenThrows('ANTENNA.NOT_FOUND', 'not-found');
    });
  });

  describe('RecordTrancheReceipt', () => {
    it('rule: a receipt matches a released tranche and records the bank reference', () => {
      spec.given([committed, signatureReleased]).when(receive).then([signatureReceived]);
    });

    it('accepts a received amount that differs from the released one (the read side flags the discrepancy)', () => {
      const data = { ...signatureReceived.data, amountCents: 3_999_850 };
      spec
        .given([committed, signatureReleased])
        .when({ ...receive, data })
        .then([{ type: 'TrancheReceived', data }]);
    });

    it('may be received on the day of the release', () => {
      const data = { ...signatureReceived.data, effectiveDate: '2021-09-15' };
      spec
        .given([committed, signatureReleased])
        .when({ ...receive, data })
        .then([{ type: 'TrancheReceived', data }]);
    });

    it('rule: recording the same receipt twice changes nothing', () => {
      spec.given([committed, signatureReleased, signatureReceived]).when(receive).thenNothingHappens();
    });

    it('rule: a tranche is received once (TRANCHE.ALREADY_RECEIVED)', () => {
      spec
        .given([committed, signatureReleased, signatureReceived])
        .when({ ...receive, data: { ...signatureReceived.data, bankReference: 'VIR-BDT-2021-0999' } })
        .thenThrows('TRANCHE.ALREADY_RECEIVED', 'conflict');
    });

    it('rule: only a released tranche is received (TRANCHE.NOT_RELEASED)', () => {
      spec.given([committed]).when(receive).thenThrows('TRANCHE.NOT_RELEASED', 'rule');
      spec.given([committed, signatureReleased, signatureReversed]).when(receive).thenThrows('TRANCHE.NOT_RELEASED', 'rule');
    });

    it('rule: a tranche is not received before its release (TRANCHE.RECEIVED_BEFORE_RELEASE)', () => {
      spec
        .given([committed, signatureReleased])
        .when({ ...receive, data: { ...signatureReceived.data, effectiveDate: '2021-09-14' } })
        .thenThrows('TRANCHE.RECEIVED_BEFORE_RELEASE', 'rule');
    });

    it.each(['', '  '])('rule: a receipt names its bank reference, not %p (TRANCHE.BANK_REFERENCE_REQUIRED)', (bankReference) => {
      spec
        .given([committed, signatureReleased])
        .when({ ...receive, data: { ...signatureReceived.data, bankReference } })
        .thenThrows('TRANCHE.BANK_REFERENCE_REQUIRED', 'rule');
    });

    it.each([0, -4_000_000, 39_999.5])('rule: a receipt is a positive integer of cents, not %p (MONEY.NOT_POSITIVE_CENTS)', (amountCents) => {
      spec
        .given([committed, signatureReleased])
        .when({ ...receive, data: { ...signatureReceived.data, amountCents } })
        .thenThrows('MONEY.NOT_POSITIVE_CENTS', 'rule');
    });

    it('rule: only a scheduled tranche is received (TRANCHE.NOT_FOUND)', () => {
      spec
        .given([committed, signatureReleased])
        .when({ ...receive, data: { ...signatureReceived.data, trancheId: 'bonus' } })
        .thenThrows('TRANCHE.NOT_FOUND', 'not-found');
    });

    it('rule: the agreement must be committed, for this antenna (FUNDING.NOT_FOUND)', () => {
      spec
        .given([committed, signatureReleased])
        .when({ ...receive, data: { ...signatureReceived.data, agreementId: 'region-bfc' } })
        .thenThrows('FUNDING.NOT_FOUND', 'not-found');
    });

    it('rule: a closed agreement accepts no receipt (FUNDING.CLOSED)', () => {
      spec.given([committed, signatureReleased, closed]).when(receive).thenThrows('FUNDING.CLOSED', 'conflict');
    });

    it('rule: a closed antenna accepts nothing (ANTENNA.CLOSED)', () => {
      spec.given([committed, signatureReleased]).when({ ...receive, context: closedAntenna }).thenThrows('ANTENNA.CLOSED', 'conflict');
    });

    it('rule: funding goes to an opened antenna (ANTENNA.NOT_FOUND)', () => {
      spec
        .given([committed, signatureReleased])
        .when({ ...receive, context: unopenedAntenna })
        .thenThrows('ANTENNA.NOT_FOUND', 'not-found');
    });
  });

  describe('ReverseTrancheRelease', () => {
    it('rule: a correction is a reversing event with a reason, carrying the released amount in cents', () => {
      spec.given([committed, signatureReleased]).when(reverse).then([signatureReversed]);
    });

    it('is self-contained: carries the date of the release it reverses (releasedOn), that of the latest release', () => {
      spec
        .given([committed, signatureReleased, signatureReversed, released('signature', 4_000_000, '2021-10-04')])
        .when({ ...reverse, data: { ...reverse.data, effectiveDate: '2021-10-05' } })
        .then([{ type: 'TrancheReleaseReversed', data: { ...signatureReversed.data, releasedOn: '2021-10-04', effectiveDate: '2021-10-05' } }]);
    });

    it('carries the amount actually released, not the scheduled one', () => {
      spec
        .given([committed, released('signature', 3_500_000, '2021-09-15')])
        .when(reverse)
        .then([{ type: 'TrancheReleaseReversed', data: { ...signatureReversed.data, amountCents: 3_500_000 } }]);
    });

    it('rule: repeating the same reversal changes nothing', () => {
      spec.given([committed, signatureReleased, signatureReversed]).when(reverse).thenNothingHappens();
    });

    it('rule: only a released tranche has a release to reverse (TRANCHE.NOT_RELEASED)', () => {
      spec.given([committed]).when(reverse).thenThrows('TRANCHE.NOT_RELEASED', 'rule');
    });

    it('rule: a release is reversed once; another reversal, with another reason or date, is a conflict (TRANCHE.RELEASE_ALREADY_REVERSED)', () => {
      spec
        .given([committed, signatureReleased, signatureReversed])
        .when({ ...reverse, data: { ...reverse.data, reason: 'Autre motif' } })
        .thenThrows('TRANCHE.RELEASE_ALREADY_REVERSED', 'conflict');
      spec
        .given([committed, signatureReleased, signatureReversed])
        .when({ ...reverse, data: { ...reverse.data, effectiveDate: '2021-09-30' } })
        .thenThrows('TRANCHE.RELEASE_ALREADY_REVERSED', 'conflict');
    });

    it('rule: a received tranche is not un-released; that would be a refund (TRANCHE.ALREADY_RECEIVED)', () => {
      spec
        .given([committed, signatureReleased, signatureReceived])
        .when({ ...reverse, data: { ...reverse.data, effectiveDate: '2021-09-20' } })
        .thenThrows('TRANCHE.ALREADY_RECEIVED', 'conflict');
    });

    it.each(['', '   '])('rule: a reversal gives a reason, not %p (TRANCHE.REVERSAL_REASON_REQUIRED)', (reason) => {
      spec
        .given([committed, signatureReleased])
        .when({ ...reverse, data: { ...reverse.data, reason } })
        .thenThrows('TRANCHE.REVERSAL_REASON_REQUIRED', 'rule');
    });

    it('rule: a release is not reversed before it happened (TRANCHE.REVERSED_BEFORE_RELEASE)', () => {
      spec
        .given([committed, signatureReleased])
        .when({ ...reverse, data: { ...reverse.data, effectiveDate: '2021-09-14' } })
        .thenThrows('TRANCHE.REVERSED_BEFORE_RELEASE', 'rule');
    });

    it('rule: only a scheduled tranche is reversed (TRANCHE.NOT_FOUND)', () => {
      spec
        .given([committed, signatureReleased])
        .when({ ...reverse, data: { ...reverse.data, trancheId: 'bonus' } })
        .thenThrows('TRANCHE.NOT_FOUND', 'not-found');
    });

    it('rule: the agreement must be committed, for this antenna (FUNDING.NOT_FOUND)', () => {
      spec.given([]).when(reverse).thenThrows('FUNDING.NOT_FOUND', 'not-found');
    });

    it('rule: a closed agreement accepts no reversal (FUNDING.CLOSED)', () => {
      spec.given([committed, signatureReleased, closed]).when(reverse).thenThrows('FUNDING.CLOSED', 'conflict');
    });

    it('rule: a closed antenna accepts nothing (ANTENNA.CLOSED)', () => {
      spec.given([committed, signatureReleased]).when({ ...reverse, context: closedAntenna }).thenThrows('ANTENNA.CLOSED', 'conflict');
    });

    it('rule: funding goes to an opened antenna (ANTENNA.NOT_FOUND)', () => {
      spec
        .given([committed, signatureReleased])
        .when({ ...reverse, context: unopenedAntenna })
        .thenThrows('ANTENNA.NOT_FOUND', 'not-found');
    });
  });

  describe('CloseFundingAgreement', () => {
    it('closes the agreement with a reason, whatever remains unreleased', () => {
      spec.given([committed, signatureReleased]).when(close).then([closed]);
    });

    it('closes the agreement without a reason', () => {
      const data = { ...ids, effectiveDate: '2024-01-31' };
      spec
        .given([committed])
        .when({ ...close, data })
        .then([{ type: 'FundingAgreementClosed', data }]);
    });

    it('rule: closing twice the same way changes nothing', () => {
      spec.given([committed, closed]).when(close).thenNothingHappens();
    });

    it('rule: a closed agreement accepts nothing but the same closing (FUNDING.CLOSED)', () => {
      spec
        .given([committed, closed])
        .when({ ...close, data: { ...closed.data, effectiveDate: '2024-03-01' } })
        .thenThrows('FUNDING.CLOSED', 'conflict');
    });

    it('rule: an agreement is not closed before its last release, receipt or reversal (FUNDING.CLOSED_BEFORE_LAST_FACT)', () => {
      spec
        .given([committed, signatureReleased, signatureReceived])
        .when({ ...close, data: { ...closed.data, effectiveDate: '2021-09-16' } })
        .thenThrows('FUNDING.CLOSED_BEFORE_LAST_FACT', 'rule');
      spec
        .given([committed, signatureReleased, signatureReversed])
        .when({ ...close, data: { ...closed.data, effectiveDate: '2021-09-15' } })
        .thenThrows('FUNDING.CLOSED_BEFORE_LAST_FACT', 'rule');
      spec
        .given([committed, signatureReleased, signatureReceived])
        .when({ ...close, data: { ...closed.data, effectiveDate: '2021-09-17' } })
        .then([{ type: 'FundingAgreementClosed', data: { ...closed.data, effectiveDate: '2021-09-17' } }]);
    });

    it('rule: an agreement is not closed before it was committed (FUNDING.CLOSED_BEFORE_COMMITMENT)', () => {
      spec
        .given([committed])
        .when({ ...close, data: { ...closed.data, effectiveDate: '2021-06-30' } })
        .thenThrows('FUNDING.CLOSED_BEFORE_COMMITMENT', 'rule');
    });

    it('rule: only a committed agreement, for this antenna, is closed (FUNDING.NOT_FOUND)', () => {
      spec.given([]).when(close).thenThrows('FUNDING.NOT_FOUND', 'not-found');
      spec
        .given([committed])
        .when({ ...close, data: { ...closed.data, agreementId: 'region-bfc' } })
        .thenThrows('FUNDING.NOT_FOUND', 'not-found');
    });

    it('rule: a closed antenna’s agreement may still be closed (docs/decisions/0054): its tranches would otherwise stay due for ever', () => {
      spec.given([committed]).when({ ...close, context: closedAntenna }).then([closed]);
    });

    it('rule: an agreement is not closed before an expenditure charged to it (FUNDING.CLOSED_BEFORE_LAST_FACT)', () => {
      const charged = (on: string) => ({ ...close, context: { ...close.context, latestChargedExpenditureOn: on } });
      spec.given([committed]).when(charged('2024-02-01')).thenThrows('FUNDING.CLOSED_BEFORE_LAST_FACT', 'rule');
      spec.given([committed]).when(charged(closed.data.effectiveDate)).then([closed]);
    });

    it('rule: funding goes to an opened antenna (ANTENNA.NOT_FOUND)', () => {
      spec.given([committed]).when({ ...close, context: unopenedAntenna }).thenThrows('ANTENNA.NOT_FOUND', 'not-found');
    });
  });

  describe('fundingAgreementViewOf', () => {
    it('tells the budget whether an agreement was committed, to which antenna, since when, and when it closed', () => {
      const viewAfter = (events: FundingEvent[]) => fundingAgreementViewOf(fold(fundingDecider, events), 'bdt-seed');
      expect(viewAfter([])).toEqual({ agreementId: 'bdt-seed', status: 'not-committed' });
      expect(viewAfter([committed, signatureReleased])).toEqual({ agreementId: 'bdt-seed', status: 'committed', antennaId: 'montbeliard', committedOn: '2021-07-01' });
      expect(viewAfter([committed, closed])).toEqual({
        agreementId: 'bdt-seed',
        status: 'closed',
        antennaId: 'montbeliard',
        committedOn: '2021-07-01',
        closedOn: '2024-01-31',
      });
    });
  });

  describe('evolve', () => {
    it('rule: evolving a state leaves it unchanged, so a cached state may be evolved twice (after a lost race)', () => {
      const { decide, evolve } = fundingDecider;
      const state = fold(fundingDecider, [committed, signatureReleased]);
      const afterReceipt = evolve(state, signatureReceived);
      const afterReversal = evolve(state, signatureReversed);
      // The signature tranche is released in `state`: it may still be received or reversed.
      expect([decide(receive, state), decide(reverse, state)]).toEqual([[signatureReceived], [signatureReversed]]);
      expect([decide(receive, afterReceipt), decide(reverse, afterReversal)]).toEqual([[], []]);
      // 6,000,001 cents remain to release only where the signature release was reversed.
      const releaseMost = release('balance', '2023-12-01', 6_000_001);
      expect(decide(releaseMost, afterReversal)).toEqual([released('balance', 6_000_001, '2023-12-01')]);
      expect(() => decide(releaseMost, state)).toThrow(DomainError);
      expect(() => decide(releaseMost, afterReceipt)).toThrow(DomainError);
    });
  });
});

describe('funding decider: public data (SCDL « subventions »)', () => {
  const publicData: FundingPublicData = {
    funderSiret: '99900000100019',
    decisionReference: 'BDT-2021-017',
    beneficiaryName: 'Conservatoire national des arts et métiers',
    beneficiarySiret: '99900000200017',
    object: 'Amorçage',
    nature: 'aide en numéraire',
    euNotified: false,
  };
  const recorded: FundingPublicDataRecorded = { type: 'FundingPublicDataRecorded', data: { ...ids, publicData, effectiveDate: '2021-07-01' } };
  const record = (data: Partial<RecordFundingPublicData['data']> = {}): RecordFundingPublicData => ({
    type: 'RecordFundingPublicData',
    data: { ...recorded.data, ...data },
    context,
  });

  it('rule: the public data of a committed agreement are recorded, again only when they change', () => {
    spec.given([committed]).when(record()).then([recorded]);
    spec.given([committed, recorded]).when(record()).thenNothingHappens();
    const corrected = { ...publicData, decisionReference: 'BDT-2021-018' };
    spec.given([committed, recorded]).when(record({ publicData: corrected })).then([{ type: 'FundingPublicDataRecorded', data: { ...recorded.data, publicData: corrected } }]);
  });

  it('rule: they may be completed after the agreement is closed, never dated before its commitment, never for an unknown agreement', () => {
    spec.given([committed, closed]).when(record()).then([recorded]);
    spec.given([committed]).when(record({ effectiveDate: '2021-06-30' })).thenThrows('FUNDING.PUBLIC_DATA_BEFORE_COMMITMENT', 'rule');
    spec.given([]).when(record()).thenThrows('FUNDING.NOT_FOUND', 'not-found');
  });

  it('rule: they may be completed once the antenna is closed (the duty to publish outlives it), the one command a closed antenna accepts; never for an antenna not opened', () => {
    spec.given([committed, closed]).when({ ...record(), context: closedAntenna }).then([recorded]);
    spec.given([committed]).when({ ...record(), context: closedAntenna }).then([recorded]);
    spec.given([committed, recorded]).when({ ...record(), context: closedAntenna }).thenNothingHappens();
    spec.given([committed]).when({ ...release('signature', '2024-02-01'), context: closedAntenna }).thenThrows('ANTENNA.CLOSED', 'conflict');
    spec.given([committed]).when({ ...record(), context: unopenedAntenna }).thenThrows('ANTENNA.NOT_FOUND', 'not-found');
  });

  it('rule: without the beneficiary’s SIRET only an in-kind grant to an association with its RNA number is accepted', () => {
    const { beneficiarySiret: _, ...withoutSiret } = publicData;
    spec.given([committed]).when(record({ publicData: withoutSiret })).thenThrows('FUNDING.BENEFICIARY_SIRET_REQUIRED', 'rule');
    const inKind: FundingPublicData = { ...withoutSiret, nature: 'aide en nature', beneficiaryRna: 'W251000000' };
    spec.given([committed]).when(record({ publicData: inKind })).then([{ type: 'FundingPublicDataRecorded', data: { ...recorded.data, publicData: inKind } }]);
  });

  it('rule: a commitment may carry its public data (FundingCommitted version 2), and a repeat of it is no change', () => {
    const withData: FundingCommitted = { type: 'FundingCommitted', data: { ...committed.data, publicData } };
    spec.given([]).when({ ...commit, data: withData.data }).then([withData]);
    spec.given([withData]).when({ ...commit, data: withData.data }).thenNothingHappens();
    spec.given([withData]).when(record()).thenNothingHappens();
  });
});

describe('latestFundingFactOf: what the closing of the agreement’s antenna may not precede (docs/decisions/0060)', () => {
  const latest = (events: FundingEvent[], antennaId = 'montbeliard') => latestFundingFactOf(fold(fundingDecider, events), antennaId);

  it('rule: the latest release, receipt or reversal of a release, named by its tranche; the commitment alone gives none', () => {
    expect(latest([])).toBeUndefined();
    expect(latest([committed])).toBeUndefined();
    expect(latest([committed, signatureReleased])).toEqual({ agreementId: 'bdt-seed', kind: 'release', trancheId: 'signature', effectiveDate: '2021-09-15' });
    expect(latest([committed, signatureReleased, signatureReceived])).toEqual({ agreementId: 'bdt-seed', kind: 'receipt', trancheId: 'signature', effectiveDate: '2021-09-17' });
    expect(latest([committed, signatureReleased, signatureReversed])).toEqual({ agreementId: 'bdt-seed', kind: 'reversal', trancheId: 'signature', effectiveDate: '2021-09-16' });
    expect(latest([committed, signatureReleased, openingReleased, signatureReversed])).toEqual({
      agreementId: 'bdt-seed',
      kind: 'release',
      trancheId: 'aioa-opening',
      effectiveDate: '2022-07-01',
    });
  });

  it('rule: its public data and its own closing do not count (both may follow the antenna’s closing, 0035 and 0054)', () => {
    expect(latest([committed, signatureReleased, closed])).toEqual({ agreementId: 'bdt-seed', kind: 'release', trancheId: 'signature', effectiveDate: '2021-09-15' });
  });

  it('rule: an agreement committed for another antenna gives nothing to this one', () => {
    expect(latest([committed, signatureReleased], 'chaumont')).toBeUndefined();
  });
});
