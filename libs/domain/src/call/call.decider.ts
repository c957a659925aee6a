import { assertSubmittable, isRecordedSubmission } from '../candidacy/candidacy.decider';
import { CandidacySubmitted } from '../candidacy/candidacy.events';
import {
  assertDateInRange,
  assertNever,
  CallView,
  candidacyIdOf,
  conflict,
  Decider,
  isBefore,
  IsoDate,
  notFound,
  ruleBroken,
  sameData,
  VersionedMap,
} from '../shared';
import { CallCommand, OpenCallForApplications, RegisterCallCandidacy } from './call.commands';
import { CallCandidacyRegistered, CallEvent, CallForApplicationsClosed, CallForApplicationsOpened } from './call.events';

type Registered = CallCandidacyRegistered['data'];

interface Opened {
  readonly opened: CallForApplicationsOpened['data'];
  /**
   * The candidacies the call received, by candidacy id (docs/decisions/0062). A `VersionedMap`, so
   * that registering one copies none of the others.
   */
  readonly candidacies: VersionedMap<string, Registered>;
  /** The registration with the latest effective date: a closing may not precede it. */
  readonly latest?: Registered;
}

export type CallState =
  | { readonly status: 'not-opened' }
  | (Opened & { readonly status: 'open' })
  | (Opened & { readonly status: 'closed'; readonly closed: CallForApplicationsClosed['data'] });

export const initialCallState = (): CallState => ({ status: 'not-opened' });

export function decideCall(command: CallCommand, state: CallState): CallEvent[] {
  switch (command.type) {
    case 'OpenCallForApplications': {
      if (state.status !== 'not-opened') {
        if (sameData(state.opened, command.data)) return [];
        throw conflict('CALL.ALREADY_OPENED', `call ${command.data.callId} was already opened with other details`, {
          callId: command.data.callId,
        });
      }
      assertOpenable(command);
      return [{ type: 'CallForApplicationsOpened', data: command.data }];
    }
    case 'CloseCallForApplications': {
      if (state.status === 'not-opened') {
        throw notFound('CALL.NOT_FOUND', `call ${command.data.callId} has not been opened`, { field: 'callId' });
      }
      if (state.status === 'closed') {
        if (sameData(state.closed, command.data)) return [];
        // A second close with another date is a correction in disguise: refuse it rather than hide it.
        throw conflict('CALL.ALREADY_CLOSED', `call ${command.data.callId} was already closed on ${state.closed.effectiveDate}`, {
          field: 'effectiveDate',
          closedOn: state.closed.effectiveDate,
        });
      }
      if (isBefore(command.data.effectiveDate, state.opened.opensOn)) {
        throw ruleBroken('CALL.CLOSED_BEFORE_OPENING', `a call cannot close before it opens (${state.opened.opensOn})`, {
          field: 'effectiveDate',
          opensOn: state.opened.opensOn,
        });
      }
      // A closing dated before a candidacy the call received would leave that candidacy after it:
      // every report would count a candidacy submitted to a closed call.
      const { latest } = state;
      if (latest && isBefore(command.data.effectiveDate, latest.effectiveDate)) {
        throw ruleBroken(
          'CALL.CLOSED_BEFORE_LAST_CANDIDACY',
          `l’appel ${command.data.callId} ne peut pas être clos le ${command.data.effectiveDate} : la candidature de ${latest.territoryName} a été déposée le ${latest.effectiveDate}`,
          { field: 'effectiveDate', latestCandidacyOn: latest.effectiveDate, candidacyId: latest.candidacyId },
        );
      }
      return [{ type: 'CallForApplicationsClosed', data: command.data }];
    }
    case 'RegisterCallCandidacy':
      return decideRegistration(command, state);
    default:
      return assertNever(command);
  }
}

export function evolveCall(state: CallState, event: CallEvent): CallState {
  switch (event.type) {
    case 'CallForApplicationsOpened':
      return { status: 'open', opened: event.data, candidacies: VersionedMap.empty() };
    case 'CallForApplicationsClosed':
      return state.status === 'open' ? { ...state, status: 'closed', closed: event.data } : state;
    case 'CallCandidacyRegistered':
      return state.status === 'not-opened' ? state : withRegistration(state, event.data);
    default:
      return assertNever(event);
  }
}

export const callDecider: Decider<CallCommand, CallEvent, CallState> = {
  decide: decideCall,
  evolve: evolveCall,
  initialState: initialCallState,
};

/** What other deciders (candidacy) may know of a call. */
export function callViewOf(state: CallState, callId: string): CallView {
  switch (state.status) {
    case 'not-opened':
      return { callId, status: 'not-opened' };
    case 'open':
      return { callId, status: 'open', ...periodOf(state.opened) };
    case 'closed':
      return { callId, status: 'closed', ...periodOf(state.opened), closedOn: state.closed.effectiveDate };
    default:
      return assertNever(state);
  }
}

/**
 * The first step of a submission (docs/decisions/0062): the call registers the candidacy, on its
 * own stream and expected revision, so that a closing, decided on the same stream, sees it. What
 * the submission would refuse of its call or of its data is refused here first: no registration
 * is written for a candidacy that will not be.
 */
function decideRegistration({ data, context }: RegisterCallCandidacy, state: CallState): CallEvent[] {
  // A candidacy already recorded: its own stream judges the repeat (a no-op, or a conflict).
  if (context.candidacy.status !== 'not-submitted') return context.submission ? registrationOfRecorded(context.submission, data, state) : [];
  assertSubmittable(data, callViewOf(state, data.callId));
  const registration = registrationOf(data);
  if (state.status !== 'not-opened' && sameData(state.candidacies.get(registration.candidacyId), registration)) return [];
  return [{ type: 'CallCandidacyRegistered', data: registration }];
}

/**
 * A candidacy recorded before calls listed their candidacies (docs/decisions/0064): the very same
 * submission sent again registers it, at the date it was submitted, so that the call's closing
 * follows it. Anything else registers nothing: a candidacy already registered, a call already
 * closed (no closing is left to guard), or other details, which the candidacy's own stream then
 * refuses (`CANDIDACY.ALREADY_SUBMITTED`).
 */
function registrationOfRecorded(submission: CandidacySubmitted['data'], data: RegisterCallCandidacy['data'], state: CallState): CallEvent[] {
  if (state.status !== 'open' || state.candidacies.has(submission.candidacyId) || !isRecordedSubmission(submission, data)) return [];
  return [{ type: 'CallCandidacyRegistered', data: registrationOf(submission) }];
}

function registrationOf(data: RegisterCallCandidacy['data']): Registered {
  return {
    callId: data.callId,
    candidacyId: candidacyIdOf(data.callId, data.territory.id),
    territoryId: data.territory.id,
    territoryName: data.territory.name,
    effectiveDate: data.effectiveDate,
  };
}

/** The call with one more registration, or a candidacy's registration replaced by a later one. */
function withRegistration<S extends Opened>(state: S, registration: Registered): S {
  const replaced = state.candidacies.get(registration.candidacyId);
  const candidacies = state.candidacies.set(registration.candidacyId, registration);
  if (replaced === undefined || replaced !== state.latest) {
    const latest = state.latest && !isBefore(state.latest.effectiveDate, registration.effectiveDate) ? state.latest : registration;
    return { ...state, candidacies, latest };
  }
  // The latest registration was replaced (rare): look through them all again.
  let latest: Registered | undefined;
  candidacies.forEach((candidate) => {
    if (!latest || isBefore(latest.effectiveDate, candidate.effectiveDate)) latest = candidate;
  });
  return { ...state, candidacies, latest };
}

/** The effective date the call registered a candidacy at, if it did: what its submission checks. */
export function registeredOnOf(state: CallState, candidacyId: string): IsoDate | undefined {
  return state.status === 'not-opened' ? undefined : state.candidacies.get(candidacyId)?.effectiveDate;
}

function periodOf(opened: CallForApplicationsOpened['data']) {
  return { programmeId: opened.programmeId, opensOn: opened.opensOn, closesOn: opened.closesOn };
}

function assertOpenable({ data, context }: OpenCallForApplications): void {
  if (!context.programme.launched || context.programme.programmeId !== data.programmeId) {
    throw notFound('PROGRAMME.NOT_FOUND', `programme ${data.programmeId} has not been launched`, { field: 'programmeId' });
  }
  if (!Number.isSafeInteger(data.number) || data.number <= 0) {
    throw ruleBroken('CALL.INVALID_NUMBER', 'the call number is a positive whole number', { field: 'number' });
  }
  assertDateInRange(data.opensOn, 'opensOn');
  assertDateInRange(data.closesOn, 'closesOn');
  if (isBefore(data.closesOn, data.opensOn)) {
    throw ruleBroken('CALL.INVALID_PERIOD', 'a call cannot close before it opens', { field: 'closesOn' });
  }
  // A call belongs to its programme: neither published nor open before the programme was launched.
  const launchedOn = context.programme.launchedOn;
  if (launchedOn !== undefined) {
    for (const field of ['effectiveDate', 'opensOn'] as const) {
      if (isBefore(data[field], launchedOn)) {
        throw ruleBroken(
          'CALL.BEFORE_PROGRAMME_LAUNCH',
          `un appel ne peut pas être publié ni ouvert (${field} ${data[field]}) avant le lancement de son programme (${launchedOn})`,
          { field, date: data[field], launchedOn },
        );
      }
    }
  }
}
