import { DomainError, fold } from '../shared';
import { specificationFor } from '../testing/decider-specification';
import { AntennaCommand, AttachFundingAgreement, CloseAntenna, OpenAntenna } from './antenna.commands';
import { AntennaEvent, FundingAgreementAttached } from './antenna.events';
import { antennaDecider } from './antenna.decider';
import { antennaViewOf } from './antenna.state';
import {
  closed,
  inaugurated,
  industryCourse,
  montbeliard,
  opened,
  resumed,
  selectedCandidacy,
  septemberLearners,
  suspended,
} from './antenna.fixtures';

const spec = specificationFor(antennaDecider);

const openMontbeliard: OpenAntenna = {
  type: 'OpenAntenna',
  data: {
    antennaId: opened.data.antennaId,
    candidacyId: opened.data.candidacyId,
    name: opened.data.name,
    town: opened.data.town,
    effectiveDate: opened.data.effectiveDate,
  },
  context: { candidacy: selectedCandidacy },
};

const inaugurate: AntennaCommand = { type: 'InaugurateAntenna', data: inaugurated.data };
const openCourse: AntennaCommand = { type: 'OpenTrainingCourse', data: industryCourse.data };
const suspend: AntennaCommand = { type: 'SuspendAntenna', data: suspended.data };
const resume: AntennaCommand = { type: 'ResumeAntenna', data: resumed.data };
const close: AntennaCommand = { type: 'CloseAntenna', data: closed.data };

/** The first step of committing Banque des Territoires' agreement (docs/decisions/0060). */
const attach: AttachFundingAgreement = {
  type: 'AttachFundingAgreement',
  data: {
    antennaId: 'montbeliard',
    agreementId: 'bdt-seed',
    funder: 'Banque des Territoires',
    label: 'Financement d’amorçage',
    amountCents: 10_000_000,
    tranches: [
      { trancheId: 'signature', amountCents: 4_000_000, dueOn: '2021-09-01' },
      { trancheId: 'balance', amountCents: 6_000_000, dueOn: '2022-09-01' },
    ],
    effectiveDate: '2021-07-01',
  },
  context: { agreement: { agreementId: 'bdt-seed', status: 'not-committed' } },
};
const attached: FundingAgreementAttached = {
  type: 'FundingAgreementAttached',
  data: { antennaId: 'montbeliard', agreementId: 'bdt-seed', effectiveDate: '2021-07-01' },
};
const committedFor = (antennaId: string, committedOn = '2021-07-01') => ({ agreement: { agreementId: 'bdt-seed', status: 'committed' as const, antennaId, committedOn } });

describe('antenna decider', () => {
  describe('OpenAntenna', () => {
    it('records the opening of an antenna for a selected candidacy, with its call, programme and territory', () => {
      spec.given([]).when(openMontbeliard).then([opened]);
    });

    it('rule: opening the same antenna again with the same details changes nothing', () => {
      spec.given([opened]).when(openMontbeliard).thenNothingHappens();
    });

    it('rule: an antenna is opened once (ANTENNA.ALREADY_OPENED)', () => {
      spec
        .given([opened])
        .when({ ...openMontbeliard, data: { ...openMontbeliard.data, name: 'Cnam Montbéliard' } })
        .thenThrows('ANTENNA.ALREADY_OPENED', 'conflict');
    });

    it('rule: only a submitted candidacy can become an antenna (CANDIDACY.NOT_FOUND)', () => {
      spec
        .given([])
        .when({ ...openMontbeliard, context: { candidacy: { candidacyId: montbeliard.candidacyId, status: 'not-submitted' } } })
        .thenThrows('CANDIDACY.NOT_FOUND', 'not-found');
    });

    it.each(['submitted', 'rejected', 'withdrawn'] as const)(
      'rule: only a selected candidacy becomes an antenna, not a %s one (ANTENNA.CANDIDACY_NOT_SELECTED)',
      (status) => {
        const { selectedOn: _selectedOn, ...notSelected } = selectedCandidacy;
        spec
          .given([])
          .when({ ...openMontbeliard, context: { candidacy: { ...notSelected, status } } })
          .thenThrows('ANTENNA.CANDIDACY_NOT_SELECTED', 'rule');
      },
    );

    it('rule: an antenna cannot open before its candidacy was selected (ANTENNA.OPENED_BEFORE_SELECTION)', () => {
      spec
        .given([])
        .when({ ...openMontbeliard, data: { ...openMontbeliard.data, effectiveDate: '2020-12-14' } })
        .thenThrows('ANTENNA.OPENED_BEFORE_SELECTION', 'rule');
    });

    it('refuses a candidacy view that is not the candidacy named by the command (a wiring fault, not a rule)', () => {
      const otherView = { ...selectedCandidacy, candidacyId: 'ami-2--chaumont' };
      const { selectedOn: _selectedOn, ...incompleteView } = selectedCandidacy;
      for (const candidacy of [otherView, incompleteView]) {
        const decide = () => antennaDecider.decide({ ...openMontbeliard, context: { candidacy } }, antennaDecider.initialState());
        expect(decide).toThrow(Error);
        expect(decide).not.toThrow(DomainError);
      }
    });

    it('opens on the very day of the selection', () => {
      const sameDay = { ...openMontbeliard.data, effectiveDate: montbeliard.selectedOn };
      spec
        .given([])
        .when({ ...openMontbeliard, data: sameDay, context: { candidacy: { ...selectedCandidacy, antennaAssignedOn: montbeliard.selectedOn } } })
        .then([{ type: 'AntennaOpened', data: { ...opened.data, effectiveDate: montbeliard.selectedOn } }]);
    });

    it('rule: an antenna opens only once its candidacy claimed it, for this date (ANTENNA.OPENING_NOT_CLAIMED)', () => {
      const { antennaId: _antennaId, antennaAssignedOn: _assignedOn, ...unclaimed } = selectedCandidacy;
      spec.given([]).when({ ...openMontbeliard, context: { candidacy: unclaimed } }).thenThrows('ANTENNA.OPENING_NOT_CLAIMED', 'conflict');
      spec
        .given([])
        .when({ ...openMontbeliard, context: { candidacy: { ...selectedCandidacy, antennaAssignedOn: '2021-02-01' } } })
        .thenThrows('ANTENNA.OPENING_NOT_CLAIMED', 'conflict');
    });

    it('rule: one selected candidacy opens one antenna (CANDIDACY.ANTENNA_ALREADY_ASSIGNED)', () => {
      spec
        .given([])
        .when({ ...openMontbeliard, data: { ...openMontbeliard.data, antennaId: 'montbeliard-bis' } })
        .thenThrows('CANDIDACY.ANTENNA_ALREADY_ASSIGNED', 'conflict');
    });
  });

  describe('any command on an antenna never opened', () => {
    it.each<AntennaCommand>([inaugurate, openCourse, suspend, resume, close, { type: 'ReportLearners', data: septemberLearners.data }])(
      'rule: $type needs an opened antenna (ANTENNA.NOT_FOUND)',
      (command) => {
        spec.given([]).when(command).thenThrows('ANTENNA.NOT_FOUND', 'not-found');
      },
    );
  });

  describe('InaugurateAntenna', () => {
    it('records the inauguration of 22 June 2022 on the Montbéliard university campus', () => {
      spec.given([opened]).when(inaugurate).then([inaugurated]);
    });

    it('rule: inaugurating again with the same place and date changes nothing', () => {
      spec.given([opened, inaugurated]).when(inaugurate).thenNothingHappens();
    });

    it('rule: an antenna is inaugurated at most once (ANTENNA.ALREADY_INAUGURATED)', () => {
      spec
        .given([opened, inaugurated])
        .when({ type: 'InaugurateAntenna', data: { ...inaugurated.data, effectiveDate: '2022-06-23' } })
        .thenThrows('ANTENNA.ALREADY_INAUGURATED', 'conflict');
    });

    it('rule: an antenna is not inaugurated before it was opened (ANTENNA.INAUGURATED_BEFORE_OPENING)', () => {
      spec
        .given([opened])
        .when({ type: 'InaugurateAntenna', data: { ...inaugurated.data, effectiveDate: '2021-01-10' } })
        .thenThrows('ANTENNA.INAUGURATED_BEFORE_OPENING', 'rule');
    });

    it('rule: a suspended antenna is not inaugurated (ANTENNA.SUSPENDED)', () => {
      spec.given([opened, suspended]).when(inaugurate).thenThrows('ANTENNA.SUSPENDED', 'conflict');
    });

    it('rule: repeating an inauguration that happened before the suspension changes nothing', () => {
      spec
        .given([opened, inaugurated, { ...suspended, data: { ...suspended.data, effectiveDate: '2022-09-01' } }])
        .when(inaugurate)
        .thenNothingHappens();
    });
  });

  describe('OpenTrainingCourse', () => {
    it('records a course opened at the antenna', () => {
      spec.given([opened]).when(openCourse).then([industryCourse]);
    });

    it('rule: opening the same course again with the same details changes nothing', () => {
      spec.given([opened, industryCourse]).when(openCourse).thenNothingHappens();
    });

    it('rule: a course id is opened once (COURSE.ALREADY_OPENED)', () => {
      spec
        .given([opened, industryCourse])
        .when({ type: 'OpenTrainingCourse', data: { ...industryCourse.data, mode: 'hybrid' } })
        .thenThrows('COURSE.ALREADY_OPENED', 'conflict');
    });

    it('rule: a course id that names an Object member is an ordinary new id', () => {
      const data = { ...industryCourse.data, courseId: 'constructor' };
      spec.given([opened]).when({ type: 'OpenTrainingCourse', data }).then([{ type: 'TrainingCourseOpened', data }]);
    });

    it('rule: a suspended antenna opens no course (ANTENNA.SUSPENDED)', () => {
      spec.given([opened, suspended]).when(openCourse).thenThrows('ANTENNA.SUSPENDED', 'conflict');
    });

    it('rule: a course cannot open before the antenna (ANTENNA.DATE_BEFORE_OPENING)', () => {
      spec
        .given([opened])
        .when({ type: 'OpenTrainingCourse', data: { ...industryCourse.data, effectiveDate: '2020-09-01' } })
        .thenThrows('ANTENNA.DATE_BEFORE_OPENING', 'rule');
    });
  });

  describe('ReportLearners', () => {
    const report: AntennaCommand = { type: 'ReportLearners', data: septemberLearners.data };
    const correction = { ...septemberLearners.data, learners: 26, reason: 'Deux inscriptions tardives', effectiveDate: '2021-10-20' };

    it('records the learners of a month', () => {
      spec.given([opened]).when(report).then([septemberLearners]);
    });

    it('records a month with no learner', () => {
      const none = { ...septemberLearners.data, learners: 0 };
      spec.given([opened]).when({ type: 'ReportLearners', data: none }).then([{ type: 'LearnersReported', data: none }]);
    });

    it('rule: reporting the same count for the same month again changes nothing', () => {
      spec
        .given([opened, septemberLearners])
        .when({ type: 'ReportLearners', data: { ...septemberLearners.data, effectiveDate: '2021-10-06' } })
        .thenNothingHappens();
    });

    it('records a different count for a reported month as a correction with its reason', () => {
      spec
        .given([opened, septemberLearners])
        .when({ type: 'ReportLearners', data: correction })
        .then([{ type: 'LearnersReported', data: { ...correction, previousLearners: 24 } }]);
    });

    it('rule: a first report carries no previous count, even if the command sends one; a correction carries the count it corrects', () => {
      const withPrevious = { ...septemberLearners.data, previousLearners: 99 } as AntennaCommand['data'];
      spec.given([opened]).when({ type: 'ReportLearners', data: withPrevious } as AntennaCommand).then([septemberLearners]);
      spec
        .given([opened, septemberLearners])
        .when({ type: 'ReportLearners', data: { ...correction, previousLearners: 99 } } as AntennaCommand)
        .then([{ type: 'LearnersReported', data: { ...correction, previousLearners: 24 } }]);
    });

    it('rule: a correction of a reported month gives a reason (LEARNERS.CORRECTION_NEEDS_REASON)', () => {
      const { reason: _reason, ...withoutReason } = correction;
      spec
        .given([opened, septemberLearners])
        .when({ type: 'ReportLearners', data: withoutReason })
        .thenThrows('LEARNERS.CORRECTION_NEEDS_REASON', 'rule');
      spec
        .given([opened, septemberLearners])
        .when({ type: 'ReportLearners', data: { ...correction, reason: '  ' } })
        .thenThrows('LEARNERS.CORRECTION_NEEDS_REASON', 'rule');
    });

    it('rule: a correction is not dated before the report it corrects (LEARNERS.CORRECTED_BEFORE_REPORT): at a date in between, the correction would stand without it', () => {
      // September 2021 reported on 05/10/2021: a correction dated 30/09/2021 once passed, and the key figures as of 30/09 showed 26 − 24 = 2.
      spec
        .given([opened, septemberLearners])
        .when({ type: 'ReportLearners', data: { ...correction, effectiveDate: '2021-09-30' } })
        .thenThrows('LEARNERS.CORRECTED_BEFORE_REPORT', 'rule');
      const sameDay = { ...correction, effectiveDate: septemberLearners.data.effectiveDate };
      spec
        .given([opened, septemberLearners])
        .when({ type: 'ReportLearners', data: sameDay })
        .then([{ type: 'LearnersReported', data: { ...sameDay, previousLearners: 24 } }]);
    });

    it('rule: nor before an earlier correction of the month, even one recorded out of date order (LEARNERS.CORRECTED_BEFORE_REPORT)', () => {
      const corrected = { type: 'LearnersReported' as const, data: { ...correction, previousLearners: 24 } };
      spec
        .given([opened, septemberLearners, corrected])
        .when({ type: 'ReportLearners', data: { ...correction, learners: 27, effectiveDate: '2021-10-19' } })
        .thenThrows('LEARNERS.CORRECTED_BEFORE_REPORT', 'rule');
      // Recorded before the rule: a correction (20/10) then another dated earlier (06/10). The next follows the later (20/10).
      const backDated = { type: 'LearnersReported' as const, data: { ...correction, learners: 25, previousLearners: 26, effectiveDate: '2021-10-06' } };
      spec
        .given([opened, septemberLearners, corrected, backDated])
        .when({ type: 'ReportLearners', data: { ...correction, learners: 27, effectiveDate: '2021-10-10' } })
        .thenThrows('LEARNERS.CORRECTED_BEFORE_REPORT', 'rule');
    });

    it('rule: a first report of a month may be dated before the reports of other months', () => {
      const august = { ...septemberLearners.data, period: '2021-08', learners: 20, effectiveDate: '2021-09-02' };
      spec.given([opened, septemberLearners]).when({ type: 'ReportLearners', data: august }).then([{ type: 'LearnersReported', data: august }]);
    });

    it.each([-1, 2.5, Number.NaN])('rule: a learner count is a whole number, zero or more, not %p (LEARNERS.INVALID_COUNT)', (learners) => {
      spec
        .given([opened])
        .when({ type: 'ReportLearners', data: { ...septemberLearners.data, learners } })
        .thenThrows('LEARNERS.INVALID_COUNT', 'rule');
    });

    it('rule: a suspended antenna still reports its learners', () => {
      spec.given([opened, suspended]).when(report).then([septemberLearners]);
    });

    it('rule: learners are not reported for a month after the report (LEARNERS.PERIOD_IN_FUTURE)', () => {
      spec
        .given([opened])
        .when({ type: 'ReportLearners', data: { ...septemberLearners.data, period: '2099-01' } })
        .thenThrows('LEARNERS.PERIOD_IN_FUTURE', 'rule');
      spec
        .given([opened])
        .when({ type: 'ReportLearners', data: { ...septemberLearners.data, period: '2021-11', effectiveDate: '2021-10-31' } })
        .thenThrows('LEARNERS.PERIOD_IN_FUTURE', 'rule');
    });

    it('rule: learners may be reported for the month under way', () => {
      const current = { ...septemberLearners.data, period: '2021-10' };
      spec.given([opened]).when({ type: 'ReportLearners', data: current }).then([{ type: 'LearnersReported', data: current }]);
    });

    it('rule: learners are not reported for a month before the antenna opened (LEARNERS.PERIOD_BEFORE_OPENING)', () => {
      spec
        .given([opened])
        .when({ type: 'ReportLearners', data: { ...septemberLearners.data, period: '2020-12' } })
        .thenThrows('LEARNERS.PERIOD_BEFORE_OPENING', 'rule');
      const openingMonth = { ...septemberLearners.data, period: '2021-01' };
      spec.given([opened]).when({ type: 'ReportLearners', data: openingMonth }).then([{ type: 'LearnersReported', data: openingMonth }]);
    });

    it('rule: learners cannot be reported before the antenna opened (ANTENNA.DATE_BEFORE_OPENING)', () => {
      spec
        .given([opened])
        .when({ type: 'ReportLearners', data: { ...septemberLearners.data, period: '2020-12', effectiveDate: '2021-01-05' } })
        .thenThrows('ANTENNA.DATE_BEFORE_OPENING', 'rule');
    });
  });

  describe('SuspendAntenna', () => {
    it('records a suspension with its reason', () => {
      spec.given([opened]).when(suspend).then([suspended]);
    });

    it('rule: the same suspension repeated changes nothing; another while suspended is a conflict (ANTENNA.ALREADY_SUSPENDED), as for every command repeated with other details', () => {
      spec.given([opened, suspended]).when(suspend).thenNothingHappens();
      spec
        .given([opened, suspended])
        .when({ type: 'SuspendAntenna', data: { ...suspended.data, effectiveDate: '2022-02-10' } })
        .thenThrows('ANTENNA.ALREADY_SUSPENDED', 'conflict');
      spec
        .given([opened, suspended])
        .when({ type: 'SuspendAntenna', data: { ...suspended.data, reason: 'un autre motif' } })
        .thenThrows('ANTENNA.ALREADY_SUSPENDED', 'conflict');
    });

    it('suspends again after a resumption', () => {
      const again = { ...suspended.data, effectiveDate: '2023-07-01' };
      spec
        .given([opened, suspended, resumed])
        .when({ type: 'SuspendAntenna', data: again })
        .then([{ type: 'AntennaSuspended', data: again }]);
    });

    it('rule: a new suspension is not dated before the last resumption (ANTENNA.SUSPENDED_BEFORE_RESUMPTION)', () => {
      spec
        .given([opened, suspended, resumed])
        .when({ type: 'SuspendAntenna', data: { ...suspended.data, effectiveDate: '2022-02-28' } })
        .thenThrows('ANTENNA.SUSPENDED_BEFORE_RESUMPTION', 'rule');
    });

    it('rule: an antenna cannot be suspended before it opened (ANTENNA.DATE_BEFORE_OPENING)', () => {
      spec
        .given([opened])
        .when({ type: 'SuspendAntenna', data: { ...suspended.data, effectiveDate: '2020-12-31' } })
        .thenThrows('ANTENNA.DATE_BEFORE_OPENING', 'rule');
    });
  });

  describe('ResumeAntenna', () => {
    it('records the resumption of a suspended antenna', () => {
      spec.given([opened, suspended]).when(resume).then([resumed]);
    });

    it('rule: the same resumption repeated changes nothing; another date is a conflict (ANTENNA.ALREADY_RESUMED); an antenna never suspended has nothing to resume (ANTENNA.NOT_SUSPENDED)', () => {
      spec.given([opened, suspended, resumed]).when(resume).thenNothingHappens();
      spec
        .given([opened, suspended, resumed])
        .when({ type: 'ResumeAntenna', data: { ...resumed.data, effectiveDate: '2023-12-01' } })
        .thenThrows('ANTENNA.ALREADY_RESUMED', 'conflict');
      spec.given([opened]).when(resume).thenThrows('ANTENNA.NOT_SUSPENDED', 'rule');
    });

    it('rule: an antenna cannot resume before it was suspended (ANTENNA.RESUMED_BEFORE_SUSPENSION)', () => {
      spec
        .given([opened, suspended])
        .when({ type: 'ResumeAntenna', data: { ...resumed.data, effectiveDate: '2022-01-31' } })
        .thenThrows('ANTENNA.RESUMED_BEFORE_SUSPENSION', 'rule');
    });

    it('lifts the suspension: the antenna is inaugurated again afterwards', () => {
      spec.given([opened, suspended, resumed]).when(inaugurate).then([inaugurated]);
    });
  });

  describe('CloseAntenna', () => {
    it('records the closing with its reason', () => {
      spec.given([opened, inaugurated]).when(close).then([closed]);
    });

    it('closes a suspended antenna', () => {
      spec.given([opened, suspended]).when(close).then([closed]);
    });

    it('rule: closing again with the same reason and date changes nothing', () => {
      spec.given([opened, closed]).when(close).thenNothingHappens();
    });

    it('rule: a closed antenna cannot be closed differently (ANTENNA.CLOSED)', () => {
      spec
        .given([opened, closed])
        .when({ type: 'CloseAntenna', data: { ...closed.data, effectiveDate: '2025-01-31' } })
        .thenThrows('ANTENNA.CLOSED', 'conflict');
    });

    it('rule: an antenna does not close before the last fact recorded on it (ANTENNA.CLOSED_BEFORE_LAST_FACT)', () => {
      spec
        .given([opened, inaugurated])
        .when({ type: 'CloseAntenna', data: { ...closed.data, effectiveDate: '2022-06-21' } })
        .thenThrows('ANTENNA.CLOSED_BEFORE_LAST_FACT', 'rule');
      spec
        .given([opened, suspended, resumed])
        .when({ type: 'CloseAntenna', data: { ...closed.data, effectiveDate: '2022-02-15' } })
        .thenThrows('ANTENNA.CLOSED_BEFORE_LAST_FACT', 'rule');
      spec
        .given([opened, inaugurated])
        .when({ type: 'CloseAntenna', data: { ...closed.data, effectiveDate: '2022-06-22' } })
        .then([{ type: 'AntennaClosed', data: { ...closed.data, effectiveDate: '2022-06-22' } }]);
    });

    it('rule: nor before the last fact of its budget, another stream (ANTENNA.CLOSED_BEFORE_LAST_FACT): a closing dated before an expenditure once passed', () => {
      const closing = (effectiveDate: string) => ({ type: 'CloseAntenna' as const, data: { ...closed.data, effectiveDate }, context: { latestBudgetFactOn: '2024-05-01' } });
      spec.given([opened, inaugurated]).when(closing('2024-01-01')).thenThrows('ANTENNA.CLOSED_BEFORE_LAST_FACT', 'rule');
      spec
        .given([opened, inaugurated])
        .when(closing('2024-05-01'))
        .then([{ type: 'AntennaClosed', data: { ...closed.data, effectiveDate: '2024-05-01' } }]);
    });

    it('rule: nor before the latest release, receipt or reversal of one of its agreements, other streams (ANTENNA.CLOSED_BEFORE_LAST_FACT), naming the fact and its date', () => {
      const fundingFacts = [
        { agreementId: 'bdt-seed', kind: 'receipt' as const, trancheId: 'signature', effectiveDate: '2024-03-01' },
        { agreementId: 'bdt-seed', kind: 'release' as const, trancheId: 'balance', effectiveDate: '2024-05-01' },
        { agreementId: 'region', kind: 'reversal' as const, trancheId: 'first', effectiveDate: '2024-04-01' },
      ];
      const closing = (effectiveDate: string): CloseAntenna => ({ type: 'CloseAntenna', data: { ...closed.data, effectiveDate }, context: { fundingFacts } });
      spec.given([opened, inaugurated]).when(closing('2024-04-30')).thenThrows('ANTENNA.CLOSED_BEFORE_LAST_FACT', 'rule');
      expect(() => antennaDecider.decide(closing('2024-04-30'), fold(antennaDecider, [opened, inaugurated]))).toThrow(
        'une antenne ne peut pas fermer (2024-04-30) avant le versement de la tranche balance de sa convention de financement bdt-seed (2024-05-01)',
      );
      spec
        .given([opened, inaugurated])
        .when(closing('2024-05-01'))
        .then([{ type: 'AntennaClosed', data: { ...closed.data, effectiveDate: '2024-05-01' } }]);
    });

    it('rule: nor before the commitment of one of its agreements, attached on its own stream at that date (ANTENNA.CLOSED_BEFORE_LAST_FACT)', () => {
      const late: FundingAgreementAttached = { type: 'FundingAgreementAttached', data: { ...attached.data, effectiveDate: '2023-01-10' } };
      spec
        .given([opened, inaugurated, late])
        .when({ type: 'CloseAntenna', data: { ...closed.data, effectiveDate: '2022-12-31' } })
        .thenThrows('ANTENNA.CLOSED_BEFORE_LAST_FACT', 'rule');
    });

    it('rule: an antenna cannot close before it opened (ANTENNA.DATE_BEFORE_OPENING)', () => {
      spec
        .given([opened])
        .when({ type: 'CloseAntenna', data: { ...closed.data, effectiveDate: '2020-12-31' } })
        .thenThrows('ANTENNA.DATE_BEFORE_OPENING', 'rule');
    });
  });

  describe('AttachFundingAgreement (first step of committing a funding agreement, docs/decisions/0060)', () => {
    it('lists the agreement on the antenna’s stream, at the date of its commitment, suspended or not', () => {
      spec.given([opened]).when(attach).then([attached]);
      spec.given([opened, suspended]).when(attach).then([attached]);
    });

    it('rule: the same claim again changes nothing, so the same commitment again completes an interrupted one', () => {
      spec.given([opened, attached]).when(attach).thenNothingHappens();
    });

    it('rule: an agreement the antenna holds is not attached again at another date (ANTENNA.FUNDING_ALREADY_ATTACHED)', () => {
      spec
        .given([opened, attached])
        .when({ ...attach, data: { ...attach.data, effectiveDate: '2021-08-01' } })
        .thenThrows('ANTENNA.FUNDING_ALREADY_ATTACHED', 'conflict');
    });

    it('rule: once the agreement is committed, the claim changes nothing whatever its date: the agreement’s stream judges the repeat', () => {
      spec
        .given([opened, attached])
        .when({ ...attach, data: { ...attach.data, effectiveDate: '2021-08-01' }, context: committedFor('montbeliard') })
        .thenNothingHappens();
    });

    it('rule: an agreement committed for another antenna is not attached (FUNDING.ALREADY_COMMITTED)', () => {
      spec.given([opened]).when({ ...attach, context: committedFor('chaumont') }).thenThrows('FUNDING.ALREADY_COMMITTED', 'conflict');
    });

    it('rule: an agreement committed before antennas listed them is attached by the same commitment again, at the date it was committed (0064)', () => {
      const recorded = { ...committedFor('montbeliard', '2021-07-01'), commitment: { ...attach.data } };
      spec.given([opened]).when({ ...attach, context: recorded }).then([attached]);
      spec.given([opened, attached]).when({ ...attach, context: recorded }).thenNothingHappens();
    });

    it('rule: such an agreement sent again with other details attaches nothing: its own stream refuses them (FUNDING.ALREADY_COMMITTED), and a refused request writes nothing (0064)', () => {
      const recorded = { ...committedFor('montbeliard', '2021-07-01'), commitment: { ...attach.data } };
      spec
        .given([opened])
        .when({ ...attach, data: { ...attach.data, effectiveDate: '2021-08-01' }, context: recorded })
        .thenNothingHappens();
      spec
        .given([opened])
        .when({ ...attach, data: { ...attach.data, label: 'Autre libellé' }, context: recorded })
        .thenNothingHappens();
    });

    it('rule: refused where the commitment is refused for its own data, so that no claim outlives a refused commitment (FUNDING.SCHEDULE_MISMATCH, FUNDING.TRANCHE_DUE_BEFORE_COMMITMENT, MONEY.NOT_POSITIVE_CENTS)', () => {
      const [first, second] = attach.data.tranches;
      spec
        .given([opened])
        .when({ ...attach, data: { ...attach.data, tranches: [first!, { ...second!, amountCents: 5_000_000 }] } })
        .thenThrows('FUNDING.SCHEDULE_MISMATCH', 'rule');
      spec
        .given([opened])
        .when({ ...attach, data: { ...attach.data, tranches: [{ ...first!, dueOn: '2021-06-30' }, second!] } })
        .thenThrows('FUNDING.TRANCHE_DUE_BEFORE_COMMITMENT', 'rule');
      spec.given([opened]).when({ ...attach, data: { ...attach.data, amountCents: 0 } }).thenThrows('MONEY.NOT_POSITIVE_CENTS', 'rule');
    });

    it('rule: refused where the commitment is refused on the antenna’s side: not opened (ANTENNA.NOT_FOUND), closed (ANTENNA.CLOSED), before the opening (ANTENNA.DATE_BEFORE_OPENING)', () => {
      spec.given([]).when(attach).thenThrows('ANTENNA.NOT_FOUND', 'not-found');
      spec.given([opened, closed]).when(attach).thenThrows('ANTENNA.CLOSED', 'conflict');
      spec
        .given([opened])
        .when({ ...attach, data: { ...attach.data, effectiveDate: '2021-01-10' } })
        .thenThrows('ANTENNA.DATE_BEFORE_OPENING', 'rule');
    });
  });

  describe('any command on a closed antenna', () => {
    const history: AntennaEvent[] = [opened, inaugurated, industryCourse, septemberLearners, closed];
    const commands: AntennaCommand[] = [
      openMontbeliard,
      inaugurate,
      openCourse,
      { type: 'ReportLearners', data: septemberLearners.data },
      suspend,
      resume,
      {
        type: 'PlanPhase',
        data: {
          antennaId: 'montbeliard',
          phaseId: 'extension',
          name: 'Extension',
          plannedStart: '2025-01-01',
          plannedEnd: '2025-12-31',
          effectiveDate: '2025-01-02',
        },
      },
    ];

    it.each(commands)('rule: a closed antenna accepts nothing but audit reads, not even a repeated $type (ANTENNA.CLOSED)', (command) => {
      spec.given(history).when(command).thenThrows('ANTENNA.CLOSED', 'conflict');
    });
  });

  describe('antennaViewOf', () => {
    const viewAfter = (events: AntennaEvent[]) => antennaViewOf(fold(antennaDecider, events), 'montbeliard');

    it('tells other deciders whether the antenna is opened, suspended or closed, since when it is open and from which candidacy', () => {
      const since = { openedOn: '2021-01-11', candidacyId: montbeliard.candidacyId };
      expect(viewAfter([])).toEqual({ antennaId: 'montbeliard', status: 'not-opened' });
      expect(viewAfter([opened])).toEqual({ antennaId: 'montbeliard', status: 'active', ...since });
      expect(viewAfter([opened, suspended])).toEqual({ antennaId: 'montbeliard', status: 'suspended', ...since });
      expect(viewAfter([opened, suspended, resumed])).toEqual({ antennaId: 'montbeliard', status: 'active', ...since });
      expect(viewAfter([opened, suspended, closed])).toEqual({ antennaId: 'montbeliard', status: 'closed', ...since });
    });
  });
});
