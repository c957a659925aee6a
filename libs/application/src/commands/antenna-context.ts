import { antennaDecider, antennaViewOf, AntennaView, streamIdOf } from '@jalon/domain';
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
