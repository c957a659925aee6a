import {
  assertAntennaAcceptsCommands,
  assertAntennaOpened,
  assertDateInRange,
  assertNever,
  assertNotBeforeAntennaOpening,
  assertPositiveCents,
  Cents,
  conflict,
  Decider,
  FundingAgreementView,
  FundingFactView,
  isBefore,
  IsoDate,
  notFound,
  ruleBroken,
  sameData,
  sumCents,
  VersionedMap,
} from '../shared';
import { AttachedDocuments, decideAttachment, withDocument } from '../documents/document.decide';
import { AttachFundingDocument, CommitFunding, FundingCommand } from './funding.commands';
import {
  BudgetTrancheReleased,
  FundingAgreementClosed,
  FundingCommitted,
  FundingEvent,
  FundingPublicData,
  FundingTranche,
  TrancheReceived,
  TrancheReleaseReversed,
} from './funding.events';

export interface FundingTrancheState {
  readonly scheduled: FundingTranche;
  /** The current release; absent when never released or when the last release was reversed. */
  readonly release?: BudgetTrancheReleased['data'];
  /** The receipt of the current release. */
  readonly receipt?: TrancheReceived['data'];
  /** The last reversal, while no new release followed it: lets a repeated reversal be recognised. */
  readonly lastReversal?: TrancheReleaseReversed['data'];
  /** Its releases since reversed, each with the days it stood: a release dated before a reversal counts with them on those days. */
  readonly reversed?: readonly StoodReleased[];
}

/** A release that stood from its date until the day its reversal took effect (that day excluded). */
export interface StoodReleased {
  readonly amountCents: Cents;
  readonly from: IsoDate;
  readonly until: IsoDate;
}

interface FundingAgreement {
  readonly commitment: FundingCommitted['data'];
  /** Every scheduled tranche by id. A `VersionedMap`, so that changing one does not copy all the others. */
  readonly tranches: VersionedMap<string, FundingTrancheState>;
  /**
   * The sum of the current releases (not reversed), kept up to date by `withTranche` as releases
   * come and go, so that the release rule need not add up every tranche on every command.
   */
  readonly releasedCents: Cents;
  /** The latest effective date of any fact recorded on the agreement: nothing follows its closing. */
  readonly latestFactOn: IsoDate;
  /** The public data in force (SCDL « subventions »): the commitment's, or the latest recorded after it. */
  readonly publicData?: FundingPublicData;
  /** Documents attached to the agreement, its releases and receipts (absent until the first). */
  readonly documents?: AttachedDocuments;
}

export type FundingState =
  | { readonly status: 'not-committed' }
  | ({ readonly status: 'committed' } & FundingAgreement)
  | ({ readonly status: 'closed'; readonly closing: FundingAgreementClosed['data'] } & FundingAgreement);

export const initialFundingState = (): FundingState => ({ status: 'not-committed' });

export function decideFunding(command: FundingCommand, state: FundingState): FundingEvent[] {
  // The funder's duty to publish the agreement outlives the antenna (docs/decisions/0035): its
  // public data may still be completed once the antenna closed; and its agreements closed
  // (docs/decisions/0054), or their tranches would stay due for ever. Nothing else may.
  if (command.type === 'RecordFundingPublicData' || command.type === 'CloseFundingAgreement') assertAntennaOpened(command.context.antenna, command.data.antennaId);
  else assertAntennaAcceptsCommands(command.context.antenna, command.data.antennaId);
  switch (command.type) {
    case 'CommitFunding': {
      if (state.status !== 'not-committed') {
        if (isRecordedCommitment(state.commitment, command.data)) return [];
        throw conflict('FUNDING.ALREADY_COMMITTED', `funding agreement ${command.data.agreementId} was already committed with other details`, {
          field: 'agreementId',
        });
      }
      const data = validCommitment(command.data);
      assertNotBeforeAntennaOpening(command.context.antenna, data.effectiveDate);
      assertDueDates(data);
      assertCommitmentAttached(command);
      return [{ type: 'FundingCommitted', data }];
    }
    case 'RecordFundingPublicData': {
      const { agreementId, antennaId, effectiveDate } = command.data;
      // Agreement closed or not, antenna closed or not: the obligation to publish outlives the payments.
      const agreement = requireAgreement(state, antennaId, agreementId);
      const publicData = validPublicData(command.data.publicData);
      if (agreement.publicData !== undefined && sameData(agreement.publicData, publicData)) return [];
      if (isBefore(effectiveDate, agreement.commitment.effectiveDate)) {
        throw ruleBroken(
          'FUNDING.PUBLIC_DATA_BEFORE_COMMITMENT',
          `les données publiques de l’accord ${agreementId} ne peuvent pas être enregistrées (${effectiveDate}) avant son engagement (${agreement.commitment.effectiveDate})`,
          { field: 'effectiveDate', effectiveDate, committedOn: agreement.commitment.effectiveDate },
        );
      }
      return [{ type: 'FundingPublicDataRecorded', data: { agreementId, antennaId, publicData, effectiveDate } }];
    }
    case 'ReleaseTranche': {
      const { agreementId, antennaId, trancheId, effectiveDate } = command.data;
      const agreement = requireOpenAgreement(state, antennaId, agreementId);
      const tranche = requireTranche(agreement, trancheId);
      const release: BudgetTrancheReleased['data'] = {
        agreementId,
        antennaId,
        trancheId,
        amountCents: command.data.amountCents ?? tranche.scheduled.amountCents,
        effectiveDate,
      };
      // A tranche is released once, unless its release was reversed (then `release` is absent).
      if (tranche.release) {
        if (sameData(tranche.release, release)) return [];
        throw conflict('TRANCHE.ALREADY_RELEASED', `tranche ${trancheId} was already released`, { field: 'trancheId' });
      }
      assertPositiveCents(release.amountCents, 'amountCents');
      if (isBefore(effectiveDate, agreement.commitment.effectiveDate)) {
        throw ruleBroken('TRANCHE.RELEASED_BEFORE_COMMITMENT', 'a tranche cannot be released before the funding was committed', {
          field: 'effectiveDate',
          effectiveDate,
          committedOn: agreement.commitment.effectiveDate,
        });
      }
      // A release again follows the reversal of the previous one: dated before it, both would stand at once.
      const reversedOn = tranche.lastReversal?.effectiveDate;
      if (reversedOn !== undefined && isBefore(effectiveDate, reversedOn)) {
        throw ruleBroken(
          'TRANCHE.RELEASED_BEFORE_REVERSAL',
          `la tranche ${trancheId} ne peut pas être versée de nouveau (${effectiveDate}) avant l’annulation du versement précédent (${reversedOn})`,
          { field: 'effectiveDate', effectiveDate, reversedOn },
        );
      }
      const remainingCents = remainingCommitmentFrom(agreement, effectiveDate);
      if (release.amountCents > remainingCents) {
        throw ruleBroken(
          'FUNDING.RELEASE_EXCEEDS_COMMITMENT',
          `releasing ${release.amountCents} cents exceeds the ${remainingCents} cents that remain of the commitment`,
          { field: 'amountCents', amountCents: release.amountCents, remainingCents },
        );
      }
      return [{ type: 'BudgetTrancheReleased', data: release }];
    }
    case 'RecordTrancheReceipt': {
      const { agreementId, antennaId, trancheId, amountCents, bankReference, effectiveDate } = command.data;
      const agreement = requireOpenAgreement(state, antennaId, agreementId);
      const tranche = requireTranche(agreement, trancheId);
      const receipt: TrancheReceived['data'] = { agreementId, antennaId, trancheId, amountCents, bankReference, effectiveDate };
      if (tranche.receipt) {
        if (sameData(tranche.receipt, receipt)) return [];
        throw conflict('TRANCHE.ALREADY_RECEIVED', `tranche ${trancheId} was already received`, { field: 'trancheId' });
      }
      if (!tranche.release) {
        throw ruleBroken('TRANCHE.NOT_RELEASED', `tranche ${trancheId} is not released: a receipt matches a released tranche`, {
          field: 'trancheId',
        });
      }
      assertPositiveCents(amountCents, 'amountCents');
      if (typeof bankReference !== 'string' || bankReference.trim() === '') {
        throw ruleBroken('TRANCHE.BANK_REFERENCE_REQUIRED', 'a receipt names the bank reference of the payment', { field: 'bankReference' });
      }
      if (isBefore(effectiveDate, tranche.release.effectiveDate)) {
        throw ruleBroken('TRANCHE.RECEIVED_BEFORE_RELEASE', 'a tranche cannot be received before it was released', {
          field: 'effectiveDate',
          effectiveDate,
          releasedOn: tranche.release.effectiveDate,
        });
      }
      // The received amount may differ from the released one (bank fees, partial payment): the
      // receipt records what arrived and the reconciliation read side flags the discrepancy.
      return [{ type: 'TrancheReceived', data: receipt }];
    }
    case 'ReverseTrancheRelease': {
      const { agreementId, antennaId, trancheId, reason, effectiveDate } = command.data;
      const agreement = requireOpenAgreement(state, antennaId, agreementId);
      const tranche = requireTranche(agreement, trancheId);
      if (!tranche.release) {
        const last = tranche.lastReversal;
        if (
          last &&
          sameData(last, { agreementId, antennaId, trancheId, amountCents: last.amountCents, releasedOn: last.releasedOn, reason, effectiveDate })
        ) {
          return [];
        }
        if (last) {
          throw conflict(
            'TRANCHE.RELEASE_ALREADY_REVERSED',
            `le versement de la tranche ${trancheId} a déjà été annulé le ${last.effectiveDate}, pour un autre motif ou à une autre date`,
            { field: 'trancheId', reversedOn: last.effectiveDate },
          );
        }
        throw ruleBroken('TRANCHE.NOT_RELEASED', `tranche ${trancheId} is not released: there is no release to reverse`, {
          field: 'trancheId',
        });
      }
      if (tranche.receipt) {
        // Money that arrived is not un-released: giving it back is a refund, which is out of scope.
        throw conflict('TRANCHE.ALREADY_RECEIVED', `tranche ${trancheId} was received: its release cannot be reversed`, {
          field: 'trancheId',
        });
      }
      if (typeof reason !== 'string' || reason.trim() === '') {
        throw ruleBroken('TRANCHE.REVERSAL_REASON_REQUIRED', 'reversing a tranche release gives a reason', { field: 'reason' });
      }
      if (isBefore(effectiveDate, tranche.release.effectiveDate)) {
        throw ruleBroken('TRANCHE.REVERSED_BEFORE_RELEASE', 'a release cannot be reversed before it happened', {
          field: 'effectiveDate',
          effectiveDate,
          releasedOn: tranche.release.effectiveDate,
        });
      }
      return [
        {
          type: 'TrancheReleaseReversed',
          data: {
            agreementId,
            antennaId,
            trancheId,
            amountCents: tranche.release.amountCents,
            releasedOn: tranche.release.effectiveDate,
            reason,
            effectiveDate,
          },
        },
      ];
    }
    case 'CloseFundingAgreement': {
      const { agreementId, antennaId, reason, effectiveDate } = command.data;
      const agreement = requireAgreement(state, antennaId, agreementId);
      const closing: FundingAgreementClosed['data'] = {
        agreementId,
        antennaId,
        ...(reason === undefined ? {} : { reason }),
        effectiveDate,
      };
      if (agreement.status === 'closed') {
        if (sameData(agreement.closing, closing)) return [];
        throw closedError(agreement);
      }
      if (isBefore(effectiveDate, agreement.commitment.effectiveDate)) {
        throw ruleBroken('FUNDING.CLOSED_BEFORE_COMMITMENT', 'a funding agreement cannot be closed before it was committed', {
          field: 'effectiveDate',
          effectiveDate,
          committedOn: agreement.commitment.effectiveDate,
        });
      }
      if (isBefore(effectiveDate, agreement.latestFactOn)) {
        throw ruleBroken(
          'FUNDING.CLOSED_BEFORE_LAST_FACT',
          `un accord ne peut pas être clos (${effectiveDate}) avant le dernier versement, réception ou annulation enregistré (${agreement.latestFactOn})`,
          { field: 'effectiveDate', effectiveDate, latestFactOn: agreement.latestFactOn },
        );
      }
      // Nor before an expenditure charged to it: once closed, it is charged nothing (what was may still be reversed).
      const chargedOn = command.context.latestChargedExpenditureOn;
      if (chargedOn !== undefined && isBefore(effectiveDate, chargedOn)) {
        throw ruleBroken(
          'FUNDING.CLOSED_BEFORE_LAST_FACT',
          `un accord ne peut pas être clos (${effectiveDate}) avant la dernière dépense qui lui est imputée (${chargedOn})`,
          { field: 'effectiveDate', effectiveDate, latestFactOn: chargedOn },
        );
      }
      return [{ type: 'FundingAgreementClosed', data: closing }];
    }
    case 'AttachFundingDocument':
      return decideFundingDocument(command, state);
    default:
      return assertNever(command);
  }
}

/**
 * A document is attached to the agreement (closed or not: the evidence outlives the payments), or
 * to a tranche's current release or receipt; not before the fact it proves took effect.
 */
function decideFundingDocument(command: AttachFundingDocument, state: FundingState): FundingEvent[] {
  const { antennaId, subject } = command.data;
  const agreement = requireAgreement(state, antennaId, subject.agreementId);
  let subjectOn: IsoDate;
  if (subject.kind === 'funding-agreement') {
    subjectOn = agreement.commitment.effectiveDate;
  } else {
    const tranche = agreement.tranches.get(subject.trancheId);
    if (!tranche) {
      throw notFound('TRANCHE.NOT_FOUND', `funding agreement ${subject.agreementId} has no tranche ${subject.trancheId}`, { field: 'subject.trancheId' });
    }
    const fact = subject.kind === 'tranche-release' ? tranche.release : tranche.receipt;
    if (!fact) {
      throw notFound(
        'DOCUMENT.SUBJECT_NOT_FOUND',
        `tranche ${subject.trancheId} has no ${subject.kind === 'tranche-release' ? 'current release' : 'receipt'} to attach a document to`,
        { field: 'subject.trancheId', kind: subject.kind },
      );
    }
    subjectOn = fact.effectiveDate;
  }
  return decideAttachment(agreement.documents, command.data, subjectOn);
}

export function evolveFunding(state: FundingState, event: FundingEvent): FundingState {
  switch (event.type) {
    case 'FundingCommitted':
      return {
        status: 'committed',
        commitment: event.data,
        tranches: VersionedMap.from(event.data.tranches.map((scheduled) => [scheduled.trancheId, { scheduled }])),
        releasedCents: 0,
        latestFactOn: event.data.effectiveDate,
        ...(event.data.publicData === undefined ? {} : { publicData: event.data.publicData }),
      };
    case 'FundingPublicDataRecorded':
      return state.status === 'not-committed' ? state : { ...state, publicData: event.data.publicData };
    case 'BudgetTrancheReleased':
      // A new release starts afresh: no receipt yet, and the previous reversal no longer applies.
      return withTranche(state, event.data.trancheId, ({ scheduled, reversed }) => ({ scheduled, ...(reversed ? { reversed } : {}), release: event.data }));
    case 'TrancheReceived':
      return withTranche(state, event.data.trancheId, (tranche) => ({ ...tranche, receipt: event.data }));
    case 'TrancheReleaseReversed':
      return withTranche(state, event.data.trancheId, ({ scheduled, reversed = [] }) => ({
        scheduled,
        lastReversal: event.data,
        reversed: [...reversed, { amountCents: event.data.amountCents, from: event.data.releasedOn, until: event.data.effectiveDate }],
      }));
    case 'FundingAgreementClosed':
      return state.status === 'not-committed' ? state : { ...state, status: 'closed', closing: event.data };
    case 'DocumentAttached':
      return state.status === 'not-committed' ? state : { ...state, documents: withDocument(state.documents, event.data) };
    default:
      return assertNever(event);
  }
}

export const fundingDecider: Decider<FundingCommand, FundingEvent, FundingState> = {
  decide: decideFunding,
  evolve: evolveFunding,
  initialState: initialFundingState,
};

/**
 * What the funder may still release on `day` and every day after (the rule « a tranche release
 * cannot exceed what remains of the commitment » holds at every date, as every as-of report reads
 * it): the commitment less the most that stood released on any of those days. A release reversed
 * since counts on the days it stood: a release dated before its reversal would otherwise stand
 * beside it, past the commitment, in every report of those days. Without such a release, that is
 * every release not reversed (`releasedCents`). (The total never exceeds the commitment, by this
 * very rule, so it stays an exact integer.)
 */
function remainingCommitmentFrom(agreement: FundingAgreement, day: IsoDate): Cents {
  const stood: StoodReleased[] = [];
  for (const tranche of agreement.tranches.values()) for (const span of tranche.reversed ?? []) if (span.until > day) stood.push(span);
  if (stood.length === 0) return agreement.commitment.amountCents - agreement.releasedCents;
  const standing: { amountCents: Cents; from: IsoDate; until?: IsoDate }[] = [...stood];
  for (const tranche of agreement.tranches.values()) if (tranche.release) standing.push({ amountCents: tranche.release.amountCents, from: tranche.release.effectiveDate });
  // The most stands on a day some release began (or on `day` itself): each such day, added up.
  let most = 0;
  for (const on of new Set([day, ...standing.map((span) => span.from).filter((from) => from > day)])) {
    let cents = 0;
    for (const span of standing) if (span.from <= on && (span.until === undefined || on < span.until)) cents += span.amountCents;
    if (cents > most) most = cents;
  }
  return agreement.commitment.amountCents - most;
}

/** Checks the commitment and its schedule; returns the event data with only the known fields. */
/**
 * What a commitment checks of its own data, whatever the agreement's stream holds (amounts, its
 * schedule and the tranches' due dates): the antenna's claim of the agreement, the commitment's
 * first step, checks the same, so that no claim is written for a commitment that will be refused
 * (docs/decisions/0060).
 */
export function assertCommittable(data: CommitFunding['data']): void {
  assertDueDates(validCommitment(data));
}

/** The commitment an agreement was recorded with, once it was: what its antenna attaches of it (docs/decisions/0064). */
export function recordedCommitmentOf(state: FundingState): FundingCommitted['data'] | undefined {
  return state.status === 'not-committed' ? undefined : state.commitment;
}

/**
 * Whether `data` is the commitment recorded, sent again: the agreement's stream takes it as a no-op.
 * Throws what a commitment refuses of its own data (amounts, schedule), as that stream does first.
 */
export function isRecordedCommitment(recorded: FundingCommitted['data'], data: CommitFunding['data']): boolean {
  return sameData(recorded, validCommitment(data));
}

function validCommitment(data: CommitFunding['data']): FundingCommitted['data'] {
  assertPositiveCents(data.amountCents, 'amountCents');
  if (!Array.isArray(data.tranches) || data.tranches.length === 0) {
    throw ruleBroken('FUNDING.EMPTY_SCHEDULE', 'a funding commitment is paid in at least one tranche', { field: 'tranches' });
  }
  const seen = new Set<string>();
  data.tranches.forEach((tranche, index) => {
    if (seen.has(tranche.trancheId)) {
      throw ruleBroken('FUNDING.DUPLICATE_TRANCHE', `tranche ${tranche.trancheId} appears twice in the schedule`, {
        field: `tranches[${index}].trancheId`,
        trancheId: tranche.trancheId,
      });
    }
    seen.add(tranche.trancheId);
    assertPositiveCents(tranche.amountCents, `tranches[${index}].amountCents`);
  });
  const scheduledCents = sumCents(data.tranches.map((tranche) => tranche.amountCents));
  if (scheduledCents !== data.amountCents) {
    throw ruleBroken('FUNDING.SCHEDULE_MISMATCH', `the tranches add up to ${scheduledCents} cents, not the ${data.amountCents} committed`, {
      field: 'tranches',
      scheduledCents,
      committedCents: data.amountCents,
    });
  }
  return {
    agreementId: data.agreementId,
    antennaId: data.antennaId,
    funder: data.funder,
    label: data.label,
    amountCents: data.amountCents,
    tranches: data.tranches.map(
      ({ trancheId, label, amountCents, dueOn, conditions }): FundingTranche => ({
        trancheId,
        ...(label === undefined ? {} : { label }),
        amountCents,
        dueOn,
        ...(conditions === undefined ? {} : { conditions }),
      }),
    ),
    ...(data.publicData === undefined ? {} : { publicData: validPublicData(data.publicData) }),
    effectiveDate: data.effectiveDate,
  };
}

/**
 * The public data with only the known fields. Formats (SIRET with its Luhn key, RNA, lengths, the
 * nature) are the input declaration's; the one rule across fields is checked here: without the
 * beneficiary's SIRET, the grant is in kind to an association named by its RNA number.
 */
function validPublicData(data: FundingPublicData): FundingPublicData {
  if (data.beneficiarySiret === undefined && (data.nature !== 'aide en nature' || data.beneficiaryRna === undefined)) {
    throw ruleBroken(
      'FUNDING.BENEFICIARY_SIRET_REQUIRED',
      'le SIRET du bénéficiaire ne peut manquer que pour une aide en nature à une association identifiée par son numéro RNA',
      { field: 'publicData.beneficiarySiret' },
    );
  }
  const optional = <K extends keyof FundingPublicData>(key: K) => (data[key] === undefined ? {} : { [key]: data[key] });
  return {
    ...optional('funderLegalName'),
    funderSiret: data.funderSiret,
    ...optional('agreementDate'),
    decisionReference: data.decisionReference,
    beneficiaryName: data.beneficiaryName,
    ...optional('beneficiarySiret'),
    ...optional('beneficiaryRna'),
    object: data.object,
    nature: data.nature,
    euNotified: data.euNotified,
    ...optional('raeId'),
    ...optional('aidScheme'),
  } as FundingPublicData;
}

/** The agreement the command names, for the antenna it names; closed or not. */
function requireAgreement(state: FundingState, antennaId: string, agreementId: string) {
  if (state.status === 'not-committed' || state.commitment.agreementId !== agreementId || state.commitment.antennaId !== antennaId) {
    throw notFound('FUNDING.NOT_FOUND', `antenna ${antennaId} has no funding agreement ${agreementId}`, { field: 'agreementId' });
  }
  return state;
}

function requireOpenAgreement(state: FundingState, antennaId: string, agreementId: string) {
  const agreement = requireAgreement(state, antennaId, agreementId);
  if (agreement.status === 'closed') throw closedError(agreement);
  return agreement;
}

function closedError(agreement: FundingAgreement & { readonly closing: FundingAgreementClosed['data'] }) {
  return conflict('FUNDING.CLOSED', `funding agreement ${agreement.commitment.agreementId} is closed`, {
    field: 'agreementId',
    closedOn: agreement.closing.effectiveDate,
  });
}

function requireTranche(agreement: FundingAgreement, trancheId: string): FundingTrancheState {
  const tranche = agreement.tranches.get(trancheId);
  if (!tranche) {
    throw notFound('TRANCHE.NOT_FOUND', `funding agreement ${agreement.commitment.agreementId} has no tranche ${trancheId}`, {
      field: 'trancheId',
    });
  }
  return tranche;
}

/** Changes one tranche, and the released total with it; an event on an unknown tranche changes nothing. */
function withTranche(
  state: FundingState,
  trancheId: string,
  update: (tranche: FundingTrancheState) => FundingTrancheState,
): FundingState {
  if (state.status === 'not-committed') return state;
  const tranche = state.tranches.get(trancheId);
  if (!tranche) return state;
  const updated = update(tranche);
  return {
    ...state,
    tranches: state.tranches.set(trancheId, updated),
    releasedCents: state.releasedCents - releasedCentsOf(tranche) + releasedCentsOf(updated),
    latestFactOn: latestOf(state.latestFactOn, factDateOf(updated)),
  };
}

/** The date of the tranche's latest fact, as `withTranche` has just set it. */
function factDateOf(tranche: FundingTrancheState): IsoDate {
  return latestOf(latestOf(tranche.release?.effectiveDate ?? '', tranche.receipt?.effectiveDate ?? ''), tranche.lastReversal?.effectiveDate ?? '');
}

function latestOf(a: IsoDate, b: IsoDate): IsoDate {
  return a >= b ? a : b;
}

/**
 * A tranche falls due once the agreement exists (at the earliest on the day it is committed),
 * within the calendar's bounds: a due date is a plan, but not one beyond 2100.
 */
function assertDueDates(data: FundingCommitted['data']): void {
  data.tranches.forEach((tranche, index) => {
    assertDateInRange(tranche.dueOn, `tranches[${index}].dueOn`);
    if (isBefore(tranche.dueOn, data.effectiveDate)) {
      throw ruleBroken(
        'FUNDING.TRANCHE_DUE_BEFORE_COMMITMENT',
        `la tranche ${tranche.trancheId} ne peut pas être due (${tranche.dueOn}) avant l’engagement de l’accord (${data.effectiveDate})`,
        { field: `tranches[${index}].dueOn`, dueOn: tranche.dueOn, committedOn: data.effectiveDate },
      );
    }
  });
}

/**
 * An antenna knows its agreements: the commitment must first have been attached on the antenna's
 * stream (`FundingAgreementAttached`, for this agreement and this date), so that the antenna's
 * closing follows the agreement's facts (docs/decisions/0060-an-antenna-knows-its-agreements.md).
 */
function assertCommitmentAttached({ data, context: { attachedOn } }: CommitFunding): void {
  if (attachedOn === data.effectiveDate) return;
  throw conflict(
    'FUNDING.COMMITMENT_NOT_CLAIMED',
    `l’engagement de l’accord ${data.agreementId} au ${data.effectiveDate} n’a pas été rattaché à l’antenne ${data.antennaId}` +
      (attachedOn === undefined ? '' : ` (rattaché pour un engagement au ${attachedOn})`),
    { field: 'agreementId', ...(attachedOn === undefined ? {} : { attachedOn }) },
  );
}

/**
 * The latest fact of the agreement that moves its money (a release, a receipt, a reversal of a
 * release; its releases since reversed are followed by their reversals), when it funds
 * `antennaId`: what the antenna's closing may not precede (docs/decisions/0060). Neither its
 * public data nor its own closing count: both may follow the antenna's closing (0035, 0054).
 */
export function latestFundingFactOf(state: FundingState, antennaId: string): FundingFactView | undefined {
  if (state.status === 'not-committed' || state.commitment.antennaId !== antennaId) return undefined;
  const { agreementId } = state.commitment;
  let latest: FundingFactView | undefined;
  const consider = (kind: FundingFactView['kind'], trancheId: string, effectiveDate: IsoDate | undefined) => {
    if (effectiveDate !== undefined && (latest === undefined || isBefore(latest.effectiveDate, effectiveDate))) latest = { agreementId, kind, trancheId, effectiveDate };
  };
  for (const [trancheId, tranche] of state.tranches.entries()) {
    consider('release', trancheId, tranche.release?.effectiveDate);
    consider('receipt', trancheId, tranche.receipt?.effectiveDate);
    for (const span of tranche.reversed ?? []) consider('reversal', trancheId, span.until);
  }
  return latest;
}

/** What the budget may know of an agreement an expenditure is charged to. */
export function fundingAgreementViewOf(state: FundingState, agreementId: string): FundingAgreementView {
  if (state.status === 'not-committed') return { agreementId, status: 'not-committed' };
  const { antennaId, effectiveDate } = state.commitment;
  return state.status === 'closed'
    ? { agreementId, status: 'closed', antennaId, committedOn: effectiveDate, closedOn: state.closing.effectiveDate }
    : { agreementId, status: 'committed', antennaId, committedOn: effectiveDate };
}

function releasedCentsOf(tranche: FundingTrancheState): Cents {
  return tranche.release?.amountCents ?? 0;
}
