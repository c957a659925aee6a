import {
  AntennaView,
  assertNever,
  assertPositiveCents,
  CallView,
  candidacyIdOf,
  CandidacyView,
  conflict,
  Decider,
  isAfter,
  isBefore,
  IsoDate,
  notFound,
  ruleBroken,
  sameData,
  VersionedMap,
} from '../shared';
import { AssignCandidacyAntenna, CandidacyCommand, SubmitCandidacy, WithdrawCandidacy } from './candidacy.commands';
import {
  CandidacyAntennaAssigned,
  CandidacyEvent,
  CandidacyPartner,
  CandidacyRejected,
  CandidacySelected,
  CandidacySubmitted,
  CandidacyWithdrawn,
  Territory,
} from './candidacy.events';

interface Submitted {
  readonly submission: CandidacySubmitted['data'];
  /**
   * Partners named at submission, then those added, in order, by normalised name (see
   * `normalisedName`). A `VersionedMap`, so that adding one copies none of the others.
   */
  readonly partners: VersionedMap<string, CandidacyPartner>;
  /** The antenna claimed for this candidacy: one per candidacy. */
  readonly antenna?: CandidacyAntennaAssigned['data'];
}

export type CandidacyState =
  | { readonly status: 'not-submitted' }
  | (Submitted & { readonly status: 'submitted' })
  | (Submitted & { readonly status: 'selected'; readonly selection: CandidacySelected['data'] })
  | (Submitted & { readonly status: 'rejected'; readonly rejection: CandidacyRejected['data'] })
  | (Submitted & {
      readonly status: 'withdrawn';
      readonly withdrawal: CandidacyWithdrawn['data'];
      /** Kept when a laureate withdrew: it was selected, and reports must still say so. */
      readonly selection?: CandidacySelected['data'];
    });

type SubmittedState = Exclude<CandidacyState, { status: 'not-submitted' }>;

export const initialCandidacyState = (): CandidacyState => ({ status: 'not-submitted' });

export function decideCandidacy(command: CandidacyCommand, state: CandidacyState): CandidacyEvent[] {
  switch (command.type) {
    case 'SubmitCandidacy':
      return decideSubmission(command, state);
    case 'AddCandidacyPartner': {
      const current = requireSubmitted(state, command.data.candidacyId);
      const { partner } = command.data;
      const existing = current.partners.get(normalisedName(partner.name));
      if (existing) {
        if (sameData(existing, partner)) return [];
        throw conflict('CANDIDACY.PARTNER_ALREADY_ADDED', `partner ${existing.name} is already part of the candidacy`, {
          field: 'partner.name',
          existing,
        });
      }
      // A laureate may still gain partners while its antenna is prepared; a closed file may not.
      if (current.status === 'rejected' || current.status === 'withdrawn') throw alreadyDecided(current);
      assertNotBeforeSubmission(current, command.data.effectiveDate);
      return [{ type: 'CandidacyPartnerAdded', data: command.data }];
    }
    case 'SelectCandidacy': {
      const current = requireSubmitted(state, command.data.candidacyId);
      // A retried selection is recognised even after a later withdrawal: the selection did happen.
      if ('selection' in current && current.selection && sameData(current.selection, command.data)) return [];
      if (current.status !== 'submitted') throw alreadyDecided(current);
      assertNotBeforeSubmission(current, command.data.effectiveDate);
      return [{ type: 'CandidacySelected', data: command.data }];
    }
    case 'RejectCandidacy': {
      const current = requireSubmitted(state, command.data.candidacyId);
      if (current.status === 'rejected' && sameData(current.rejection, command.data)) return [];
      if (current.status !== 'submitted') throw alreadyDecided(current);
      assertNotBeforeSubmission(current, command.data.effectiveDate);
      return [{ type: 'CandidacyRejected', data: command.data }];
    }
    case 'WithdrawCandidacy':
      return decideWithdrawal(command, state);
    case 'AssignCandidacyAntenna':
      return decideAntennaAssignment(command, state);
    default:
      return assertNever(command);
  }
}

export function evolveCandidacy(state: CandidacyState, event: CandidacyEvent): CandidacyState {
  switch (event.type) {
    case 'CandidacySubmitted':
      return {
        status: 'submitted',
        submission: event.data,
        partners: event.data.partners.reduce(withPartner, VersionedMap.empty<string, CandidacyPartner>()),
      };
    case 'CandidacyPartnerAdded':
      return state.status === 'not-submitted' ? state : { ...state, partners: withPartner(state.partners, event.data.partner) };
    case 'CandidacySelected':
      return state.status === 'submitted' ? { ...submittedPart(state), status: 'selected', selection: event.data } : state;
    case 'CandidacyRejected':
      return state.status === 'submitted' ? { ...submittedPart(state), status: 'rejected', rejection: event.data } : state;
    case 'CandidacyWithdrawn':
      if (state.status === 'submitted') return { ...submittedPart(state), status: 'withdrawn', withdrawal: event.data };
      if (state.status === 'selected') {
        return { ...submittedPart(state), status: 'withdrawn', withdrawal: event.data, selection: state.selection };
      }
      return state;
    case 'CandidacyAntennaAssigned':
      return state.status === 'not-submitted' ? state : { ...state, antenna: event.data };
    default:
      return assertNever(event);
  }
}

export const candidacyDecider: Decider<CandidacyCommand, CandidacyEvent, CandidacyState> = {
  decide: decideCandidacy,
  evolve: evolveCandidacy,
  initialState: initialCandidacyState,
};

/**
 * What other deciders (antenna) may know of a candidacy. A laureate that withdrew keeps its
 * `selectedOn` (history) but its status is `withdrawn`, so it no longer qualifies for an antenna.
 */
export function candidacyViewOf(state: CandidacyState, candidacyId: string): CandidacyView {
  if (state.status === 'not-submitted') return { candidacyId, status: 'not-submitted' };
  const { submission } = state;
  const selection = 'selection' in state ? state.selection : undefined;
  return {
    candidacyId,
    status: state.status,
    callId: submission.callId,
    programmeId: submission.programmeId,
    territory: {
      id: submission.territory.id,
      name: submission.territory.name,
      region: submission.territory.region,
      actionCoeurDeVille: submission.territory.actionCoeurDeVille,
    },
    submittedOn: submission.effectiveDate,
    ...(selection ? { selectedOn: selection.effectiveDate } : {}),
    ...(state.antenna ? { antennaId: state.antenna.antennaId, antennaAssignedOn: state.antenna.effectiveDate } : {}),
  };
}

function decideSubmission({ data, context }: SubmitCandidacy, state: CandidacyState): CandidacyEvent[] {
  if (state.status !== 'not-submitted') {
    if (isRecordedSubmission(state.submission, data)) return [];
    throw conflict('CANDIDACY.ALREADY_SUBMITTED', `${data.territory.name} already applied to call ${data.callId}`, {
      candidacyId: state.submission.candidacyId,
    });
  }
  const { programmeId } = assertSubmittable(data, context.call);
  // The call lists the candidacies it received (docs/decisions/0062): a submission its call has not
  // registered, at this date, could precede the call's closing unseen. Only the submission's
  // first step registers it: this step alone never records a candidacy its call does not know.
  if (context.registeredOn !== data.effectiveDate) {
    throw conflict(
      'CANDIDACY.SUBMISSION_NOT_REGISTERED',
      `la candidature de ${data.territory.name} n’est pas inscrite à l’appel ${data.callId} à la date du ${data.effectiveDate} : recommencez le dépôt`,
      { field: 'effectiveDate', ...(context.registeredOn !== undefined ? { registeredOn: context.registeredOn } : {}) },
    );
  }
  return [
    {
      type: 'CandidacySubmitted',
      data: { candidacyId: candidacyIdOf(data.callId, data.territory.id), programmeId, ...data },
    },
  ];
}

/** The submission a candidacy was recorded with, once it was: what its call registers of it (docs/decisions/0064). */
export function recordedSubmissionOf(state: CandidacyState): CandidacySubmitted['data'] | undefined {
  return state.status === 'not-submitted' ? undefined : state.submission;
}

/** Whether `data` is the submission recorded, sent again: the candidacy's stream takes it as a no-op. */
export function isRecordedSubmission(recorded: CandidacySubmitted['data'], data: SubmitCandidacy['data']): boolean {
  const { candidacyId: _id, programmeId: _programme, ...previous } = recorded;
  return sameData(previous, data);
}

/**
 * What a submission checks of its call and of its own data, whatever the candidacy's stream holds:
 * the call's registration of a candidacy (its first step) checks the same, so that no registration
 * is written for a submission that would be refused. Returns the call's programme.
 */
export function assertSubmittable(data: SubmitCandidacy['data'], callView: CallView): { readonly programmeId: string } {
  const call = openedCall(callView, data.callId);
  const lastDay = call.closedOn ?? call.closesOn;
  // Judged on effective dates, so that a candidacy submitted in time can be recorded (back-filled) later.
  if (isBefore(data.effectiveDate, call.opensOn) || isAfter(data.effectiveDate, lastDay)) {
    throw ruleBroken('CANDIDACY.CALL_NOT_OPEN', `call ${data.callId} accepted candidacies from ${call.opensOn} to ${lastDay}`, {
      field: 'effectiveDate',
      opensOn: call.opensOn,
      lastDay,
    });
  }
  if (data.projectedBudgetCents !== undefined) assertPositiveCents(data.projectedBudgetCents, 'projectedBudgetCents');
  assertFigures(data.territory);
  assertUniquePartners(data.partners);
  return { programmeId: call.programmeId };
}

/**
 * A laureate may still withdraw before its antenna opens (the town gives up): the selection stays
 * in the history and the withdrawal closes the file. Once the opening of its antenna is engaged
 * (claimed on this stream, docs/decisions/0012), the candidacy has become that antenna: it no
 * longer withdraws, the antenna is closed instead (CANDIDACY.ANTENNA_OPENED); a withdrawal once
 * left the antenna open and counted while its candidacy read « retirée ».
 */
function decideWithdrawal({ data }: WithdrawCandidacy, state: CandidacyState): CandidacyEvent[] {
  const current = requireSubmitted(state, data.candidacyId);
  if (current.status === 'withdrawn' && sameData(current.withdrawal, data)) return [];
  if (current.status !== 'submitted' && current.status !== 'selected') throw alreadyDecided(current);
  if (current.antenna) {
    throw conflict(
      'CANDIDACY.ANTENNA_OPENED',
      `la candidature ${data.candidacyId} a ouvert l’antenne ${current.antenna.antennaId} (engagée le ${current.antenna.effectiveDate}) : elle ne se retire plus, c’est l’antenne qui se ferme`,
      { antennaId: current.antenna.antennaId },
    );
  }
  assertNotBeforeSubmission(current, data.effectiveDate);
  if (current.status === 'selected' && isBefore(data.effectiveDate, current.selection.effectiveDate)) {
    throw ruleBroken('CANDIDACY.DATE_BEFORE_SELECTION', 'a laureate cannot withdraw before it was selected', {
      field: 'effectiveDate',
      selectedOn: current.selection.effectiveDate,
    });
  }
  return [{ type: 'CandidacyWithdrawn', data }];
}

/**
 * One selected candidacy opens one antenna: the opening is claimed here first, on the candidacy's
 * stream and its expected revision, so that of two openings with different antenna ids only one
 * can claim it, even when they run at the same time (docs/decisions/0012).
 */
function decideAntennaAssignment({ data, context }: AssignCandidacyAntenna, state: CandidacyState): CandidacyEvent[] {
  const current = requireSubmitted(state, data.candidacyId);
  const { antenna: requested, assignedAntenna } = context;
  if (requested.antennaId !== data.antennaId) {
    // The application loaded the wrong stream: a wiring fault, not a business rule.
    throw new Error(`antenna view ${requested.antennaId} given to claim antenna ${data.antennaId}`);
  }
  // An antenna id names one antenna, opened from one candidacy.
  if (requested.status !== 'not-opened' && requested.candidacyId !== data.candidacyId) {
    throw conflict(
      'ANTENNA.ALREADY_OPENED',
      `l’antenne ${data.antennaId} a déjà été ouverte à partir d’une autre candidature (${requested.candidacyId ?? 'inconnue'})`,
      { field: 'antennaId', candidacyId: requested.candidacyId },
    );
  }
  const assigned = current.antenna;
  if (assigned?.antennaId === data.antennaId) {
    // A retry completes an interrupted opening; once the antenna is opened, its own stream judges the details.
    if (requested.status !== 'not-opened' || assigned.effectiveDate === data.effectiveDate) return [];
    throw conflict(
      'CANDIDACY.ANTENNA_ALREADY_ASSIGNED',
      `l’ouverture de l’antenne ${assigned.antennaId} a déjà été engagée pour cette candidature à la date du ${assigned.effectiveDate}`,
      { field: 'effectiveDate', antennaId: assigned.antennaId, assignedOn: assigned.effectiveDate },
    );
  }
  if (assigned && !lostToAnotherCandidacy(assigned.antennaId, assignedAntenna, data.candidacyId)) {
    throw conflict(
      'CANDIDACY.ANTENNA_ALREADY_ASSIGNED',
      `la candidature ${data.candidacyId} a déjà son antenne (${assigned.antennaId}) : une candidature retenue n’ouvre qu’une antenne`,
      { field: 'antennaId', antennaId: assigned.antennaId, assignedOn: assigned.effectiveDate },
    );
  }
  if (current.status !== 'selected') {
    throw ruleBroken('ANTENNA.CANDIDACY_NOT_SELECTED', `la candidature ${data.candidacyId} n’est pas retenue (${current.status}) : aucune antenne n’en naît`, {
      field: 'candidacyId',
      candidacyStatus: current.status,
    });
  }
  const selectedOn = current.selection.effectiveDate;
  if (isBefore(data.effectiveDate, selectedOn)) {
    throw ruleBroken('ANTENNA.OPENED_BEFORE_SELECTION', `une antenne ne peut pas ouvrir (${data.effectiveDate}) avant que sa candidature soit retenue (${selectedOn})`, {
      field: 'effectiveDate',
      selectedOn,
    });
  }
  const { callId, territory } = current.submission;
  return [
    {
      type: 'CandidacyAntennaAssigned',
      data: { candidacyId: data.candidacyId, callId, territoryId: territory.id, antennaId: data.antennaId, effectiveDate: data.effectiveDate },
    },
  ];
}

/**
 * A claimed antenna id that another candidacy opened first (two candidacies raced for one id)
 * can never be this candidacy's antenna: its claim holds nothing and may be replaced.
 */
function lostToAnotherCandidacy(antennaId: string, view: AntennaView | undefined, candidacyId: string): boolean {
  return view !== undefined && view.antennaId === antennaId && view.status !== 'not-opened' && view.candidacyId !== candidacyId;
}

function requireSubmitted(state: CandidacyState, candidacyId: string): SubmittedState {
  if (state.status === 'not-submitted') {
    throw notFound('CANDIDACY.NOT_FOUND', `candidacy ${candidacyId} has not been submitted`, { field: 'candidacyId' });
  }
  return state;
}

function submittedPart(state: SubmittedState): Submitted {
  return state.antenna
    ? { submission: state.submission, partners: state.partners, antenna: state.antenna }
    : { submission: state.submission, partners: state.partners };
}

function alreadyDecided(state: SubmittedState) {
  return conflict('CANDIDACY.ALREADY_DECIDED', `candidacy ${state.submission.candidacyId} is already ${state.status}`, {
    status: state.status,
  });
}

function assertNotBeforeSubmission(state: SubmittedState, date: IsoDate): void {
  if (isBefore(date, state.submission.effectiveDate)) {
    throw ruleBroken('CANDIDACY.DATE_BEFORE_SUBMISSION', `nothing happens to a candidacy before its submission (${state.submission.effectiveDate})`, {
      field: 'effectiveDate',
      submittedOn: state.submission.effectiveDate,
    });
  }
}

function openedCall(call: CallView, callId: string) {
  const { programmeId, opensOn, closesOn } = call;
  if (call.status === 'not-opened' || call.callId !== callId || !programmeId || !opensOn || !closesOn) {
    throw notFound('CALL.NOT_FOUND', `call ${callId} has not been opened`, { field: 'callId' });
  }
  return { programmeId, opensOn, closesOn, closedOn: call.closedOn };
}

/**
 * Adds a partner under its normalised name. Should a name come twice (decide never lets it), the
 * first partner stays: it is the one a repeated command is compared with.
 */
function withPartner(partners: VersionedMap<string, CandidacyPartner>, partner: CandidacyPartner): VersionedMap<string, CandidacyPartner> {
  const key = normalisedName(partner.name);
  return partners.has(key) ? partners : partners.set(key, partner);
}

/** Partner names are compared ignoring case, accents and extra spaces: "Pôle emploi" = " POLE  emploi". */
function normalisedName(name: string): string {
  return name.normalize('NFD').replace(/\p{M}/gu, '').trim().replace(/\s+/g, ' ').toLowerCase();
}

function assertUniquePartners(partners: readonly CandidacyPartner[]): void {
  const seen = new Set<string>();
  for (const partner of partners) {
    const key = normalisedName(partner.name);
    if (seen.has(key)) {
      throw ruleBroken('CANDIDACY.DUPLICATE_PARTNER', `partner ${partner.name} is named twice`, { field: 'partners', name: partner.name });
    }
    seen.add(key);
  }
}

const COUNT_FIGURES = ['jobs', 'companies', 'students'] as const;
const PERCENT_FIGURES = ['industrialEmploymentPercent', 'belowBaccalaureatePercent'] as const;

/** Counts are whole numbers (population strictly positive); shares are percentages between 0 and 100. */
function assertFigures(territory: Territory): void {
  if (territory.population !== undefined && !(Number.isSafeInteger(territory.population) && territory.population > 0)) {
    throw invalidFigure('territory.population', 'a positive whole number');
  }
  const figures = territory.figures ?? {};
  for (const key of COUNT_FIGURES) {
    const value = figures[key];
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) throw invalidFigure(`territory.figures.${key}`, 'a whole number');
  }
  for (const key of PERCENT_FIGURES) {
    const value = figures[key];
    if (value !== undefined && !(Number.isFinite(value) && value >= 0 && value <= 100)) {
      throw invalidFigure(`territory.figures.${key}`, 'a percentage between 0 and 100');
    }
  }
}

function invalidFigure(field: string, expected: string) {
  return ruleBroken('CANDIDACY.INVALID_FIGURE', `${field} must be ${expected}`, { field });
}
