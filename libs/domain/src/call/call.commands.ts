import { Message, ProgrammeView } from '../shared';
import { CallForApplicationsClosed, CallForApplicationsOpened } from './call.events';

/** `context.programme` is the programme the call belongs to, as its own stream knows it. */
export interface OpenCallForApplications extends Message<'OpenCallForApplications', CallForApplicationsOpened['data']> {
  readonly context: { readonly programme: ProgrammeView };
}

export type CloseCallForApplications = Message<'CloseCallForApplications', CallForApplicationsClosed['data']>;

export type CallCommand = OpenCallForApplications | CloseCallForApplications;
