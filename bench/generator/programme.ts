import type { Actor } from '@jalon/application';
import { BUDGET_CATEGORIES, type BudgetCategory } from '@jalon/domain';
import { Day, dayOf, firstOfNextMonth, isoOf, periodOf, quarterEnd, quarterOf, quarterStart, yearOfDay } from '../lib/calendar';
import { Rng } from '../lib/rng';
import {
  BUDGET_REVISION_REASONS,
  COURSES,
  EXPENDITURE_LABELS,
  EXPENDITURE_REVERSAL_REASONS,
  LEARNER_CORRECTION_REASONS,
  MILESTONES,
  MONTHS,
  PARTNERS,
  PHASE_NAMES,
  REJECTION_REASONS,
  SELECTION_CRITERIA,
  slugOf,
  Town,
  TOWNS,
  TRAINING_NEEDS,
  TRANCHE_REVERSAL_REASONS,
  WITHDRAWAL_REASONS,
} from './vocabulary';

/**
 * A deterministic, seeded synthetic programme shaped like « Au cœur des territoires » at scale:
 * several calls, candidacies (selected, rejected, withdrawn), antennas with their phases,
 * milestones, inauguration, courses and monthly learner reports, budgets with revisions,
 * expenditures (some reversed), funding agreements with tranches released, received and
 * sometimes reversed; a few antennas suspended or closed.
 *
 * It produces COMMANDS (catalogue name, input, actor), never events: the seeder sends them through
 * the real CommandExecutor, so every event is decided by the domain's deciders. Commands come out
 * one quarter at a time; within a quarter, programme-wide commands first (programme, calls,
 * candidacies), then each antenna's commands grouped by stream (antenna, budget, each funding
 * agreement, then a closing), each group in date order. That grouping is what lets the seeder
 * append one batch per stream and quarter ("the quarter's invoices entered together") while every
 * command still sees the state its rules need.
 *
 * The total number of events is reached by scaling the expenditure rate (expenditures are most of
 * a real programme's events): everything else is planned first and counted exactly.
 */

export interface GeneratorOptions {
  /** Events wanted, approximately (the result is within a fraction of a percent). */
  readonly events: number;
  readonly antennas: number;
  readonly seed: string;
}

export interface Step {
  readonly command: string;
  readonly actor: Actor;
  readonly input: Record<string, unknown>;
  readonly day: Day;
  /** Orders steps of the same day within a stream (an opening before a plan before a start…). */
  readonly rank: number;
}

export interface AntennaManifest {
  readonly antennaId: string;
  readonly candidacyId: string;
  readonly callId: string;
  readonly openedOn: string;
  readonly closed: boolean;
  readonly agreementIds: readonly string[];
}

export interface ProgrammeManifest {
  readonly programmeId: string;
  readonly seed: string;
  readonly callIds: readonly string[];
  readonly candidacies: number;
  readonly antennas: readonly AntennaManifest[];
  /** Commands planned outside expenditures (each decides exactly one event). */
  readonly fixedCommands: number;
  readonly expenditureRatePerAntennaMonth: number;
  readonly historyStart: string;
  readonly historyEnd: string;
}

export interface Window {
  readonly quarter: number;
  /** The day the quarter's commands are recorded (the seeder's clock): the day after the quarter ends. */
  readonly recordedOn: Day;
  readonly steps: readonly Step[];
}

export const BENCH_PROGRAMME_MANAGER: Actor = { id: 'bench-programme-manager', name: 'Chargée de programme (banc d’essai)', role: 'programme-manager' };
export const BENCH_FINANCE: Actor = { id: 'bench-finance', name: 'Service financier (banc d’essai)', role: 'finance' };

export const PROGRAMME_ID = 'au-coeur-des-territoires';
export const HISTORY_START: Day = dayOf('2019-01-15');
export const HISTORY_END: Day = dayOf('2025-12-31');
const EXPENDITURE_REVERSAL_RATE = 0.02;

/** Default number of antennas for a number of events: 1,000 events per antenna, 3 to 1,000 antennas. */
export function defaultAntennas(events: number): number {
  return Math.max(3, Math.min(1000, Math.round(events / 1000)));
}

const pm = (command: string, day: Day, rank: number, input: Record<string, unknown>): Step => ({ command, actor: BENCH_PROGRAMME_MANAGER, input, day, rank });
const fin = (command: string, day: Day, rank: number, input: Record<string, unknown>): Step => ({ command, actor: BENCH_FINANCE, input, day, rank });
const byDayThenRank = (a: Step, b: Step) => a.day - b.day || a.rank - b.rank;
const euros = (amount: number) => amount * 100;

interface CallPlan {
  readonly callId: string;
  readonly number: number;
  readonly opensOn: Day;
  readonly closesOn: Day;
  readonly decidedOn: Day;
}

interface Territory {
  readonly id: string;
  readonly name: string;
  readonly town: Town;
}

interface AgreementPlan {
  readonly agreementId: string;
  readonly commitDay: Day;
  /** Last day the agreement may be charged (its closing), or Infinity. */
  readonly closedDay: Day;
  readonly steps: Step[];
}

interface AntennaPlan {
  readonly index: number;
  readonly antennaId: string;
  readonly candidacyId: string;
  readonly callId: string;
  readonly openedDay: Day;
  readonly closeDay: Day | null;
  /** Last day anything may happen to the antenna's streams. */
  readonly limit: Day;
  readonly lifecycle: Step[];
  readonly budget: Step[];
  readonly agreements: AgreementPlan[];
  readonly closing: Step | null;
  readonly expenditureFrom: Day;
  /** Reversals already drawn, waiting for their quarter. */
  pendingReversals: Step[];
  expenditureCount: number;
}

export class SyntheticProgramme {
  readonly manifest: ProgrammeManifest;
  private readonly global: Step[];
  private readonly antennas: AntennaPlan[];
  private readonly expenditurePerDay: number;

  constructor(private readonly options: GeneratorOptions) {
    if (!(options.antennas >= 1)) throw new Error('the synthetic programme needs at least one antenna');
    const calls = planCalls(options.antennas);
    const { global, antennas, candidacies } = planProgramme(options, calls);
    this.global = global.sort(byDayThenRank);
    this.antennas = antennas;

    const fixed =
      this.global.length +
      antennas.reduce(
        (sum, a) => sum + a.lifecycle.length + a.budget.length + a.agreements.reduce((s, g) => s + g.steps.length, 0) + (a.closing ? 1 : 0),
        0,
      );
    const activeDays = antennas.reduce((sum, a) => sum + Math.max(0, a.limit - a.expenditureFrom + 1), 0);
    const expenditures = Math.max(0, (options.events - fixed) / (1 + EXPENDITURE_REVERSAL_RATE));
    this.expenditurePerDay = activeDays > 0 ? expenditures / activeDays : 0;

    this.manifest = {
      programmeId: PROGRAMME_ID,
      seed: options.seed,
      callIds: calls.map((c) => c.callId),
      candidacies,
      antennas: antennas.map((a) => ({
        antennaId: a.antennaId,
        candidacyId: a.candidacyId,
        callId: a.callId,
        openedOn: isoOf(a.openedDay),
        closed: a.closeDay !== null,
        agreementIds: a.agreements.map((g) => g.agreementId),
      })),
      fixedCommands: fixed,
      expenditureRatePerAntennaMonth: Math.round(this.expenditurePerDay * 30.44 * 100) / 100,
      historyStart: isoOf(HISTORY_START),
      historyEnd: isoOf(HISTORY_END),
    };
  }

  /** The commands, one quarter at a time, in the order they must be executed. */
  *windows(): Generator<Window> {
    const cursors = { global: 0, lifecycle: new Map<number, number>(), budget: new Map<number, number>() };
    const agreementCursors = new Map<string, number>();
    for (let quarter = quarterOf(HISTORY_START); quarter <= quarterOf(HISTORY_END); quarter++) {
      const steps: Step[] = [];
      const inQuarter = (step: Step | undefined) => step !== undefined && quarterOf(step.day) === quarter;
      while (inQuarter(this.global[cursors.global])) steps.push(this.global[cursors.global++]!);

      for (const antenna of this.antennas) {
        let i = cursors.lifecycle.get(antenna.index) ?? 0;
        while (inQuarter(antenna.lifecycle[i])) steps.push(antenna.lifecycle[i++]!);
        cursors.lifecycle.set(antenna.index, i);

        const budget: Step[] = [];
        let b = cursors.budget.get(antenna.index) ?? 0;
        while (inQuarter(antenna.budget[b])) budget.push(antenna.budget[b++]!);
        cursors.budget.set(antenna.index, b);
        budget.push(...this.expendituresOf(antenna, quarter));
        const due = antenna.pendingReversals.filter((step) => quarterOf(step.day) <= quarter);
        antenna.pendingReversals = antenna.pendingReversals.filter((step) => quarterOf(step.day) > quarter);
        budget.push(...due);
        steps.push(...budget.sort(byDayThenRank));

        for (const agreement of antenna.agreements) {
          let g = agreementCursors.get(agreement.agreementId) ?? 0;
          while (inQuarter(agreement.steps[g])) steps.push(agreement.steps[g++]!);
          agreementCursors.set(agreement.agreementId, g);
        }
        if (inQuarter(antenna.closing ?? undefined)) steps.push(antenna.closing!);
      }
      yield { quarter, recordedOn: quarterEnd(quarter) + 1, steps };
    }
  }

  /** The antenna's expenditures of one quarter (drawn from a generator of their own, so the plan does not depend on the order of drawing). */
  private expendituresOf(antenna: AntennaPlan, quarter: number): Step[] {
    const from = Math.max(quarterStart(quarter), antenna.expenditureFrom);
    const to = Math.min(quarterEnd(quarter), antenna.limit);
    if (to < from || this.expenditurePerDay <= 0) return [];
    const rng = new Rng(`${this.options.seed}:expenditures:${antenna.index}:${quarter}`);
    const count = rng.count(this.expenditurePerDay * (to - from + 1));
    const days = Array.from({ length: count }, () => rng.int(from, to)).sort((a, b) => a - b);
    const steps: Step[] = [];
    for (const day of days) {
      const category: BudgetCategory = rng.pick(BUDGET_CATEGORIES);
      const expenditureId = `d${++antenna.expenditureCount}`;
      const month = MONTHS[Number(isoOf(day).slice(5, 7)) - 1]!;
      // Only agreements committed in an earlier quarter: within a quarter, the budget's commands run before the
      // agreements' (see windows()), and an expenditure is charged only to an agreement that exists.
      const charged = antenna.agreements.filter((g) => quarterOf(g.commitDay) < quarter && g.commitDay < day && day <= g.closedDay);
      const input: Record<string, unknown> = {
        antennaId: antenna.antennaId,
        expenditureId,
        category,
        amountCents: rng.logInt(5_000, 2_000_000),
        description: `${rng.pick(EXPENDITURE_LABELS[category])} — ${month} ${yearOfDay(day)} (facture ${yearOfDay(day)}-${String(antenna.expenditureCount).padStart(5, '0')})`,
        ...(charged.length > 0 && rng.chance(0.3) ? { fundingAgreementId: rng.pick(charged).agreementId } : {}),
        effectiveDate: isoOf(day),
      };
      steps.push(fin('RecordExpenditure', day, 2, input));
      if (rng.chance(EXPENDITURE_REVERSAL_RATE)) {
        const reversedOn = day + rng.int(3, 40);
        if (reversedOn <= antenna.limit) {
          antenna.pendingReversals.push(
            fin('ReverseExpenditure', reversedOn, 3, {
              antennaId: antenna.antennaId,
              expenditureId,
              reason: rng.pick(EXPENDITURE_REVERSAL_REASONS),
              effectiveDate: isoOf(reversedOn),
            }),
          );
        }
      }
    }
    return steps;
  }
}

// ---------------------------------------------------------------------------------------------
// Planning

function planCalls(antennas: number): CallPlan[] {
  const count = Math.max(2, Math.min(5, Math.ceil(antennas / 200)));
  const first = dayOf('2019-03-01');
  const last = dayOf('2023-09-01');
  return Array.from({ length: count }, (_, k) => {
    const opensOn = first + Math.round((k * (last - first)) / (count - 1));
    const closesOn = opensOn + 75;
    return { callId: `ami-${k + 1}`, number: k + 1, opensOn, closesOn, decidedOn: closesOn + 45 };
  });
}

function territoryOf(index: number): Territory {
  const town = TOWNS[index % TOWNS.length]!;
  const round = Math.floor(index / TOWNS.length);
  return {
    id: round === 0 ? slugOf(town.name) : `${slugOf(town.name)}-${round + 1}`,
    name: round === 0 ? `${town.name} Agglomération` : `Territoire de ${town.name} ${round + 1}`,
    town,
  };
}

function planProgramme(options: GeneratorOptions, calls: CallPlan[]): { global: Step[]; antennas: AntennaPlan[]; candidacies: number } {
  const global: Step[] = [
    pm('LaunchProgramme', HISTORY_START, 0, {
      programmeId: PROGRAMME_ID,
      name: 'Au cœur des territoires (programme synthétique)',
      operator: 'Cnam (Conservatoire national des arts et métiers)',
      description: 'Programme synthétique du banc d’essai : des antennes de formation dans les villes moyennes.',
      targets: { antennaCount: Math.max(1, Math.round(options.antennas * 0.8)), targetDate: '2022-12-31' },
      effectiveDate: isoOf(HISTORY_START),
    }),
    pm('SignConvention', dayOf('2019-04-01'), 0, {
      programmeId: PROGRAMME_ID,
      conventionId: 'convention-acv-2019',
      title: 'Convention de partenariat Action Cœur de Ville',
      partners: ['Ministère de la Cohésion des territoires', 'Cnam'],
      durationMonths: 36,
      effectiveDate: '2019-04-01',
    }),
    pm('ReviseProgrammeTargets', dayOf('2021-06-15'), 0, {
      programmeId: PROGRAMME_ID,
      targets: { antennaCount: options.antennas, targetDate: '2025-12-31' },
      reason: 'Extension du programme après le deuxième appel',
      effectiveDate: '2021-06-15',
    }),
    pm('SignConvention', dayOf('2022-04-01'), 0, {
      programmeId: PROGRAMME_ID,
      conventionId: 'avenant-2022',
      title: 'Avenant de prolongation de la convention',
      partners: ['Ministère de la Cohésion des territoires', 'Cnam', 'Banque des Territoires'],
      durationMonths: 48,
      effectiveDate: '2022-04-01',
    }),
  ];
  for (const call of calls) {
    global.push(
      pm('OpenCallForApplications', call.opensOn, 1, {
        callId: call.callId,
        programmeId: PROGRAMME_ID,
        title: `Appel à manifestation d’intérêt n° ${call.number}`,
        number: call.number,
        opensOn: isoOf(call.opensOn),
        closesOn: isoOf(call.closesOn),
        criteria: SELECTION_CRITERIA.slice(0, 3),
        effectiveDate: isoOf(call.opensOn),
      }),
      pm('CloseCallForApplications', call.closesOn, 4, { callId: call.callId, effectiveDate: isoOf(call.closesOn) }),
    );
  }

  const antennas: AntennaPlan[] = [];
  let territoryIndex = options.antennas;
  let candidacies = 0;
  for (let index = 0; index < options.antennas; index++) {
    const call = calls[Math.floor((index * calls.length) / options.antennas)]!;
    const territory = territoryOf(index);
    const arng = new Rng(`${options.seed}:antenna:${index}`);
    const selectedOn = call.decidedOn + arng.int(0, 20);
    global.push(...candidacySteps(arng, call, territory, { outcome: 'selected', decidedOn: selectedOn }));
    candidacies++;
    antennas.push(planAntenna(index, arng, call, territory, selectedOn));

    // Other territories applied to the same call: most were rejected, some withdrew, a few
    // laureates withdrew after their selection (no antenna).
    const others = arng.count(1.2);
    for (let k = 0; k < others; k++) {
      const other = territoryOf(territoryIndex++);
      const roll = arng.next();
      const outcome = roll < 0.78 ? 'rejected' : roll < 0.97 ? 'withdrawn' : 'laureate-withdrawn';
      global.push(...candidacySteps(arng, call, other, { outcome, decidedOn: call.decidedOn + arng.int(0, 20) }));
      candidacies++;
    }
  }
  return { global, antennas, candidacies };
}

function candidacySteps(
  rng: Rng,
  call: CallPlan,
  territory: Territory,
  plan: { outcome: 'selected' | 'rejected' | 'withdrawn' | 'laureate-withdrawn'; decidedOn: Day },
): Step[] {
  const candidacyId = `${call.callId}--${territory.id}`;
  const submittedOn = call.opensOn + rng.int(0, call.closesOn - call.opensOn - 5);
  const partnerPool = PARTNERS.map((p) => ({ name: p.name(territory.town), kind: p.kind }));
  const partners = rng.sample(partnerPool, rng.int(3, 10));
  const steps: Step[] = [
    pm('SubmitCandidacy', submittedOn, 2, {
      callId: call.callId,
      territory: {
        id: territory.id,
        name: territory.name,
        kind: rng.pick(['commune', 'agglomeration', 'employment-area']),
        region: territory.town.region,
        department: territory.town.department,
        actionCoeurDeVille: rng.chance(0.85),
        population: rng.int(15_000, 180_000),
        figures: {
          jobs: rng.int(5_000, 80_000),
          companies: rng.int(300, 6_000),
          students: rng.int(200, 9_000),
          industrialEmploymentPercent: rng.int(5, 40),
          belowBaccalaureatePercent: rng.int(20, 50),
        },
      },
      partners,
      trainingNeeds: rng.sample(TRAINING_NEEDS, rng.int(1, 4)),
      projectedBudgetCents: euros(rng.int(200, 1_200) * 1_000),
      effectiveDate: isoOf(submittedOn),
    }),
  ];
  // A partner joins some files before the deadline (never one about to be withdrawn: a closed file takes no partner).
  if (plan.outcome !== 'withdrawn' && rng.chance(0.3)) {
    const extra = partnerPool.find((p) => !partners.some((q) => q.name === p.name));
    const addedOn = Math.min(call.closesOn, submittedOn + rng.int(1, 10));
    if (extra) steps.push(pm('AddCandidacyPartner', addedOn, 3, { candidacyId, partner: extra, effectiveDate: isoOf(addedOn) }));
  }
  const decidedOn = Math.max(plan.decidedOn, submittedOn + 1);
  switch (plan.outcome) {
    case 'selected':
    case 'laureate-withdrawn':
      steps.push(pm('SelectCandidacy', decidedOn, 5, { candidacyId, criteria: rng.sample(SELECTION_CRITERIA, rng.int(1, 3)), effectiveDate: isoOf(decidedOn) }));
      if (plan.outcome === 'laureate-withdrawn') {
        const withdrawnOn = decidedOn + rng.int(10, 40);
        steps.push(pm('WithdrawCandidacy', withdrawnOn, 6, { candidacyId, reason: rng.pick(WITHDRAWAL_REASONS), effectiveDate: isoOf(withdrawnOn) }));
      }
      break;
    case 'rejected':
      steps.push(pm('RejectCandidacy', decidedOn, 5, { candidacyId, reason: rng.pick(REJECTION_REASONS), effectiveDate: isoOf(decidedOn) }));
      break;
    case 'withdrawn': {
      const withdrawnOn = submittedOn + rng.int(1, Math.max(1, decidedOn - submittedOn - 1));
      steps.push(pm('WithdrawCandidacy', withdrawnOn, 5, { candidacyId, reason: rng.pick(WITHDRAWAL_REASONS), effectiveDate: isoOf(withdrawnOn) }));
      break;
    }
  }
  return steps;
}

function planAntenna(index: number, rng: Rng, call: CallPlan, territory: Territory, selectedOn: Day): AntennaPlan {
  const antennaId = territory.id;
  const candidacyId = `${call.callId}--${territory.id}`;
  const openedDay = selectedOn + rng.int(30, 90);
  // A few antennas close in the history's last year, after at least a year of activity.
  const closeCandidate = HISTORY_END - rng.int(30, 200);
  const closeDay = rng.chance(0.02) && closeCandidate > openedDay + 365 ? closeCandidate : null;
  const limit = closeDay === null ? HISTORY_END : closeDay - 1;
  const id = { antennaId };
  const lifecycle: Step[] = [
    pm('OpenAntenna', openedDay, 0, {
      antennaId,
      candidacyId,
      name: `Antenne Cnam de ${territory.town.name}${territory.id === slugOf(territory.town.name) ? '' : ` (${territory.id})`}`,
      town: territory.town.name,
      effectiveDate: isoOf(openedDay),
    }),
  ];
  const keep = (step: Step) => {
    if (step.day <= limit) lifecycle.push(step);
    return step.day <= limit;
  };

  // Phases: planned at the opening, one after the other; phase 2 is sometimes rescheduled before it starts.
  const phaseCount = rng.int(2, 3);
  const plans: { phaseId: string; start: Day; end: Day }[] = [];
  let plannedStart = openedDay + rng.int(0, 60);
  for (let p = 1; p <= phaseCount; p++) {
    const end = plannedStart + rng.int(365, 730);
    plans.push({ phaseId: `phase-${p}`, start: plannedStart, end });
    lifecycle.push(
      pm('PlanPhase', openedDay, 1, {
        ...id,
        phaseId: `phase-${p}`,
        name: PHASE_NAMES[(p - 1) % PHASE_NAMES.length]!,
        site: `Site ${p} de ${territory.town.name}`,
        plannedStart: isoOf(plannedStart),
        plannedEnd: isoOf(end),
        effectiveDate: isoOf(openedDay),
      }),
    );
    plannedStart = end + 1;
  }
  if (rng.chance(0.3)) {
    const phase = plans[1]!;
    const shift = rng.int(30, 120);
    const on = openedDay + rng.int(30, 200);
    phase.start += shift;
    phase.end += shift;
    keep(
      pm('ReschedulePhase', on, 3, {
        ...id,
        phaseId: phase.phaseId,
        plannedStart: isoOf(phase.start),
        plannedEnd: isoOf(phase.end),
        reason: 'Travaux préalables sur le site (report)',
        effectiveDate: isoOf(on),
      }),
    );
  }
  let lastNewThing = openedDay;
  for (const phase of plans) {
    const startedOn = Math.max(openedDay, phase.start + rng.int(-10, 45));
    if (!keep(pm('StartPhase', startedOn, 2, { ...id, phaseId: phase.phaseId, effectiveDate: isoOf(startedOn) }))) {
      lastNewThing = Infinity;
      break;
    }
    lastNewThing = Math.max(lastNewThing, startedOn);
    const completedOn = Math.max(startedOn + 30, phase.end + rng.int(-30, 60));
    const milestones = rng.int(1, 3);
    for (let m = 1; m <= milestones; m++) {
      const reachedOn = startedOn + 1 + rng.int(0, Math.max(0, Math.min(completedOn, startedOn + 365) - startedOn - 2));
      keep(
        pm('ReachMilestone', reachedOn, 4, {
          ...id,
          phaseId: phase.phaseId,
          milestoneId: `jalon-${m}`,
          name: rng.pick(MILESTONES),
          effectiveDate: isoOf(reachedOn),
        }),
      );
    }
    keep(pm('CompletePhase', completedOn, 5, { ...id, phaseId: phase.phaseId, effectiveDate: isoOf(completedOn) }));
  }

  const inauguratedOn = openedDay + rng.int(60, 240);
  if (keep(pm('InaugurateAntenna', inauguratedOn, 6, { ...id, place: `Campus de ${territory.town.name}`, effectiveDate: isoOf(inauguratedOn) }))) {
    lastNewThing = Math.max(lastNewThing, inauguratedOn);
  } else {
    lastNewThing = Infinity;
  }
  const courses = rng.sample(COURSES, rng.int(2, 6));
  courses.forEach((course, c) => {
    const openedOn = inauguratedOn + rng.int(0, 720);
    const mode = rng.pick(['distance', 'hybrid', 'on-site', 'work-study']);
    if (keep(pm('OpenTrainingCourse', openedOn, 7, { ...id, courseId: `formation-${c + 1}`, ...course, mode, effectiveDate: isoOf(openedOn) }))) {
      lastNewThing = Math.max(lastNewThing, openedOn);
    } else {
      lastNewThing = Infinity;
    }
  });

  // Learners, every month from the inauguration; a few corrections.
  let learners = rng.int(5, 40);
  for (let month = inauguratedOn; ; month = firstOfNextMonth(month)) {
    const reportedOn = firstOfNextMonth(month) + rng.int(0, 10);
    if (reportedOn > limit) break;
    learners = Math.max(0, learners + rng.int(-5, 8));
    const period = periodOf(month);
    keep(pm('ReportLearners', reportedOn, 8, { ...id, period, learners, effectiveDate: isoOf(reportedOn) }));
    if (rng.chance(0.03)) {
      const correctedOn = reportedOn + rng.int(5, 25);
      keep(pm('ReportLearners', correctedOn, 8, { ...id, period, learners: learners + rng.int(1, 6), reason: rng.pick(LEARNER_CORRECTION_REASONS), effectiveDate: isoOf(correctedOn) }));
    }
  }

  // A suspension, only once nothing new (phase start, inauguration, course) is left to happen.
  if (rng.chance(0.03) && Number.isFinite(lastNewThing)) {
    const suspendedOn = lastNewThing + rng.int(30, 90);
    const resumedOn = suspendedOn + rng.int(30, 90);
    if (resumedOn <= limit) {
      keep(pm('SuspendAntenna', suspendedOn, 9, { ...id, reason: 'Fermeture temporaire du local pour travaux', effectiveDate: isoOf(suspendedOn) }));
      keep(pm('ResumeAntenna', resumedOn, 10, { ...id, effectiveDate: isoOf(resumedOn) }));
    }
  }
  lifecycle.sort(byDayThenRank);

  // Budget: a forecast over four years at the opening, revised once a year or so.
  const budget: Step[] = [];
  const firstYear = yearOfDay(openedDay);
  const categories = rng.sample(BUDGET_CATEGORIES, rng.int(4, 6));
  let lines = [];
  for (let year = firstYear; year < firstYear + 4; year++) {
    for (const category of categories) lines.push({ year, category, amountCents: euros(rng.int(5, 150) * 1_000) });
  }
  budget.push(fin('SetBudgetForecast', openedDay, 0, { ...id, lines, effectiveDate: isoOf(openedDay) }));
  const revisions = rng.int(0, 3);
  for (let r = 1; r <= revisions; r++) {
    const revisedOn = openedDay + r * 365 + rng.int(-30, 30);
    if (revisedOn > limit) break;
    lines = lines.map((line) => ({ ...line }));
    for (const line of rng.sample(lines, rng.int(1, 3))) {
      line.amountCents = Math.max(euros(100), line.amountCents + euros(rng.pick([-1, 1]) * rng.int(5, 20) * 100 * 10));
    }
    budget.push(fin('ReviseBudgetForecast', revisedOn, 1, { ...id, lines, reason: rng.pick(BUDGET_REVISION_REASONS), effectiveDate: isoOf(revisedOn) }));
  }

  // Funding: the Banque des Territoires seed envelope always, a region and the FSE+ sometimes.
  const agreements: AgreementPlan[] = [];
  const funders = [
    { code: 'bdt', funder: 'Banque des Territoires', label: 'Enveloppe d’amorçage', after: [30, 120] as const, tranches: [40, 30, 30], every: 365 },
    ...(rng.chance(0.5) ? [{ code: 'region', funder: `Région ${territory.town.region}`, label: 'Soutien régional à la formation', after: [60, 300] as const, tranches: [50, 50], every: 240 }] : []),
    ...(rng.chance(0.3) ? [{ code: 'fse', funder: 'Fonds social européen (FSE+)', label: 'Cofinancement FSE+', after: [90, 400] as const, tranches: [34, 33, 33], every: 300 }] : []),
  ];
  for (const f of funders) {
    const commitDay = openedDay + rng.int(f.after[0], f.after[1]);
    if (commitDay > limit) continue;
    const agreementId = `${f.code}-${antennaId}`;
    const agreement = { antennaId, agreementId };
    const total = euros(rng.int(30, 150) * 1_000);
    let allocated = 0;
    const tranches = f.tranches.map((share, t) => {
      const amountCents = t === f.tranches.length - 1 ? total - allocated : Math.round((total * share) / 100);
      allocated += amountCents;
      return {
        trancheId: `tranche-${t + 1}`,
        label: `Tranche ${t + 1}`,
        amountCents,
        dueOn: isoOf(commitDay + t * f.every),
        conditions: t === 0 ? 'Signature de la convention' : `Rapport d’activité de l’année ${yearOfDay(commitDay) + t - 1}`,
      };
    });
    const steps: Step[] = [fin('CommitFunding', commitDay, 0, { ...agreement, funder: f.funder, label: f.label, amountCents: total, tranches, effectiveDate: isoOf(commitDay) })];
    let lastReceipt: Day | null = commitDay;
    tranches.forEach((tranche, t) => {
      let releasedOn = Math.max(dayOf(tranche.dueOn), commitDay) + rng.int(0, 30);
      if (releasedOn > limit) {
        lastReceipt = null;
        return;
      }
      steps.push(fin('ReleaseTranche', releasedOn, 1, { ...agreement, trancheId: tranche.trancheId, effectiveDate: isoOf(releasedOn) }));
      if (rng.chance(0.04)) {
        const reversedOn = releasedOn + rng.int(5, 20);
        const again = reversedOn + rng.int(20, 60);
        if (again > limit) {
          lastReceipt = null;
          return;
        }
        steps.push(fin('ReverseTrancheRelease', reversedOn, 2, { ...agreement, trancheId: tranche.trancheId, reason: rng.pick(TRANCHE_REVERSAL_REASONS), effectiveDate: isoOf(reversedOn) }));
        steps.push(fin('ReleaseTranche', again, 1, { ...agreement, trancheId: tranche.trancheId, effectiveDate: isoOf(again) }));
        releasedOn = again;
      }
      const receivedOn = releasedOn + rng.int(7, 30);
      const missing = t === tranches.length - 1 && rng.chance(0.05);
      if (receivedOn > limit || missing) {
        lastReceipt = null;
        return;
      }
      const fee = rng.chance(0.05) ? Math.max(1, Math.round(tranche.amountCents / 1000)) : 0;
      steps.push(
        fin('RecordTrancheReceipt', receivedOn, 3, {
          ...agreement,
          trancheId: tranche.trancheId,
          amountCents: tranche.amountCents - fee,
          bankReference: `VIR-${f.code.toUpperCase()}-${isoOf(receivedOn).replaceAll('-', '')}-${index}-${t + 1}`,
          effectiveDate: isoOf(receivedOn),
        }),
      );
      if (lastReceipt !== null) lastReceipt = Math.max(lastReceipt, receivedOn);
    });
    let closedDay = Infinity;
    if (lastReceipt !== null && rng.chance(0.5)) {
      const closedOn: Day = lastReceipt + rng.int(30, 90);
      if (closedOn <= limit) {
        steps.push(fin('CloseFundingAgreement', closedOn, 4, { ...agreement, reason: 'Toutes les tranches ont été reçues', effectiveDate: isoOf(closedOn) }));
        closedDay = closedOn;
      }
    }
    agreements.push({ agreementId, commitDay, closedDay, steps: steps.sort(byDayThenRank) });
  }

  const closing = closeDay === null ? null : pm('CloseAntenna', closeDay, 11, { ...id, reason: 'Fin du soutien local au projet', effectiveDate: isoOf(closeDay) });
  return {
    index,
    antennaId,
    candidacyId,
    callId: call.callId,
    openedDay,
    closeDay,
    limit,
    lifecycle,
    budget: budget.sort(byDayThenRank),
    agreements,
    closing,
    expenditureFrom: openedDay + 7,
    pendingReversals: [],
    expenditureCount: 0,
  };
}
