import { specificationFor } from '../testing/decider-specification';
import { AntennaCommand } from './antenna.commands';
import { AntennaEvent, PhaseRescheduled } from './antenna.events';
import { antennaDecider } from './antenna.decider';
import {
  aioaCompleted,
  aioaPlanned,
  aioaStarted,
  closed,
  firstModules,
  opened,
  portesDuJuraPlanned,
  resumed,
  suspended,
} from './antenna.fixtures';

const spec = specificationFor(antennaDecider);

const planAioa: AntennaCommand = { type: 'PlanPhase', data: aioaPlanned.data };
const startAioa: AntennaCommand = { type: 'StartPhase', data: aioaStarted.data };
const reachFirstModules: AntennaCommand = { type: 'ReachMilestone', data: firstModules.data };
const completeAioa: AntennaCommand = { type: 'CompletePhase', data: aioaCompleted.data };

/** The works on the former polyclinic take longer: the second phase moves by six months. */
const postponePortesDuJura = {
  type: 'ReschedulePhase' as const,
  data: {
    antennaId: 'montbeliard',
    phaseId: 'portes-du-jura',
    plannedStart: '2023-07-01',
    plannedEnd: '2025-06-30',
    reason: 'Travaux de réhabilitation de la polyclinique plus longs que prévu',
    effectiveDate: '2022-11-15',
  },
};
const postponed: PhaseRescheduled = {
  type: 'PhaseRescheduled',
  data: { ...postponePortesDuJura.data, previousPlannedStart: '2023-01-01', previousPlannedEnd: '2024-12-31' },
};

const rescheduleAioa = { ...postponePortesDuJura.data, phaseId: 'aioa-mattern-lab' };

const planned: AntennaEvent[] = [opened, aioaPlanned, portesDuJuraPlanned];
const started: AntennaEvent[] = [...planned, aioaStarted];

describe('antenna phases', () => {
  describe('PlanPhase', () => {
    it('records the two Montbéliard phases: the AIOA in the Mattern Lab, then the Portes du Jura site', () => {
      spec.given([opened]).when(planAioa).then([aioaPlanned]);
      spec.given([opened, aioaPlanned]).when({ type: 'PlanPhase', data: portesDuJuraPlanned.data }).then([portesDuJuraPlanned]);
    });

    it('records a phase with no site yet', () => {
      const { site: _site, ...withoutSite } = portesDuJuraPlanned.data;
      spec.given([opened]).when({ type: 'PlanPhase', data: withoutSite }).then([{ type: 'PhasePlanned', data: withoutSite }]);
    });

    it('rule: planning the same phase again with the same details changes nothing', () => {
      spec.given(planned).when(planAioa).thenNothingHappens();
    });

    it('rule: repeating the original plan of a rescheduled phase changes nothing', () => {
      spec.given([...planned, postponed]).when({ type: 'PlanPhase', data: portesDuJuraPlanned.data }).thenNothingHappens();
    });

    it('rule: a phase id is planned once (PHASE.ALREADY_PLANNED)', () => {
      spec
        .given(planned)
        .when({ type: 'PlanPhase', data: { ...aioaPlanned.data, plannedEnd: '2023-06-30' } })
        .thenThrows('PHASE.ALREADY_PLANNED', 'conflict');
    });

    it('rule: a phase id that names an Object member is an ordinary new id', () => {
      const data = { ...aioaPlanned.data, phaseId: 'constructor' };
      spec.given([opened]).when({ type: 'PlanPhase', data }).then([{ type: 'PhasePlanned', data }]);
      spec
        .given([opened])
        .when({ ...startAioa, data: { ...aioaStarted.data, phaseId: 'toString' } })
        .thenThrows('PHASE.NOT_FOUND', 'not-found');
    });

    it('rule: a phase is not planned to end before it starts (PHASE.INVALID_PERIOD)', () => {
      spec
        .given([opened])
        .when({ type: 'PlanPhase', data: { ...aioaPlanned.data, plannedStart: '2023-01-01', plannedEnd: '2022-12-31' } })
        .thenThrows('PHASE.INVALID_PERIOD', 'rule');
    });

    it('rule: a phase is not planned before the antenna opened, though its plan may start earlier (ANTENNA.DATE_BEFORE_OPENING)', () => {
      spec
        .given([opened])
        .when({ type: 'PlanPhase', data: { ...aioaPlanned.data, effectiveDate: '2021-01-10' } })
        .thenThrows('ANTENNA.DATE_BEFORE_OPENING', 'rule');
      // aioaPlanned itself starts on 2021-01-01, ten days before the opening it is planned on.
      spec.given([opened]).when(planAioa).then([aioaPlanned]);
    });

    it.each([
      ['plannedStart', '1899-12-31'],
      ['plannedEnd', '9999-12-31'],
    ])('rule: a planned date lies between 1900-01-01 and 2100-12-31, not %s %s (DATE.OUT_OF_RANGE)', (field, date) => {
      spec
        .given([opened])
        .when({ type: 'PlanPhase', data: { ...aioaPlanned.data, [field]: date } })
        .thenThrows('DATE.OUT_OF_RANGE', 'rule');
    });

    it('plans a phase while the antenna is suspended', () => {
      spec.given([opened, suspended]).when(planAioa).then([aioaPlanned]);
    });

    it('rule: a phase belongs to an opened antenna (ANTENNA.NOT_FOUND)', () => {
      spec.given([]).when(planAioa).thenThrows('ANTENNA.NOT_FOUND', 'not-found');
    });
  });

  describe('StartPhase', () => {
    it('records the actual start of a planned phase', () => {
      spec.given(planned).when(startAioa).then([aioaStarted]);
    });

    it('rule: starting a phase again on the same day changes nothing', () => {
      spec.given(started).when(startAioa).thenNothingHappens();
    });

    it('rule: a phase starts once (PHASE.ALREADY_STARTED)', () => {
      spec
        .given(started)
        .when({ type: 'StartPhase', data: { ...aioaStarted.data, effectiveDate: '2021-03-02' } })
        .thenThrows('PHASE.ALREADY_STARTED', 'conflict');
    });

    it('rule: only a planned phase starts (PHASE.NOT_FOUND)', () => {
      spec.given([opened]).when(startAioa).thenThrows('PHASE.NOT_FOUND', 'not-found');
    });

    it('rule: a phase cannot start before the antenna opened (PHASE.STARTED_BEFORE_OPENING)', () => {
      spec
        .given(planned)
        .when({ type: 'StartPhase', data: { ...aioaStarted.data, effectiveDate: '2021-01-04' } })
        .thenThrows('PHASE.STARTED_BEFORE_OPENING', 'rule');
    });

    it('rule: a phase does not start before it was planned (PHASE.STARTED_BEFORE_PLANNING): at a date in between, the phases report lost the start', () => {
      const plannedLater = { ...aioaPlanned, data: { ...aioaPlanned.data, effectiveDate: '2021-10-01' } };
      spec
        .given([opened, plannedLater])
        .when({ type: 'StartPhase', data: { ...aioaStarted.data, effectiveDate: '2021-09-12' } })
        .thenThrows('PHASE.STARTED_BEFORE_PLANNING', 'rule');
      const sameDay = { ...aioaStarted.data, effectiveDate: '2021-10-01' };
      spec.given([opened, plannedLater]).when({ type: 'StartPhase', data: sameDay }).then([{ type: 'PhaseStarted', data: sameDay }]);
    });

    it('rule: a phase does not start before the rescheduling that moved its planned start (PHASE.STARTED_BEFORE_START_MOVED): that rescheduling would have moved the start of a started phase', () => {
      const startPortesDuJura = (effectiveDate: string) => ({ type: 'StartPhase' as const, data: { antennaId: 'montbeliard', phaseId: 'portes-du-jura', effectiveDate } });
      spec
        .given([...planned, postponed])
        .when(startPortesDuJura('2022-11-14'))
        .thenThrows('PHASE.STARTED_BEFORE_START_MOVED', 'rule');
      spec
        .given([...planned, postponed])
        .when(startPortesDuJura('2022-11-15'))
        .then([{ type: 'PhaseStarted', data: startPortesDuJura('2022-11-15').data }]);
      // A later rescheduling that moves only the end leaves the start's bound where it was.
      const endOnly: PhaseRescheduled = {
        type: 'PhaseRescheduled',
        data: { ...postponed.data, plannedEnd: '2025-12-31', previousPlannedStart: '2023-07-01', previousPlannedEnd: '2025-06-30', effectiveDate: '2023-03-01' },
      };
      spec
        .given([...planned, postponed, endOnly])
        .when(startPortesDuJura('2023-01-10'))
        .then([{ type: 'PhaseStarted', data: startPortesDuJura('2023-01-10').data }]);
      spec
        .given([...planned, postponed, endOnly])
        .when(startPortesDuJura('2022-10-01'))
        .thenThrows('PHASE.STARTED_BEFORE_START_MOVED', 'rule');
    });

    it('rule: no phase starts while the antenna is suspended (ANTENNA.SUSPENDED)', () => {
      spec.given([...planned, suspended]).when(startAioa).thenThrows('ANTENNA.SUSPENDED', 'conflict');
    });

    it('rule: repeating a start that happened before the suspension changes nothing', () => {
      spec.given([...started, suspended]).when(startAioa).thenNothingHappens();
    });

    it('starts a phase once the antenna has resumed', () => {
      const start = { ...aioaStarted.data, effectiveDate: '2022-03-01' };
      spec.given([...planned, suspended, resumed]).when({ type: 'StartPhase', data: start }).then([{ type: 'PhaseStarted', data: start }]);
    });

    it('rule: a phase belongs to an opened antenna (ANTENNA.NOT_FOUND)', () => {
      spec.given([]).when(startAioa).thenThrows('ANTENNA.NOT_FOUND', 'not-found');
    });
  });

  describe('ReachMilestone', () => {
    it('records a milestone of a started phase', () => {
      spec.given(started).when(reachFirstModules).then([firstModules]);
    });

    it('records a milestone on the very day the phase started', () => {
      const sameDay = { ...firstModules.data, effectiveDate: aioaStarted.data.effectiveDate };
      spec.given(started).when({ type: 'ReachMilestone', data: sameDay }).then([{ type: 'MilestoneReached', data: sameDay }]);
    });

    it('rule: reaching the same milestone again changes nothing, even once the phase is completed', () => {
      spec.given([...started, firstModules]).when(reachFirstModules).thenNothingHappens();
      spec.given([...started, firstModules, aioaCompleted]).when(reachFirstModules).thenNothingHappens();
    });

    it('rule: a milestone id is reached once per phase (MILESTONE.ALREADY_REACHED)', () => {
      spec
        .given([...started, firstModules])
        .when({ type: 'ReachMilestone', data: { ...firstModules.data, effectiveDate: '2021-09-20' } })
        .thenThrows('MILESTONE.ALREADY_REACHED', 'conflict');
    });

    it('rule: a milestone id that names an Object member is an ordinary new id', () => {
      const data = { ...firstModules.data, milestoneId: 'constructor' };
      spec.given(started).when({ type: 'ReachMilestone', data }).then([{ type: 'MilestoneReached', data }]);
    });

    it('rule: the same milestone id may be reached in another phase', () => {
      const secondPhase = { ...firstModules.data, phaseId: 'portes-du-jura', effectiveDate: '2023-02-01' };
      const portesStarted: AntennaEvent = {
        type: 'PhaseStarted',
        data: { antennaId: 'montbeliard', phaseId: 'portes-du-jura', effectiveDate: '2023-01-09' },
      };
      spec
        .given([...started, firstModules, portesStarted])
        .when({ type: 'ReachMilestone', data: secondPhase })
        .then([{ type: 'MilestoneReached', data: secondPhase }]);
    });

    it('rule: a milestone belongs to a planned phase (PHASE.NOT_FOUND)', () => {
      spec.given([opened]).when(reachFirstModules).thenThrows('PHASE.NOT_FOUND', 'not-found');
    });

    it('rule: a milestone needs its phase started (PHASE.NOT_STARTED)', () => {
      spec.given(planned).when(reachFirstModules).thenThrows('PHASE.NOT_STARTED', 'rule');
    });

    it('rule: a completed phase reaches no new milestone (PHASE.ALREADY_COMPLETED)', () => {
      spec.given([...started, aioaCompleted]).when(reachFirstModules).thenThrows('PHASE.ALREADY_COMPLETED', 'conflict');
    });

    it('rule: a milestone is not dated before its phase started (MILESTONE.BEFORE_PHASE_START)', () => {
      spec
        .given(started)
        .when({ type: 'ReachMilestone', data: { ...firstModules.data, effectiveDate: '2021-02-28' } })
        .thenThrows('MILESTONE.BEFORE_PHASE_START', 'rule');
    });

    it('rule: a milestone is not dated before its phase was planned (MILESTONE.BEFORE_PHASE_PLANNING), even after a start recorded before that rule', () => {
      // Recorded before PHASE.STARTED_BEFORE_PLANNING: planned on 01/10/2021, started on 12/09/2021.
      const plannedLater = { ...aioaPlanned, data: { ...aioaPlanned.data, effectiveDate: '2021-10-01' } };
      const startedEarlier = { ...aioaStarted, data: { ...aioaStarted.data, effectiveDate: '2021-09-12' } };
      spec
        .given([opened, plannedLater, startedEarlier])
        .when({ type: 'ReachMilestone', data: { ...firstModules.data, effectiveDate: '2021-09-20' } })
        .thenThrows('MILESTONE.BEFORE_PHASE_PLANNING', 'rule');
      const onPlanning = { ...firstModules.data, effectiveDate: '2021-10-01' };
      spec.given([opened, plannedLater, startedEarlier]).when({ type: 'ReachMilestone', data: onPlanning }).then([{ type: 'MilestoneReached', data: onPlanning }]);
    });

    it('records a milestone while the antenna is suspended', () => {
      spec.given([...started, suspended]).when(reachFirstModules).then([firstModules]);
    });
  });

  describe('ReschedulePhase', () => {
    it('rule: rescheduling keeps the original plan visible: the event carries the plan it replaces', () => {
      spec.given(planned).when(postponePortesDuJura).then([postponed]);
    });

    it('carries the current plan, not the original one, as the previous plan of a second rescheduling', () => {
      const again = { ...postponePortesDuJura.data, plannedEnd: '2025-12-31', effectiveDate: '2023-03-01' };
      spec
        .given([...planned, postponed])
        .when({ type: 'ReschedulePhase', data: again })
        .then([{ type: 'PhaseRescheduled', data: { ...again, previousPlannedStart: '2023-07-01', previousPlannedEnd: '2025-06-30' } }]);
    });

    it('rule: rescheduling to the current plan changes nothing', () => {
      spec.given([...planned, postponed]).when(postponePortesDuJura).thenNothingHappens();
      spec
        .given(planned)
        .when({ ...postponePortesDuJura, data: { ...postponePortesDuJura.data, plannedStart: '2023-01-01', plannedEnd: '2024-12-31' } })
        .thenNothingHappens();
    });

    it('rule: a started phase may move its end', () => {
      const longer = {
        antennaId: 'montbeliard',
        phaseId: 'aioa-mattern-lab',
        plannedStart: '2021-01-01',
        plannedEnd: '2023-06-30',
        reason: 'Ouverture du site des Portes du Jura décalée',
        effectiveDate: '2022-11-15',
      };
      spec
        .given(started)
        .when({ type: 'ReschedulePhase', data: longer })
        .then([{ type: 'PhaseRescheduled', data: { ...longer, previousPlannedStart: '2021-01-01', previousPlannedEnd: '2022-12-31' } }]);
    });

    it('rule: a started phase cannot move its start (PHASE.ALREADY_STARTED)', () => {
      spec
        .given(started)
        .when({ type: 'ReschedulePhase', data: { ...rescheduleAioa, plannedStart: '2021-02-01', plannedEnd: '2022-12-31' } })
        .thenThrows('PHASE.ALREADY_STARTED', 'conflict');
    });

    it('rule: a completed phase is not rescheduled (PHASE.ALREADY_COMPLETED)', () => {
      spec
        .given([...started, aioaCompleted])
        .when({ type: 'ReschedulePhase', data: { ...rescheduleAioa, plannedStart: '2021-01-01', plannedEnd: '2023-06-30' } })
        .thenThrows('PHASE.ALREADY_COMPLETED', 'conflict');
    });

    it('rule: a phase is not rescheduled to end before it starts (PHASE.INVALID_PERIOD)', () => {
      spec
        .given(planned)
        .when({ ...postponePortesDuJura, data: { ...postponePortesDuJura.data, plannedEnd: '2023-06-30' } })
        .thenThrows('PHASE.INVALID_PERIOD', 'rule');
    });

    it('rule: only a planned phase is rescheduled (PHASE.NOT_FOUND)', () => {
      spec.given([opened]).when(postponePortesDuJura).thenThrows('PHASE.NOT_FOUND', 'not-found');
    });

    it('rule: a rescheduling is not dated before the plan it replaces (PHASE.RESCHEDULED_BEFORE_PLAN)', () => {
      spec
        .given(planned)
        .when({ ...postponePortesDuJura, data: { ...postponePortesDuJura.data, effectiveDate: '2021-01-10' } })
        .thenThrows('PHASE.RESCHEDULED_BEFORE_PLAN', 'rule');
      spec
        .given([...planned, postponed])
        .when({ type: 'ReschedulePhase', data: { ...postponePortesDuJura.data, plannedEnd: '2025-12-31', effectiveDate: '2022-11-14' } })
        .thenThrows('PHASE.RESCHEDULED_BEFORE_PLAN', 'rule');
    });

    it('rule: a rescheduled date lies no further than 2100-12-31 (DATE.OUT_OF_RANGE)', () => {
      spec
        .given(planned)
        .when({ ...postponePortesDuJura, data: { ...postponePortesDuJura.data, plannedEnd: '2101-01-01' } })
        .thenThrows('DATE.OUT_OF_RANGE', 'rule');
    });

    it('reschedules while the antenna is suspended', () => {
      spec.given([...planned, suspended]).when(postponePortesDuJura).then([postponed]);
    });
  });

  describe('CompletePhase', () => {
    it('records the actual end of a started phase', () => {
      spec.given([...started, firstModules]).when(completeAioa).then([aioaCompleted]);
    });

    it('completes a phase on the day it started', () => {
      const sameDay = { ...aioaCompleted.data, effectiveDate: aioaStarted.data.effectiveDate };
      spec.given(started).when({ type: 'CompletePhase', data: sameDay }).then([{ type: 'PhaseCompleted', data: sameDay }]);
    });

    it('rule: completing a phase again on the same day changes nothing', () => {
      spec.given([...started, aioaCompleted]).when(completeAioa).thenNothingHappens();
    });

    it('rule: a phase completes once (PHASE.ALREADY_COMPLETED)', () => {
      spec
        .given([...started, aioaCompleted])
        .when({ type: 'CompletePhase', data: { ...aioaCompleted.data, effectiveDate: '2022-12-30' } })
        .thenThrows('PHASE.ALREADY_COMPLETED', 'conflict');
    });

    it('rule: a phase cannot complete before it starts (PHASE.NOT_STARTED)', () => {
      spec.given(planned).when(completeAioa).thenThrows('PHASE.NOT_STARTED', 'rule');
    });

    it('rule: a phase cannot complete before it starts (PHASE.COMPLETED_BEFORE_START)', () => {
      spec
        .given(started)
        .when({ type: 'CompletePhase', data: { ...aioaCompleted.data, effectiveDate: '2021-02-28' } })
        .thenThrows('PHASE.COMPLETED_BEFORE_START', 'rule');
    });

    it('rule: a phase does not complete before a milestone reached in it (PHASE.COMPLETED_BEFORE_MILESTONE)', () => {
      spec
        .given([...started, firstModules])
        .when({ type: 'CompletePhase', data: { ...aioaCompleted.data, effectiveDate: '2021-09-12' } })
        .thenThrows('PHASE.COMPLETED_BEFORE_MILESTONE', 'rule');
      const milestoneDay = { ...aioaCompleted.data, effectiveDate: firstModules.data.effectiveDate };
      spec.given([...started, firstModules]).when({ type: 'CompletePhase', data: milestoneDay }).then([{ type: 'PhaseCompleted', data: milestoneDay }]);
    });

    it('rule: a phase does not complete before the plan in force: its planning or its latest rescheduling (PHASE.COMPLETED_BEFORE_PLAN)', () => {
      // A completed phase is not rescheduled: a completion dated before a rescheduling would contradict it.
      const longer: AntennaEvent = {
        type: 'PhaseRescheduled',
        data: { ...rescheduleAioa, plannedStart: '2021-01-01', plannedEnd: '2023-06-30', previousPlannedStart: '2021-01-01', previousPlannedEnd: '2022-12-31' },
      };
      spec
        .given([...started, longer])
        .when({ type: 'CompletePhase', data: { ...aioaCompleted.data, effectiveDate: '2022-11-14' } })
        .thenThrows('PHASE.COMPLETED_BEFORE_PLAN', 'rule');
      const onRescheduling = { ...aioaCompleted.data, effectiveDate: '2022-11-15' };
      spec.given([...started, longer]).when({ type: 'CompletePhase', data: onRescheduling }).then([{ type: 'PhaseCompleted', data: onRescheduling }]);
      // Recorded before PHASE.STARTED_BEFORE_PLANNING: planned on 01/10/2021, started on 12/09/2021.
      const plannedLater = { ...aioaPlanned, data: { ...aioaPlanned.data, effectiveDate: '2021-10-01' } };
      const startedEarlier = { ...aioaStarted, data: { ...aioaStarted.data, effectiveDate: '2021-09-12' } };
      spec
        .given([opened, plannedLater, startedEarlier])
        .when({ type: 'CompletePhase', data: { ...aioaCompleted.data, effectiveDate: '2021-09-30' } })
        .thenThrows('PHASE.COMPLETED_BEFORE_PLAN', 'rule');
    });

    it('rule: only a planned phase completes (PHASE.NOT_FOUND)', () => {
      spec.given([opened]).when(completeAioa).thenThrows('PHASE.NOT_FOUND', 'not-found');
    });

    it('completes a phase while the antenna is suspended', () => {
      spec.given([...started, suspended]).when(completeAioa).then([aioaCompleted]);
    });
  });

  describe('phase commands on a closed antenna', () => {
    it.each<AntennaCommand>([planAioa, startAioa, reachFirstModules, postponePortesDuJura, completeAioa])(
      'rule: a closed antenna accepts nothing but audit reads, not even $type (ANTENNA.CLOSED)',
      (command) => {
        spec.given([...started, closed]).when(command).thenThrows('ANTENNA.CLOSED', 'conflict');
      },
    );
  });
});
