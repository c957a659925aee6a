import { project, projected } from '../../testing/projection-specification';
import { Bucketed, bucketOf, bucketedSet } from '../../bucketed';
import { emptyKpis, KpiCall, KpisDocument, kpisProjection, KpiTotals } from './kpis.projection';

const empty = emptyKpis();
/** A full expected document: the empty one with the given parts replaced. */
function expected(parts: Partial<Omit<KpisDocument, 'totals'>>, totals: Partial<KpiTotals> = {}): KpisDocument {
  return { ...empty, ...parts, totals: { ...empty.totals, ...totals } };
}
/** A map by antenna id in the document's buckets. */
function byAntenna<V>(entries: Record<string, V>): Bucketed<V> {
  return Object.entries(entries).reduce<Bucketed<V>>((map, [id, value]) => bucketedSet(map, id, value), {});
}
/** A map by agreement id in the document's buckets. */
const byAgreement = byAntenna;
const call = (parts: Partial<KpiCall> & { callId: string }): KpiCall => ({
  title: null,
  number: null,
  candidacies: 0,
  laureates: 0,
  rejected: 0,
  withdrawn: 0,
  withdrawnLaureates: 0,
  ...parts,
});

const launched = projected('ProgrammeLaunched', {
  programmeId: 'acdt',
  name: 'Au cœur des territoires',
  operator: 'Cnam',
  targets: { antennaCount: 100, targetDate: '2022-12-31' },
  effectiveDate: '2019-01-15',
});
const callOpened = projected('CallForApplicationsOpened', {
  callId: 'ami-2',
  programmeId: 'acdt',
  title: 'Deuxième AMI',
  number: 2,
  opensOn: '2020-10-01',
  closesOn: '2020-12-15',
  criteria: [],
  effectiveDate: '2020-10-01',
});
const submitted = (territory: string) =>
  projected('CandidacySubmitted', {
    candidacyId: `ami-2--${territory}`,
    callId: 'ami-2',
    programmeId: 'acdt',
    territory: { id: territory, name: territory, kind: 'commune', region: 'r', actionCoeurDeVille: true },
    partners: [],
    trainingNeeds: [],
    effectiveDate: '2020-12-10',
  });
const opened = (antennaId: string, actionCoeurDeVille: boolean) =>
  projected('AntennaOpened', {
    antennaId,
    candidacyId: `ami-2--${antennaId}`,
    callId: 'ami-2',
    programmeId: 'acdt',
    name: `Antenne ${antennaId}`,
    town: antennaId,
    territory: { id: antennaId, name: antennaId, region: 'r', actionCoeurDeVille },
    effectiveDate: '2021-03-01',
  });

describe('kpis projection', () => {
  it('rule: the target is the programme’s, launched then revised (ProgrammeLaunched, ProgrammeTargetsRevised)', () => {
    expect(project(kpisProjection, [launched]).get('programme')).toEqual(
      expected({ programme: { programmeId: 'acdt', name: 'Au cœur des territoires', target: { antennaCount: 100, targetDate: '2022-12-31' } } }, { targetAttainmentBasisPoints: 0, antennasInauguratedByTargetDate: 0, inaugurationAttainmentBasisPoints: 0 }),
    );
    const revised = projected('ProgrammeTargetsRevised', {
      programmeId: 'acdt',
      targets: { antennaCount: 120, targetDate: '2023-12-31' },
      previousTargets: { antennaCount: 100, targetDate: '2022-12-31' },
      reason: 'Extension',
      effectiveDate: '2021-01-01',
    });
    expect(project(kpisProjection, [launched, revised]).get('programme')).toEqual(
      expected({ programme: { programmeId: 'acdt', name: 'Au cœur des territoires', target: { antennaCount: 120, targetDate: '2023-12-31' } } }, { targetAttainmentBasisPoints: 0, antennasInauguratedByTargetDate: 0, inaugurationAttainmentBasisPoints: 0 }),
    );
  });

  it('rule: candidacies and laureates are counted per call, with the call’s title (CallForApplicationsOpened, CandidacySubmitted, CandidacySelected, CandidacyRejected, CandidacyWithdrawn)', () => {
    const model = project(kpisProjection, [
      callOpened,
      submitted('a'),
      submitted('b'),
      submitted('c'),
      submitted('d'),
      projected('CandidacySelected', { candidacyId: 'ami-2--a', criteria: [], effectiveDate: '2021-02-15' }),
      projected('CandidacySelected', { candidacyId: 'ami-2--b', criteria: [], effectiveDate: '2021-02-15' }),
      projected('CandidacyRejected', { candidacyId: 'ami-2--c', reason: 'Hors critères', effectiveDate: '2021-02-15' }),
      projected('CandidacyWithdrawn', { candidacyId: 'ami-2--b', reason: 'Désistement', effectiveDate: '2021-04-01' }),
      projected('CandidacyWithdrawn', { candidacyId: 'ami-2--d', reason: 'Désistement', effectiveDate: '2021-01-01' }),
    ]);
    expect(model.get('programme')).toEqual(
      expected(
        {
          calls: { 'ami-2': call({ callId: 'ami-2', title: 'Deuxième AMI', number: 2, candidacies: 4, laureates: 2, rejected: 1, withdrawn: 2, withdrawnLaureates: 1 }) },
          candidacies: {
            'ami-2--a': { callId: 'ami-2', status: 'selected', selected: true },
            'ami-2--b': { callId: 'ami-2', status: 'withdrawn', selected: true },
            'ami-2--c': { callId: 'ami-2', status: 'rejected', selected: false },
            'ami-2--d': { callId: 'ami-2', status: 'withdrawn', selected: false },
          },
        },
        { candidacies: 4, laureates: 2 },
      ),
    );
  });

  it('rule: a selection of an unknown candidacy counts nothing', () => {
    const model = project(kpisProjection, [projected('CandidacySelected', { candidacyId: 'x', criteria: [], effectiveDate: '2021-02-15' })]);
    expect(model.get('programme')).toEqual(empty);
  });

  it('rule: antennas are counted per status, with the share in Action Cœur de Ville towns in basis points (AntennaOpened, AntennaSuspended, AntennaResumed, AntennaClosed)', () => {
    const model = project(kpisProjection, [
      launched,
      opened('a', true),
      opened('b', true),
      opened('c', false),
      projected('AntennaSuspended', { antennaId: 'a', reason: 'Travaux', effectiveDate: '2022-01-01' }),
      projected('AntennaResumed', { antennaId: 'a', effectiveDate: '2022-02-01' }),
      projected('AntennaSuspended', { antennaId: 'b', reason: 'Travaux', effectiveDate: '2022-01-01' }),
      projected('AntennaClosed', { antennaId: 'c', reason: 'Fin', effectiveDate: '2022-06-01' }),
    ]);
    expect(model.get('programme')).toEqual(
      expected(
        {
          programme: { programmeId: 'acdt', name: 'Au cœur des territoires', target: { antennaCount: 100, targetDate: '2022-12-31' } },
          antennas: {
            a: { antennaId: 'a', name: 'Antenne a', callId: 'ami-2', status: 'active', actionCoeurDeVille: true, inauguratedOn: null },
            b: { antennaId: 'b', name: 'Antenne b', callId: 'ami-2', status: 'suspended', actionCoeurDeVille: true, inauguratedOn: null },
            c: { antennaId: 'c', name: 'Antenne c', callId: 'ami-2', status: 'closed', actionCoeurDeVille: false, inauguratedOn: null },
          },
        },
        {
          antennasOpened: 3,
          antennasByStatus: { active: 1, suspended: 1, closed: 1 },
          // 3 of 100: 300 basis points.
          targetAttainmentBasisPoints: 300,
          antennasInaugurated: 0,
          antennasInauguratedByTargetDate: 0,
          inaugurationAttainmentBasisPoints: 0,
          antennasInActionCoeurDeVille: 2,
          // 2 of 3: 6666.67 → 6667 basis points.
          actionCoeurDeVilleShareBasisPoints: 6667,
        },
      ),
    );
  });

  it('rule: training courses are counted once each (TrainingCourseOpened)', () => {
    const course = (antennaId: string, courseId: string) =>
      projected('TrainingCourseOpened', { antennaId, courseId, title: courseId, sector: 's', level: 'BAC+1', mode: 'distance', effectiveDate: '2021-10-04' });
    const model = project(kpisProjection, [course('a', 'c1'), course('a', 'c2'), course('b', 'c1'), course('a', 'c1')]);
    expect(model.get('programme')).toEqual(expected({ courses: { a: ['c1', 'c2'], b: ['c1'] } }, { trainingCourses: 3 }));
  });

  it('rule: inaugurated antennas are counted against the target, and those inaugurated by the target date (AntennaInaugurated)', () => {
    const inaugurated = (antennaId: string, effectiveDate: string) => projected('AntennaInaugurated', { antennaId, place: 'Campus', effectiveDate });
    const model = project(kpisProjection, [
      launched,
      opened('a', true),
      opened('b', true),
      opened('c', false),
      inaugurated('a', '2022-06-22'),
      inaugurated('b', '2023-01-15'),
      projected('AntennaClosed', { antennaId: 'a', reason: 'Fin', effectiveDate: '2024-06-01' }),
      inaugurated('unknown', '2022-06-22'),
    ]);
    const doc = model.get('programme') as KpisDocument;
    expect(doc.antennas['a']).toMatchObject({ inauguratedOn: '2022-06-22', status: 'closed' });
    expect(doc.antennas['c']).toMatchObject({ inauguratedOn: null });
    expect(doc.totals).toMatchObject({
      antennasOpened: 3,
      // a (closed since, but inaugurated) and b.
      antennasInaugurated: 2,
      // Only a was inaugurated on or before 2022-12-31.
      antennasInauguratedByTargetDate: 1,
      // 2 of 100: 200 basis points.
      inaugurationAttainmentBasisPoints: 200,
    });
    // Without a programme there is no target to count against.
    const withoutTarget = project(kpisProjection, [opened('a', true), inaugurated('a', '2022-06-22')]).get('programme') as KpisDocument;
    expect(withoutTarget.totals).toMatchObject({ antennasInaugurated: 1, antennasInauguratedByTargetDate: null, inaugurationAttainmentBasisPoints: null });
  });

  it('rule: a learner report is a month’s headcount: the figure is each antenna’s latest month, summed over antennas, never a sum over months (LearnersReported)', () => {
    const report = (antennaId: string, period: string, learners: number, previousLearners?: number) =>
      projected('LearnersReported', {
        antennaId,
        period,
        learners,
        ...(previousLearners === undefined ? {} : { previousLearners, reason: 'Correction' }),
        effectiveDate: '2023-07-01',
      });
    // a reports June 2023, then (late) June 2022 and corrects it; b reports June 2022 only.
    const model = project(kpisProjection, [report('a', '2023-06', 120), report('a', '2022-06', 40), report('a', '2022-06', 45, 40), report('b', '2022-06', 10)]);
    expect(model.get('programme')).toEqual(
      expected(
        {
          latestLearners: byAntenna({ a: { period: '2023-06', learners: 120 }, b: { period: '2022-06', learners: 10 } }),
          learnerMonths: byAntenna({ a: { from: '2022-06', counts: [45, ...Array<null>(11).fill(null), 120] }, b: { from: '2022-06', counts: [10] } }),
        },
        {
          // a's latest month (120) + b's (10) = 130; neither 45 + 120 + 10 nor the replaced 40.
          learners: 130,
          learnersByPeriod: [
            { period: '2022-06', learners: 55 },
            { period: '2023-06', learners: 120 },
          ],
        },
      ),
    );
  });

  it('rule: a correction of an antenna’s latest month replaces its headcount; a later month replaces the earlier one (LearnersReported)', () => {
    const model = project(kpisProjection, [
      projected('LearnersReported', { antennaId: 'a', period: '2022-06', learners: 45, effectiveDate: '2022-07-01' }),
      projected('LearnersReported', { antennaId: 'a', period: '2023-06', learners: 120, effectiveDate: '2023-07-03' }),
      projected('LearnersReported', { antennaId: 'a', period: '2023-06', learners: 118, previousLearners: 120, reason: 'Correction', effectiveDate: '2023-10-02' }),
    ]);
    const doc = model.get('programme') as KpisDocument;
    // 118, not 45 + 120 + 118 = 283 nor 45 + 118 = 163.
    expect(doc.totals.learners).toBe(118);
    expect(doc.latestLearners).toEqual(byAntenna({ a: { period: '2023-06', learners: 118 } }));
  });

  it('rule: a correction sets its month’s headcount, never adds a difference: at a cut that holds the correction without the report it corrects, the month shows the corrected count, not a negative one (LearnersReported)', () => {
    // Recorded before LEARNERS.CORRECTED_BEFORE_REPORT: June 2023 reported 120 on 03/07/2023, corrected to 100 with a date of 30/06/2023.
    const june = projected('LearnersReported', { antennaId: 'a', period: '2023-06', learners: 120, effectiveDate: '2023-07-03' });
    const correction = projected('LearnersReported', { antennaId: 'a', period: '2023-06', learners: 100, previousLearners: 120, reason: 'Erreur de comptage', effectiveDate: '2023-06-30' });
    const otherAntenna = projected('LearnersReported', { antennaId: 'b', period: '2023-06', learners: 50, effectiveDate: '2023-06-30' });
    // As of 30/06/2023: the correction and b's report, not a's report of 03/07.
    const asOf = project(kpisProjection, [otherAntenna, correction]).get('programme') as KpisDocument;
    // 50 + 100, neither 50 − 20 = 30 nor −20 for a.
    expect(asOf.totals.learnersByPeriod).toEqual([{ period: '2023-06', learners: 150 }]);
    expect(asOf.totals.learners).toBe(150);
    const alone = project(kpisProjection, [correction]).get('programme') as KpisDocument;
    expect(alone.totals.learnersByPeriod).toEqual([{ period: '2023-06', learners: 100 }]);
    // The whole log: the same figures as a difference would give.
    const whole = project(kpisProjection, [otherAntenna, june, correction]).get('programme') as KpisDocument;
    expect(whole.totals).toMatchObject({ learners: 150, learnersByPeriod: [{ period: '2023-06', learners: 150 }] });
  });

  it('rule: in a chain of corrections, one whose predecessor is outside the cut replaces the count the document holds (LearnersReported)', () => {
    const report = (learners: number, previousLearners: number | undefined, effectiveDate: string) =>
      projected('LearnersReported', { antennaId: 'a', period: '2023-06', learners, ...(previousLearners === undefined ? {} : { previousLearners, reason: 'r' }), effectiveDate });
    // 120 (03/07), corrected to 110 (20/07), then to 105 dated 10/07 (before the rule): as of 15/07, 120 then 105.
    const model = project(kpisProjection, [report(120, undefined, '2023-07-03'), report(105, 110, '2023-07-10')]).get('programme') as KpisDocument;
    expect(model.totals.learnersByPeriod).toEqual([{ period: '2023-06', learners: 105 }]);
    expect(model.totals.learners).toBe(105);
  });

  it('keeps each antenna’s months in order, whichever month it reports first', () => {
    const report = (period: string, learners: number) => projected('LearnersReported', { antennaId: 'a', period, learners, effectiveDate: '2023-07-03' });
    const doc = project(kpisProjection, [report('2023-06', 120), report('2023-03', 90), report('2023-08', 130), report('2023-04', 95), report('2023-03', 91)]).get('programme') as KpisDocument;
    expect(doc.learnerMonths).toEqual(byAntenna({ a: { from: '2023-03', counts: [91, 95, null, 120, null, 130] } }));
    expect(doc.totals.learnersByPeriod).toEqual([
      { period: '2023-03', learners: 91 },
      { period: '2023-04', learners: 95 },
      { period: '2023-06', learners: 120 },
      { period: '2023-08', learners: 130 },
    ]);
    expect(doc.totals.learners).toBe(130);
  });

  it('rule: the programme budget is the sum of each antenna’s current forecast total (BudgetForecastSet, BudgetForecastRevised)', () => {
    const model = project(kpisProjection, [
      projected('BudgetForecastSet', { antennaId: 'a', lines: [], totalCents: 78_600_000, effectiveDate: '2021-03-01' }),
      projected('BudgetForecastSet', { antennaId: 'b', lines: [], totalCents: 10_000_000, effectiveDate: '2021-03-01' }),
      projected('BudgetForecastRevised', {
        antennaId: 'b',
        revision: 1,
        lines: [],
        totalCents: 12_000_000,
        previousTotalCents: 10_000_000,
        reason: 'r',
        effectiveDate: '2022-01-01',
      }),
    ]);
    // 786 000,00 € + 120 000,00 € = 906 000,00 €.
    expect(model.get('programme')).toEqual(expected({}, { budgetForecastCents: 90_600_000 }));
  });

  it('rule: funding totals are committed, released net of reversals, and received (FundingCommitted, BudgetTrancheReleased, TrancheReleaseReversed, TrancheReceived)', () => {
    const agreement = { agreementId: 'bdt', antennaId: 'a' };
    const model = project(kpisProjection, [
      projected('FundingCommitted', { ...agreement, funder: 'BdT', label: 'Amorçage', amountCents: 10_000_000, tranches: [], effectiveDate: '2021-06-01' }),
      projected('BudgetTrancheReleased', { ...agreement, trancheId: 't1', amountCents: 4_000_000, effectiveDate: '2021-09-15' }),
      projected('TrancheReceived', { ...agreement, trancheId: 't1', amountCents: 4_000_000, bankReference: 'VIR', effectiveDate: '2021-09-28' }),
      projected('BudgetTrancheReleased', { ...agreement, trancheId: 't2', amountCents: 3_000_000, effectiveDate: '2022-07-05' }),
      projected('TrancheReleaseReversed', { ...agreement, trancheId: 't2', amountCents: 3_000_000, reason: 'r', effectiveDate: '2022-07-10' }),
    ]);
    // released: 40 000 + 30 000 − 30 000 = 40 000 €; still to release: 100 000 − 40 000 = 60 000 €.
    expect(model.get('programme')).toEqual(
      expected(
        { agreements: byAgreement({ bdt: { antennaId: 'a', notReleasedCents: 6_000_000, closed: false } }) },
        { fundingCommittedCents: 10_000_000, fundingReleasedCents: 4_000_000, fundingReceivedCents: 4_000_000, fundingRemainingCents: 6_000_000 },
      ),
    );
  });

  describe('closed agreements', () => {
    const langres = { agreementId: 'dept-langres', antennaId: 'langres' };
    const other = { agreementId: 'region-chaumont', antennaId: 'chaumont' };
    const HISTORY = [
      projected('FundingCommitted', {
        ...langres,
        funder: 'Département de la Haute-Marne',
        label: 'Soutien départemental',
        amountCents: 5_000_000,
        tranches: [
          { trancheId: 'd1', amountCents: 2_000_000, dueOn: '2024-01-15' },
          { trancheId: 'd2', amountCents: 3_000_000, dueOn: '2026-12-20' },
        ],
        effectiveDate: '2023-10-01',
      }),
      projected('FundingCommitted', {
        ...other,
        funder: 'Région Grand Est',
        label: 'Soutien régional',
        amountCents: 1_000_000,
        tranches: [{ trancheId: 'r1', amountCents: 1_000_000, dueOn: '2026-12-31' }],
        effectiveDate: '2023-11-01',
      }),
      projected('BudgetTrancheReleased', { ...langres, trancheId: 'd1', amountCents: 2_000_000, effectiveDate: '2024-02-01' }),
    ];
    const closing = projected('FundingAgreementClosed', { ...langres, reason: 'Fin anticipée', effectiveDate: '2024-06-30' });

    it('rule: once an agreement is closed, what it had not released is « non versé à la clôture », no longer « reste à verser » (FundingAgreementClosed)', () => {
      const open = project(kpisProjection, HISTORY).get('programme') as KpisDocument;
      // Open: 50 000 − 20 000 + 10 000 = 40 000 € still to come.
      expect(open.totals).toMatchObject({ fundingCommittedCents: 6_000_000, fundingReleasedCents: 2_000_000, fundingRemainingCents: 4_000_000, fundingNotReleasedAtClosingCents: 0 });
      const closed = project(kpisProjection, [...HISTORY, closing]).get('programme') as KpisDocument;
      // Closed: only the open agreement's 10 000 € are still to come; the 30 000 € of d2 will never be.
      expect(closed.totals).toMatchObject({ fundingCommittedCents: 6_000_000, fundingReleasedCents: 2_000_000, fundingRemainingCents: 1_000_000, fundingNotReleasedAtClosingCents: 3_000_000 });
      // The same closing again changes nothing: the document is the same object.
      expect(kpisProjection.evolve(closed, closing, 'programme')).toBe(closed);
    });

    it('rule: an open agreement on a closed antenna is « bloqué (antenne fermée) », not « reste à verser »; a closed agreement stays « non versé à la clôture » (AntennaClosed, decision 0066 amended)', () => {
      const antennaClosed = projected('AntennaClosed', { antennaId: 'langres', reason: 'Fin', effectiveDate: '2024-09-01' });
      const history = [opened('langres', true), opened('chaumont', false), ...HISTORY];
      const blocked = project(kpisProjection, [...history, antennaClosed]).get('programme') as KpisDocument;
      // Langres closed: the 30 000 € its open agreement did not release can no longer come; Chaumont's 10 000 € still can.
      expect(blocked.totals).toMatchObject({ fundingRemainingCents: 1_000_000, fundingBlockedCents: 3_000_000, fundingNotReleasedAtClosingCents: 0 });
      // Closing the agreement afterwards moves them to « non versé à la clôture ».
      const closedAfter = project(kpisProjection, [...history, antennaClosed, closing]).get('programme') as KpisDocument;
      expect(closedAfter.totals).toMatchObject({ fundingRemainingCents: 1_000_000, fundingBlockedCents: 0, fundingNotReleasedAtClosingCents: 3_000_000 });
      // Closed before its antenna: nothing blocked.
      const closedBefore = project(kpisProjection, [...history, closing, antennaClosed]).get('programme') as KpisDocument;
      expect(closedBefore.totals).toMatchObject({ fundingRemainingCents: 1_000_000, fundingBlockedCents: 0, fundingNotReleasedAtClosingCents: 3_000_000 });
    });

    it('rule: a release copies only its agreement’s bucket of `agreements`: every other agreement’s entry is shared with the document before it', () => {
      const ids = Array.from({ length: 200 }, (_, i) => `accord-${i}`);
      const commitments = ids.map((agreementId) =>
        projected('FundingCommitted', { agreementId, antennaId: 'a', funder: 'f', label: 'l', amountCents: 100, tranches: [{ trancheId: 't', amountCents: 100, dueOn: '2024-01-01' }], effectiveDate: '2023-01-01' }),
      );
      const before = project(kpisProjection, commitments).get('programme') as KpisDocument;
      const after = kpisProjection.evolve(before, projected('BudgetTrancheReleased', { agreementId: 'accord-7', antennaId: 'a', trancheId: 't', amountCents: 100, effectiveDate: '2023-02-01' }), 'programme') as KpisDocument;
      const own = bucketOf('accord-7');
      const buckets = Object.keys(before.agreements);
      expect(buckets.length).toBeGreaterThan(32);
      for (const bucket of buckets) expect(after.agreements[bucket] === before.agreements[bucket]).toBe(bucket !== own);
      expect(after.totals).toMatchObject({ fundingReleasedCents: 100, fundingRemainingCents: 19_900 });
    });
  });

  it('rule: the document does not grow with the number of learner reports and money events (only with months, antennas, calls, agreements)', () => {
    const agreement = { agreementId: 'bdt', antennaId: 'a' };
    const events = [
      projected('LearnersReported', { antennaId: 'a', period: '2022-06', learners: 1, effectiveDate: '2022-07-01' }),
      ...Array.from({ length: 200 }, (_, i) => [
        projected('LearnersReported', { antennaId: 'a', period: '2022-06', learners: i + 2, previousLearners: i + 1, reason: 'r', effectiveDate: '2022-07-01' }),
        projected('BudgetTrancheReleased', { ...agreement, trancheId: `t${i}`, amountCents: 100, effectiveDate: '2022-07-05' }),
      ]).flat(),
    ];
    const doc = project(kpisProjection, events).get('programme') as KpisDocument;
    expect(doc).toEqual(
      expected(
        {
          latestLearners: byAntenna({ a: { period: '2022-06', learners: 201 } }),
          learnerMonths: byAntenna({ a: { from: '2022-06', counts: [201] } }),
          // Releases of an agreement whose commitment is not in the log: one entry, whatever their number.
          agreements: byAgreement({ bdt: { antennaId: 'a', notReleasedCents: -20_000, closed: false } }),
        },
        { learners: 201, learnersByPeriod: [{ period: '2022-06', learners: 201 }], fundingReleasedCents: 20_000, fundingRemainingCents: -20_000 },
      ),
    );
  });

  it('rule: a learner report copies only its antenna’s bucket of the per-antenna maps: every other antenna’s entry is shared with the document before it, so a report costs the same at 10 or 1,000 antennas', () => {
    const ids = Array.from({ length: 200 }, (_, i) => `antenne-${i}`);
    const reports = ids.map((antennaId) => projected('LearnersReported', { antennaId, period: '2023-06', learners: 10, effectiveDate: '2023-07-03' }));
    const before = project(kpisProjection, reports).get('programme') as KpisDocument;
    const after = kpisProjection.evolve(before, projected('LearnersReported', { antennaId: 'antenne-7', period: '2023-07', learners: 12, effectiveDate: '2023-08-01' }), 'programme') as KpisDocument;
    const own = bucketOf('antenne-7');
    const buckets = Object.keys(before.latestLearners);
    expect(buckets.length).toBeGreaterThan(32);
    for (const bucket of buckets) {
      expect(after.latestLearners[bucket] === before.latestLearners[bucket]).toBe(bucket !== own);
      expect(after.learnerMonths[bucket] === before.learnerMonths[bucket]).toBe(bucket !== own);
    }
    expect(after.totals).toMatchObject({ learners: 2_002, learnersByPeriod: [{ period: '2023-06', learners: 2_000 }, { period: '2023-07', learners: 12 }] });
  });

  it('rule: every event lands in the single `programme` document', () => {
    expect(kpisProjection.keysOf(launched)).toEqual(['programme']);
    expect(kpisProjection.keysOf(opened('a', true))).toEqual(['programme']);
  });
});
