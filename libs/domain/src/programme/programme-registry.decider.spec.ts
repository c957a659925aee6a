import { DomainError } from '../shared';
import { specificationFor } from '../testing/decider-specification';
import { ClaimProgramme } from './programme-registry.commands';
import { ProgrammeClaimed } from './programme-registry.events';
import { programmeRegistryDecider, programmeRegistryViewOf } from './programme-registry.decider';
import { fold } from '../shared';

const spec = specificationFor(programmeRegistryDecider);

const launch = {
  programmeId: 'au-coeur-des-territoires',
  name: 'Au cœur des territoires',
  operator: 'Cnam',
  targets: { antennaCount: 100, targetDate: '2022-12-31' },
  effectiveDate: '2019-01-15',
};
const claim: ClaimProgramme = { type: 'ClaimProgramme', data: launch, context: {} };
const claimed: ProgrammeClaimed = {
  type: 'ProgrammeClaimed',
  data: { programmeId: 'au-coeur-des-territoires', name: 'Au cœur des territoires', effectiveDate: '2019-01-15' },
};
const another: ClaimProgramme = { ...claim, data: { ...launch, programmeId: 'autre-programme', name: 'Autre programme' } };

describe('programme registry decider (first step of a launch, docs/decisions/0061)', () => {
  it('claims the first programme launched on the installation', () => {
    spec.given([]).when(claim).then([claimed]);
  });

  it('rule: the same claim again changes nothing, whatever its details (the programme’s stream judges them)', () => {
    spec.given([claimed]).when(claim).thenNothingHappens();
    spec.given([claimed]).when({ ...claim, data: { ...launch, name: 'Autre nom', effectiveDate: '2019-02-01' } }).thenNothingHappens();
  });

  it('rule: an installation follows one programme: a claim for another is refused (PROGRAMME.ANOTHER_LAUNCHED), naming the programme followed', () => {
    spec.given([claimed]).when(another).thenThrows('PROGRAMME.ANOTHER_LAUNCHED', 'conflict');
    let refusal: unknown;
    try {
      programmeRegistryDecider.decide(another, fold(programmeRegistryDecider, [claimed]));
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(DomainError);
    expect((refusal as DomainError).message).toBe(
      'cette installation de Jalon suit déjà le programme « Au cœur des territoires » (au-coeur-des-territoires) : une installation suit un seul programme, autre-programme n’y est pas lancé',
    );
    expect((refusal as DomainError).details).toEqual({ field: 'programmeId', programmeId: 'au-coeur-des-territoires', name: 'Au cœur des territoires' });
  });

  it('rule: on a history recorded before the registry, the programme it launched is the one followed: another is refused, its own claim changes nothing', () => {
    const launchedBefore = { programmeId: 'au-coeur-des-territoires', name: 'Au cœur des territoires' };
    spec.given([]).when({ ...another, context: { launchedBefore } }).thenThrows('PROGRAMME.ANOTHER_LAUNCHED', 'conflict');
    spec.given([]).when({ ...claim, context: { launchedBefore } }).thenNothingHappens();
  });

  it('rule: a claim checks what the launch checks, so that none is left for a launch its rules refuse', () => {
    spec.given([]).when({ ...claim, data: { ...launch, targets: { antennaCount: 100, targetDate: '2018-12-31' } } }).thenThrows('PROGRAMME.TARGET_DATE_BEFORE_LAUNCH', 'rule');
    spec.given([]).when({ ...claim, data: { ...launch, targets: { antennaCount: 0, targetDate: '2022-12-31' } } }).thenThrows('PROGRAMME.INVALID_TARGET', 'rule');
    spec.given([]).when({ ...claim, data: { ...launch, effectiveDate: '1899-12-31' } }).thenThrows('DATE.OUT_OF_RANGE', 'rule');
  });

  it('tells the launch step which programme it claims, once it claims one', () => {
    expect(programmeRegistryViewOf(fold(programmeRegistryDecider, []))).toEqual({});
    expect(programmeRegistryViewOf(fold(programmeRegistryDecider, [claimed]))).toEqual({ claimed: { programmeId: 'au-coeur-des-territoires', name: 'Au cœur des territoires' } });
  });
});
