import { callDecider, programmeDecider, programmeViewOf, streamIdOf } from '@jalon/domain';
import { ArrayMaxSize, IsArray, IsInt, Max, Min } from 'class-validator';
import { defineCommand } from '../command-handling/command-definition';
import { PROGRAMME_WRITERS } from '../identity/roles';
import { IsIsoDate, IsSlug, IsText } from '../validation/text.decorators';

export class OpenCallForApplicationsInput {
  @IsSlug()
  callId!: string;
  @IsSlug()
  programmeId!: string;
  @IsText(300)
  title!: string;
  /** Rank of the call within its programme: 2 for the second AMI. */
  @IsInt()
  @Min(1)
  @Max(1_000)
  number!: number;
  @IsIsoDate()
  opensOn!: string;
  @IsIsoDate()
  closesOn!: string;
  @IsArray()
  @ArrayMaxSize(50)
  @IsText(300, { each: true })
  criteria!: string[];
  @IsIsoDate()
  effectiveDate!: string;
}

export class CloseCallForApplicationsInput {
  @IsSlug()
  callId!: string;
  @IsIsoDate()
  effectiveDate!: string;
}

const callStream = (input: { callId: string }) => streamIdOf('call', input.callId);

export const callCommands = [
  defineCommand({
    name: 'OpenCallForApplications',
    summary: 'Ouvrir un appel à manifestation d’intérêt (AMI) d’un programme lancé',
    input: OpenCallForApplicationsInput,
    roles: PROGRAMME_WRITERS,
    decider: callDecider,
    streamId: callStream,
    loadContext: async (input, loader) => ({
      programme: programmeViewOf(await loader.state(programmeDecider, streamIdOf('programme', input.programmeId)), input.programmeId),
    }),
    toCommand: (input, context) => ({ type: 'OpenCallForApplications' as const, data: input, context }),
  }),
  defineCommand({
    name: 'CloseCallForApplications',
    summary: 'Clore un appel à manifestation d’intérêt',
    input: CloseCallForApplicationsInput,
    roles: PROGRAMME_WRITERS,
    decider: callDecider,
    streamId: callStream,
    toCommand: (input) => ({ type: 'CloseCallForApplications' as const, data: input }),
  }),
];
