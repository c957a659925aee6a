import { IsoDate, Message } from '../shared';

/** A call for expressions of interest (AMI) was published for a programme, open over a period. */
export type CallForApplicationsOpened = Message<
  'CallForApplicationsOpened',
  {
    readonly callId: string;
    readonly programmeId: string;
    readonly title: string;
    /** Rank of the call within its programme: 2 for the second AMI. */
    readonly number: number;
    /** First day candidacies are accepted. */
    readonly opensOn: IsoDate;
    /** Deadline announced when the call opened. */
    readonly closesOn: IsoDate;
    /** Selection criteria announced with the call. */
    readonly criteria: readonly string[];
    readonly effectiveDate: IsoDate;
  }
>;

/** The call stopped accepting candidacies on `effectiveDate`. */
export type CallForApplicationsClosed = Message<
  'CallForApplicationsClosed',
  {
    readonly callId: string;
    readonly effectiveDate: IsoDate;
  }
>;

export type CallEvent = CallForApplicationsOpened | CallForApplicationsClosed;

/** Schema version of each call event type's data (docs/decisions/0011); a type left out fails to compile. */
export const CALL_EVENT_VERSIONS = {
  CallForApplicationsOpened: 1,
  CallForApplicationsClosed: 1,
} as const satisfies Record<CallEvent['type'], number>;
