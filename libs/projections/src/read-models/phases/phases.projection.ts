import type {
  AntennaClosed,
  AntennaInaugurated,
  AntennaOpened,
  AntennaResumed,
  AntennaSuspended,
  MilestoneReached,
  PhaseCompleted,
  PhasePlanned,
  PhaseRescheduled,
  PhaseStarted,
  ProgrammeLaunched,
  ProgrammeTargetsRevised,
} from '@jalon/domain';
import { defineProjection, ProjectedEvent } from '../../projection';

/**
 * Phase progress of each antenna, and the programme's targets.
 *
 * Documents:
 * - `antenna:<antennaId>`: the antenna, its status and its phases in plan order, each with its
 *   original plan, its current plan, every rescheduling, its actual dates and its milestones;
 * - `programme:<programmeId>`: the programme's target (antenna count by a date, with its
 *   revisions) and the antennas opened in it.
 *
 * Lateness is not stored: it depends on the day it is judged on, so the report computes it from
 * `parameters.referenceDate` (see phases.report.ts). Antennas per status and per current phase
 * are counted by the report from the antenna documents: status and phase events do not carry
 * the programme id, and `keysOf` sees only the event, so they cannot reach the programme document.
 */

export type AntennaStatus = 'active' | 'suspended' | 'closed';
export type PhaseStatus = 'planned' | 'started' | 'completed';

export interface PlannedPeriod {
  readonly plannedStart: string;
  readonly plannedEnd: string;
}

export interface PhaseRescheduling {
  /** When the new plan was decided. */
  readonly effectiveDate: string;
  readonly from: PlannedPeriod;
  readonly to: PlannedPeriod;
  readonly reason: string;
}

export interface PhaseMilestone {
  readonly milestoneId: string;
  readonly name: string;
  readonly reachedOn: string;
}

export interface PhaseProgress {
  readonly phaseId: string;
  readonly name: string;
  readonly site: string | null;
  /** When the phase was planned (effective date of PhasePlanned). */
  readonly plannedOn: string;
  /** The plan as first made: rescheduling never changes it. */
  readonly originalPlannedStart: string;
  readonly originalPlannedEnd: string;
  /** The plan in force. */
  readonly plannedStart: string;
  readonly plannedEnd: string;
  readonly reschedulings: readonly PhaseRescheduling[];
  readonly actualStart: string | null;
  readonly actualEnd: string | null;
  readonly status: PhaseStatus;
  readonly milestones: readonly PhaseMilestone[];
}

export interface PhasesAntennaDocument {
  readonly kind: 'antenna';
  readonly antennaId: string;
  readonly programmeId: string;
  readonly callId: string;
  readonly candidacyId: string;
  readonly name: string;
  readonly town: string;
  /** The territory of its candidacy (copied onto the opening), so that pages need not replay the candidacy. */
  readonly territory: PhasesTerritory;
  readonly status: AntennaStatus;
  /** Effective date of the last status change (the opening, at first). */
  readonly statusSince: string;
  /** Why the antenna was suspended or closed; null while active. */
  readonly statusReason: string | null;
  readonly openedOn: string;
  readonly inauguratedOn: string | null;
  readonly inaugurationPlace: string | null;
  /** In the order they were planned. */
  readonly phases: readonly PhaseProgress[];
}

export interface PhasesTerritory {
  readonly territoryId: string;
  readonly name: string;
  readonly region: string;
  readonly actionCoeurDeVille: boolean;
}

export interface ProgrammeTargetsView {
  readonly antennaCount: number;
  readonly targetDate: string;
}

export interface ProgrammeTargetRevision {
  readonly effectiveDate: string;
  readonly from: ProgrammeTargetsView;
  readonly to: ProgrammeTargetsView;
  readonly reason: string;
}

export interface PhasesProgrammeDocument {
  readonly kind: 'programme';
  readonly programmeId: string;
  /** Null only if an antenna was seen before the programme's launch (never in a consistent log). */
  readonly name: string | null;
  readonly launchedOn: string | null;
  readonly originalTarget: ProgrammeTargetsView | null;
  readonly target: ProgrammeTargetsView | null;
  readonly targetRevisions: readonly ProgrammeTargetRevision[];
  /** Antennas opened in the programme, in opening order. */
  readonly antennaIds: readonly string[];
}

export type PhasesDocument = PhasesAntennaDocument | PhasesProgrammeDocument;

export const PHASES_PROJECTION_NAME = 'phases';

export const antennaKey = (antennaId: string): string => `antenna:${antennaId}`;
export const programmeKey = (programmeId: string): string => `programme:${programmeId}`;

const ANTENNA_EVENTS = [
  'AntennaOpened',
  'PhasePlanned',
  'PhaseStarted',
  'MilestoneReached',
  'PhaseRescheduled',
  'PhaseCompleted',
  'AntennaInaugurated',
  'AntennaSuspended',
  'AntennaResumed',
  'AntennaClosed',
] as const;
const PROGRAMME_EVENTS = ['ProgrammeLaunched', 'ProgrammeTargetsRevised'] as const;

export const phasesProjection = defineProjection<PhasesDocument>({
  name: PHASES_PROJECTION_NAME,
  // 2: an antenna carries its territory (name, region) from its opening.
  version: 2,
  handles: [...PROGRAMME_EVENTS, ...ANTENNA_EVENTS],
  keysOf(event) {
    switch (event.type) {
      case 'ProgrammeLaunched':
      case 'ProgrammeTargetsRevised':
        return [programmeKey(event.data.programmeId)];
      case 'AntennaOpened':
        return [antennaKey(event.data.antennaId), programmeKey(event.data.programmeId)];
      default:
        return typeof event.data.antennaId === 'string' ? [antennaKey(event.data.antennaId)] : [];
    }
  },
  evolve(doc, event, key) {
    if (key.startsWith('programme:')) return evolveProgramme(doc?.kind === 'programme' ? doc : null, event, key.slice('programme:'.length));
    return evolveAntenna(doc?.kind === 'antenna' ? doc : null, event);
  },
});

function evolveProgramme(doc: PhasesProgrammeDocument | null, event: ProjectedEvent, programmeId: string): PhasesProgrammeDocument | null {
  const current: PhasesProgrammeDocument = doc ?? {
    kind: 'programme',
    programmeId,
    name: null,
    launchedOn: null,
    originalTarget: null,
    target: null,
    targetRevisions: [],
    antennaIds: [],
  };
  switch (event.type) {
    case 'ProgrammeLaunched': {
      const data = event.data as ProgrammeLaunched['data'];
      const target = targetsOf(data.targets);
      return { ...current, name: data.name, launchedOn: data.effectiveDate, originalTarget: target, target };
    }
    case 'ProgrammeTargetsRevised': {
      const data = event.data as ProgrammeTargetsRevised['data'];
      const revision: ProgrammeTargetRevision = {
        effectiveDate: data.effectiveDate,
        from: targetsOf(data.previousTargets),
        to: targetsOf(data.targets),
        reason: data.reason,
      };
      return {
        ...current,
        originalTarget: current.originalTarget ?? revision.from,
        target: revision.to,
        targetRevisions: [...current.targetRevisions, revision],
      };
    }
    case 'AntennaOpened': {
      const { antennaId } = event.data as AntennaOpened['data'];
      if (current.antennaIds.includes(antennaId)) return current;
      return { ...current, antennaIds: [...current.antennaIds, antennaId] };
    }
    default:
      return doc;
  }
}

function targetsOf(targets: ProgrammeTargetsView): ProgrammeTargetsView {
  return { antennaCount: targets.antennaCount, targetDate: targets.targetDate };
}

function evolveAntenna(doc: PhasesAntennaDocument | null, event: ProjectedEvent): PhasesAntennaDocument | null {
  if (event.type === 'AntennaOpened') {
    const data = event.data as AntennaOpened['data'];
    return {
      kind: 'antenna',
      antennaId: data.antennaId,
      programmeId: data.programmeId,
      callId: data.callId,
      candidacyId: data.candidacyId,
      name: data.name,
      town: data.town,
      territory: { territoryId: data.territory.id, name: data.territory.name, region: data.territory.region, actionCoeurDeVille: data.territory.actionCoeurDeVille },
      status: 'active',
      statusSince: data.effectiveDate,
      statusReason: null,
      openedOn: data.effectiveDate,
      inauguratedOn: null,
      inaugurationPlace: null,
      phases: [],
    };
  }
  // Only an opening starts an antenna: anything else before it is not a fact about an antenna.
  if (doc === null) return null;
  switch (event.type) {
    case 'PhasePlanned': {
      const data = event.data as PhasePlanned['data'];
      if (doc.phases.some((phase) => phase.phaseId === data.phaseId)) return doc;
      const phase: PhaseProgress = {
        phaseId: data.phaseId,
        name: data.name,
        site: data.site ?? null,
        plannedOn: data.effectiveDate,
        originalPlannedStart: data.plannedStart,
        originalPlannedEnd: data.plannedEnd,
        plannedStart: data.plannedStart,
        plannedEnd: data.plannedEnd,
        reschedulings: [],
        actualStart: null,
        actualEnd: null,
        status: 'planned',
        milestones: [],
      };
      return { ...doc, phases: [...doc.phases, phase] };
    }
    case 'PhaseStarted': {
      const data = event.data as PhaseStarted['data'];
      return withPhase(doc, data.phaseId, (phase) => ({
        ...phase,
        actualStart: data.effectiveDate,
        status: phase.actualEnd === null ? 'started' : 'completed',
      }));
    }
    case 'MilestoneReached': {
      const data = event.data as MilestoneReached['data'];
      return withPhase(doc, data.phaseId, (phase) =>
        phase.milestones.some((milestone) => milestone.milestoneId === data.milestoneId)
          ? phase
          : { ...phase, milestones: [...phase.milestones, { milestoneId: data.milestoneId, name: data.name, reachedOn: data.effectiveDate }] },
      );
    }
    case 'PhaseRescheduled': {
      const data = event.data as PhaseRescheduled['data'];
      return withPhase(doc, data.phaseId, (phase) => ({
        ...phase,
        plannedStart: data.plannedStart,
        plannedEnd: data.plannedEnd,
        reschedulings: [
          ...phase.reschedulings,
          {
            effectiveDate: data.effectiveDate,
            from: { plannedStart: data.previousPlannedStart, plannedEnd: data.previousPlannedEnd },
            to: { plannedStart: data.plannedStart, plannedEnd: data.plannedEnd },
            reason: data.reason,
          },
        ],
      }));
    }
    case 'PhaseCompleted': {
      const data = event.data as PhaseCompleted['data'];
      return withPhase(doc, data.phaseId, (phase) => ({ ...phase, actualEnd: data.effectiveDate, status: 'completed' }));
    }
    case 'AntennaInaugurated': {
      const data = event.data as AntennaInaugurated['data'];
      return { ...doc, inauguratedOn: data.effectiveDate, inaugurationPlace: data.place };
    }
    case 'AntennaSuspended': {
      const data = event.data as AntennaSuspended['data'];
      return { ...doc, status: 'suspended', statusSince: data.effectiveDate, statusReason: data.reason };
    }
    case 'AntennaResumed': {
      const data = event.data as AntennaResumed['data'];
      return { ...doc, status: 'active', statusSince: data.effectiveDate, statusReason: null };
    }
    case 'AntennaClosed': {
      const data = event.data as AntennaClosed['data'];
      return { ...doc, status: 'closed', statusSince: data.effectiveDate, statusReason: data.reason };
    }
    default:
      return doc;
  }
}

/** Replaces one phase (unknown phases are ignored: the domain never records events on them). */
function withPhase(doc: PhasesAntennaDocument, phaseId: string, change: (phase: PhaseProgress) => PhaseProgress): PhasesAntennaDocument {
  if (!doc.phases.some((phase) => phase.phaseId === phaseId)) return doc;
  return { ...doc, phases: doc.phases.map((phase) => (phase.phaseId === phaseId ? change(phase) : phase)) };
}
