import { specificationFor } from '../testing/decider-specification';
import { ProgrammeLaunched } from './programme.events';
import { programmeDecider, programmeViewOf } from './programme.decider';
import { fold } from '../shared';

const spec = specificationFor(programmeDecider);

const launched: ProgrammeLaunched = {
  type: 'ProgrammeLaunched',
  data: {
    programmeId: 'au-coeur-des-territoires',
    name: 'Au cœur des territoires',
    operator: 'Cnam',
    targets: { antennaCount: 100, targetDate: '2022-12-31' },
    effectiveDate: '2019-01-15',
  },
};

/** The launch as the second step sends it: the installation's registry claims this programme (docs/decisions/0061). */
const claimedRegistry = { registry: { claimed: { programmeId: launched.data.programmeId, name: launched.data.name } } };
const launch = (data: ProgrammeLaunched['data'] = launched.data) => ({ type: 'LaunchProgramme' as const, data, context: claimedRegistry });

describe('programme decider', () => {
  describe('LaunchProgramme', () => {
    it('records the launch of a new programme', () => {
      spec.given([]).when(launch()).then([launched]);
    });

    it('rule: launching the same programme again with the same details changes nothing', () => {
      spec.given([launched]).when(launch()).thenNothingHappens();
    });

    it('rule: a programme is launched once (PROGRAMME.ALREADY_LAUNCHED)', () => {
      spec
        .given([launched])
        .when(launch({ ...launched.data, name: 'Autre' }))
        .thenThrows('PROGRAMME.ALREADY_LAUNCHED', 'conflict');
    });

    it('rule: an installation follows one programme: a launch the registry has not claimed is refused (PROGRAMME.LAUNCH_NOT_CLAIMED)', () => {
      spec.given([]).when({ ...launch(), context: { registry: {} } }).thenThrows('PROGRAMME.LAUNCH_NOT_CLAIMED', 'conflict');
    });

    it('rule: an installation follows one programme: the launch of another than the registry claims is refused (PROGRAMME.ANOTHER_LAUNCHED)', () => {
      spec
        .given([])
        .when(launch({ ...launched.data, programmeId: 'autre-programme', name: 'Autre programme' }))
        .thenThrows('PROGRAMME.ANOTHER_LAUNCHED', 'conflict');
    });

    it('rule: launching the same programme again changes nothing, even on a registry recorded after it (a history from before decision 0061)', () => {
      spec.given([launched]).when({ ...launch(), context: { registry: {} } }).thenNothingHappens();
    });

    it('rule: a launch date lies between 1900-01-01 and 2100-12-31 (DATE.OUT_OF_RANGE)', () => {
      spec
        .given([])
        .when(launch({ ...launched.data, effectiveDate: '1899-12-31' }))
        .thenThrows('DATE.OUT_OF_RANGE', 'rule');
      spec
        .given([])
        .when(launch({ ...launched.data, targets: { antennaCount: 100, targetDate: '9999-12-31' } }))
        .thenThrows('DATE.OUT_OF_RANGE', 'rule');
    });

    it('rule: the target date is not before the launch (PROGRAMME.TARGET_DATE_BEFORE_LAUNCH)', () => {
      spec
        .given([])
        .when(launch({ ...launched.data, targets: { antennaCount: 100, targetDate: '2019-01-14' } }))
        .thenThrows('PROGRAMME.TARGET_DATE_BEFORE_LAUNCH', 'rule');
    });

    it('rule: the antenna target is a positive whole number (PROGRAMME.INVALID_TARGET)', () => {
      spec
        .given([])
        .when(launch({ ...launched.data, targets: { antennaCount: 0, targetDate: '2022-12-31' } }))
        .thenThrows('PROGRAMME.INVALID_TARGET', 'rule');
    });
  });

  describe('ReviseProgrammeTargets', () => {
    const revise = {
      type: 'ReviseProgrammeTargets' as const,
      data: {
        programmeId: 'au-coeur-des-territoires',
        targets: { antennaCount: 100, targetDate: '2023-12-31' },
        reason: 'Report lié à la crise sanitaire',
        effectiveDate: '2020-06-01',
      },
    };

    it('records the new targets beside the previous ones, with the reason', () => {
      spec
        .given([launched])
        .when(revise)
        .then([{ type: 'ProgrammeTargetsRevised', data: { ...revise.data, previousTargets: launched.data.targets } }]);
    });

    it('rule: a revision that restates the current targets changes nothing', () => {
      spec
        .given([launched])
        .when({ ...revise, data: { ...revise.data, targets: launched.data.targets } })
        .thenNothingHappens();
    });

    it('rule: only a launched programme has targets to revise (PROGRAMME.NOT_FOUND)', () => {
      spec.given([]).when(revise).thenThrows('PROGRAMME.NOT_FOUND', 'not-found');
    });

    it('rule: a revision is not dated before the revision in force (PROGRAMME.REVISED_BEFORE_LAST_REVISION)', () => {
      const revisedIn2020 = { type: 'ProgrammeTargetsRevised' as const, data: { ...revise.data, previousTargets: launched.data.targets } };
      spec
        .given([launched, revisedIn2020])
        .when({ ...revise, data: { ...revise.data, targets: { antennaCount: 120, targetDate: '2024-12-31' }, effectiveDate: '2020-05-31' } })
        .thenThrows('PROGRAMME.REVISED_BEFORE_LAST_REVISION', 'rule');
    });

    it('rule: a revised target date is not before the launch (PROGRAMME.TARGET_DATE_BEFORE_LAUNCH)', () => {
      spec
        .given([launched])
        .when({ ...revise, data: { ...revise.data, targets: { antennaCount: 100, targetDate: '2018-12-31' } } })
        .thenThrows('PROGRAMME.TARGET_DATE_BEFORE_LAUNCH', 'rule');
    });

    it('rule: targets cannot be revised before the launch (PROGRAMME.DATE_BEFORE_LAUNCH)', () => {
      spec
        .given([launched])
        .when({ ...revise, data: { ...revise.data, effectiveDate: '2018-12-31' } })
        .thenThrows('PROGRAMME.DATE_BEFORE_LAUNCH', 'rule');
    });
  });

  describe('SignConvention', () => {
    const sign = {
      type: 'SignConvention' as const,
      data: {
        programmeId: 'au-coeur-des-territoires',
        conventionId: 'convention-acv-2019',
        title: 'Convention de partenariat Action Cœur de Ville',
        partners: ['Ministère de la Cohésion des territoires', 'Cnam'],
        durationMonths: 36,
        effectiveDate: '2019-04-01',
      },
    };

    it('records a signed convention', () => {
      spec.given([launched]).when(sign).then([{ type: 'ConventionSigned', data: sign.data }]);
    });

    it('rule: recording the same convention twice changes nothing', () => {
      spec.given([launched, { type: 'ConventionSigned', data: sign.data }]).when(sign).thenNothingHappens();
    });

    it('rule: a convention id is recorded once (CONVENTION.ALREADY_SIGNED)', () => {
      spec
        .given([launched, { type: 'ConventionSigned', data: sign.data }])
        .when({ ...sign, data: { ...sign.data, durationMonths: 24 } })
        .thenThrows('CONVENTION.ALREADY_SIGNED', 'conflict');
    });

    it('rule: a convention id that names an Object member is an ordinary new id', () => {
      const data = { ...sign.data, conventionId: 'constructor' };
      spec.given([launched]).when({ ...sign, data }).then([{ type: 'ConventionSigned', data }]);
    });

    it('rule: a convention belongs to a launched programme (PROGRAMME.NOT_FOUND)', () => {
      spec.given([]).when(sign).thenThrows('PROGRAMME.NOT_FOUND', 'not-found');
    });

    it('rule: a convention of the programme is not signed before its launch (PROGRAMME.DATE_BEFORE_LAUNCH)', () => {
      spec
        .given([launched])
        .when({ ...sign, data: { ...sign.data, effectiveDate: '2019-01-14' } })
        .thenThrows('PROGRAMME.DATE_BEFORE_LAUNCH', 'rule');
    });
  });

  describe('programmeViewOf', () => {
    it('tells the call decider whether the programme is launched, and since when', () => {
      expect(programmeViewOf(fold(programmeDecider, []), 'au-coeur-des-territoires')).toEqual({ programmeId: 'au-coeur-des-territoires', launched: false });
      expect(programmeViewOf(fold(programmeDecider, [launched]), 'au-coeur-des-territoires')).toEqual({
        programmeId: 'au-coeur-des-territoires',
        launched: true,
        launchedOn: '2019-01-15',
      });
    });
  });
});
