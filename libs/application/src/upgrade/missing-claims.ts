import { CandidacySubmitted, FundingCommitted, upcast } from '@jalon/domain';
import { EventStore } from '@jalon/event-store';
import { CommandResult } from '../command-handling/command-executor';

/**
 * The claims a history recorded before decisions 0060 and 0062 lacks (docs/decisions/0064): a
 * candidacy submitted without its registration on its call, an agreement committed without its
 * attachment to its antenna. Each is found from the log, and recorded by sending the original
 * command again, unchanged, through the one command path: its first step records the claim, dated
 * the original fact, and its second step, the fact itself, is a no-op.
 */
export interface MissingClaims {
  /** Candidacies whose call is still open and does not list them: each one's `SubmitCandidacy`, as recorded. */
  readonly submissions: readonly CandidacySubmitted['data'][];
  /** Agreements whose antenna is not closed and does not list them: each one's `CommitFunding`, as recorded. */
  readonly commitments: readonly FundingCommitted['data'][];
  /** Left as they are: their call is closed, and no closing is left to guard (the same submission again records nothing). */
  readonly submissionsToClosedCalls: readonly LeftAsItIs[];
  /** Left as they are: their antenna is closed, which refuses the claim (ANTENNA.CLOSED): no closing is left to guard. */
  readonly commitmentsOfClosedAntennas: readonly LeftAsItIs[];
}

/** A candidacy or an agreement the upgrade leaves unlisted, named so that it can be found: its call or antenna is closed. */
export interface LeftAsItIs {
  /** The candidacy or the agreement. */
  readonly id: string;
  /** Its call or antenna, closed. */
  readonly parentId: string;
}

const TYPES = ['CandidacySubmitted', 'CallCandidacyRegistered', 'CallForApplicationsClosed', 'FundingCommitted', 'FundingAgreementAttached', 'AntennaClosed'];

/** Reads the log once, through the store's port (the embedded store or EventStoreDB alike), the types it needs only. */
export async function findMissingClaims(store: EventStore): Promise<MissingClaims> {
  const submissions = new Map<string, CandidacySubmitted['data']>();
  const registered = new Set<string>();
  const closedCalls = new Set<string>();
  const commitments = new Map<string, FundingCommitted['data']>();
  const attached = new Set<string>();
  const closedAntennas = new Set<string>();
  for await (const stored of store.readAll({ types: TYPES })) {
    // Every fact at its current version, as the command path reads it.
    const read = upcast(stored, store);
    const event = (read instanceof Promise ? await read : read) as { readonly type: string; readonly data: Record<string, unknown> };
    const data = event.data;
    switch (event.type) {
      case 'CandidacySubmitted': {
        const submission = data as unknown as CandidacySubmitted['data'];
        if (!submissions.has(submission.candidacyId)) submissions.set(submission.candidacyId, submission);
        break;
      }
      case 'CallCandidacyRegistered':
        registered.add(`${String(data.callId)}/${String(data.candidacyId)}`);
        break;
      case 'CallForApplicationsClosed':
        closedCalls.add(String(data.callId));
        break;
      case 'FundingCommitted': {
        const commitment = data as unknown as FundingCommitted['data'];
        if (!commitments.has(commitment.agreementId)) commitments.set(commitment.agreementId, commitment);
        break;
      }
      case 'FundingAgreementAttached':
        attached.add(`${String(data.antennaId)}/${String(data.agreementId)}`);
        break;
      case 'AntennaClosed':
        closedAntennas.add(String(data.antennaId));
        break;
    }
  }
  const unregistered = [...submissions.values()].filter((submission) => !registered.has(`${submission.callId}/${submission.candidacyId}`));
  const unattached = [...commitments.values()].filter((commitment) => !attached.has(`${commitment.antennaId}/${commitment.agreementId}`));
  return {
    submissions: unregistered.filter((submission) => !closedCalls.has(submission.callId)),
    commitments: unattached.filter((commitment) => !closedAntennas.has(commitment.antennaId)),
    submissionsToClosedCalls: unregistered.filter((submission) => closedCalls.has(submission.callId)).map((submission) => ({ id: submission.candidacyId, parentId: submission.callId })),
    commitmentsOfClosedAntennas: unattached
      .filter((commitment) => closedAntennas.has(commitment.antennaId))
      .map((commitment) => ({ id: commitment.agreementId, parentId: commitment.antennaId })),
  };
}

/** The command a fact was recorded by, as it was sent: its event's data without what the command path added. */
export function submissionCommandOf(submission: CandidacySubmitted['data']): Record<string, unknown> {
  const { candidacyId: _id, programmeId: _programme, ...input } = submission;
  return input;
}

/** One claim the upgrade tried to record, and what came of it. */
export interface ClaimOutcome {
  readonly kind: 'registration' | 'attachment';
  /** The candidacy or the agreement. */
  readonly id: string;
  /** The call or the antenna that lists it. */
  readonly parentId: string;
  /** The date of the original fact, which the claim carries. */
  readonly effectiveDate: string;
  readonly outcome: 'recorded' | 'already-recorded' | 'refused';
  /** Why it was refused (the command path's error). */
  readonly error?: unknown;
}

export interface UpgradeReport {
  readonly registrations: number;
  readonly attachments: number;
  readonly outcomes: readonly ClaimOutcome[];
  readonly submissionsToClosedCalls: readonly LeftAsItIs[];
  readonly commitmentsOfClosedAntennas: readonly LeftAsItIs[];
}

/**
 * Records every missing claim through `send` (the one command path: `runCommand`, its validation,
 * roles and expected revisions), one command at a time. A refusal is kept and the others go on; a
 * store that cannot be written stops the run (it is thrown), and the same run again resumes, since
 * what was recorded is no longer missing.
 */
export async function recordMissingClaims(store: EventStore, send: (name: string, input: unknown) => Promise<CommandResult>): Promise<UpgradeReport> {
  const missing = await findMissingClaims(store);
  const outcomes: ClaimOutcome[] = [];
  const attempt = async (name: string, input: unknown, claim: Omit<ClaimOutcome, 'outcome' | 'error'>) => {
    try {
      const result = await send(name, input);
      outcomes.push({ ...claim, outcome: result.written ? 'recorded' : 'already-recorded' });
    } catch (error) {
      if (isStoreFailure(error)) throw error;
      outcomes.push({ ...claim, outcome: 'refused', error });
    }
  };
  for (const submission of missing.submissions) {
    await attempt('SubmitCandidacy', submissionCommandOf(submission), {
      kind: 'registration',
      id: submission.candidacyId,
      parentId: submission.callId,
      effectiveDate: submission.effectiveDate,
    });
  }
  for (const commitment of missing.commitments) {
    await attempt('CommitFunding', commitment, { kind: 'attachment', id: commitment.agreementId, parentId: commitment.antennaId, effectiveDate: commitment.effectiveDate });
  }
  const recorded = (kind: ClaimOutcome['kind']) => outcomes.filter((outcome) => outcome.kind === kind && outcome.outcome === 'recorded').length;
  return {
    registrations: recorded('registration'),
    attachments: recorded('attachment'),
    outcomes,
    submissionsToClosedCalls: missing.submissionsToClosedCalls,
    commitmentsOfClosedAntennas: missing.commitmentsOfClosedAntennas,
  };
}

/** A store that cannot be written, or whose write's outcome is unknown: nothing further can be recorded. */
function isStoreFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'STORE.UNAVAILABLE' || code === 'STORE.OUTCOME_UNKNOWN';
}
