import { Message } from '../shared';
import { ConventionSigned, ProgrammeLaunched } from './programme.events';

export type LaunchProgramme = Message<'LaunchProgramme', ProgrammeLaunched['data']>;
export type ReviseProgrammeTargets = Message<
  'ReviseProgrammeTargets',
  Omit<import('./programme.events').ProgrammeTargetsRevised['data'], 'previousTargets'>
>;
export type SignConvention = Message<'SignConvention', ConventionSigned['data']>;

export type ProgrammeCommand = LaunchProgramme | ReviseProgrammeTargets | SignConvention;
