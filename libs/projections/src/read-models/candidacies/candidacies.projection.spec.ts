import { CALL_EVENT_VERSIONS, CANDIDACY_EVENT_VERSIONS } from '@jalon/domain';
import { project, projected } from '../../testing/projection-specification';
import { CallListDocument, candidaciesProjection, CandidacyListDocument } from './candidacies.projection';

// Given events, expected documents.

const PMA = { id: 'pma', name: 'Pays de Montbéliard Agglomération', kind: 'agglomeration', region: 'Bourgogne-Franche-Comté', actionCoeurDeVille: true };
const onCall = (revision: number) => ({ streamId: 'call-ami-2', revision });
const onCandidacy = (revision: number) => ({ streamId: 'candidacy-ami-2--pma', revision });

const callOpened = projected(
  'CallForApplicationsOpened',
  { callId: 'ami-2', programmeId: 'acdt', title: 'Deuxième AMI', number: 2, opensOn: '2020-10-01', closesOn: '2020-12-15', criteria: [], effectiveDate: '2020-10-01' },
  onCall(0),
);
const callClosed = projected('CallForApplicationsClosed', { callId: 'ami-2', effectiveDate: '2020-12-15' }, onCall(1));
const submitted = projected(
  'CandidacySubmitted',
  { candidacyId: 'ami-2--pma', callId: 'ami-2', programmeId: 'acdt', territory: PMA, partners: [], trainingNeeds: [], effectiveDate: '2020-12-01' },
  onCandidacy(0),
);
const partnerAdded = projected('CandidacyPartnerAdded', { candidacyId: 'ami-2--pma', partner: { name: 'UTBM', kind: 'academic' }, effectiveDate: '2020-12-05' }, onCandidacy(1));
const selected = projected('CandidacySelected', { candidacyId: 'ami-2--pma', criteria: [], effectiveDate: '2021-02-01' }, onCandidacy(2));
const assigned = projected('CandidacyAntennaAssigned', { candidacyId: 'ami-2--pma', callId: 'ami-2', territoryId: 'pma', antennaId: 'montbeliard', effectiveDate: '2021-03-01' }, onCandidacy(3));

const openCall: CallListDocument = {
  kind: 'call',
  callId: 'ami-2',
  programmeId: 'acdt',
  title: 'Deuxième AMI',
  number: 2,
  opensOn: '2020-10-01',
  closesOn: '2020-12-15',
  closedOn: null,
  revision: 0,
};

const submittedCandidacy: CandidacyListDocument = {
  kind: 'candidacy',
  candidacyId: 'ami-2--pma',
  callId: 'ami-2',
  programmeId: 'acdt',
  territory: { territoryId: 'pma', name: 'Pays de Montbéliard Agglomération', region: 'Bourgogne-Franche-Comté', actionCoeurDeVille: true },
  status: 'submitted',
  submittedOn: '2020-12-01',
  decidedOn: null,
  antennaId: null,
  revision: 0,
};

describe('calls and candidacies projection', () => {
  it('rule: every event type of the call and candidacy streams is read, so the revision kept is always the stream’s own', () => {
    expect([...candidaciesProjection.handles].sort()).toEqual([...Object.keys(CALL_EVENT_VERSIONS), ...Object.keys(CANDIDACY_EVENT_VERSIONS)].sort());
  });

  it('rule: a call is open from its opening until its closing, which it records with its date', () => {
    expect(project(candidaciesProjection, [callOpened]).get('call:ami-2')).toEqual(openCall);
    expect(project(candidaciesProjection, [callOpened, callClosed]).get('call:ami-2')).toEqual({ ...openCall, closedOn: '2020-12-15', revision: 1 });
  });

  it('rule: a candidacy carries its territory and region from its submission, then its status, decision date, antenna and stream revision', () => {
    expect(project(candidaciesProjection, [submitted]).get('candidacy:ami-2--pma')).toEqual(submittedCandidacy);
    // A partner added changes nothing listed but the revision a form must send.
    expect(project(candidaciesProjection, [submitted, partnerAdded]).get('candidacy:ami-2--pma')).toEqual({ ...submittedCandidacy, revision: 1 });
    expect(project(candidaciesProjection, [submitted, partnerAdded, selected, assigned]).get('candidacy:ami-2--pma')).toEqual({
      ...submittedCandidacy,
      status: 'selected',
      decidedOn: '2021-02-01',
      antennaId: 'montbeliard',
      revision: 3,
    });
  });

  it('rule: a rejection and a withdrawal (before or after selection) are statuses of their own', () => {
    const rejected = projected('CandidacyRejected', { candidacyId: 'ami-2--pma', reason: 'Hors critères', effectiveDate: '2021-02-01' }, onCandidacy(1));
    expect(project(candidaciesProjection, [submitted, rejected]).get('candidacy:ami-2--pma')).toMatchObject({ status: 'rejected', decidedOn: '2021-02-01', revision: 1 });
    const withdrawn = projected('CandidacyWithdrawn', { candidacyId: 'ami-2--pma', reason: 'Projet abandonné', effectiveDate: '2021-04-01' }, onCandidacy(3));
    expect(project(candidaciesProjection, [submitted, partnerAdded, selected, withdrawn]).get('candidacy:ami-2--pma')).toMatchObject({ status: 'withdrawn', decidedOn: '2021-02-01', revision: 3 });
  });

  it('rule: nothing is listed before its opening or submission (an inconsistent log starts no document)', () => {
    const model = project(candidaciesProjection, [callClosed, selected]);
    expect(model.list('')).toEqual([]);
  });

  it('lists calls and candidacies apart, by id', () => {
    const other = projected('CandidacySubmitted', { ...submitted.data, candidacyId: 'ami-2--chaumont', territory: { ...PMA, id: 'chaumont' } }, { streamId: 'candidacy-ami-2--chaumont', revision: 0 });
    const model = project(candidaciesProjection, [callOpened, submitted, other]);
    expect(model.list('call:').map((doc) => doc.kind)).toEqual(['call']);
    expect(model.list('candidacy:').map((doc) => (doc as CandidacyListDocument).candidacyId)).toEqual(['ami-2--chaumont', 'ami-2--pma']);
  });
});
