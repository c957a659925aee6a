import { Message } from '../shared';
import { ProgrammeLaunched } from './programme.events';

/**
 * The first step of a launch (docs/decisions/0061): the installation's registry claims the
 * programme, with the launch's own data. `launchedBefore` is read only while the registry is
 * empty: a programme launched before the registry existed (the first `ProgrammeLaunched` of the
 * log), which no claim names.
 */
export interface ClaimProgramme extends Message<'ClaimProgramme', ProgrammeLaunched['data']> {
  readonly context: { readonly launchedBefore?: { readonly programmeId: string; readonly name: string } };
}

export type ProgrammeRegistryCommand = ClaimProgramme;
