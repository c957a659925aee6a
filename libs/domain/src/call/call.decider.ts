import { assertDateInRange, assertNever, CallView, isBefore, conflict, Decider, notFound, ruleBroken, sameData } from '../shared';
import { CallCommand, OpenCallForApplications } from './call.commands';
import { CallEvent, CallForApplicationsClosed, CallForApplicationsOpened } from './call.events';

export type CallState =
  | { readonly status: 'not-opened' }
  | { readonly status: 'open'; readonly opened: CallForApplicationsOpened['data'] }
  | {
      readonly status: 'closed';
      readonly opened: CallForApplicationsOpened['data'];
      readonly closed: CallForApplicationsClosed['data'];
    };

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
      return [{ type: 'CallForApplicationsClosed', data: command.data }];
    }
    default:
      return assertNever(command);
  }
}

export function evolveCall(state: CallState, event: CallEvent): CallState {
  switch (event.type) {
    case 'CallForApplicationsOpened':
      return { status: 'open', opened: event.data };
    case 'CallForApplicationsClosed':
      return state.status === 'open' ? { status: 'closed', opened: state.opened, closed: event.data } : state;
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
