import { CandidacyView } from '../shared';
import {
  AntennaClosed,
  AntennaInaugurated,
  AntennaOpened,
  AntennaResumed,
  AntennaSuspended,
  LearnersReported,
  MilestoneReached,
  PhaseCompleted,
  PhasePlanned,
  PhaseStarted,
  TrainingCourseOpened,
} from './antenna.events';

/**
 * The Montbéliard antenna as the articles tell it (see /work/shared/domain/README.md). Dates of
 * the selection, the opening, phase starts and ends, courses, learner counts, suspension and
 * closing are not in the articles: they are illustrative. The inauguration (22 June 2022, on the
 * Montbéliard university campus) and the two phases are from the articles.
 */
export const montbeliard = {
  antennaId: 'montbeliard',
  candidacyId: 'ami-2--pays-de-montbeliard',
  callId: 'ami-2',
  programmeId: 'au-coeur-des-territoires',
  territory: {
    id: 'pays-de-montbeliard',
    name: 'Pays de Montbéliard Agglomération',
    region: 'Bourgogne-Franche-Comté',
    actionCoeurDeVille: true,
  },
  selectedOn: '2020-12-15',
} as const;

export const selectedCandidacy: CandidacyView = {
  candidacyId: montbeliard.candidacyId,
  status: 'selected',
  callId: montbeliard.callId,
  programmeId: montbeliard.programmeId,
  territory: montbeliard.territory,
  submittedOn: '2020-10-30',
  selectedOn: montbeliard.selectedOn,
  // The opening below was claimed on the candidacy's stream first (CandidacyAntennaAssigned).
  antennaId: 'montbeliard',
  antennaAssignedOn: '2021-01-11',
};

export const opened: AntennaOpened = {
  type: 'AntennaOpened',
  data: {
    antennaId: montbeliard.antennaId,
    candidacyId: montbeliard.candidacyId,
    callId: montbeliard.callId,
    programmeId: montbeliard.programmeId,
    name: 'Cnam Pays de Montbéliard',
    town: 'Montbéliard',
    territory: montbeliard.territory,
    effectiveDate: '2021-01-11',
  },
};

/** 2021–2022: the reception, information and orientation space (AIOA) inside the Mattern Lab. */
export const aioaPlanned: PhasePlanned = {
  type: 'PhasePlanned',
  data: {
    antennaId: montbeliard.antennaId,
    phaseId: 'aioa-mattern-lab',
    name: "Espace d'accueil, d'information et d'orientation (AIOA) et premiers modules à distance",
    site: 'Mattern Lab',
    plannedStart: '2021-01-01',
    plannedEnd: '2022-12-31',
    effectiveDate: '2021-01-11',
  },
};

/** 2023–2024: new training courses on the site of the former Portes du Jura polyclinic. */
export const portesDuJuraPlanned: PhasePlanned = {
  type: 'PhasePlanned',
  data: {
    antennaId: montbeliard.antennaId,
    phaseId: 'portes-du-jura',
    name: 'Nouvelles formations',
    site: 'Ancienne polyclinique des Portes du Jura, Montbéliard',
    plannedStart: '2023-01-01',
    plannedEnd: '2024-12-31',
    effectiveDate: '2021-01-11',
  },
};

export const aioaStarted: PhaseStarted = {
  type: 'PhaseStarted',
  data: { antennaId: montbeliard.antennaId, phaseId: 'aioa-mattern-lab', effectiveDate: '2021-03-01' },
};

export const firstModules: MilestoneReached = {
  type: 'MilestoneReached',
  data: {
    antennaId: montbeliard.antennaId,
    phaseId: 'aioa-mattern-lab',
    milestoneId: 'first-distance-modules',
    name: 'Premiers modules à distance ouverts',
    effectiveDate: '2021-09-13',
  },
};

export const aioaCompleted: PhaseCompleted = {
  type: 'PhaseCompleted',
  data: { antennaId: montbeliard.antennaId, phaseId: 'aioa-mattern-lab', effectiveDate: '2022-12-16' },
};

export const inaugurated: AntennaInaugurated = {
  type: 'AntennaInaugurated',
  data: { antennaId: montbeliard.antennaId, place: 'Campus universitaire de Montbéliard', effectiveDate: '2022-06-22' },
};

export const industryCourse: TrainingCourseOpened = {
  type: 'TrainingCourseOpened',
  data: {
    antennaId: montbeliard.antennaId,
    courseId: 'industrie-4-0',
    title: 'Industrie 4.0 en alternance',
    sector: 'industrie',
    level: 'BAC+2',
    mode: 'work-study',
    effectiveDate: '2021-09-01',
  },
};

export const septemberLearners: LearnersReported = {
  type: 'LearnersReported',
  data: { antennaId: montbeliard.antennaId, period: '2021-09', learners: 24, effectiveDate: '2021-10-05' },
};

export const suspended: AntennaSuspended = {
  type: 'AntennaSuspended',
  data: { antennaId: montbeliard.antennaId, reason: 'Travaux de mise en sécurité du Mattern Lab', effectiveDate: '2022-02-01' },
};

export const resumed: AntennaResumed = {
  type: 'AntennaResumed',
  data: { antennaId: montbeliard.antennaId, effectiveDate: '2022-03-01' },
};

export const closed: AntennaClosed = {
  type: 'AntennaClosed',
  data: { antennaId: montbeliard.antennaId, reason: 'Fin du programme', effectiveDate: '2024-12-31' },
};
