import { CommandExecutor } from '@jalon/application';
import { antennaDecider, budgetDecider, streamIdOf } from '@jalon/domain';

export interface WarmUp {
  readonly streams: number;
  readonly seconds: number;
}

/**
 * Folds the antenna and budget streams of these antennas into the executor's state cache: what a
 * service that has been running for a while holds, and what a restarted one must first rebuild
 * (the time it takes is reported as the cold-start cost).
 */
export async function warmStateCache(executor: CommandExecutor, antennaIds: readonly string[]): Promise<WarmUp> {
  const started = process.hrtime.bigint();
  for (const antennaId of antennaIds) {
    await executor.load(antennaDecider, streamIdOf('antenna', antennaId));
    await executor.load(budgetDecider, streamIdOf('budget', antennaId));
  }
  return { streams: antennaIds.length * 2, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}
