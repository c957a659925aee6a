import { candidacyIdOf } from '@jalon/domain';

/**
 * The HTTP face of the command catalogue: one route per command. Path parameters are fields of
 * the command's input (they must carry the same name), the rest comes from the JSON body.
 */
export interface CommandRoute {
  readonly command: string;
  readonly path: string;
  readonly tag: string;
  /** Ids the command derives from its input rather than receives whole: returned in its response as `ids`. */
  readonly createdIds?: Readonly<Record<string, CreatedId>>;
}

export interface CreatedId {
  /** The validation rule the id satisfies (its schema in the OpenAPI document). */
  readonly rule: string;
  /** The id, from the command's validated input. */
  readonly of: (input: Record<string, unknown>) => string;
}

const programmes = 'programmes';
const calls = 'appels';
const candidacies = 'candidatures';
const antennas = 'antennes';
const budget = 'budget';
const funding = 'financements';

export const COMMAND_ROUTES: readonly CommandRoute[] = [
  { command: 'LaunchProgramme', path: 'programmes', tag: programmes },
  { command: 'ReviseProgrammeTargets', path: 'programmes/:programmeId/target-revisions', tag: programmes },
  { command: 'SignConvention', path: 'programmes/:programmeId/conventions', tag: programmes },
  { command: 'OpenCallForApplications', path: 'calls', tag: calls },
  { command: 'CloseCallForApplications', path: 'calls/:callId/closure', tag: calls },
  {
    command: 'SubmitCandidacy',
    path: 'calls/:callId/candidacies',
    tag: candidacies,
    // One candidacy per territory per call: its id is derived, never chosen by the client.
    createdIds: { candidacyId: { rule: 'isCandidacyId', of: (input) => candidacyIdOf(String(input.callId), String((input.territory as { id: unknown }).id)) } },
  },
  { command: 'AddCandidacyPartner', path: 'candidacies/:candidacyId/partners', tag: candidacies },
  { command: 'SelectCandidacy', path: 'candidacies/:candidacyId/selection', tag: candidacies },
  { command: 'RejectCandidacy', path: 'candidacies/:candidacyId/rejection', tag: candidacies },
  { command: 'WithdrawCandidacy', path: 'candidacies/:candidacyId/withdrawal', tag: candidacies },
  { command: 'OpenAntenna', path: 'antennas', tag: antennas },
  { command: 'PlanPhase', path: 'antennas/:antennaId/phases', tag: antennas },
  { command: 'StartPhase', path: 'antennas/:antennaId/phases/:phaseId/start', tag: antennas },
  { command: 'ReachMilestone', path: 'antennas/:antennaId/phases/:phaseId/milestones', tag: antennas },
  { command: 'ReschedulePhase', path: 'antennas/:antennaId/phases/:phaseId/rescheduling', tag: antennas },
  { command: 'CompletePhase', path: 'antennas/:antennaId/phases/:phaseId/completion', tag: antennas },
  { command: 'InaugurateAntenna', path: 'antennas/:antennaId/inauguration', tag: antennas },
  { command: 'OpenTrainingCourse', path: 'antennas/:antennaId/training-courses', tag: antennas },
  { command: 'ReportLearners', path: 'antennas/:antennaId/learner-reports', tag: antennas },
  { command: 'SuspendAntenna', path: 'antennas/:antennaId/suspension', tag: antennas },
  { command: 'ResumeAntenna', path: 'antennas/:antennaId/resumption', tag: antennas },
  { command: 'CloseAntenna', path: 'antennas/:antennaId/closure', tag: antennas },
  { command: 'SetBudgetForecast', path: 'antennas/:antennaId/budget/forecast', tag: budget },
  { command: 'ReviseBudgetForecast', path: 'antennas/:antennaId/budget/revisions', tag: budget },
  { command: 'RecordExpenditure', path: 'antennas/:antennaId/expenditures', tag: budget },
  { command: 'ReverseExpenditure', path: 'antennas/:antennaId/expenditures/:expenditureId/reversal', tag: budget },
  { command: 'CommitFunding', path: 'antennas/:antennaId/funding-agreements', tag: funding },
  { command: 'ReleaseTranche', path: 'antennas/:antennaId/funding-agreements/:agreementId/tranches/:trancheId/release', tag: funding },
  { command: 'RecordTrancheReceipt', path: 'antennas/:antennaId/funding-agreements/:agreementId/tranches/:trancheId/receipt', tag: funding },
  {
    command: 'ReverseTrancheRelease',
    path: 'antennas/:antennaId/funding-agreements/:agreementId/tranches/:trancheId/release-reversal',
    tag: funding,
  },
  { command: 'CloseFundingAgreement', path: 'antennas/:antennaId/funding-agreements/:agreementId/closure', tag: funding },
  { command: 'RecordFundingPublicData', path: 'antennas/:antennaId/funding-agreements/:agreementId/public-data', tag: funding },
  // A document already stored (POST /api/antennas/:antennaId/documents stores and attaches in one request).
  { command: 'AttachFundingDocument', path: 'antennas/:antennaId/funding-document-attachments', tag: 'justificatifs' },
  { command: 'AttachBudgetDocument', path: 'antennas/:antennaId/budget-document-attachments', tag: 'justificatifs' },
];

export function pathParametersOf(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z]+)/g)].map((match) => match[1]!);
}
