import {
  callDecider,
  callViewOf,
  candidacyDecider,
  candidacyIdOf,
  candidacyViewOf,
  isSlug,
  PartnerKind,
  recordedSubmissionOf,
  registeredOnOf,
  streamIdOf,
  TerritoryKind,
} from '@jalon/domain';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  Max,
  Min,
  registerDecorator,
  ValidationArguments,
  ValidationOptions,
} from 'class-validator';
import { defineCommand } from '../command-handling/command-definition';
import { PROGRAMME_WRITERS } from '../identity/roles';
import { NestedList, NestedObject } from '../validation/nested.decorators';
import { IsCents, IsIsoDate, IsParagraph, IsSlug, IsText } from '../validation/text.decorators';

// The domain declares these as union types only; a record keyed by the union keeps each list
// complete (a kind added to the domain and missing here is a compile error).
const TERRITORY_KIND_SET: Record<TerritoryKind, true> = { commune: true, agglomeration: true, 'employment-area': true };
export const TERRITORY_KINDS = Object.keys(TERRITORY_KIND_SET) as TerritoryKind[];

const PARTNER_KIND_SET: Record<PartnerKind, true> = {
  academic: true,
  'local-authority': true,
  employer: true,
  'training-provider': true,
  'employment-service': true,
  other: true,
};
export const PARTNER_KINDS = Object.keys(PARTNER_KIND_SET) as PartnerKind[];

/** `<callId>--<territoryId>`, both slugs (see `candidacyIdOf`): a plain slug never has a double hyphen. */
export function isCandidacyId(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const parts = value.split('--');
  return parts.length === 2 && parts.every(isSlug);
}

export function IsCandidacyId(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCandidacyId',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: (a: ValidationArguments) =>
          `${a.property} doit être un identifiant de candidature <appel>--<territoire> (ex. ami-2--pays-de-montbeliard)`,
        ...options,
      },
      validator: { validate: isCandidacyId },
    });
}

const MAX_COUNT = 100_000_000;
const percent = { message: (a: ValidationArguments) => `${a.property} doit être un pourcentage (nombre entre 0 et 100)` };

export class TerritoryFiguresInput {
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_COUNT)
  jobs?: number;
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_COUNT)
  companies?: number;
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_COUNT)
  students?: number;
  /** Share of employment in industry, in percent (0–100). */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, percent)
  @Min(0)
  @Max(100)
  industrialEmploymentPercent?: number;
  /** Share of the population below baccalauréat level, in percent (0–100). */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, percent)
  @Min(0)
  @Max(100)
  belowBaccalaureatePercent?: number;
}

export class TerritoryInput {
  /** Slug, part of the candidacy id: `<callId>--<territory.id>`. */
  @IsSlug()
  id!: string;
  @IsText(200)
  name!: string;
  @IsIn(TERRITORY_KINDS)
  kind!: TerritoryKind;
  @IsText(100)
  region!: string;
  @IsOptional()
  @IsText(100)
  department?: string;
  @IsBoolean()
  actionCoeurDeVille!: boolean;
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_COUNT)
  population?: number;
  @NestedObject(() => TerritoryFiguresInput, { optional: true })
  figures?: TerritoryFiguresInput;
}

export class CandidacyPartnerInput {
  @IsText(200)
  name!: string;
  @IsIn(PARTNER_KINDS)
  kind!: PartnerKind;
}

export class SubmitCandidacyInput {
  /** Route parameter (`calls/:callId/candidacies`). */
  @IsSlug()
  callId!: string;
  @NestedObject(() => TerritoryInput)
  territory!: TerritoryInput;
  @NestedList(() => CandidacyPartnerInput, { max: 100 })
  partners!: CandidacyPartnerInput[];
  @IsArray()
  @ArrayMaxSize(50)
  @IsText(500, { each: true })
  trainingNeeds!: string[];
  @IsOptional()
  @IsCents()
  projectedBudgetCents?: number;
  @IsIsoDate()
  effectiveDate!: string;
}

export class AddCandidacyPartnerInput {
  @IsCandidacyId()
  candidacyId!: string;
  @NestedObject(() => CandidacyPartnerInput)
  partner!: CandidacyPartnerInput;
  @IsIsoDate()
  effectiveDate!: string;
}

export class SelectCandidacyInput {
  @IsCandidacyId()
  candidacyId!: string;
  /** Why the candidacy was chosen. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsText(300, { each: true })
  criteria!: string[];
  @IsIsoDate()
  effectiveDate!: string;
}

export class RejectCandidacyInput {
  @IsCandidacyId()
  candidacyId!: string;
  @IsParagraph(1000)
  reason!: string;
  @IsIsoDate()
  effectiveDate!: string;
}

export class WithdrawCandidacyInput {
  @IsCandidacyId()
  candidacyId!: string;
  @IsParagraph(1000)
  reason!: string;
  @IsIsoDate()
  effectiveDate!: string;
}

const candidacyStream = (input: { candidacyId: string }) => streamIdOf('candidacy', input.candidacyId);
// One candidacy per territory per call: the id is derived, never chosen by the client.
const submittedCandidacyId = (input: SubmitCandidacyInput) => candidacyIdOf(input.callId, input.territory.id);

/**
 * The first step of a submission (docs/decisions/0062, run by `runCommand` before
 * `SubmitCandidacy`): the call registers the candidacy on its own stream, so that its closing can
 * never precede a candidacy it received.
 */
export const registerCallCandidacy = defineCommand({
  name: 'RegisterCallCandidacy',
  summary: 'Inscrire une candidature à son appel (première étape de son dépôt)',
  input: SubmitCandidacyInput,
  roles: PROGRAMME_WRITERS,
  decider: callDecider,
  streamId: (input) => streamIdOf('call', input.callId),
  loadContext: async (input, loader) => {
    const candidacyId = submittedCandidacyId(input);
    const state = await loader.state(candidacyDecider, streamIdOf('candidacy', candidacyId));
    const submission = recordedSubmissionOf(state);
    return { candidacy: candidacyViewOf(state, candidacyId), ...(submission ? { submission } : {}) };
  },
  toCommand: (input, context) => ({ type: 'RegisterCallCandidacy' as const, data: input, context }),
});

export const candidacyCommands = [
  defineCommand({
    name: 'SubmitCandidacy',
    summary: 'Déposer la candidature d’un territoire à un appel ouvert',
    input: SubmitCandidacyInput,
    roles: PROGRAMME_WRITERS,
    decider: candidacyDecider,
    streamId: (input) => streamIdOf('candidacy', submittedCandidacyId(input)),
    loadContext: async (input, loader) => {
      const call = await loader.state(callDecider, streamIdOf('call', input.callId));
      const registeredOn = registeredOnOf(call, submittedCandidacyId(input));
      return { call: callViewOf(call, input.callId), ...(registeredOn !== undefined ? { registeredOn } : {}) };
    },
    toCommand: (input, context) => ({ type: 'SubmitCandidacy' as const, data: input, context }),
  }),
  defineCommand({
    name: 'AddCandidacyPartner',
    summary: 'Ajouter un partenaire à une candidature',
    input: AddCandidacyPartnerInput,
    roles: PROGRAMME_WRITERS,
    decider: candidacyDecider,
    streamId: candidacyStream,
    toCommand: (input) => ({ type: 'AddCandidacyPartner' as const, data: input }),
  }),
  defineCommand({
    name: 'SelectCandidacy',
    summary: 'Retenir une candidature (lauréate), avec les critères du choix',
    input: SelectCandidacyInput,
    roles: PROGRAMME_WRITERS,
    decider: candidacyDecider,
    streamId: candidacyStream,
    toCommand: (input) => ({ type: 'SelectCandidacy' as const, data: input }),
  }),
  defineCommand({
    name: 'RejectCandidacy',
    summary: 'Écarter une candidature (avec un motif)',
    input: RejectCandidacyInput,
    roles: PROGRAMME_WRITERS,
    decider: candidacyDecider,
    streamId: candidacyStream,
    toCommand: (input) => ({ type: 'RejectCandidacy' as const, data: input }),
  }),
  defineCommand({
    name: 'WithdrawCandidacy',
    summary: 'Enregistrer le retrait d’une candidature par le territoire (avec un motif)',
    input: WithdrawCandidacyInput,
    roles: PROGRAMME_WRITERS,
    decider: candidacyDecider,
    streamId: candidacyStream,
    toCommand: (input) => ({ type: 'WithdrawCandidacy' as const, data: input }),
  }),
];
