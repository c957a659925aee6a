import {
  PROGRAMME_REGISTRY_STREAM,
  ProgrammeLaunched,
  programmeDecider,
  programmeRegistryDecider,
  programmeRegistryViewOf,
  streamIdOf,
} from '@jalon/domain';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsOptional, Max, Min } from 'class-validator';
import { defineCommand } from '../command-handling/command-definition';
import { PROGRAMME_WRITERS } from '../identity/roles';
import { NestedObject } from '../validation/nested.decorators';
import { IsIsoDate, IsParagraph, IsSlug, IsText } from '../validation/text.decorators';

export class ProgrammeTargetsInput {
  /** Number of antennas to open… */
  @IsInt()
  @Min(1)
  @Max(10_000)
  antennaCount!: number;

  /** …by this date. */
  @IsIsoDate()
  targetDate!: string;
}

export class LaunchProgrammeInput {
  @IsSlug()
  programmeId!: string;
  @IsText(200)
  name!: string;
  @IsText(200)
  operator!: string;
  @IsOptional()
  @IsParagraph(2000)
  description?: string;
  @NestedObject(() => ProgrammeTargetsInput)
  targets!: ProgrammeTargetsInput;
  @IsIsoDate()
  effectiveDate!: string;
}

export class ReviseProgrammeTargetsInput {
  @IsSlug()
  programmeId!: string;
  @NestedObject(() => ProgrammeTargetsInput)
  targets!: ProgrammeTargetsInput;
  @IsParagraph(1000)
  reason!: string;
  @IsIsoDate()
  effectiveDate!: string;
}

export class SignConventionInput {
  @IsSlug()
  programmeId!: string;
  @IsSlug()
  conventionId!: string;
  @IsText(300)
  title!: string;
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsText(200, { each: true })
  partners!: string[];
  @IsInt()
  @Min(1)
  @Max(240)
  durationMonths!: number;
  @IsIsoDate()
  effectiveDate!: string;
}

const programmeStream = (input: { programmeId: string }) => streamIdOf('programme', input.programmeId);

/**
 * The first step of a launch (see `runCommand`): the installation's registry claims the programme,
 * with its expected revision, so that two launches of different programmes cannot both pass
 * (docs/decisions/0061-one-programme-per-installation.md). Not in the catalogue: it only ever runs
 * as part of LaunchProgramme, with the same input, roles and validation.
 */
export const claimProgramme = defineCommand({
  name: 'ClaimProgramme',
  summary: 'Réserver l’installation au programme lancé (première étape de son lancement)',
  input: LaunchProgrammeInput,
  roles: PROGRAMME_WRITERS,
  decider: programmeRegistryDecider,
  streamId: () => PROGRAMME_REGISTRY_STREAM,
  loadContext: async (_input, loader) => {
    const registry = await loader.state(programmeRegistryDecider, PROGRAMME_REGISTRY_STREAM);
    if (registry.status === 'claimed') return {};
    // An empty registry on a history recorded before it: the programme launched then is the one followed.
    const launched = (await loader.firstOfType('ProgrammeLaunched')) as ProgrammeLaunched | undefined;
    return launched ? { launchedBefore: { programmeId: launched.data.programmeId, name: launched.data.name } } : {};
  },
  toCommand: (input, context) => ({ type: 'ClaimProgramme' as const, data: input, context }),
});

export const programmeCommands = [
  defineCommand({
    name: 'LaunchProgramme',
    summary: 'Lancer un programme (opérateur, objectifs)',
    input: LaunchProgrammeInput,
    roles: PROGRAMME_WRITERS,
    decider: programmeDecider,
    streamId: programmeStream,
    // Run through `runCommand`, which claims the programme on the installation's registry first: on
    // its own, this step refuses a launch the registry has not claimed (PROGRAMME.LAUNCH_NOT_CLAIMED).
    loadContext: async (_input, loader) => ({
      registry: programmeRegistryViewOf(await loader.state(programmeRegistryDecider, PROGRAMME_REGISTRY_STREAM)),
    }),
    toCommand: (input, context) => ({ type: 'LaunchProgramme' as const, data: input, context }),
  }),
  defineCommand({
    name: 'ReviseProgrammeTargets',
    summary: 'Réviser les objectifs d’un programme (avec un motif)',
    input: ReviseProgrammeTargetsInput,
    roles: PROGRAMME_WRITERS,
    decider: programmeDecider,
    streamId: programmeStream,
    toCommand: (input) => ({ type: 'ReviseProgrammeTargets' as const, data: input }),
  }),
  defineCommand({
    name: 'SignConvention',
    summary: 'Enregistrer une convention signée',
    input: SignConventionInput,
    roles: PROGRAMME_WRITERS,
    decider: programmeDecider,
    streamId: programmeStream,
    toCommand: (input) => ({ type: 'SignConvention' as const, data: input }),
  }),
];
