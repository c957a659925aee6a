import {
  agreementAttachedOn,
  antennaDecider,
  antennaViewOf,
  AntennaView,
  attachedAgreementIdsOf,
  budgetDecider,
  fundingAgreementViewOf,
  FundingAgreementView,
  FundingCommitted,
  fundingDecider,
  FundingFactView,
  IsoDate,
  latestBudgetFactOn,
  latestFundingFactOf,
  recordedCommitmentOf,
  streamIdOf,
} from '@jalon/domain';
import { StateLoader } from '../command-handling/command-definition';

/** What budget and funding commands know of the antenna they concern: its own stream, folded to a view. */
export interface AntennaContext {
  readonly antenna: AntennaView;
}

/** Look-up shared by the budget and funding catalogues: the antenna named by `antennaId`. */
export async function loadAntennaContext(input: { antennaId: string }, loader: StateLoader): Promise<AntennaContext> {
  const state = await loader.state(antennaDecider, streamIdOf('antenna', input.antennaId));
  return { antenna: antennaViewOf(state, input.antennaId) };
}

/**
 * The latest fact of the antenna's budget stream (`agreementId`: of its expenditures charged to that
 * agreement, without their reversals): what closing the antenna, or the agreement, may not precede (the budget is another
 * stream than theirs).
 */
export async function loadLatestBudgetFactOn(antennaId: string, loader: StateLoader, agreementId?: string): Promise<IsoDate | undefined> {
  return latestBudgetFactOn(await loader.state(budgetDecider, streamIdOf('budget', antennaId)), agreementId);
}

/**
 * What committing an agreement knows of its antenna: its view, and the date it attached this
 * agreement, if it did (the first step of the commitment, docs/decisions/0060).
 */
export async function loadCommitmentContext(
  input: { antennaId: string; agreementId: string },
  loader: StateLoader,
): Promise<AntennaContext & { readonly attachedOn?: IsoDate }> {
  const state = await loader.state(antennaDecider, streamIdOf('antenna', input.antennaId));
  const attachedOn = agreementAttachedOn(state, input.agreementId);
  return { antenna: antennaViewOf(state, input.antennaId), ...(attachedOn === undefined ? {} : { attachedOn }) };
}

/** The agreement named by `agreementId`, as its own stream knows it: what attaching it to an antenna checks. */
export async function loadAgreementContext(
  input: { agreementId: string },
  loader: StateLoader,
): Promise<{ readonly agreement: FundingAgreementView; readonly commitment?: FundingCommitted['data'] }> {
  const state = await loader.state(fundingDecider, streamIdOf('funding', input.agreementId));
  const commitment = recordedCommitmentOf(state);
  return { agreement: fundingAgreementViewOf(state, input.agreementId), ...(commitment ? { commitment } : {}) };
}

/**
 * The latest fact moving money (release, receipt, reversal) of each agreement the antenna lists,
 * read through the loader so that the closing is appended only if none of them moved since
 * (docs/decisions/0058, 0060). An agreement listed but committed for another antenna (two antennas
 * raced for one new id) gives nothing.
 */
export async function loadFundingFacts(antennaId: string, loader: StateLoader): Promise<FundingFactView[]> {
  const agreementIds = attachedAgreementIdsOf(await loader.state(antennaDecider, streamIdOf('antenna', antennaId)));
  const facts = await Promise.all(agreementIds.map(async (agreementId) => latestFundingFactOf(await loader.state(fundingDecider, streamIdOf('funding', agreementId)), antennaId)));
  return facts.filter((fact): fact is FundingFactView => fact !== undefined);
}
