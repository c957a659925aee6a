import { specificationFor } from '../testing/decider-specification';
import { ProgrammeLaunched } from './programme.events';
import { programmeDecider } from './programme.decider';

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

describe('programme decider', () => {
  describe('LaunchProgramme', () => {
    it('records the launch of a new programme', () => {
      spec.given([]).when({ type: 'LaunchProgramme', data: launched.data }).then([launched]);
    });

    it('rule: launching the same programme again with the same details changes nothing', () => {
      spec.given([launched]).when({ type: 'LaunchProgramme', data: launched.data }).thenNothingHappens();
    });

    it('rule: a programme is launched once (PROGRAMME.ALREADY_LAUNCHED)', () => {
      spec
        .given([launched])
        .when({ type: 'LaunchProgramme', data: { ...launched.data, name: 'Autre' } })
        .thenThrows('PROGRAMME.ALREADY_LAUNCHED', 'conflict');
    });

    it('rule: the antenna target is a positive whole number (PROGRAMME.INVALID_TARGET)', () => {
      spec
        .given([])
        .when({ type: 'LaunchProgramme', data: { ...launched.data, targets: { antennaCount: 0, targetDate: '2022-12-31' } } })
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
  });
});
