import { CALL_EVENT_VERSIONS, CANDIDACY_EVENT_VERSIONS } from '@jalon/domain';
import type {
  CallForApplicationsClosed,
  CallForApplicationsOpened,
  CandidacyAntennaAssigned,
  CandidacyRejected,
  CandidacySelected,
  CandidacySubmitted,
  IsoDate,
} from '@jalon/domain';
import { defineProjection, ProjectedEvent } from '../../projection';

/**
 * Calls for expressions of interest and candidacies as lists, for the pages and forms that offer
 * them (the key figures only count them):
 * - `call:<callId>` ({@link CallListDocument}): its title, number, period, and whether it closed;
 * - `candidacy:<candidacyId>` ({@link CandidacyListDocument}): its call, territory and region,
 *   status, the antenna claimed on it, and the revision of its stream.
 *
 * Each document also keeps the revision of its stream (the revision of the last event of that
 * stream): what a form sends as its expected revision. Every event type of the call and candidacy
 * streams is read (from the domain's version tables), so no event of these streams is skipped and
 * the revision is always the stream's own.
 */

export interface CallListDocument {
  readonly kind: 'call';
  readonly callId: string;
  readonly programmeId: string;
  readonly title: string;
  readonly number: number;
  readonly opensOn: IsoDate;
  readonly closesOn: IsoDate;
  /** The effective date of its closing; null while open. */
  readonly closedOn: IsoDate | null;
  readonly revision: number;
}

export type CandidacyListStatus = 'submitted' | 'selected' | 'rejected' | 'withdrawn';

export interface CandidacyListDocument {
  readonly kind: 'candidacy';
  readonly candidacyId: string;
  readonly callId: string;
  readonly programmeId: string;
  readonly territory: { readonly territoryId: string; readonly name: string; readonly region: string; readonly actionCoeurDeVille: boolean };
  readonly status: CandidacyListStatus;
  readonly submittedOn: IsoDate;
  /** The effective date of the selection or rejection; null until decided. */
  readonly decidedOn: IsoDate | null;
  /** The antenna its opening was claimed for; null until then. */
  readonly antennaId: string | null;
  readonly revision: number;
}

export type CandidaciesDocument = CallListDocument | CandidacyListDocument;

export const CANDIDACIES_PROJECTION_NAME = 'candidacies';
export const callListKey = (callId: string): string => `call:${callId}`;
export const candidacyListKey = (candidacyId: string): string => `candidacy:${candidacyId}`;
export const CALL_LIST_PREFIX = 'call:';
export const CANDIDACY_LIST_PREFIX = 'candidacy:';

const CALL_EVENTS = new Set<string>(Object.keys(CALL_EVENT_VERSIONS));
const CANDIDACY_EVENTS = new Set<string>(Object.keys(CANDIDACY_EVENT_VERSIONS));

export const candidaciesProjection = defineProjection<CandidaciesDocument>({
  name: CANDIDACIES_PROJECTION_NAME,
  version: 1,
  handles: [...CALL_EVENTS, ...CANDIDACY_EVENTS],
  keysOf(event) {
    if (CALL_EVENTS.has(event.type) && typeof event.data.callId === 'string') return [callListKey(event.data.callId)];
    if (CANDIDACY_EVENTS.has(event.type) && typeof event.data.candidacyId === 'string') return [candidacyListKey(event.data.candidacyId)];
    return [];
  },
  evolve(doc, event, key) {
    if (key.startsWith(CALL_LIST_PREFIX)) return evolveCall(doc?.kind === 'call' ? doc : null, event);
    return evolveCandidacy(doc?.kind === 'candidacy' ? doc : null, event);
  },
});

function evolveCall(doc: CallListDocument | null, event: ProjectedEvent): CallListDocument | null {
  if (event.type === 'CallForApplicationsOpened') {
    const data = event.data as CallForApplicationsOpened['data'];
    return {
      kind: 'call',
      callId: data.callId,
      programmeId: data.programmeId,
      title: data.title,
      number: data.number,
      opensOn: data.opensOn,
      closesOn: data.closesOn,
      closedOn: null,
      revision: event.revision,
    };
  }
  // Only an opening starts a call.
  if (doc === null) return null;
  if (event.type === 'CallForApplicationsClosed') {
    return { ...doc, closedOn: (event.data as CallForApplicationsClosed['data']).effectiveDate, revision: event.revision };
  }
  return { ...doc, revision: event.revision };
}

function evolveCandidacy(doc: CandidacyListDocument | null, event: ProjectedEvent): CandidacyListDocument | null {
  if (event.type === 'CandidacySubmitted') {
    const data = event.data as CandidacySubmitted['data'];
    return {
      kind: 'candidacy',
      candidacyId: data.candidacyId,
      callId: data.callId,
      programmeId: data.programmeId,
      territory: { territoryId: data.territory.id, name: data.territory.name, region: data.territory.region, actionCoeurDeVille: data.territory.actionCoeurDeVille },
      status: 'submitted',
      submittedOn: data.effectiveDate,
      decidedOn: null,
      antennaId: null,
      revision: event.revision,
    };
  }
  // Only a submission starts a candidacy.
  if (doc === null) return null;
  const next = { ...doc, revision: event.revision };
  switch (event.type) {
    case 'CandidacySelected':
      return { ...next, status: 'selected', decidedOn: (event.data as CandidacySelected['data']).effectiveDate };
    case 'CandidacyRejected':
      return { ...next, status: 'rejected', decidedOn: (event.data as CandidacyRejected['data']).effectiveDate };
    case 'CandidacyWithdrawn':
      // Before or after a selection: `decidedOn` keeps the decision it withdrew from, if any.
      return { ...next, status: 'withdrawn' };
    case 'CandidacyAntennaAssigned':
      return { ...next, antennaId: (event.data as CandidacyAntennaAssigned['data']).antennaId };
    default:
      return next;
  }
}
