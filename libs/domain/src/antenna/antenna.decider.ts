import { assertNever, assertNotBeforeAntennaOpening, conflict, Decider, FundingFactView, isBefore, monthOf, notFound, ruleBroken, sameData } from '../shared';
import { AntennaCommand, AttachFundingAgreement, OpenAntenna } from './antenna.commands';
import { AntennaEvent, AntennaOpened, LearnersReported } from './antenna.events';
import { assertNotBeforeOpening, assertNotSuspended } from './antenna.guards';
import { antennaViewOf, AntennaState, evolveAntenna, initialAntennaState, OpenedAntennaState } from './antenna.state';
import { assertCommittable, isRecordedCommitment } from '../funding/funding.decider';
import { decidePhase } from './phase.decide';

export function decideAntenna(command: AntennaCommand, state: AntennaState): AntennaEvent[] {
  if (state.status === 'not-opened') {
    if (command.type === 'OpenAntenna') return openAntenna(command);
    throw notFound('ANTENNA.NOT_FOUND', `antenna ${command.data.antennaId} has not been opened`, { field: 'antennaId' });
  }
  // A closed antenna accepts nothing but audit reads; only the very same closing may be repeated.
  if (state.status === 'closed') {
    if (command.type === 'CloseAntenna' && sameData(state.closing, command.data)) return [];
    throw conflict('ANTENNA.CLOSED', `antenna ${state.opened.antennaId} was closed on ${state.closing.effectiveDate}`, {
      closedOn: state.closing.effectiveDate,
    });
  }
  return decideOpened(command, state);
}

function decideOpened(command: AntennaCommand, state: Exclude<OpenedAntennaState, { status: 'closed' }>): AntennaEvent[] {
  switch (command.type) {
    case 'OpenAntenna': {
      const { callId: _callId, programmeId: _programmeId, territory: _territory, ...asCommanded } = state.opened;
      if (sameData(asCommanded, command.data)) return [];
      throw conflict('ANTENNA.ALREADY_OPENED', `antenna ${command.data.antennaId} was already opened with other details`, {
        field: 'antennaId',
      });
    }
    case 'PlanPhase':
    case 'StartPhase':
    case 'ReachMilestone':
    case 'ReschedulePhase':
    case 'CompletePhase':
      return decidePhase(command, state);
    case 'InaugurateAntenna': {
      if (state.inauguration) {
        if (sameData(state.inauguration, command.data)) return [];
        const inauguratedOn = state.inauguration.effectiveDate;
        throw conflict('ANTENNA.ALREADY_INAUGURATED', `antenna ${command.data.antennaId} was inaugurated on ${inauguratedOn}`, {
          inauguratedOn,
        });
      }
      assertNotSuspended(state);
      if (isBefore(command.data.effectiveDate, state.opened.effectiveDate)) {
        throw ruleBroken('ANTENNA.INAUGURATED_BEFORE_OPENING', 'an antenna cannot be inaugurated before it was opened', {
          field: 'effectiveDate',
          openedOn: state.opened.effectiveDate,
        });
      }
      return [{ type: 'AntennaInaugurated', data: command.data }];
    }
    case 'OpenTrainingCourse': {
      const existing = state.courses.get(command.data.courseId);
      if (existing) {
        if (sameData(existing, command.data)) return [];
        throw conflict('COURSE.ALREADY_OPENED', `course ${command.data.courseId} was already opened with other details`, {
          field: 'courseId',
        });
      }
      assertNotSuspended(state);
      assertNotBeforeOpening(state, command.data.effectiveDate);
      return [{ type: 'TrainingCourseOpened', data: command.data }];
    }
    case 'ReportLearners': {
      const { period, learners, reason } = command.data;
      if (!Number.isSafeInteger(learners) || learners < 0) {
        throw ruleBroken('LEARNERS.INVALID_COUNT', 'a learner count is a whole number, zero or more', { field: 'learners', learners });
      }
      const month = state.learners.get(period);
      const reported = month?.learners;
      if (reported === learners) return [];
      if (reported !== undefined && !reason?.trim()) {
        throw ruleBroken(
          'LEARNERS.CORRECTION_NEEDS_REASON',
          `learners for ${period} were already reported (${reported}): a correction gives a reason`,
          { field: 'reason', reported },
        );
      }
      assertNotBeforeOpening(state, command.data.effectiveDate);
      assertLearnerPeriod(state, period, command.data.effectiveDate);
      // A correction follows the report it corrects (and every earlier correction of the month):
      // dated before it, a report at a date in between would show the correction without what it corrects.
      if (month !== undefined && isBefore(command.data.effectiveDate, month.reportedOn)) {
        throw ruleBroken(
          'LEARNERS.CORRECTED_BEFORE_REPORT',
          `la correction des apprenants de ${period} (${command.data.effectiveDate}) ne peut pas précéder la déclaration qu’elle corrige (${month.reportedOn})`,
          { field: 'effectiveDate', reportedOn: month.reportedOn },
        );
      }
      // The command type has no `previousLearners`; one sent anyway is replaced by the state's.
      const { previousLearners: _ignored, ...data } = command.data as LearnersReported['data'];
      return [{ type: 'LearnersReported', data: reported === undefined ? data : { ...data, previousLearners: reported } }];
    }
    case 'SuspendAntenna':
      // The same suspension repeated changes nothing; another, while suspended, contradicts it.
      if (state.status === 'suspended') {
        if (sameData(state.suspension, command.data)) return [];
        throw conflict('ANTENNA.ALREADY_SUSPENDED', `l’antenne est suspendue depuis le ${state.suspension.effectiveDate} (${state.suspension.reason})`, {
          suspendedOn: state.suspension.effectiveDate,
        });
      }
      assertNotBeforeOpening(state, command.data.effectiveDate);
      if (state.resumedOn !== undefined && isBefore(command.data.effectiveDate, state.resumedOn)) {
        throw ruleBroken(
          'ANTENNA.SUSPENDED_BEFORE_RESUMPTION',
          `une nouvelle suspension (${command.data.effectiveDate}) ne peut pas précéder la dernière reprise d’activité (${state.resumedOn})`,
          { field: 'effectiveDate', resumedOn: state.resumedOn },
        );
      }
      return [{ type: 'AntennaSuspended', data: command.data }];
    case 'ResumeAntenna':
      // The same resumption repeated changes nothing; another date contradicts it; an antenna never suspended has nothing to resume.
      if (state.status === 'active') {
        if (state.resumedOn === command.data.effectiveDate) return [];
        if (state.resumedOn !== undefined) {
          throw conflict('ANTENNA.ALREADY_RESUMED', `l’activité de l’antenne a repris le ${state.resumedOn}`, { field: 'effectiveDate', resumedOn: state.resumedOn });
        }
        throw ruleBroken('ANTENNA.NOT_SUSPENDED', 'l’antenne n’a jamais été suspendue : il n’y a pas d’activité à reprendre', { field: 'antennaId' });
      }
      if (isBefore(command.data.effectiveDate, state.suspension.effectiveDate)) {
        throw ruleBroken('ANTENNA.RESUMED_BEFORE_SUSPENSION', 'an antenna cannot resume before it was suspended', {
          field: 'effectiveDate',
          suspendedOn: state.suspension.effectiveDate,
        });
      }
      return [{ type: 'AntennaResumed', data: command.data }];
    case 'CloseAntenna':
      assertNotBeforeOpening(state, command.data.effectiveDate);
      // After its closing an antenna accepts nothing: a closing dated before a recorded fact would contradict it.
      assertClosesAfter(command.data.effectiveDate, state.latestFactOn, 'le dernier fait enregistré sur elle');
      // Nor before a fact of its budget (forecast, revision, expenditure, reversal), on its own stream.
      assertClosesAfter(command.data.effectiveDate, command.context?.latestBudgetFactOn, 'le dernier fait de son budget');
      // Nor before a release, a receipt or a reversal of one of its agreements, on their own streams (0060).
      assertClosesAfterFunding(command.data.effectiveDate, command.context?.fundingFacts ?? []);
      return [{ type: 'AntennaClosed', data: command.data }];
    case 'AttachFundingAgreement':
      return attachFundingAgreement(command, state);
    default:
      return assertNever(command);
  }
}

/** A closing dated before `factOn` (`what`, in French) would contradict it: after its closing an antenna accepts nothing. */
function assertClosesAfter(closedOn: string, factOn: string | undefined, what: string): void {
  if (factOn === undefined || !isBefore(closedOn, factOn)) return;
  throw ruleBroken('ANTENNA.CLOSED_BEFORE_LAST_FACT', `une antenne ne peut pas fermer (${closedOn}) avant ${what} (${factOn})`, { field: 'effectiveDate', latestFactOn: factOn });
}

/** A funding agreement's fact moving money, named in French (the closing's refusal; its wording in the application's messages). */
export const FUNDING_FACT_WORDING: Readonly<Record<FundingFactView['kind'], string>> = {
  release: 'le versement',
  receipt: 'la réception',
  reversal: 'l’annulation du versement',
};

/** The latest of the agreements' facts moving money, named in French: the closing may not precede it. */
function assertClosesAfterFunding(closedOn: string, facts: readonly FundingFactView[]): void {
  let latest: FundingFactView | undefined;
  for (const fact of facts) if (latest === undefined || isBefore(latest.effectiveDate, fact.effectiveDate)) latest = fact;
  if (latest === undefined || !isBefore(closedOn, latest.effectiveDate)) return;
  const { agreementId, trancheId, kind, effectiveDate } = latest;
  throw ruleBroken(
    'ANTENNA.CLOSED_BEFORE_LAST_FACT',
    `une antenne ne peut pas fermer (${closedOn}) avant ${FUNDING_FACT_WORDING[kind]} de la tranche ${trancheId} de sa convention de financement ${agreementId} (${effectiveDate})`,
    { field: 'effectiveDate', latestFactOn: effectiveDate, agreementId, trancheId, fact: kind },
  );
}

/**
 * The first step of committing a funding agreement: the antenna lists it, on its own stream and
 * expected revision, so that its closing can follow the agreement's facts (docs/decisions/0060).
 * Refused where the commitment would be refused: on the antenna's side (not opened, closed: see
 * `decideAntenna`; dated before the opening) and for its own data (`assertCommittable`), so that no
 * claim is written for a commitment that will not be. The same claim again is a no-op, so the same
 * commitment again completes an interrupted one.
 */
function attachFundingAgreement({ data, context: { agreement, commitment } }: AttachFundingAgreement, state: Exclude<OpenedAntennaState, { status: 'closed' }>): AntennaEvent[] {
  const { antennaId, agreementId, effectiveDate } = data;
  if (agreement.agreementId !== agreementId) {
    // The application loaded the wrong stream: a wiring fault, not a business rule.
    throw new Error(`funding agreement view ${agreement.agreementId} given to attach agreement ${agreementId}`);
  }
  // An agreement id names one agreement, which funds one antenna.
  if (agreement.status !== 'not-committed' && agreement.antennaId !== antennaId) {
    throw conflict('FUNDING.ALREADY_COMMITTED', `l’accord ${agreementId} finance déjà une autre antenne (${agreement.antennaId ?? 'inconnue'})`, {
      field: 'agreementId',
      antennaId: agreement.antennaId,
    });
  }
  const attached = state.agreements.get(agreementId);
  if (attached) {
    // A retry completes an interrupted commitment; once the agreement is committed, its own stream judges the details.
    if (attached.effectiveDate === effectiveDate || agreement.status !== 'not-committed') return [];
    throw conflict(
      'ANTENNA.FUNDING_ALREADY_ATTACHED',
      `l’accord ${agreementId} a déjà été rattaché à l’antenne ${antennaId} pour un engagement au ${attached.effectiveDate}`,
      { field: 'effectiveDate', agreementId, attachedOn: attached.effectiveDate },
    );
  }
  if (agreement.status !== 'not-committed') {
    // Committed before antennas listed their agreements (0060, 0064): the very same commitment again
    // attaches it, at the date it was committed. Other details attach nothing: the agreement's
    // stream refuses them (FUNDING.ALREADY_COMMITTED), and a refused request writes nothing.
    if (commitment === undefined || !isRecordedCommitment(commitment, data)) return [];
    return [{ type: 'FundingAgreementAttached', data: { antennaId, agreementId, effectiveDate: commitment.effectiveDate } }];
  }
  // What the commitment refuses of its own data (amounts, schedule, due dates) is refused before anything is written.
  assertCommittable(data);
  assertNotBeforeAntennaOpening(antennaViewOf(state, antennaId), effectiveDate);
  return [{ type: 'FundingAgreementAttached', data: { antennaId, agreementId, effectiveDate } }];
}

/** Only a selected candidacy becomes an antenna; the call, programme and territory come from it. */
function openAntenna(command: OpenAntenna): AntennaOpened[] {
  const { candidacy } = command.context;
  const { antennaId, candidacyId, name, town, effectiveDate } = command.data;
  if (candidacy.candidacyId !== candidacyId) {
    // The application loaded the wrong stream: a wiring fault, not a business rule.
    throw new Error(`candidacy view ${candidacy.candidacyId} given to open antenna ${antennaId} from candidacy ${candidacyId}`);
  }
  if (candidacy.status === 'not-submitted') {
    throw notFound('CANDIDACY.NOT_FOUND', `candidacy ${candidacyId} has not been submitted`, { field: 'candidacyId' });
  }
  if (candidacy.status !== 'selected') {
    throw ruleBroken('ANTENNA.CANDIDACY_NOT_SELECTED', `candidacy ${candidacyId} is ${candidacy.status}, not selected`, {
      field: 'candidacyId',
      candidacyStatus: candidacy.status,
    });
  }
  const { callId, programmeId, territory, selectedOn } = candidacy;
  if (callId === undefined || programmeId === undefined || territory === undefined || selectedOn === undefined) {
    throw new Error(`candidacy view ${candidacyId} is selected but lacks its call, programme, territory or selection date`);
  }
  if (isBefore(effectiveDate, selectedOn)) {
    throw ruleBroken('ANTENNA.OPENED_BEFORE_SELECTION', 'an antenna cannot open before its candidacy was selected', {
      field: 'effectiveDate',
      selectedOn,
    });
  }
  assertOpeningClaimed(command);
  return [{ type: 'AntennaOpened', data: { antennaId, candidacyId, callId, programmeId, name, town, territory, effectiveDate } }];
}

export const antennaDecider: Decider<AntennaCommand, AntennaEvent, AntennaState> = {
  decide: decideAntenna,
  evolve: evolveAntenna,
  initialState: initialAntennaState,
};

/**
 * One selected candidacy opens one antenna: the opening must first have been claimed on the
 * candidacy's stream (`CandidacyAntennaAssigned`, for this antenna and this date), which only one
 * antenna can do (docs/decisions/0012-one-antenna-per-candidacy.md).
 */
function assertOpeningClaimed({ data, context: { candidacy } }: OpenAntenna): void {
  if (candidacy.antennaId !== undefined && candidacy.antennaId !== data.antennaId) {
    throw conflict(
      'CANDIDACY.ANTENNA_ALREADY_ASSIGNED',
      `la candidature ${data.candidacyId} a déjà son antenne (${candidacy.antennaId}) : une candidature retenue n’ouvre qu’une antenne`,
      { field: 'candidacyId', antennaId: candidacy.antennaId },
    );
  }
  if (candidacy.antennaId === undefined || candidacy.antennaAssignedOn !== data.effectiveDate) {
    throw conflict(
      'ANTENNA.OPENING_NOT_CLAIMED',
      `l’ouverture de l’antenne ${data.antennaId} au ${data.effectiveDate} n’a pas été engagée sur la candidature ${data.candidacyId}`,
      { field: 'candidacyId', ...(candidacy.antennaAssignedOn ? { assignedOn: candidacy.antennaAssignedOn } : {}) },
    );
  }
}

/**
 * Learners are reported for a month once it has begun (never a month after the report's own
 * date), and never for a month before the antenna opened.
 */
function assertLearnerPeriod(state: OpenedAntennaState, period: string, effectiveDate: string): void {
  if (period > monthOf(effectiveDate)) {
    throw ruleBroken('LEARNERS.PERIOD_IN_FUTURE', `le mois déclaré (${period}) est postérieur à la date de la déclaration (${effectiveDate})`, {
      field: 'period',
      period,
      effectiveDate,
    });
  }
  const openedMonth = monthOf(state.opened.effectiveDate);
  if (period < openedMonth) {
    throw ruleBroken('LEARNERS.PERIOD_BEFORE_OPENING', `le mois déclaré (${period}) précède l’ouverture de l’antenne (${state.opened.effectiveDate})`, {
      field: 'period',
      period,
      openedOn: state.opened.effectiveDate,
    });
  }
}
