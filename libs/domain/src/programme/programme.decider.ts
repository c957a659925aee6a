import { assertNever, conflict, Decider, notFound, ruleBroken, sameData, VersionedMap } from '../shared';
import { ProgrammeCommand } from './programme.commands';
import { ConventionSigned, ProgrammeEvent, ProgrammeLaunched, ProgrammeTargets } from './programme.events';

export type ProgrammeState =
  | { readonly status: 'not-launched' }
  | {
      readonly status: 'launched';
      readonly launched: ProgrammeLaunched['data'];
      readonly targets: ProgrammeTargets;
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
      assertTargets(command.data.targets);
      return [{ type: 'ProgrammeLaunched', data: command.data }];
    }
    case 'ReviseProgrammeTargets': {
      const launched = requireLaunched(state, command.data.programmeId);
      if (sameData(launched.targets, command.data.targets)) return [];
      assertTargets(command.data.targets);
      if (command.data.effectiveDate < launched.launched.effectiveDate) {
        throw ruleBroken('PROGRAMME.DATE_BEFORE_LAUNCH', 'targets cannot be revised before the programme was launched', {
          field: 'effectiveDate',
        });
      }
      return [{ type: 'ProgrammeTargetsRevised', data: { ...command.data, previousTargets: launched.targets } }];
    }
    case 'SignConvention': {
      const launched = requireLaunched(state, command.data.programmeId);
      const existing = launched.conventions.get(command.data.conventionId);
      if (existing) {
        if (sameData(existing, command.data)) return [];
        throw conflict('CONVENTION.ALREADY_SIGNED', `convention ${command.data.conventionId} was already recorded with other details`);
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
      return { status: 'launched', launched: event.data, targets: event.data.targets, conventions: VersionedMap.empty() };
    case 'ProgrammeTargetsRevised':
      return state.status === 'launched' ? { ...state, targets: event.data.targets } : state;
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

function requireLaunched(state: ProgrammeState, programmeId: string) {
  if (state.status !== 'launched') throw notFound('PROGRAMME.NOT_FOUND', `programme ${programmeId} has not been launched`);
  return state;
}

function assertTargets(targets: ProgrammeTargets): void {
  if (!Number.isSafeInteger(targets.antennaCount) || targets.antennaCount <= 0) {
    throw ruleBroken('PROGRAMME.INVALID_TARGET', 'the antenna target must be a positive whole number', { field: 'targets.antennaCount' });
  }
}
