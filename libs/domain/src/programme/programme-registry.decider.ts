import { assertNever, Decider, ProgrammeRegistryView } from '../shared';
import { ProgrammeRegistryCommand } from './programme-registry.commands';
import { ProgrammeClaimed, ProgrammeRegistryEvent } from './programme-registry.events';
import { anotherProgrammeLaunched, assertLaunchable } from './programme.decider';

export type ProgrammeRegistryState = { readonly status: 'unclaimed' } | { readonly status: 'claimed'; readonly claim: ProgrammeClaimed['data'] };

export const initialProgrammeRegistryState = (): ProgrammeRegistryState => ({ status: 'unclaimed' });

/**
 * An installation follows one programme (docs/decisions/0061). Its registry, one stream appended
 * with its expected revision, claims the first programme launched; a claim for another is refused,
 * even when two launches run at the same time, and the same claim again changes nothing.
 */
export function decideProgrammeRegistry(command: ProgrammeRegistryCommand, state: ProgrammeRegistryState): ProgrammeRegistryEvent[] {
  switch (command.type) {
    case 'ClaimProgramme': {
      const { data } = command;
      // A history recorded before the registry: the programme it launched is the one followed.
      const followed = state.status === 'claimed' ? state.claim : command.context.launchedBefore;
      if (followed !== undefined && followed.programmeId !== data.programmeId) throw anotherProgrammeLaunched(followed, data.programmeId);
      // A retry completes an interrupted launch, and a programme launched before the registry needs no
      // claim (no other can be claimed beside it): the programme's own stream judges the details, and
      // a launch it refuses leaves nothing written.
      if (followed !== undefined) return [];
      // Checked here too: a claim is never left behind for a launch that its rules refuse.
      assertLaunchable(data);
      return [{ type: 'ProgrammeClaimed', data: { programmeId: data.programmeId, name: data.name, effectiveDate: data.effectiveDate } }];
    }
    default:
      return assertNever(command.type);
  }
}

export function evolveProgrammeRegistry(state: ProgrammeRegistryState, event: ProgrammeRegistryEvent): ProgrammeRegistryState {
  switch (event.type) {
    case 'ProgrammeClaimed':
      // Only the first claim ever counts: the decider never records a second one.
      return state.status === 'claimed' ? state : { status: 'claimed', claim: event.data };
    default:
      return assertNever(event.type);
  }
}

export const programmeRegistryDecider: Decider<ProgrammeRegistryCommand, ProgrammeRegistryEvent, ProgrammeRegistryState> = {
  decide: decideProgrammeRegistry,
  evolve: evolveProgrammeRegistry,
  initialState: initialProgrammeRegistryState,
};

/** What the launch step may know of the registry. */
export function programmeRegistryViewOf(state: ProgrammeRegistryState): ProgrammeRegistryView {
  return state.status === 'claimed' ? { claimed: { programmeId: state.claim.programmeId, name: state.claim.name } } : {};
}
