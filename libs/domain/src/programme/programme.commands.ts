import { Message, ProgrammeRegistryView } from '../shared';
import { ConventionSigned, ProgrammeLaunched } from './programme.events';

/**
 * Launching a programme needs the installation's registry (docs/decisions/0061): the application
 * folds its stream and passes its view. The launch goes ahead only once the registry names it.
 */
export interface LaunchProgramme extends Message<'LaunchProgramme', ProgrammeLaunched['data']> {
  readonly context: { readonly registry: ProgrammeRegistryView };
}
export type ReviseProgrammeTargets = Message<
  'ReviseProgrammeTargets',
  Omit<import('./programme.events').ProgrammeTargetsRevised['data'], 'previousTargets'>
>;
export type SignConvention = Message<'SignConvention', ConventionSigned['data']>;

export type ProgrammeCommand = LaunchProgramme | ReviseProgrammeTargets | SignConvention;
