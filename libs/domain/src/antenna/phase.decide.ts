import { assertDateInRange, assertNever, conflict, isAfter, isBefore, IsoDate, notFound, ruleBroken, sameData } from '../shared';
import { PhaseCommand } from './antenna.commands';
import { PhaseEvent } from './antenna.events';
import { OpenedAntennaState, PhaseState } from './antenna.state';
import { assertNotBeforeOpening, assertNotSuspended } from './antenna.guards';

/** Decides the phase commands of an antenna that is opened and not closed (the caller checks both). */
export function decidePhase(command: PhaseCommand, state: OpenedAntennaState): PhaseEvent[] {
  switch (command.type) {
    case 'PlanPhase': {
      const existing = state.phases.get(command.data.phaseId);
      if (existing) {
        if (sameData(existing.planned, command.data)) return [];
        throw conflict('PHASE.ALREADY_PLANNED', `phase ${command.data.phaseId} was already planned with other details`, {
          field: 'phaseId',
        });
      }
      assertPeriod(command.data.plannedStart, command.data.plannedEnd);
      // The plan may start before the opening (work prepared beforehand); planning it may not.
      assertNotBeforeOpening(state, command.data.effectiveDate);
      return [{ type: 'PhasePlanned', data: command.data }];
    }
    case 'StartPhase': {
      const phase = requirePhase(state, command.data.phaseId);
      if (phase.startedOn !== undefined) {
        if (phase.startedOn === command.data.effectiveDate) return [];
        throw conflict('PHASE.ALREADY_STARTED', `phase ${command.data.phaseId} already started on ${phase.startedOn}`, {
          field: 'effectiveDate',
          startedOn: phase.startedOn,
        });
      }
      assertNotSuspended(state);
      if (isBefore(command.data.effectiveDate, state.opened.effectiveDate)) {
        throw ruleBroken('PHASE.STARTED_BEFORE_OPENING', 'a phase cannot start before the antenna was opened', {
          field: 'effectiveDate',
          openedOn: state.opened.effectiveDate,
        });
      }
      // A phase starts once planned: dated before its planning, the start would show, at a date in between, on a phase not yet known.
      const plannedOn = phase.planned.effectiveDate;
      if (isBefore(command.data.effectiveDate, plannedOn)) {
        throw ruleBroken(
          'PHASE.STARTED_BEFORE_PLANNING',
          `une phase ne peut pas démarrer (${command.data.effectiveDate}) avant d’avoir été planifiée (${plannedOn})`,
          { field: 'effectiveDate', plannedOn },
        );
      }
      // Nor before the rescheduling that moved its planned start: that rescheduling would then have
      // moved the start of a phase already started, which a rescheduling may not do.
      if (isBefore(command.data.effectiveDate, phase.startPlannedOn)) {
        throw ruleBroken(
          'PHASE.STARTED_BEFORE_START_MOVED',
          `une phase ne peut pas démarrer (${command.data.effectiveDate}) avant la replanification qui a déplacé son début prévu (${phase.startPlannedOn})`,
          { field: 'effectiveDate', rescheduledOn: phase.startPlannedOn },
        );
      }
      return [{ type: 'PhaseStarted', data: command.data }];
    }
    case 'ReachMilestone': {
      const phase = requirePhase(state, command.data.phaseId);
      const existing = phase.milestones.get(command.data.milestoneId);
      if (existing) {
        if (sameData(existing, command.data)) return [];
        throw conflict('MILESTONE.ALREADY_REACHED', `milestone ${command.data.milestoneId} was already reached with other details`, {
          field: 'milestoneId',
        });
      }
      const startedOn = requireStarted(phase, command.data.phaseId);
      if (phase.completedOn !== undefined) throw alreadyCompleted(command.data.phaseId, phase.completedOn);
      if (isBefore(command.data.effectiveDate, startedOn)) {
        throw ruleBroken('MILESTONE.BEFORE_PHASE_START', 'a milestone cannot be reached before its phase started', {
          field: 'effectiveDate',
          startedOn,
        });
      }
      // Nor before its phase was planned (a start recorded before that rule may precede the planning).
      if (isBefore(command.data.effectiveDate, phase.planned.effectiveDate)) {
        throw ruleBroken(
          'MILESTONE.BEFORE_PHASE_PLANNING',
          `un jalon ne peut pas être atteint (${command.data.effectiveDate}) avant la planification de sa phase (${phase.planned.effectiveDate})`,
          { field: 'effectiveDate', plannedOn: phase.planned.effectiveDate },
        );
      }
      return [{ type: 'MilestoneReached', data: command.data }];
    }
    case 'ReschedulePhase': {
      const phase = requirePhase(state, command.data.phaseId);
      const { plannedStart, plannedEnd } = command.data;
      const previous = phase.currentPlan;
      if (previous.plannedStart === plannedStart && previous.plannedEnd === plannedEnd) return [];
      if (phase.completedOn !== undefined) throw alreadyCompleted(command.data.phaseId, phase.completedOn);
      if (phase.startedOn !== undefined && plannedStart !== previous.plannedStart) {
        throw conflict('PHASE.ALREADY_STARTED', `phase ${command.data.phaseId} already started: only its end can move`, {
          field: 'plannedStart',
          startedOn: phase.startedOn,
        });
      }
      assertPeriod(plannedStart, plannedEnd);
      if (isBefore(command.data.effectiveDate, phase.planChangedOn)) {
        throw ruleBroken(
          'PHASE.RESCHEDULED_BEFORE_PLAN',
          `une phase ne peut pas être replanifiée (${command.data.effectiveDate}) avant le plan qu’elle remplace (${phase.planChangedOn})`,
          { field: 'effectiveDate', plannedOn: phase.planChangedOn },
        );
      }
      return [
        {
          type: 'PhaseRescheduled',
          data: { ...command.data, previousPlannedStart: previous.plannedStart, previousPlannedEnd: previous.plannedEnd },
        },
      ];
    }
    case 'CompletePhase': {
      const phase = requirePhase(state, command.data.phaseId);
      if (phase.completedOn !== undefined) {
        if (phase.completedOn === command.data.effectiveDate) return [];
        throw alreadyCompleted(command.data.phaseId, phase.completedOn);
      }
      const startedOn = requireStarted(phase, command.data.phaseId);
      if (isBefore(command.data.effectiveDate, startedOn)) {
        throw ruleBroken('PHASE.COMPLETED_BEFORE_START', 'a phase cannot complete before it starts', {
          field: 'effectiveDate',
          startedOn,
        });
      }
      // A milestone is reached while its phase runs: the phase cannot have completed before it.
      const lastMilestoneOn = latestMilestoneOf(phase);
      if (lastMilestoneOn !== undefined && isBefore(command.data.effectiveDate, lastMilestoneOn)) {
        throw ruleBroken(
          'PHASE.COMPLETED_BEFORE_MILESTONE',
          `une phase ne peut pas se terminer (${command.data.effectiveDate}) avant un jalon atteint pendant son cours (${lastMilestoneOn})`,
          { field: 'effectiveDate', lastMilestoneOn },
        );
      }
      // Nor before the plan in force (its planning or its latest rescheduling): a completed phase is not
      // rescheduled, and a start recorded before the planning rule may precede the planning.
      if (isBefore(command.data.effectiveDate, phase.planChangedOn)) {
        throw ruleBroken(
          'PHASE.COMPLETED_BEFORE_PLAN',
          `une phase ne peut pas se terminer (${command.data.effectiveDate}) avant le plan en vigueur (${phase.planChangedOn})`,
          { field: 'effectiveDate', plannedOn: phase.planChangedOn },
        );
      }
      return [{ type: 'PhaseCompleted', data: command.data }];
    }
    default:
      return assertNever(command);
  }
}

function requirePhase(state: OpenedAntennaState, phaseId: string): PhaseState {
  const phase = state.phases.get(phaseId);
  if (!phase) throw notFound('PHASE.NOT_FOUND', `phase ${phaseId} has not been planned`, { field: 'phaseId' });
  return phase;
}

function requireStarted(phase: PhaseState, phaseId: string): IsoDate {
  if (phase.startedOn === undefined) {
    throw ruleBroken('PHASE.NOT_STARTED', `phase ${phaseId} has not started`, { field: 'phaseId' });
  }
  return phase.startedOn;
}

function alreadyCompleted(phaseId: string, completedOn: IsoDate) {
  return conflict('PHASE.ALREADY_COMPLETED', `phase ${phaseId} was completed on ${completedOn}`, { field: 'phaseId', completedOn });
}

function latestMilestoneOf(phase: PhaseState): IsoDate | undefined {
  let latest: IsoDate | undefined;
  for (const milestone of phase.milestones.values()) if (latest === undefined || isAfter(milestone.effectiveDate, latest)) latest = milestone.effectiveDate;
  return latest;
}

function assertPeriod(plannedStart: IsoDate, plannedEnd: IsoDate): void {
  assertDateInRange(plannedStart, 'plannedStart');
  assertDateInRange(plannedEnd, 'plannedEnd');
  if (isBefore(plannedEnd, plannedStart)) {
    throw ruleBroken('PHASE.INVALID_PERIOD', 'a phase cannot be planned to end before it starts', {
      field: 'plannedEnd',
      plannedStart,
      plannedEnd,
    });
  }
}
