import { programmeDecider, streamIdOf } from '@jalon/domain';
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

export const programmeCommands = [
  defineCommand({
    name: 'LaunchProgramme',
    summary: 'Lancer un programme (opérateur, objectifs)',
    input: LaunchProgrammeInput,
    roles: PROGRAMME_WRITERS,
    decider: programmeDecider,
    streamId: programmeStream,
    toCommand: (input) => ({ type: 'LaunchProgramme' as const, data: input }),
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
