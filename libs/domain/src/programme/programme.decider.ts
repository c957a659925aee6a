import {
  assertDateInRange,
  assertNever,
  conflict,
  Decider,
  DomainError,
  isBefore,
  IsoDate,
  notFound,
  ProgrammeView,
  ruleBroken,
  sameData,
  VersionedMap,
} from '../shared';
import { LaunchProgramme, ProgrammeCommand } from './programme.commands';
import { ConventionSigned, ProgrammeEvent, ProgrammeLaunched, ProgrammeTargets } from './programme.events';

export type ProgrammeState =
  | { readonly status: 'not-launched' }
  | {
      readonly status: 'launched';
      readonly launched: ProgrammeLaunched['data'];
      readonly targets: ProgrammeTargets;
      /** Effective date of the targets in force: the launch, then the latest revision. */
      readonly targetsSetOn: IsoDate;
      /** Every convention by id. A `VersionedMap`, so that signing one does not copy all the others. */
      readonly conventions: VersionedMap<string, ConventionSigned['data']>;
    };

export const initialProgrammeState = (): ProgrammeState => ({ status: 'not-launched' });

export function decideProgramme(command: ProgrammeCommand, state: ProgrammeState): ProgrammeEvent[] {
  switch (command.type) {
    case 'LaunchProgramme': {
      if (state.status === 'launched') {
        if (sameData(state.launched, command.data)) return [];
        throw conflict('PROGRAMME.ALREADY_LAUNCHED', `programme ${command.data.programmeId} was already launched with other details`);
      }
      assertLaunchable(command.data);
      assertLaunchClaimed(command);
      return [{ type: 'ProgrammeLaunched', data: command.data }];
    }
    case 'ReviseProgrammeTargets': {
      const launched = requireLaunched(state, command.data.programmeId);
      if (sameData(launched.targets, command.data.targets)) return [];
      assertTargets(command.data.targets);
      if (isBefore(command.data.effectiveDate, launched.launched.effectiveDate)) {
        throw ruleBroken('PROGRAMME.DATE_BEFORE_LAUNCH', 'targets cannot be revised before the programme was launched', {
          field: 'effectiveDate',
        });
      }
      // Targets in force are those of the latest revision: a revision dated earlier would be silently outranked.
      if (isBefore(command.data.effectiveDate, launched.targetsSetOn)) {
        throw ruleBroken(
          'PROGRAMME.REVISED_BEFORE_LAST_REVISION',
          `les objectifs ne peuvent pas être révisés à une date (${command.data.effectiveDate}) antérieure à leur dernière révision (${launched.targetsSetOn})`,
          { field: 'effectiveDate', effectiveDate: command.data.effectiveDate, lastRevisedOn: launched.targetsSetOn },
        );
      }
      assertTargetDate(command.data.targets, launched.launched.effectiveDate);
      return [{ type: 'ProgrammeTargetsRevised', data: { ...command.data, previousTargets: launched.targets } }];
    }
    case 'SignConvention': {
      const launched = requireLaunched(state, command.data.programmeId);
      const existing = launched.conventions.get(command.data.conventionId);
      if (existing) {
        if (sameData(existing, command.data)) return [];
        throw conflict('CONVENTION.ALREADY_SIGNED', `convention ${command.data.conventionId} was already recorded with other details`);
      }
      if (isBefore(command.data.effectiveDate, launched.launched.effectiveDate)) {
        throw ruleBroken(
          'PROGRAMME.DATE_BEFORE_LAUNCH',
          `une convention du programme ne peut pas être signée (${command.data.effectiveDate}) avant son lancement (${launched.launched.effectiveDate})`,
          { field: 'effectiveDate', launchedOn: launched.launched.effectiveDate },
        );
      }
      return [{ type: 'ConventionSigned', data: command.data }];
    }
    default:
      return assertNever(command);
  }
}

export function evolveProgramme(state: ProgrammeState, event: ProgrammeEvent): ProgrammeState {
  switch (event.type) {
    case 'ProgrammeLaunched':
      return {
        status: 'launched',
        launched: event.data,
        targets: event.data.targets,
        targetsSetOn: event.data.effectiveDate,
        conventions: VersionedMap.empty(),
      };
    case 'ProgrammeTargetsRevised':
      return state.status === 'launched' ? { ...state, targets: event.data.targets, targetsSetOn: event.data.effectiveDate } : state;
    case 'ConventionSigned':
      return state.status === 'launched' ? { ...state, conventions: state.conventions.set(event.data.conventionId, event.data) } : state;
    default:
      return assertNever(event);
  }
}

export const programmeDecider: Decider<ProgrammeCommand, ProgrammeEvent, ProgrammeState> = {
  decide: decideProgramme,
  evolve: evolveProgramme,
  initialState: initialProgrammeState,
};

/** What other deciders (call) may know of a programme. */
export function programmeViewOf(state: ProgrammeState, programmeId: string): ProgrammeView {
  return state.status === 'launched' ? { programmeId, launched: true, launchedOn: state.launched.effectiveDate } : { programmeId, launched: false };
}

/** What a launch must satisfy: the registry's claim checks it too, so that a claim is never left for a launch that would be refused. */
export function assertLaunchable(data: ProgrammeLaunched['data']): void {
  assertTargets(data.targets);
  assertDateInRange(data.effectiveDate, 'effectiveDate');
  assertTargetDate(data.targets, data.effectiveDate);
}

/** An installation follows one programme (docs/decisions/0061): `followed` is it, `programmeId` another. */
export function anotherProgrammeLaunched(followed: { readonly programmeId: string; readonly name: string }, programmeId: string): DomainError {
  return conflict(
    'PROGRAMME.ANOTHER_LAUNCHED',
    `cette installation de Jalon suit déjà le programme « ${followed.name} » (${followed.programmeId}) : une installation suit un seul programme, ${programmeId} n’y est pas lancé`,
    { field: 'programmeId', programmeId: followed.programmeId, name: followed.name },
  );
}

/**
 * One programme per installation: the launch must first have been claimed on the installation's
 * registry (`ProgrammeClaimed`), which names one programme only (docs/decisions/0061).
 */
function assertLaunchClaimed({ data, context: { registry } }: LaunchProgramme): void {
  const claimed = registry.claimed;
  if (claimed !== undefined && claimed.programmeId !== data.programmeId) throw anotherProgrammeLaunched(claimed, data.programmeId);
  if (claimed === undefined) {
    throw conflict('PROGRAMME.LAUNCH_NOT_CLAIMED', `le lancement du programme ${data.programmeId} n’a pas été engagé sur le registre de l’installation`, {
      field: 'programmeId',
    });
  }
}

function requireLaunched(state: ProgrammeState, programmeId: string) {
  if (state.status !== 'launched') throw notFound('PROGRAMME.NOT_FOUND', `programme ${programmeId} has not been launched`);
  return state;
}

function assertTargets(targets: ProgrammeTargets): void {
  if (!Number.isSafeInteger(targets.antennaCount) || targets.antennaCount <= 0) {
    throw ruleBroken('PROGRAMME.INVALID_TARGET', 'the antenna target must be a positive whole number', { field: 'targets.antennaCount' });
  }
}

/** The target date is a plan: within the calendar's bounds, and not before the programme was launched. */
function assertTargetDate(targets: ProgrammeTargets, launchedOn: IsoDate): void {
  assertDateInRange(targets.targetDate, 'targets.targetDate');
  if (isBefore(targets.targetDate, launchedOn)) {
    throw ruleBroken(
      'PROGRAMME.TARGET_DATE_BEFORE_LAUNCH',
      `l’échéance des objectifs (${targets.targetDate}) précède le lancement du programme (${launchedOn})`,
      { field: 'targets.targetDate', targetDate: targets.targetDate, launchedOn },
    );
  }
}
