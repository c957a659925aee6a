import { daysBetween, isAfter } from '@jalon/domain';
import * as LABELS from '@jalon/reporting';
import { formatDate, formatDays, formatInteger, rateBasisPoints } from '@jalon/reporting';
import type { Column, Report, ReportParameters, ReportTable, Row } from '@jalon/reporting';
import { ReadModelView } from '../../projection';
import { UnknownAntennaError } from '../budget/report-helpers';
import { closingOf } from './antenna-closing';
import { KeptForDocuments, keptOnly, PartsByDocument } from '../report-parts';
import {
  AntennaStatus,
  antennaKey,
  PHASES_PROJECTION_NAME,
  PhaseProgress,
  PhasesAntennaDocument,
  PhasesDocument,
  PhasesProgrammeDocument,
  PhaseStatus,
  PhasesTerritory,
} from './phases.projection';

/** What the builder reads: the `phases` read model, live or replayed. */
export interface PhasesReadModels {
  view<Doc>(name: string): ReadModelView<Doc>;
}

// From the one label table; typed here so that a status without a label fails the type check.
export const ANTENNA_STATUS_LABELS: Readonly<Record<AntennaStatus, string>> = LABELS.ANTENNA_STATUS_LABELS;
export const PHASE_STATUS_LABELS: Readonly<Record<PhaseSituation, string>> = LABELS.PHASE_STATUS_LABELS;

/**
 * A phase as every output shows it on the reference date: its recorded status, but « interrupted »
 * for a phase left started on an antenna closed on or before that date: a closed antenna accepts
 * nothing more, so that phase will neither go on nor be completed (it ran from its start to the
 * closing). Before the closing it was « en cours », as on any open antenna.
 */
export type PhaseSituation = PhaseStatus | 'interrupted';

export function phaseSituation(phase: Pick<PhaseProgress, 'status'>, antenna: PhasesAntennaDocument, referenceDate: string): PhaseSituation {
  return phase.status === 'started' && closedBy(antenna, referenceDate) !== null ? 'interrupted' : phase.status;
}

/** The antenna's closing date when it closed on or before the reference date; null otherwise. */
function closedBy(antenna: PhasesAntennaDocument, referenceDate: string): string | null {
  const closedOn = closingOf(antenna);
  return closedOn !== null && !isAfter(closedOn, referenceDate) ? closedOn : null;
}

/**
 * Days a phase is late on `referenceDate` (0 when on time):
 * - completed: its actual end against its current planned end;
 * - started, not completed: the reference date against its current planned end;
 * - not started: the reference date against its current planned start.
 * Judged against the plan in force, so a rescheduling (kept visible in the report) moves the bar.
 */
export function phaseLatenessDays(phase: PhaseProgress, referenceDate: string): number {
  const late =
    phase.actualEnd !== null
      ? daysBetween(phase.plannedEnd, phase.actualEnd)
      : phase.actualStart !== null
        ? daysBetween(phase.plannedEnd, referenceDate)
        : daysBetween(phase.plannedStart, referenceDate);
  return Math.max(0, late);
}

/**
 * The day an antenna's lateness is judged on: the reference date, or its closing when it closed
 * before: a closed antenna accepts nothing more (no phase can start or complete), so its phases'
 * lateness stops growing at its closing rather than for ever.
 */
export function latenessJudgedOn(antenna: PhasesAntennaDocument, referenceDate: string): string {
  return closedBy(antenna, referenceDate) ?? referenceDate;
}

/**
 * Where an antenna stands in its plan, as a label the programme view groups by; `named`: whether
 * the label is said with its phase's name (a phase started, stopped by the closing, or next to start).
 */
export function currentPhaseOf(antenna: PhasesAntennaDocument, referenceDate: string): { readonly order: number; readonly label: string; readonly phase: PhaseProgress | null; readonly named: boolean } {
  const phases = antenna.phases;
  if (phases.length === 0) return { order: 0, label: 'Aucune phase prévue', phase: null, named: false };
  let lastStarted = -1;
  phases.forEach((phase, index) => {
    if (phase.status === 'started') lastStarted = index;
  });
  if (lastStarted >= 0 && phaseSituation(phases[lastStarted]!, antenna, referenceDate) === 'interrupted') {
    return { order: 10 * (lastStarted + 1) + 1, label: `Phase ${lastStarted + 1} interrompue (antenne fermée)`, phase: phases[lastStarted]!, named: true };
  }
  if (lastStarted >= 0) return { order: 10 * (lastStarted + 1), label: `Phase ${lastStarted + 1} en cours`, phase: phases[lastStarted]!, named: true };
  const firstPlanned = phases.findIndex((phase) => phase.status === 'planned');
  if (firstPlanned < 0) return { order: 1_000_000, label: 'Toutes les phases terminées', phase: null, named: false };
  if (firstPlanned === 0 && phases.every((phase) => phase.status === 'planned')) return { order: 1, label: 'Aucune phase commencée', phase: phases[0]!, named: false };
  return { order: 10 * (firstPlanned + 1) - 5, label: `Phase ${firstPlanned + 1} à commencer`, phase: phases[firstPlanned]!, named: true };
}

/**
 * Where an antenna stands, as every output says it (the programme's table of antennas, the antenna
 * report and page): the current phase's label, with the phase's name when one is started, stopped
 * by the antenna's closing, or next to start (« Phase 2 en cours : Ouverture des formations »).
 */
export function currentPhaseText(current: ReturnType<typeof currentPhaseOf>): string {
  return current.named && current.phase !== null ? `${current.label} : ${current.phase.name}` : current.label;
}

const PHASE_COLUMNS: readonly Column[] = [
  { key: 'phase', label: 'Phase', kind: 'text' },
  { key: 'site', label: 'Site', kind: 'text' },
  { key: 'originalPlannedStart', label: 'Début prévu (initial)', kind: 'date' },
  { key: 'plannedStart', label: 'Début prévu (actuel)', kind: 'date' },
  { key: 'actualStart', label: 'Début réel', kind: 'date' },
  { key: 'originalPlannedEnd', label: 'Fin prévue (initiale)', kind: 'date' },
  { key: 'plannedEnd', label: 'Fin prévue (actuelle)', kind: 'date' },
  { key: 'actualEnd', label: 'Fin réelle', kind: 'date' },
  { key: 'status', label: 'Statut', kind: 'text' },
  { key: 'milestonesReached', label: 'Jalons atteints', kind: 'integer' },
  { key: 'latenessDays', label: 'Retard (jours)', kind: 'integer' },
];

/**
 * The phases report. With `antennaId`: the antenna's phases, planned (initial and current) vs
 * actual, with their reschedulings, milestones and lateness on the reference date. Without: the
 * programme view, antennas per status and per current phase against the programme's target.
 */
export function buildPhasesReport(models: PhasesReadModels, parameters: ReportParameters): Report<PhasesReportData> {
  const view = models.view<PhasesDocument>(PHASES_PROJECTION_NAME);
  return parameters.antennaId !== undefined ? antennaReport(view, parameters.antennaId, parameters) : programmeReport(view, parameters);
}

function antennaReport(view: ReadModelView<PhasesDocument>, antennaId: string, parameters: ReportParameters): Report<PhasesAntennaReportData> {
  const doc = view.get(antennaKey(antennaId));
  if (!doc || doc.kind !== 'antenna') {
    throw new UnknownAntennaError(antennaId, parameters);
  }
  const { referenceDate } = parameters;
  const judgedOn = latenessJudgedOn(doc, referenceDate);
  const phases = doc.phases.map((phase): PhaseReportProgress => ({ ...phase, latenessDays: phaseLatenessDays(phase, judgedOn), situation: phaseSituation(phase, doc, referenceDate) }));

  const antennaTable: ReportTable = {
    title: 'Antenne',
    columns: [
      { key: 'antenna', label: 'Antenne', kind: 'text' },
      { key: 'town', label: 'Ville', kind: 'text' },
      { key: 'status', label: 'Statut', kind: 'text' },
      { key: 'openedOn', label: 'Ouverte le', kind: 'date' },
      { key: 'inauguratedOn', label: 'Inaugurée le', kind: 'date' },
      { key: 'inaugurationPlace', label: 'Lieu d’inauguration', kind: 'text' },
    ],
    rows: [
      {
        antenna: doc.name,
        town: doc.town,
        status: ANTENNA_STATUS_LABELS[doc.status],
        openedOn: doc.openedOn,
        inauguratedOn: doc.inauguratedOn,
        inaugurationPlace: doc.inaugurationPlace,
      },
    ],
  };

  const phaseTable: ReportTable = {
    title: 'Phases',
    columns: PHASE_COLUMNS,
    rows: phases.map(
      (phase): Row => ({
        phase: phase.name,
        site: phase.site,
        originalPlannedStart: phase.originalPlannedStart,
        plannedStart: phase.plannedStart,
        actualStart: phase.actualStart,
        originalPlannedEnd: phase.originalPlannedEnd,
        plannedEnd: phase.plannedEnd,
        actualEnd: phase.actualEnd,
        status: PHASE_STATUS_LABELS[phase.situation],
        milestonesReached: phase.milestones.length,
        latenessDays: phase.latenessDays,
      }),
    ),
  };

  const reschedulingTable: ReportTable = {
    title: 'Replanifications',
    columns: [
      { key: 'phase', label: 'Phase', kind: 'text' },
      { key: 'effectiveDate', label: 'Décidée le', kind: 'date' },
      { key: 'previousPlannedStart', label: 'Début prévu (avant)', kind: 'date' },
      { key: 'plannedStart', label: 'Début prévu (après)', kind: 'date' },
      { key: 'previousPlannedEnd', label: 'Fin prévue (avant)', kind: 'date' },
      { key: 'plannedEnd', label: 'Fin prévue (après)', kind: 'date' },
      { key: 'reason', label: 'Motif', kind: 'text' },
    ],
    rows: doc.phases.flatMap((phase) =>
      phase.reschedulings.map(
        (rescheduling): Row => ({
          phase: phase.name,
          effectiveDate: rescheduling.effectiveDate,
          previousPlannedStart: rescheduling.from.plannedStart,
          plannedStart: rescheduling.to.plannedStart,
          previousPlannedEnd: rescheduling.from.plannedEnd,
          plannedEnd: rescheduling.to.plannedEnd,
          reason: rescheduling.reason,
        }),
      ),
    ),
  };

  const milestoneTable: ReportTable = {
    title: 'Jalons atteints',
    columns: [
      { key: 'phase', label: 'Phase', kind: 'text' },
      { key: 'milestone', label: 'Jalon', kind: 'text' },
      { key: 'reachedOn', label: 'Atteint le', kind: 'date' },
    ],
    rows: doc.phases.flatMap((phase) =>
      phase.milestones.map((milestone): Row => ({ phase: phase.name, milestone: milestone.name, reachedOn: milestone.reachedOn })),
    ),
  };

  const notes = [
    judgedOn === referenceDate
      ? `Retards calculés au ${formatDate(referenceDate)}, par rapport au plan en vigueur.`
      : `Retards arrêtés au ${formatDate(judgedOn)}, jour de la fermeture de l’antenne (rien ne peut plus y commencer ni s’y achever), par rapport au plan en vigueur.`,
    ...phases
      .filter((phase) => phase.latenessDays > 0)
      .map((phase) => `La phase « ${phase.name} » est en retard de ${formatDays(phase.latenessDays)}.`),
    ...(doc.status !== 'active' && doc.statusReason ? [`Antenne ${ANTENNA_STATUS_LABELS[doc.status].toLowerCase()} depuis le ${formatDate(doc.statusSince)} : ${doc.statusReason}.`] : []),
  ];

  const { kind: _kind, ...antenna } = doc;
  return {
    kind: 'phases',
    title: `Avancement des phases — ${doc.name}`,
    parameters,
    antennaName: doc.name,
    tables: [antennaTable, phaseTable, reschedulingTable, milestoneTable],
    notes,
    data: { referenceDate, antenna: { ...antenna, phases }, currentPhase: currentPhaseText(currentPhaseOf(doc, referenceDate)) },
  };
}

/** A phase of the antenna report, with its lateness on the reference date and its situation ({@link phaseSituation}). */
export type PhaseReportProgress = PhaseProgress & { readonly latenessDays: number; readonly situation: PhaseSituation };

/** `data` of the phases report of one antenna. */
export interface PhasesAntennaReportData {
  readonly referenceDate: string;
  readonly antenna: Omit<PhasesAntennaDocument, 'kind' | 'phases'> & { readonly phases: readonly PhaseReportProgress[] };
  /** Where the antenna stands ({@link currentPhaseText}). */
  readonly currentPhase: string;
}

/** `data` of the programme-wide phases report: one summary per programme. */
export interface PhasesProgrammeReportData {
  readonly referenceDate: string;
  readonly programmes: readonly ProgrammeSummary[];
}

export type PhasesReportData = PhasesAntennaReportData | PhasesProgrammeReportData;

export interface ProgrammeSummary {
  readonly programmeId: string;
  readonly name: string;
  readonly target: { readonly antennaCount: number; readonly targetDate: string } | null;
  readonly antennasOpened: number;
  readonly attainmentBasisPoints: number | null;
  readonly byStatus: readonly { readonly status: AntennaStatus; readonly label: string; readonly antennas: number }[];
  readonly byCurrentPhase: readonly { readonly label: string; readonly antennas: number }[];
  readonly antennas: readonly {
    readonly antennaId: string;
    readonly name: string;
    readonly town: string;
    /** Its candidacy's territory and region, its call and candidacy. */
    readonly territory: PhasesTerritory;
    readonly callId: string;
    readonly candidacyId: string;
    readonly status: AntennaStatus;
    readonly openedOn: string;
    readonly inauguratedOn: string | null;
    readonly currentPhase: string;
    readonly phasesCompleted: number;
    readonly phasesPlanned: number;
    readonly latenessDays: number;
  }[];
}

function programmeReport(view: ReadModelView<PhasesDocument>, parameters: ReportParameters): Report<PhasesProgrammeReportData> {
  const programmes = keptOnly(view.list('programme:'), (doc): doc is PhasesProgrammeDocument => doc.kind === 'programme');
  const antennas = keptOnly(view.list('antenna:'), (doc): doc is PhasesAntennaDocument => doc.kind === 'antenna');
  const ids = programmes.map((p) => p.programmeId);
  for (const antenna of antennas) if (!ids.includes(antenna.programmeId)) ids.push(antenna.programmeId);

  const summarised = ids.map((programmeId) =>
    summarise(
      programmes.find((p) => p.programmeId === programmeId),
      programmeId,
      keptOnly(antennas, (a) => a.programmeId === programmeId),
      parameters.referenceDate,
    ),
  );
  const summaries = summarised.map(({ summary }) => summary);

  const several = summaries.length > 1;
  const suffix = (summary: ProgrammeSummary) => (several ? ` — ${summary.name}` : '');
  const tables: ReportTable[] = summarised.flatMap(({ summary, rows }) => programmeTables(summary, rows, suffix(summary)));
  const notes: string[] = [];
  if (summaries.length === 0) notes.push('Aucun programme enregistré à cette date.');
  for (const summary of summaries) {
    if (summary.target === null) notes.push(`Le programme « ${summary.name} » n’a pas d’objectif enregistré.`);
    else if (isAfter(parameters.referenceDate, summary.target.targetDate)) {
      notes.push(
        `Échéance du ${formatDate(summary.target.targetDate)} dépassée : ${formatInteger(summary.antennasOpened)} antenne${summary.antennasOpened > 1 ? 's' : ''} ouverte${summary.antennasOpened > 1 ? 's' : ''} pour un objectif de ${formatInteger(summary.target.antennaCount)}.`,
      );
    }
  }
  notes.push('Antennes ouvertes : toutes les antennes ouvertes dans le programme, quel que soit leur statut actuel.');

  return {
    kind: 'phases',
    title: summaries.length === 1 ? `Avancement du programme — ${summaries[0]!.name}` : 'Avancement des programmes',
    parameters,
    tables,
    notes,
    data: { referenceDate: parameters.referenceDate, programmes: summaries },
  };
}

function summarise(
  programme: PhasesProgrammeDocument | undefined,
  programmeId: string,
  antennas: readonly PhasesAntennaDocument[],
  referenceDate: string,
): { readonly summary: ProgrammeSummary; readonly rows: readonly Row[] } {
  const target = programme?.target ?? null;
  // Each antenna's line, derived once per committed document and reference date, and what the
  // summary counts over them, once while they are the same parts (report-parts.ts).
  const derivePart = (antenna: PhasesAntennaDocument) => antennaPart(antenna, referenceDate);
  const parts = new Array<PhasesPart>(antennas.length);
  for (let i = 0; i < antennas.length; i++) parts[i] = PHASES_PARTS.of(antennas[i]!, referenceDate, derivePart);
  const whole = PHASES_WHOLE.of(parts);
  return {
    summary: {
      programmeId,
      name: programme?.name ?? programmeId,
      target,
      antennasOpened: antennas.length,
      attainmentBasisPoints: target ? rateBasisPoints(antennas.length, target.antennaCount) : null,
      byStatus: whole.byStatus,
      byCurrentPhase: whole.byCurrentPhase,
      antennas: whole.lines,
    },
    rows: whole.rows,
  };
}

/** The antennas' parts of one programme put together: their lines and rows, and the counts by status and by current phase. */
function wholeOf(parts: readonly PhasesPart[]): Pick<ProgrammeSummary, 'byStatus' | 'byCurrentPhase'> & { readonly lines: readonly AntennaLine[]; readonly rows: readonly Row[] } {
  const byStatus = (['active', 'suspended', 'closed'] as const).map((status) => ({
    status,
    label: ANTENNA_STATUS_LABELS[status],
    antennas: parts.filter((part) => part.line.status === status).length,
  }));
  const groups = new Map<string, { order: number; antennas: number }>();
  for (const { current } of parts) {
    const { order, label } = current;
    groups.set(label, { order, antennas: (groups.get(label)?.antennas ?? 0) + 1 });
  }
  const byCurrentPhase = [...groups.entries()]
    .sort(([la, a], [lb, b]) => a.order - b.order || (la < lb ? -1 : 1))
    .map(([label, group]) => ({ label, antennas: group.antennas }));
  return { byStatus, byCurrentPhase, lines: parts.map((part) => part.line), rows: parts.map((part) => part.row) };
}

type AntennaLine = ProgrammeSummary['antennas'][number];

/** One antenna's line of the programme view, its row, and where it stands in its plan. */
interface PhasesPart {
  readonly line: AntennaLine;
  readonly row: Row;
  readonly current: { readonly order: number; readonly label: string };
}

const PHASES_PARTS = new PartsByDocument<PhasesAntennaDocument, PhasesPart>(2);
/** The last programme's parts put together (a second programme derives its own at each query). */
const PHASES_WHOLE = new KeptForDocuments(wholeOf);

function antennaPart(antenna: PhasesAntennaDocument, referenceDate: string): PhasesPart {
  const current = currentPhaseOf(antenna, referenceDate);
  const judgedOn = latenessJudgedOn(antenna, referenceDate);
  const line: AntennaLine = {
    antennaId: antenna.antennaId,
    name: antenna.name,
    town: antenna.town,
    territory: antenna.territory,
    callId: antenna.callId,
    candidacyId: antenna.candidacyId,
    status: antenna.status,
    openedOn: antenna.openedOn,
    inauguratedOn: antenna.inauguratedOn,
    currentPhase: currentPhaseText(current),
    phasesCompleted: antenna.phases.filter((p) => p.status === 'completed').length,
    phasesPlanned: antenna.phases.length,
    latenessDays: antenna.phases.reduce((max, phase) => Math.max(max, phaseLatenessDays(phase, judgedOn)), 0),
  };
  const row: Row = {
    antenna: line.name,
    town: line.town,
    status: ANTENNA_STATUS_LABELS[line.status],
    openedOn: line.openedOn,
    inauguratedOn: line.inauguratedOn,
    currentPhase: line.currentPhase,
    phasesCompleted: line.phasesCompleted,
    phasesPlanned: line.phasesPlanned,
    latenessDays: line.latenessDays,
  };
  return { line, row, current: { order: current.order, label: current.label } };
}

function programmeTables(summary: ProgrammeSummary, rows: readonly Row[], suffix: string): ReportTable[] {
  const targetCount = summary.target?.antennaCount ?? 0;
  const ofTarget = (count: number) => rateBasisPoints(count, targetCount);
  return [
    {
      title: `Objectif du programme${suffix}`,
      columns: [
        { key: 'programme', label: 'Programme', kind: 'text' },
        { key: 'targetCount', label: 'Antennes visées', kind: 'integer' },
        { key: 'targetDate', label: 'Échéance', kind: 'date' },
        { key: 'opened', label: 'Antennes ouvertes', kind: 'integer' },
        { key: 'attainment', label: 'Taux d’atteinte', kind: 'percent' },
      ],
      rows: [
        {
          programme: summary.name,
          targetCount: summary.target?.antennaCount ?? null,
          targetDate: summary.target?.targetDate ?? null,
          opened: summary.antennasOpened,
          attainment: summary.attainmentBasisPoints,
        },
      ],
    },
    {
      title: `Antennes par statut${suffix}`,
      columns: [
        { key: 'status', label: 'Statut', kind: 'text' },
        { key: 'antennas', label: 'Antennes', kind: 'integer' },
        { key: 'shareOfTarget', label: 'Part de l’objectif', kind: 'percent' },
      ],
      rows: summary.byStatus.map((s): Row => ({ status: s.label, antennas: s.antennas, shareOfTarget: ofTarget(s.antennas) })),
      totals: { status: 'Total', antennas: summary.antennasOpened, shareOfTarget: ofTarget(summary.antennasOpened) },
    },
    {
      title: `Antennes par phase en cours${suffix}`,
      columns: [
        { key: 'phase', label: 'Phase en cours', kind: 'text' },
        { key: 'antennas', label: 'Antennes', kind: 'integer' },
        { key: 'shareOfTarget', label: 'Part de l’objectif', kind: 'percent' },
      ],
      rows: summary.byCurrentPhase.map((g): Row => ({ phase: g.label, antennas: g.antennas, shareOfTarget: ofTarget(g.antennas) })),
      totals: { phase: 'Total', antennas: summary.antennasOpened, shareOfTarget: ofTarget(summary.antennasOpened) },
    },
    {
      title: `Antennes${suffix}`,
      columns: [
        { key: 'antenna', label: 'Antenne', kind: 'text' },
        { key: 'town', label: 'Ville', kind: 'text' },
        { key: 'status', label: 'Statut', kind: 'text' },
        { key: 'openedOn', label: 'Ouverte le', kind: 'date' },
        { key: 'inauguratedOn', label: 'Inaugurée le', kind: 'date' },
        { key: 'currentPhase', label: 'Phase en cours', kind: 'text' },
        { key: 'phasesCompleted', label: 'Phases terminées', kind: 'integer' },
        { key: 'phasesPlanned', label: 'Phases prévues', kind: 'integer' },
        { key: 'latenessDays', label: 'Retard maximal (jours)', kind: 'integer' },
      ],
      rows,
    },
  ];
}
