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

/**
 * A candidacy was registered on its call: the first step of its submission (docs/decisions/0062),
 * so that the call knows the candidacies it received and is never closed before one of them.
 * Registered again, with other details, only while the candidacy itself is not recorded (a
 * submission interrupted between its two steps, then sent with another date): the latest counts.
 */
export type CallCandidacyRegistered = Message<
  'CallCandidacyRegistered',
  {
    readonly callId: string;
    readonly candidacyId: string;
    readonly territoryId: string;
    readonly territoryName: string;
    /** The submission's effective date. */
    readonly effectiveDate: IsoDate;
  }
>;

export type CallEvent = CallForApplicationsOpened | CallForApplicationsClosed | CallCandidacyRegistered;

/** Schema version of each call event type's data (docs/decisions/0011); a type left out fails to compile. */
export const CALL_EVENT_VERSIONS = {
  CallForApplicationsOpened: 1,
  CallForApplicationsClosed: 1,
  CallCandidacyRegistered: 1,
} as const satisfies Record<CallEvent['type'], number>;
