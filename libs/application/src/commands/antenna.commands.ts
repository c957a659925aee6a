import { antennaDecider, antennaViewOf, candidacyDecider, candidacyViewOf, streamIdOf, TrainingMode } from '@jalon/domain';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { defineCommand } from '../command-handling/command-definition';
import { PROGRAMME_WRITERS } from '../identity/roles';
import { IsIsoDate, IsParagraph, IsSlug, IsText } from '../validation/text.decorators';
import { loadFundingFacts, loadLatestBudgetFactOn } from './antenna-context';
import { IsCandidacyId } from './candidacy.commands';

// The domain declares the modes as a union type only; a record keyed by it keeps the list complete.
const TRAINING_MODE_SET: Record<TrainingMode, true> = { distance: true, hybrid: true, 'on-site': true, 'work-study': true };
export const TRAINING_MODES = Object.keys(TRAINING_MODE_SET) as TrainingMode[];

/** A calendar month, `YYYY-MM`. */
export const PERIOD_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

export class OpenAntennaInput {
  @IsSlug()
  antennaId!: string;
  /** The selected candidacy the antenna comes from; call, programme and territory are taken from it. */
  @IsCandidacyId()
  candidacyId!: string;
  @IsText(200)
  name!: string;
  @IsText(200)
  town!: string;
  @IsIsoDate()
  effectiveDate!: string;
}

export class PlanPhaseInput {
  @IsSlug()
  antennaId!: string;
  @IsSlug()
  phaseId!: string;
  @IsText(300)
  name!: string;
  @IsOptional()
  @IsText(300)
  site?: string;
  @IsIsoDate()
  plannedStart!: string;
  @IsIsoDate()
  plannedEnd!: string;
  @IsIsoDate()
  effectiveDate!: string;
}

export class StartPhaseInput {
  @IsSlug()
  antennaId!: string;
  @IsSlug()
  phaseId!: string;
  @IsIsoDate()
  effectiveDate!: string;
}

export class ReachMilestoneInput {
  @IsSlug()
  antennaId!: string;
  @IsSlug()
  phaseId!: string;
  @IsSlug()
  milestoneId!: string;
  @IsText(300)
  name!: string;
  @IsIsoDate()
  effectiveDate!: string;
}

export class ReschedulePhaseInput {
  @IsSlug()
  antennaId!: string;
  @IsSlug()
  phaseId!: string;
  @IsIsoDate()
  plannedStart!: string;
  @IsIsoDate()
  plannedEnd!: string;
  @IsParagraph(1000)
  reason!: string;
  @IsIsoDate()
  effectiveDate!: string;
}

export class CompletePhaseInput {
  @IsSlug()
  antennaId!: string;
  @IsSlug()
  phaseId!: string;
  @IsIsoDate()
  effectiveDate!: string;
}

export class InaugurateAntennaInput {
  @IsSlug()
  antennaId!: string;
  @IsText(300)
  place!: string;
  @IsIsoDate()
  effectiveDate!: string;
}

export class OpenTrainingCourseInput {
  @IsSlug()
  antennaId!: string;
  @IsSlug()
  courseId!: string;
  @IsText(300)
  title!: string;
  @IsText(100)
  sector!: string;
  @IsText(50)
  level!: string;
  @IsIn(TRAINING_MODES)
  mode!: TrainingMode;
  @IsIsoDate()
  effectiveDate!: string;
}

export class ReportLearnersInput {
  @IsSlug()
  antennaId!: string;
  @Matches(PERIOD_PATTERN, { message: 'period doit être un mois au format AAAA-MM (ex. 2021-09)' })
  period!: string;
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  learners!: number;
  /** Required by the domain when the month was already reported (a correction). */
  @IsOptional()
  @IsParagraph(1000)
  reason?: string;
  @IsIsoDate()
  effectiveDate!: string;
}

export class SuspendAntennaInput {
  @IsSlug()
  antennaId!: string;
  @IsParagraph(1000)
  reason!: string;
  @IsIsoDate()
  effectiveDate!: string;
}

export class ResumeAntennaInput {
  @IsSlug()
  antennaId!: string;
  @IsIsoDate()
  effectiveDate!: string;
}

export class CloseAntennaInput {
  @IsSlug()
  antennaId!: string;
  @IsParagraph(1000)
  reason!: string;
  @IsIsoDate()
  effectiveDate!: string;
}

const antennaStream = (input: { antennaId: string }) => streamIdOf('antenna', input.antennaId);

/**
 * The first step of opening an antenna (see `runCommand`): claims the candidacy's one antenna on
 * the candidacy's stream, with its expected revision, so that two openings from one candidacy
 * cannot both pass (docs/decisions/0012-one-antenna-per-candidacy.md). Not in the catalogue:
 * it only ever runs as part of OpenAntenna, with the same input, roles and validation.
 */
export const assignCandidacyAntenna = defineCommand({
  name: 'AssignCandidacyAntenna',
  summary: 'Réserver l’antenne d’une candidature retenue (première étape de son ouverture)',
  input: OpenAntennaInput,
  roles: PROGRAMME_WRITERS,
  decider: candidacyDecider,
  streamId: (input) => streamIdOf('candidacy', input.candidacyId),
  loadContext: async (input, loader) => {
    const antennaView = async (antennaId: string) => antennaViewOf(await loader.state(antennaDecider, streamIdOf('antenna', antennaId)), antennaId);
    const candidacy = candidacyViewOf(await loader.state(candidacyDecider, streamIdOf('candidacy', input.candidacyId)), input.candidacyId);
    const assigned = candidacy.antennaId;
    return {
      antenna: await antennaView(input.antennaId),
      ...(assigned !== undefined && assigned !== input.antennaId ? { assignedAntenna: await antennaView(assigned) } : {}),
    };
  },
  toCommand: (input, context) => ({
    type: 'AssignCandidacyAntenna' as const,
    data: { candidacyId: input.candidacyId, antennaId: input.antennaId, effectiveDate: input.effectiveDate },
    context,
  }),
});

export const antennaCommands = [
  defineCommand({
    name: 'OpenAntenna',
    // Run through `runCommand`, which claims the antenna on the candidacy first: on its own, this
    // step refuses an opening the candidacy has not claimed (ANTENNA.OPENING_NOT_CLAIMED).
    summary: 'Ouvrir une antenne à partir d’une candidature retenue',
    input: OpenAntennaInput,
    roles: PROGRAMME_WRITERS,
    decider: antennaDecider,
    streamId: antennaStream,
    loadContext: async (input, loader) => ({
      candidacy: candidacyViewOf(await loader.state(candidacyDecider, streamIdOf('candidacy', input.candidacyId)), input.candidacyId),
    }),
    toCommand: (input, context) => ({ type: 'OpenAntenna' as const, data: input, context }),
  }),
  defineCommand({
    name: 'PlanPhase',
    summary: 'Planifier une phase du déploiement d’une antenne',
    input: PlanPhaseInput,
    roles: PROGRAMME_WRITERS,
    decider: antennaDecider,
    streamId: antennaStream,
    toCommand: (input) => ({ type: 'PlanPhase' as const, data: input }),
  }),
  defineCommand({
    name: 'StartPhase',
    summary: 'Enregistrer le démarrage effectif d’une phase',
    input: StartPhaseInput,
    roles: PROGRAMME_WRITERS,
    decider: antennaDecider,
    streamId: antennaStream,
    toCommand: (input) => ({ type: 'StartPhase' as const, data: input }),
  }),
  defineCommand({
    name: 'ReachMilestone',
    summary: 'Enregistrer un jalon atteint dans une phase',
    input: ReachMilestoneInput,
    roles: PROGRAMME_WRITERS,
    decider: antennaDecider,
    streamId: antennaStream,
    toCommand: (input) => ({ type: 'ReachMilestone' as const, data: input }),
  }),
  defineCommand({
    name: 'ReschedulePhase',
    summary: 'Replanifier une phase (avec un motif ; le plan précédent est conservé)',
    input: ReschedulePhaseInput,
    roles: PROGRAMME_WRITERS,
    decider: antennaDecider,
    streamId: antennaStream,
    toCommand: (input) => ({ type: 'ReschedulePhase' as const, data: input }),
  }),
  defineCommand({
    name: 'CompletePhase',
    summary: 'Enregistrer l’achèvement effectif d’une phase',
    input: CompletePhaseInput,
    roles: PROGRAMME_WRITERS,
    decider: antennaDecider,
    streamId: antennaStream,
    toCommand: (input) => ({ type: 'CompletePhase' as const, data: input }),
  }),
  defineCommand({
    name: 'InaugurateAntenna',
    summary: 'Enregistrer l’inauguration d’une antenne',
    input: InaugurateAntennaInput,
    roles: PROGRAMME_WRITERS,
    decider: antennaDecider,
    streamId: antennaStream,
    toCommand: (input) => ({ type: 'InaugurateAntenna' as const, data: input }),
  }),
  defineCommand({
    name: 'OpenTrainingCourse',
    summary: 'Ouvrir une formation dans une antenne',
    input: OpenTrainingCourseInput,
    roles: PROGRAMME_WRITERS,
    decider: antennaDecider,
    streamId: antennaStream,
    toCommand: (input) => ({ type: 'OpenTrainingCourse' as const, data: input }),
  }),
  defineCommand({
    name: 'ReportLearners',
    summary: 'Déclarer le nombre d’apprenants inscrits sur un mois (une correction donne un motif)',
    input: ReportLearnersInput,
    roles: PROGRAMME_WRITERS,
    decider: antennaDecider,
    streamId: antennaStream,
    toCommand: (input) => ({ type: 'ReportLearners' as const, data: input }),
  }),
  defineCommand({
    name: 'SuspendAntenna',
    summary: 'Suspendre une antenne (avec un motif)',
    input: SuspendAntennaInput,
    roles: PROGRAMME_WRITERS,
    decider: antennaDecider,
    streamId: antennaStream,
    toCommand: (input) => ({ type: 'SuspendAntenna' as const, data: input }),
  }),
  defineCommand({
    name: 'ResumeAntenna',
    summary: 'Reprendre l’activité d’une antenne suspendue',
    input: ResumeAntennaInput,
    roles: PROGRAMME_WRITERS,
    decider: antennaDecider,
    streamId: antennaStream,
    toCommand: (input) => ({ type: 'ResumeAntenna' as const, data: input }),
  }),
  defineCommand({
    name: 'CloseAntenna',
    summary: 'Fermer définitivement une antenne (avec un motif)',
    input: CloseAntennaInput,
    roles: PROGRAMME_WRITERS,
    decider: antennaDecider,
    streamId: antennaStream,
    loadContext: async (input, loader) => {
      const latestBudgetFactOn = await loadLatestBudgetFactOn(input.antennaId, loader);
      const fundingFacts = await loadFundingFacts(input.antennaId, loader);
      return { ...(latestBudgetFactOn === undefined ? {} : { latestBudgetFactOn }), ...(fundingFacts.length === 0 ? {} : { fundingFacts }) };
    },
    toCommand: (input, context) => ({ type: 'CloseAntenna' as const, data: input, context }),
  }),
];
