import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** The scheduling priority the projection thread runs at, as it reports it (docs/decisions/0033). */
export interface ThreadPriority {
  /** The nice value asked for (`JALON_PROJECTION_THREAD_NICE`). */
  readonly asked: number;
  /** The nice value the thread runs at, as the system reads it back; the process's own when it could not be changed. */
  readonly nice: number;
  /** The thread's id for the system (Linux), when known. */
  readonly thread?: number;
  /** French, for people: why the asked priority could not be given (the thread then runs at the process's). */
  readonly reason?: string;
}

/**
 * Gives the calling thread the nice value `asked`. On Linux every thread is scheduled on its own
 * and `/proc/thread-self` names it, so `setpriority` on its id touches this thread only, not the
 * serving thread. Elsewhere, or if the system refuses, the thread keeps the process's priority and
 * the reason is returned (shown in `/health`): a slower read side under load, never a failure.
 */
export function lowerThisThread(asked: number): ThreadPriority {
  let thread: number | undefined;
  try {
    thread = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isSafeInteger(thread) || thread <= 0) throw new Error(`identifiant de fil illisible (${String(thread)})`);
    if (asked !== getPriority(thread)) setPriority(thread, asked);
    return { asked, nice: getPriority(thread), thread };
  } catch (error) {
    const nice = safely(() => getPriority(thread ?? 0)) ?? 0;
    return { asked, nice, ...(thread === undefined || Number.isNaN(thread) ? {} : { thread }), reason: `priorité ${asked} non appliquée au fil des projections (${(error as Error).message}) : il tourne à la priorité ${nice} du processus` };
  }
}

function safely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
