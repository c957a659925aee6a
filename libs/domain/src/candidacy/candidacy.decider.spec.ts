import { AntennaView, CallView, fold } from '../shared';
import { specificationFor } from '../testing/decider-specification';
import { AssignCandidacyAntenna, SubmitCandidacy } from './candidacy.commands';
import { candidacyDecider, candidacyViewOf } from './candidacy.decider';
import {
  CandidacyAntennaAssigned,
  CandidacyPartnerAdded,
  CandidacyRejected,
  CandidacySelected,
  CandidacySubmitted,
  CandidacyWithdrawn,
} from './candidacy.events';

const spec = specificationFor(candidacyDecider);

// Facts from the articles (PMA's figures, partners, needs, 786,000 € forecast); the dates are illustrative.
const openCall: CallView = {
  callId: 'ami-2',
  status: 'open',
  programmeId: 'au-coeur-des-territoires',
  opensOn: '2020-10-01',
  closesOn: '2020-12-15',
};

const candidacyId = 'ami-2--pays-de-montbeliard';

const submit: SubmitCandidacy = {
  type: 'SubmitCandidacy',
  data: {
    callId: 'ami-2',
    territory: {
      id: 'pays-de-montbeliard',
      name: 'Pays de Montbéliard Agglomération',
      kind: 'agglomeration',
      region: 'Bourgogne-Franche-Comté',
      department: 'Doubs',
      actionCoeurDeVille: true,
      figures: { jobs: 59_000, companies: 2_900, students: 3_770, industrialEmploymentPercent: 30, belowBaccalaureatePercent: 34 },
    },
    partners: [
      { name: 'Cnam Bourgogne-Franche-Comté', kind: 'academic' },
      { name: 'Ville de Montbéliard', kind: 'local-authority' },
      { name: 'UIMM', kind: 'employer' },
      { name: 'GRETA', kind: 'training-provider' },
      { name: 'Lycée des Huisselets', kind: 'training-provider' },
      { name: 'Lycée Nelson Mandela', kind: 'training-provider' },
      { name: 'Lycée Germaine Tillion', kind: 'training-provider' },
      { name: 'Mission locale IDEIS', kind: 'employment-service' },
      { name: 'Pôle emploi', kind: 'employment-service' },
      { name: 'CIO', kind: 'other' },
      { name: 'Stellantis', kind: 'employer' },
      { name: 'Faurecia', kind: 'employer' },
    ],
    trainingNeeds: [
      'Remise à niveau et reconversion des décrocheurs et demandeurs d’emploi (niveau BAC+1)',
      'Industrie 4.0, formations hybrides, apprentissage et alternance',
      'Technologie hydrogène',
      'Métiers d’avenir de l’industrie du luxe',
    ],
    projectedBudgetCents: 78_600_000,
    effectiveDate: '2020-12-10',
  },
  // The call registered the candidacy at its date, the submission's first step (docs/decisions/0062).
  context: { call: openCall, registeredOn: '2020-12-10' },
};

const submitted: CandidacySubmitted = {
  type: 'CandidacySubmitted',
  data: { candidacyId, programmeId: 'au-coeur-des-territoires', ...submit.data },
};

const matternLab: CandidacyPartnerAdded = {
  type: 'CandidacyPartnerAdded',
  data: { candidacyId, partner: { name: 'Mattern Lab', kind: 'other' }, effectiveDate: '2021-01-20' },
};

const selected: CandidacySelected = {
  type: 'CandidacySelected',
  data: {
    candidacyId,
    criteria: ['dynamique partenariale locale forte', 'diversité des établissements de formation'],
    effectiveDate: '2021-02-15',
  },
};

const rejected: CandidacyRejected = {
  type: 'CandidacyRejected',
  data: { candidacyId, reason: 'Bassin d’emploi déjà desservi par un centre régional', effectiveDate: '2021-02-15' },
};

const withdrawn: CandidacyWithdrawn = {
  type: 'CandidacyWithdrawn',
  data: { candidacyId, reason: 'Le conseil communautaire renonce au projet', effectiveDate: '2021-03-01' },
};

const notOpened = (antennaId: string): AntennaView => ({ antennaId, status: 'not-opened' });
const openedFrom = (antennaId: string, fromCandidacy: string): AntennaView => ({ antennaId, status: 'active', openedOn: '2021-03-01', candidacyId: fromCandidacy });

const assign: AssignCandidacyAntenna = {
  type: 'AssignCandidacyAntenna',
  data: { candidacyId, antennaId: 'montbeliard', effectiveDate: '2021-03-01' },
  context: { antenna: notOpened('montbeliard') },
};

const assigned: CandidacyAntennaAssigned = {
  type: 'CandidacyAntennaAssigned',
  data: { candidacyId, callId: 'ami-2', territoryId: 'pays-de-montbeliard', antennaId: 'montbeliard', effectiveDate: '2021-03-01' },
};

/** Another antenna id for the same candidacy: the second opening of a race, or a second opening later on. */
const assignOther: AssignCandidacyAntenna = {
  type: 'AssignCandidacyAntenna',
  data: { ...assign.data, antennaId: 'montbeliard-bis' },
  context: { antenna: notOpened('montbeliard-bis'), assignedAntenna: notOpened('montbeliard') },
};

const withData = (data: Partial<SubmitCandidacy['data']>): SubmitCandidacy => {
  const submission = { ...submit.data, ...data };
  return { ...submit, data: submission, context: { ...submit.context, registeredOn: submission.effectiveDate } };
};
const withCall = (call: CallView): SubmitCandidacy => ({ ...submit, context: { ...submit.context, call } });

describe('candidacy decider', () => {
  describe('SubmitCandidacy', () => {
    it('records the candidacy under the id of its call and territory, with the programme of the call', () => {
      spec.given([]).when(submit).then([submitted]);
    });

    it('records a candidacy without the optional budget and figures', () => {
      const { projectedBudgetCents: _budget, ...withoutBudget } = submit.data;
      const minimal = { ...withoutBudget, territory: { ...submit.data.territory, figures: undefined } };
      spec
        .given([])
        .when({ ...submit, data: minimal })
        .then([{ type: 'CandidacySubmitted', data: { candidacyId, programmeId: 'au-coeur-des-territoires', ...minimal } }]);
    });

    it('rule: submitting the same candidacy again changes nothing', () => {
      spec.given([submitted]).when(submit).thenNothingHappens();
    });

    it('rule: a repeated submission is recognised even after partners were added and a decision taken', () => {
      spec.given([submitted, matternLab, selected]).when(submit).thenNothingHappens();
    });

    it('rule: a territory applies once per call (CANDIDACY.ALREADY_SUBMITTED)', () => {
      spec
        .given([submitted])
        .when(withData({ projectedBudgetCents: 90_000_000 }))
        .thenThrows('CANDIDACY.ALREADY_SUBMITTED', 'conflict');
    });

    it('rule: a territory applies once per call, even after withdrawing (CANDIDACY.ALREADY_SUBMITTED)', () => {
      spec
        .given([submitted, withdrawn])
        .when(withData({ effectiveDate: '2020-12-14' }))
        .thenThrows('CANDIDACY.ALREADY_SUBMITTED', 'conflict');
    });

    it('rule: a candidacy is submitted to an existing call (CALL.NOT_FOUND)', () => {
      spec
        .given([])
        .when(withCall({ callId: 'ami-2', status: 'not-opened' }))
        .thenThrows('CALL.NOT_FOUND', 'not-found');
    });

    it('rule: the call in context must be the call the candidacy names (CALL.NOT_FOUND)', () => {
      spec
        .given([])
        .when(withCall({ ...openCall, callId: 'ami-1' }))
        .thenThrows('CALL.NOT_FOUND', 'not-found');
    });

    it('rule: a candidacy is submitted only to an open call, not before it opens (CANDIDACY.CALL_NOT_OPEN)', () => {
      spec
        .given([])
        .when(withData({ effectiveDate: '2020-09-30' }))
        .thenThrows('CANDIDACY.CALL_NOT_OPEN', 'rule');
    });

    it('rule: a candidacy is submitted only to an open call, not after its deadline (CANDIDACY.CALL_NOT_OPEN)', () => {
      spec
        .given([])
        .when(withData({ effectiveDate: '2020-12-16' }))
        .thenThrows('CANDIDACY.CALL_NOT_OPEN', 'rule');
    });

    it('rule: a candidacy is submitted only to an open call, not after it was closed early (CANDIDACY.CALL_NOT_OPEN)', () => {
      spec
        .given([])
        .when(withCall({ ...openCall, status: 'closed', closedOn: '2020-12-01' }))
        .thenThrows('CANDIDACY.CALL_NOT_OPEN', 'rule');
    });

    it('rule: the call is judged open on effective dates, so a candidacy made in time can be back-filled after closing', () => {
      spec
        .given([])
        .when(withCall({ ...openCall, status: 'closed', closedOn: '2020-12-15' }))
        .then([submitted]);
    });

    it('rule: a submission its call has not registered is not recorded (CANDIDACY.SUBMISSION_NOT_REGISTERED)', () => {
      const { registeredOn: _registered, ...unregistered } = submit.context;
      spec.given([]).when({ ...submit, context: unregistered }).thenThrows('CANDIDACY.SUBMISSION_NOT_REGISTERED', 'conflict');
      // Registered at another date (an earlier attempt, interrupted): the call would not know this one's.
      spec
        .given([])
        .when({ ...submit, context: { ...submit.context, registeredOn: '2020-11-02' } })
        .thenThrows('CANDIDACY.SUBMISSION_NOT_REGISTERED', 'conflict');
    });

    it('rule: the same submission repeated is judged by the candidacy, registered or not (a no-op)', () => {
      const { registeredOn: _registered, ...unregistered } = submit.context;
      spec.given([submitted]).when({ ...submit, context: unregistered }).thenNothingHappens();
    });

    it('rule: a call closed after its announced deadline accepted candidacies until it actually closed', () => {
      const lastDay = withData({ effectiveDate: '2021-01-08' });
      spec
        .given([])
        .when({ ...lastDay, context: { ...lastDay.context, call: { ...openCall, status: 'closed', closedOn: '2021-01-08' } } })
        .then([{ type: 'CandidacySubmitted', data: { ...submitted.data, effectiveDate: '2021-01-08' } }]);
    });

    it('rule: the projected budget is a positive integer number of cents (MONEY.NOT_POSITIVE_CENTS)', () => {
      spec.given([]).when(withData({ projectedBudgetCents: 0 })).thenThrows('MONEY.NOT_POSITIVE_CENTS', 'rule');
      spec.given([]).when(withData({ projectedBudgetCents: 786_000.5 })).thenThrows('MONEY.NOT_POSITIVE_CENTS', 'rule');
    });

    it('rule: partner names are unique within a candidacy, ignoring case, accents and spaces (CANDIDACY.DUPLICATE_PARTNER)', () => {
      spec
        .given([])
        .when(withData({ partners: [...submit.data.partners, { name: ' pole  Emploi ', kind: 'other' }] }))
        .thenThrows('CANDIDACY.DUPLICATE_PARTNER', 'rule');
    });

    it('rule: territory counts are whole numbers and shares are percentages (CANDIDACY.INVALID_FIGURE)', () => {
      const territory = submit.data.territory;
      const figures = territory.figures;
      spec
        .given([])
        .when(withData({ territory: { ...territory, figures: { ...figures, industrialEmploymentPercent: 130 } } }))
        .thenThrows('CANDIDACY.INVALID_FIGURE', 'rule');
      spec
        .given([])
        .when(withData({ territory: { ...territory, figures: { ...figures, jobs: -1 } } }))
        .thenThrows('CANDIDACY.INVALID_FIGURE', 'rule');
      spec
        .given([])
        .when(withData({ territory: { ...territory, population: 0 } }))
        .thenThrows('CANDIDACY.INVALID_FIGURE', 'rule');
    });
  });

  describe('AddCandidacyPartner', () => {
    const add = { type: 'AddCandidacyPartner' as const, data: matternLab.data };

    it('records a partner joining a submitted candidacy', () => {
      spec.given([submitted]).when(add).then([matternLab]);
    });

    it('rule: a laureate may still gain partners', () => {
      const later = { ...matternLab.data, effectiveDate: '2021-04-01' };
      spec
        .given([submitted, selected])
        .when({ ...add, data: later })
        .then([{ type: 'CandidacyPartnerAdded', data: later }]);
    });

    it('rule: adding the same partner again changes nothing', () => {
      spec.given([submitted, matternLab]).when(add).thenNothingHappens();
    });

    it('rule: adding a partner already named at submission, identically, changes nothing', () => {
      spec
        .given([submitted])
        .when({ ...add, data: { ...add.data, partner: { name: 'Pôle emploi', kind: 'employment-service' } } })
        .thenNothingHappens();
    });

    it('rule: a partner name appears once; another description of it conflicts (CANDIDACY.PARTNER_ALREADY_ADDED)', () => {
      spec
        .given([submitted, matternLab])
        .when({ ...add, data: { ...add.data, partner: { name: 'Mattern Lab', kind: 'training-provider' } } })
        .thenThrows('CANDIDACY.PARTNER_ALREADY_ADDED', 'conflict');
      spec
        .given([submitted])
        .when({ ...add, data: { ...add.data, partner: { name: 'POLE EMPLOI', kind: 'employment-service' } } })
        .thenThrows('CANDIDACY.PARTNER_ALREADY_ADDED', 'conflict');
    });

    it('rule: partners join a submitted candidacy (CANDIDACY.NOT_FOUND)', () => {
      spec.given([]).when(add).thenThrows('CANDIDACY.NOT_FOUND', 'not-found');
    });

    it('rule: a rejected or withdrawn candidacy gains no partner (CANDIDACY.ALREADY_DECIDED)', () => {
      spec.given([submitted, rejected]).when(add).thenThrows('CANDIDACY.ALREADY_DECIDED', 'conflict');
      spec.given([submitted, withdrawn]).when(add).thenThrows('CANDIDACY.ALREADY_DECIDED', 'conflict');
    });

    it('rule: a partner cannot join before the submission (CANDIDACY.DATE_BEFORE_SUBMISSION)', () => {
      spec
        .given([submitted])
        .when({ ...add, data: { ...add.data, effectiveDate: '2020-12-01' } })
        .thenThrows('CANDIDACY.DATE_BEFORE_SUBMISSION', 'rule');
    });
  });

  describe('SelectCandidacy', () => {
    const select = { type: 'SelectCandidacy' as const, data: selected.data };

    it('records the selection of a laureate with the criteria it met', () => {
      spec.given([submitted, matternLab]).when(select).then([selected]);
    });

    it('rule: selecting the same candidacy again changes nothing', () => {
      spec.given([submitted, selected]).when(select).thenNothingHappens();
    });

    it('rule: a retried selection of a laureate that later withdrew changes nothing', () => {
      spec.given([submitted, selected, withdrawn]).when(select).thenNothingHappens();
    });

    it('rule: a candidacy is selected once; other criteria or date conflict (CANDIDACY.ALREADY_DECIDED)', () => {
      spec
        .given([submitted, selected])
        .when({ ...select, data: { ...select.data, criteria: ['dynamique partenariale locale forte'] } })
        .thenThrows('CANDIDACY.ALREADY_DECIDED', 'conflict');
    });

    it('rule: a rejected or withdrawn candidacy cannot be selected (CANDIDACY.ALREADY_DECIDED)', () => {
      spec.given([submitted, rejected]).when(select).thenThrows('CANDIDACY.ALREADY_DECIDED', 'conflict');
      spec.given([submitted, withdrawn]).when(select).thenThrows('CANDIDACY.ALREADY_DECIDED', 'conflict');
    });

    it('rule: only a submitted candidacy can be selected (CANDIDACY.NOT_FOUND)', () => {
      spec.given([]).when(select).thenThrows('CANDIDACY.NOT_FOUND', 'not-found');
    });

    it('rule: a candidacy is not selected before it was submitted (CANDIDACY.DATE_BEFORE_SUBMISSION)', () => {
      spec
        .given([submitted])
        .when({ ...select, data: { ...select.data, effectiveDate: '2020-12-09' } })
        .thenThrows('CANDIDACY.DATE_BEFORE_SUBMISSION', 'rule');
    });

    it('rule: a candidacy may be selected on the day it was submitted', () => {
      const sameDay = { ...select.data, effectiveDate: submitted.data.effectiveDate };
      spec
        .given([submitted])
        .when({ ...select, data: sameDay })
        .then([{ type: 'CandidacySelected', data: sameDay }]);
    });
  });

  describe('RejectCandidacy', () => {
    const reject = { type: 'RejectCandidacy' as const, data: rejected.data };

    it('records the rejection of a candidacy with its reason', () => {
      spec.given([submitted]).when(reject).then([rejected]);
    });

    it('rule: rejecting the same candidacy again changes nothing', () => {
      spec.given([submitted, rejected]).when(reject).thenNothingHappens();
    });

    it('rule: a candidacy is rejected once; another reason conflicts (CANDIDACY.ALREADY_DECIDED)', () => {
      spec
        .given([submitted, rejected])
        .when({ ...reject, data: { ...reject.data, reason: 'Dossier incomplet' } })
        .thenThrows('CANDIDACY.ALREADY_DECIDED', 'conflict');
    });

    it('rule: a selected or withdrawn candidacy cannot be rejected (CANDIDACY.ALREADY_DECIDED)', () => {
      spec.given([submitted, selected]).when(reject).thenThrows('CANDIDACY.ALREADY_DECIDED', 'conflict');
      spec.given([submitted, withdrawn]).when(reject).thenThrows('CANDIDACY.ALREADY_DECIDED', 'conflict');
    });

    it('rule: only a submitted candidacy can be rejected (CANDIDACY.NOT_FOUND)', () => {
      spec.given([]).when(reject).thenThrows('CANDIDACY.NOT_FOUND', 'not-found');
    });

    it('rule: a candidacy is not rejected before it was submitted (CANDIDACY.DATE_BEFORE_SUBMISSION)', () => {
      spec
        .given([submitted])
        .when({ ...reject, data: { ...reject.data, effectiveDate: '2020-11-30' } })
        .thenThrows('CANDIDACY.DATE_BEFORE_SUBMISSION', 'rule');
    });
  });

  describe('WithdrawCandidacy', () => {
    const withdraw = { type: 'WithdrawCandidacy' as const, data: withdrawn.data };

    it('records the withdrawal of a submitted candidacy', () => {
      spec.given([submitted]).when(withdraw).then([withdrawn]);
    });

    it('rule: a laureate may still withdraw (the town gives up before its antenna opens)', () => {
      spec.given([submitted, selected]).when(withdraw).then([withdrawn]);
    });

    it('rule: a laureate whose antenna opened no longer withdraws: the antenna is closed instead (CANDIDACY.ANTENNA_OPENED)', () => {
      spec.given([submitted, selected, assigned]).when(withdraw).thenThrows('CANDIDACY.ANTENNA_OPENED', 'conflict');
    });

    it('rule: withdrawing again with the same reason changes nothing', () => {
      spec.given([submitted, withdrawn]).when(withdraw).thenNothingHappens();
      spec.given([submitted, selected, withdrawn]).when(withdraw).thenNothingHappens();
    });

    it('rule: a candidacy is withdrawn once; another reason conflicts (CANDIDACY.ALREADY_DECIDED)', () => {
      spec
        .given([submitted, withdrawn])
        .when({ ...withdraw, data: { ...withdraw.data, reason: 'Autre motif' } })
        .thenThrows('CANDIDACY.ALREADY_DECIDED', 'conflict');
    });

    it('rule: a rejected candidacy cannot be withdrawn (CANDIDACY.ALREADY_DECIDED)', () => {
      spec.given([submitted, rejected]).when(withdraw).thenThrows('CANDIDACY.ALREADY_DECIDED', 'conflict');
    });

    it('rule: only a submitted candidacy can be withdrawn (CANDIDACY.NOT_FOUND)', () => {
      spec.given([]).when(withdraw).thenThrows('CANDIDACY.NOT_FOUND', 'not-found');
    });

    it('rule: a candidacy is not withdrawn before it was submitted (CANDIDACY.DATE_BEFORE_SUBMISSION)', () => {
      spec
        .given([submitted])
        .when({ ...withdraw, data: { ...withdraw.data, effectiveDate: '2020-12-09' } })
        .thenThrows('CANDIDACY.DATE_BEFORE_SUBMISSION', 'rule');
    });

    it('rule: a laureate does not withdraw before it was selected (CANDIDACY.DATE_BEFORE_SELECTION)', () => {
      spec
        .given([submitted, selected])
        .when({ ...withdraw, data: { ...withdraw.data, effectiveDate: '2021-02-14' } })
        .thenThrows('CANDIDACY.DATE_BEFORE_SELECTION', 'rule');
    });
  });

  describe('AssignCandidacyAntenna (first step of opening an antenna)', () => {
    it('claims the antenna of a selected candidacy, with the call and territory it comes from', () => {
      spec.given([submitted, selected]).when(assign).then([assigned]);
    });

    it('rule: claiming the same antenna again on the same date changes nothing, so a retry completes an interrupted opening', () => {
      spec.given([submitted, selected, assigned]).when(assign).thenNothingHappens();
    });

    it('rule: once the antenna is opened, a claim of it changes nothing whatever its date: the antenna stream judges the details', () => {
      spec
        .given([submitted, selected, assigned])
        .when({ ...assign, data: { ...assign.data, effectiveDate: '2021-04-01' }, context: { antenna: openedFrom('montbeliard', candidacyId) } })
        .thenNothingHappens();
    });

    it('rule: an opening not yet done is claimed for one date (CANDIDACY.ANTENNA_ALREADY_ASSIGNED)', () => {
      spec
        .given([submitted, selected, assigned])
        .when({ ...assign, data: { ...assign.data, effectiveDate: '2021-04-01' } })
        .thenThrows('CANDIDACY.ANTENNA_ALREADY_ASSIGNED', 'conflict');
    });

    it('rule: one selected candidacy opens one antenna (CANDIDACY.ANTENNA_ALREADY_ASSIGNED)', () => {
      spec.given([submitted, selected, assigned]).when(assignOther).thenThrows('CANDIDACY.ANTENNA_ALREADY_ASSIGNED', 'conflict');
      spec
        .given([submitted, selected, assigned])
        .when({ ...assignOther, context: { ...assignOther.context, assignedAntenna: openedFrom('montbeliard', candidacyId) } })
        .thenThrows('CANDIDACY.ANTENNA_ALREADY_ASSIGNED', 'conflict');
    });

    it('rule: an antenna id opened from another candidacy cannot be claimed (ANTENNA.ALREADY_OPENED)', () => {
      spec
        .given([submitted, selected])
        .when({ ...assign, context: { antenna: openedFrom('montbeliard', 'ami-2--chaumont') } })
        .thenThrows('ANTENNA.ALREADY_OPENED', 'conflict');
    });

    it('rule: a claim lost to another candidacy (which opened that antenna id first) holds nothing and may be replaced', () => {
      const lost = { ...assignOther, context: { ...assignOther.context, assignedAntenna: openedFrom('montbeliard', 'ami-2--chaumont') } };
      spec
        .given([submitted, selected, assigned])
        .when(lost)
        .then([{ type: 'CandidacyAntennaAssigned', data: { ...assigned.data, antennaId: 'montbeliard-bis' } }]);
    });

    it('rule: only a submitted candidacy has an antenna to claim (CANDIDACY.NOT_FOUND)', () => {
      spec.given([]).when(assign).thenThrows('CANDIDACY.NOT_FOUND', 'not-found');
    });

    it.each([
      ['submitted', [submitted]],
      ['rejected', [submitted, rejected]],
      ['withdrawn', [submitted, selected, withdrawn]],
    ] as const)('rule: only a selected candidacy opens an antenna, not a %s one (ANTENNA.CANDIDACY_NOT_SELECTED)', (_status, history) => {
      spec.given(history).when(assign).thenThrows('ANTENNA.CANDIDACY_NOT_SELECTED', 'rule');
    });

    it('rule: a laureate that withdrew after its antenna opened still recognises the repeated opening', () => {
      spec
        .given([submitted, selected, assigned, withdrawn])
        .when({ ...assign, context: { antenna: openedFrom('montbeliard', candidacyId) } })
        .thenNothingHappens();
    });

    it('rule: an antenna does not open before its candidacy was selected (ANTENNA.OPENED_BEFORE_SELECTION)', () => {
      spec
        .given([submitted, selected])
        .when({ ...assign, data: { ...assign.data, effectiveDate: '2021-02-14' } })
        .thenThrows('ANTENNA.OPENED_BEFORE_SELECTION', 'rule');
    });
  });

  describe('candidacyViewOf', () => {
    it('shows a candidacy never submitted as not-submitted', () => {
      expect(candidacyViewOf(fold(candidacyDecider, []), candidacyId)).toEqual({ candidacyId, status: 'not-submitted' });
    });

    const summary = {
      candidacyId,
      callId: 'ami-2',
      programmeId: 'au-coeur-des-territoires',
      territory: {
        id: 'pays-de-montbeliard',
        name: 'Pays de Montbéliard Agglomération',
        region: 'Bourgogne-Franche-Comté',
        actionCoeurDeVille: true,
      },
      submittedOn: '2020-12-10',
    };

    it('shows a submitted candidacy with its call, programme and territory', () => {
      expect(candidacyViewOf(fold(candidacyDecider, [submitted, matternLab]), candidacyId)).toEqual({ ...summary, status: 'submitted' });
    });

    it('shows a laureate with its selection date', () => {
      expect(candidacyViewOf(fold(candidacyDecider, [submitted, selected]), candidacyId)).toEqual({
        ...summary,
        status: 'selected',
        selectedOn: '2021-02-15',
      });
    });

    it('keeps the selection date of a laureate that withdrew, whose status is withdrawn', () => {
      expect(candidacyViewOf(fold(candidacyDecider, [submitted, selected, withdrawn]), candidacyId)).toEqual({
        ...summary,
        status: 'withdrawn',
        selectedOn: '2021-02-15',
      });
    });

    it('shows the antenna claimed by a laureate, kept after a withdrawal', () => {
      const claim = { antennaId: 'montbeliard', antennaAssignedOn: '2021-03-01' };
      expect(candidacyViewOf(fold(candidacyDecider, [submitted, selected, assigned]), candidacyId)).toEqual({
        ...summary,
        status: 'selected',
        selectedOn: '2021-02-15',
        ...claim,
      });
      expect(candidacyViewOf(fold(candidacyDecider, [submitted, selected, assigned, withdrawn]), candidacyId)).toEqual({
        ...summary,
        status: 'withdrawn',
        selectedOn: '2021-02-15',
        ...claim,
      });
    });

    it('shows a rejected candidacy', () => {
      expect(candidacyViewOf(fold(candidacyDecider, [submitted, rejected]), candidacyId)).toEqual({ ...summary, status: 'rejected' });
    });
  });
});
