import { CandidacyView, Message, ProgrammeView } from '../shared';
import type { SubmitCandidacy } from '../candidacy/candidacy.commands';
import type { CandidacySubmitted } from '../candidacy/candidacy.events';
import { CallForApplicationsClosed, CallForApplicationsOpened } from './call.events';

/** `context.programme` is the programme the call belongs to, as its own stream knows it. */
export interface OpenCallForApplications extends Message<'OpenCallForApplications', CallForApplicationsOpened['data']> {
  readonly context: { readonly programme: ProgrammeView };
}

export type CloseCallForApplications = Message<'CloseCallForApplications', CallForApplicationsClosed['data']>;

/**
 * Registers a candidacy on its call, the first step of its submission (docs/decisions/0062). It
 * carries the submission itself, so that the call refuses to register what the submission would
 * refuse; `context.candidacy` is the candidacy as its own stream knows it, and `context.submission`
 * the submission it was recorded with, once it was (docs/decisions/0064).
 */
export interface RegisterCallCandidacy extends Message<'RegisterCallCandidacy', SubmitCandidacy['data']> {
  readonly context: { readonly candidacy: CandidacyView; readonly submission?: CandidacySubmitted['data'] };
}

export type CallCommand = OpenCallForApplications | CloseCallForApplications | RegisterCallCandidacy;
