import { antennaDecider, antennaViewOf, AntennaView, budgetDecider, IsoDate, latestBudgetFactOn, streamIdOf } from '@jalon/domain';
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
