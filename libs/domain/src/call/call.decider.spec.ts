import { fold } from '../shared';
import { specificationFor } from '../testing/decider-specification';
import { SubmitCandidacy } from '../candidacy/candidacy.commands';
import { OpenCallForApplications, RegisterCallCandidacy } from './call.commands';
import { callDecider, callViewOf } from './call.decider';
import { CallCandidacyRegistered, CallForApplicationsClosed, CallForApplicationsOpened } from './call.events';

const spec = specificationFor(callDecider);

const launchedProgramme = { programmeId: 'au-coeur-des-territoires', launched: true };

// The articles do not print the AMI's dates: these are illustrative.
const opened: CallForApplicationsOpened = {
  type: 'CallForApplicationsOpened',
  data: {
    callId: 'ami-2',
    programmeId: 'au-coeur-des-territoires',
    title: "Deuxième appel à manifestation d'intérêt « Au cœur des territoires »",
    number: 2,
    opensOn: '2020-10-01',
    closesOn: '2020-12-15',
    criteria: ['dynamique partenariale locale', 'diversité des établissements de formation', 'éloignement d’un centre régional Cnam'],
    effectiveDate: '2020-09-28',
  },
};

const open: OpenCallForApplications = {
  type: 'OpenCallForApplications',
  data: opened.data,
  context: { programme: launchedProgramme },
};

const submission: SubmitCandidacy['data'] = {
  callId: 'ami-2',
  territory: { id: 'pays-de-montbeliard', name: 'Pays de Montbéliard Agglomération', kind: 'agglomeration', region: 'Bourgogne-Franche-Comté', actionCoeurDeVille: true },
  partners: [{ name: 'Ville de Montbéliard', kind: 'local-authority' }],
  trainingNeeds: ['Technologie hydrogène'],
  effectiveDate: '2020-12-10',
};

const register: RegisterCallCandidacy = {
  type: 'RegisterCallCandidacy',
  data: submission,
  context: { candidacy: { candidacyId: 'ami-2--pays-de-montbeliard', status: 'not-submitted' } },
};

const registered: CallCandidacyRegistered = {
  type: 'CallCandidacyRegistered',
  data: {
    callId: 'ami-2',
    candidacyId: 'ami-2--pays-de-montbeliard',
    territoryId: 'pays-de-montbeliard',
    territoryName: 'Pays de Montbéliard Agglomération',
    effectiveDate: '2020-12-10',
  },
};

const registeredOn = (territoryId: string, territoryName: string, effectiveDate: string): CallCandidacyRegistered => ({
  type: 'CallCandidacyRegistered',
  data: { callId: 'ami-2', candidacyId: `ami-2--${territoryId}`, territoryId, territoryName, effectiveDate },
});

const closed: CallForApplicationsClosed = {
  type: 'CallForApplicationsClosed',
  data: { callId: 'ami-2', effectiveDate: '2020-12-15' },
};

describe('call decider', () => {
  describe('OpenCallForApplications', () => {
    it('records the opening of the second AMI of a launched programme', () => {
      spec.given([]).when(open).then([opened]);
    });

    it('rule: opening the same call again with the same details changes nothing', () => {
      spec.given([opened]).when(open).thenNothingHappens();
    });

    it('rule: repeating the opening of a call already closed changes nothing', () => {
      spec.given([opened, closed]).when(open).thenNothingHappens();
    });

    it('rule: a call is opened once (CALL.ALREADY_OPENED)', () => {
      spec
        .given([opened])
        .when({ ...open, data: { ...open.data, closesOn: '2021-01-31' } })
        .thenThrows('CALL.ALREADY_OPENED', 'conflict');
    });

    it('rule: a call belongs to a launched programme (PROGRAMME.NOT_FOUND)', () => {
      spec
        .given([])
        .when({ ...open, context: { programme: { programmeId: 'au-coeur-des-territoires', launched: false } } })
        .thenThrows('PROGRAMME.NOT_FOUND', 'not-found');
    });

    it('rule: the programme in context must be the one the call names (PROGRAMME.NOT_FOUND)', () => {
      spec
        .given([])
        .when({ ...open, context: { programme: { programmeId: 'autre-programme', launched: true } } })
        .thenThrows('PROGRAMME.NOT_FOUND', 'not-found');
    });

    it('rule: a call is neither published nor open before its programme was launched (CALL.BEFORE_PROGRAMME_LAUNCH)', () => {
      const launchedOn = (date: string) => ({ programme: { ...launchedProgramme, launchedOn: date } });
      // Published (2020-09-28) before the launch:
      spec.given([]).when({ ...open, context: launchedOn('2020-09-29') }).thenThrows('CALL.BEFORE_PROGRAMME_LAUNCH', 'rule');
      // Published after the launch, but open (2020-10-01) before it:
      spec
        .given([])
        .when({ ...open, data: { ...open.data, effectiveDate: '2020-10-05' }, context: launchedOn('2020-10-02') })
        .thenThrows('CALL.BEFORE_PROGRAMME_LAUNCH', 'rule');
      spec
        .given([])
        .when({ ...open, context: { programme: { ...launchedProgramme, launchedOn: '2020-09-28' } } })
        .then([opened]);
    });

    it('rule: the call period lies between 1900-01-01 and 2100-12-31 (DATE.OUT_OF_RANGE)', () => {
      spec
        .given([])
        .when({ ...open, data: { ...open.data, closesOn: '9999-12-31' } })
        .thenThrows('DATE.OUT_OF_RANGE', 'rule');
    });

    it('rule: a call does not close before it opens (CALL.INVALID_PERIOD)', () => {
      spec
        .given([])
        .when({ ...open, data: { ...open.data, closesOn: '2020-09-30' } })
        .thenThrows('CALL.INVALID_PERIOD', 'rule');
    });

    it('rule: a call may open and close on the same day', () => {
      const oneDay = { ...open.data, closesOn: open.data.opensOn };
      spec
        .given([])
        .when({ ...open, data: oneDay })
        .then([{ type: 'CallForApplicationsOpened', data: oneDay }]);
    });

    it('rule: the call number is a positive whole number (CALL.INVALID_NUMBER)', () => {
      spec
        .given([])
        .when({ ...open, data: { ...open.data, number: 0 } })
        .thenThrows('CALL.INVALID_NUMBER', 'rule');
      spec
        .given([])
        .when({ ...open, data: { ...open.data, number: 1.5 } })
        .thenThrows('CALL.INVALID_NUMBER', 'rule');
    });
  });

  describe('CloseCallForApplications', () => {
    const close = { type: 'CloseCallForApplications' as const, data: closed.data };

    it('records the closing of an open call', () => {
      spec.given([opened]).when(close).then([closed]);
    });

    it('rule: a call may be closed after its announced deadline (late closing is recorded as it happened)', () => {
      const late = { callId: 'ami-2', effectiveDate: '2021-01-08' };
      spec
        .given([opened])
        .when({ ...close, data: late })
        .then([{ type: 'CallForApplicationsClosed', data: late }]);
    });

    it('rule: only an opened call can be closed (CALL.NOT_FOUND)', () => {
      spec.given([]).when(close).thenThrows('CALL.NOT_FOUND', 'not-found');
    });

    it('rule: closing an already closed call on the same date changes nothing', () => {
      spec.given([opened, closed]).when(close).thenNothingHappens();
    });

    it('rule: a call is closed once; another closing date contradicts it (CALL.ALREADY_CLOSED)', () => {
      spec
        .given([opened, closed])
        .when({ ...close, data: { callId: 'ami-2', effectiveDate: '2020-12-20' } })
        .thenThrows('CALL.ALREADY_CLOSED', 'conflict');
    });

    it('rule: a call cannot close before it opens (CALL.CLOSED_BEFORE_OPENING)', () => {
      spec
        .given([opened])
        .when({ ...close, data: { callId: 'ami-2', effectiveDate: '2020-09-30' } })
        .thenThrows('CALL.CLOSED_BEFORE_OPENING', 'rule');
    });

    it('rule: a call cannot close before the last candidacy it received (CALL.CLOSED_BEFORE_LAST_CANDIDACY)', () => {
      const history = [opened, registeredOn('chaumont', 'Chaumont', '2020-11-20'), registered, registeredOn('vierzon', 'Vierzon', '2020-10-15')];
      spec
        .given(history)
        .when({ ...close, data: { callId: 'ami-2', effectiveDate: '2020-12-09' } })
        .thenThrows('CALL.CLOSED_BEFORE_LAST_CANDIDACY', 'rule');
      spec
        .given(history)
        .when({ ...close, data: { callId: 'ami-2', effectiveDate: '2020-12-10' } })
        .then([{ type: 'CallForApplicationsClosed', data: { callId: 'ami-2', effectiveDate: '2020-12-10' } }]);
    });

    it('rule: a candidacy registered again at another date counts at that date only (CALL.CLOSED_BEFORE_LAST_CANDIDACY)', () => {
      const moved = registeredOn('pays-de-montbeliard', 'Pays de Montbéliard Agglomération', '2020-11-02');
      // Its latest date was the call's latest: the next latest is then Chaumont's.
      const history = [opened, registered, registeredOn('chaumont', 'Chaumont', '2020-11-20'), moved];
      spec.given(history).when({ ...close, data: { callId: 'ami-2', effectiveDate: '2020-11-25' } }).then([
        { type: 'CallForApplicationsClosed', data: { callId: 'ami-2', effectiveDate: '2020-11-25' } },
      ]);
      spec.given(history).when({ ...close, data: { callId: 'ami-2', effectiveDate: '2020-11-19' } }).thenThrows('CALL.CLOSED_BEFORE_LAST_CANDIDACY', 'rule');
    });
  });

  describe('RegisterCallCandidacy (first step of a submission, docs/decisions/0062)', () => {
    it('registers the candidacy on its open call, with its territory and date', () => {
      spec.given([opened]).when(register).then([registered]);
    });

    it('rule: the same registration again changes nothing', () => {
      spec.given([opened, registered]).when(register).thenNothingHappens();
    });

    it('rule: a candidacy already recorded is judged by its own stream: nothing is registered, whatever the details', () => {
      const recorded = { candidacyId: 'ami-2--pays-de-montbeliard', status: 'submitted' as const };
      spec
        .given([opened])
        .when({ ...register, data: { ...submission, effectiveDate: '2020-12-12' }, context: { candidacy: recorded } })
        .thenNothingHappens();
    });

    describe('a candidacy recorded before calls listed their candidacies (docs/decisions/0064)', () => {
      const recorded = { candidacyId: 'ami-2--pays-de-montbeliard', status: 'selected' as const };
      const legacy = { candidacyId: 'ami-2--pays-de-montbeliard', programmeId: 'au-coeur-des-territoires', ...submission };
      const again = (data: SubmitCandidacy['data']): RegisterCallCandidacy => ({ ...register, data, context: { candidacy: recorded, submission: legacy } });

      it('rule: the same submission again registers it at the date it was submitted', () => {
        spec.given([opened]).when(again(submission)).then([registered]);
      });

      it('rule: once registered, or on a call already closed, it registers nothing', () => {
        spec.given([opened, registered]).when(again(submission)).thenNothingHappens();
        spec.given([opened, closed]).when(again(submission)).thenNothingHappens();
      });

      it('rule: other details register nothing (the candidacy’s stream refuses them)', () => {
        spec.given([opened]).when(again({ ...submission, effectiveDate: '2020-12-12' })).thenNothingHappens();
        spec.given([opened]).when(again({ ...submission, trainingNeeds: ['Autre besoin'] })).thenNothingHappens();
      });
    });

    it('rule: what the submission refuses of its call is refused before anything is registered', () => {
      spec.given([]).when(register).thenThrows('CALL.NOT_FOUND', 'not-found');
      spec.given([opened]).when({ ...register, data: { ...submission, effectiveDate: '2020-09-30' } }).thenThrows('CANDIDACY.CALL_NOT_OPEN', 'rule');
      spec
        .given([opened, { type: 'CallForApplicationsClosed', data: { callId: 'ami-2', effectiveDate: '2020-12-01' } }])
        .when(register)
        .thenThrows('CANDIDACY.CALL_NOT_OPEN', 'rule');
    });

    it('rule: what the submission refuses of its own data is refused before anything is registered', () => {
      const twice = [...submission.partners, { name: 'VILLE DE MONTBÉLIARD', kind: 'local-authority' as const }];
      spec.given([opened]).when({ ...register, data: { ...submission, partners: twice } }).thenThrows('CANDIDACY.DUPLICATE_PARTNER', 'rule');
      spec.given([opened]).when({ ...register, data: { ...submission, projectedBudgetCents: 0 } }).thenThrows('MONEY.NOT_POSITIVE_CENTS', 'rule');
    });
  });

  describe('callViewOf', () => {
    it('shows a call never opened as not-opened', () => {
      expect(callViewOf(fold(callDecider, []), 'ami-2')).toEqual({ callId: 'ami-2', status: 'not-opened' });
    });

    it('shows the programme and the announced period of an open call', () => {
      expect(callViewOf(fold(callDecider, [opened]), 'ami-2')).toEqual({
        callId: 'ami-2',
        status: 'open',
        programmeId: 'au-coeur-des-territoires',
        opensOn: '2020-10-01',
        closesOn: '2020-12-15',
      });
    });

    it('shows the actual closing date of a closed call', () => {
      expect(callViewOf(fold(callDecider, [opened, closed]), 'ami-2')).toEqual({
        callId: 'ami-2',
        status: 'closed',
        programmeId: 'au-coeur-des-territoires',
        opensOn: '2020-10-01',
        closesOn: '2020-12-15',
        closedOn: '2020-12-15',
      });
    });
  });
});
