import { AntennaView, CallView, IsoDate, Message } from '../shared';
import {
  CandidacyPartnerAdded,
  CandidacyRejected,
  CandidacySelected,
  CandidacySubmitted,
  CandidacyWithdrawn,
} from './candidacy.events';

/**
 * The candidacy id is not chosen by the client: it is `candidacyIdOf(callId, territory.id)`, which
 * makes "once per territory per call" a property of the stream name. The programme id is taken from
 * `context.call`, the call as its own stream knows it. The call registered the candidacy first
 * (docs/decisions/0062).
 */
export interface SubmitCandidacy
  extends Message<'SubmitCandidacy', Omit<CandidacySubmitted['data'], 'candidacyId' | 'programmeId'>> {
  readonly context: {
    readonly call: CallView;
    /** The effective date at which the call registered this candidacy (`CallCandidacyRegistered`), if it did. */
    readonly registeredOn?: IsoDate;
  };
}

export type AddCandidacyPartner = Message<'AddCandidacyPartner', CandidacyPartnerAdded['data']>;
export type SelectCandidacy = Message<'SelectCandidacy', CandidacySelected['data']>;
export type RejectCandidacy = Message<'RejectCandidacy', CandidacyRejected['data']>;
export type WithdrawCandidacy = Message<'WithdrawCandidacy', CandidacyWithdrawn['data']>;

/**
 * Claims the candidacy's one antenna, the first step of opening it. `context.antenna` is the
 * antenna being opened, as its own stream knows it; `context.assignedAntenna` the antenna already
 * claimed by this candidacy, when there is one and it is another.
 */
export interface AssignCandidacyAntenna
  extends Message<'AssignCandidacyAntenna', { readonly candidacyId: string; readonly antennaId: string; readonly effectiveDate: IsoDate }> {
  readonly context: { readonly antenna: AntennaView; readonly assignedAntenna?: AntennaView };
}

export type CandidacyCommand =
  | SubmitCandidacy
  | AddCandidacyPartner
  | SelectCandidacy
  | RejectCandidacy
  | WithdrawCandidacy
  | AssignCandidacyAntenna;
