import { CommandExecutor } from '@jalon/application';
import { antennaDecider, budgetDecider, streamIdOf } from '@jalon/domain';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface WarmUp {
  readonly streams: number;
  readonly seconds: number;
  /** Heap the folded states hold: used heap after a full collection, less what it was before the warm-up. */
  readonly heapBytes: number;
}

/**
 * Folds the antenna and budget streams of these antennas into the executor's state cache: what a
 * service that has been running for a while holds, and what a restarted one must first rebuild
 * (the time it takes is reported as the cold-start cost, the heap it holds as its memory).
 */
export async function warmStateCache(executor: CommandExecutor, antennaIds: readonly string[]): Promise<WarmUp> {
  const heapBefore = retainedHeap();
  const started = process.hrtime.bigint();
  for (const antennaId of antennaIds) {
    await executor.load(antennaDecider, streamIdOf('antenna', antennaId));
    await executor.load(budgetDecider, streamIdOf('budget', antennaId));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { streams: antennaIds.length * 2, seconds, heapBytes: Math.max(0, retainedHeap() - heapBefore) };
}

let collect: (() => void) | undefined;

/** The heap in use after a full garbage collection (asked of V8 through its `gc` function, exposed for this measure only). */
function retainedHeap(): number {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
  return getHeapStatistics().used_heap_size;
}
