import { randomBytes } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * Who holds the projection lease (docs/decisions/0019): an instance is named
 * `<host>:<pid>:<pid namespace>:<random>`, so that an instance of the same machine and process
 * namespace can tell that the holder's process is gone, and take the lease over at once instead of
 * waiting for it to expire. Containers sharing a volume have their own namespaces: between them,
 * only expiry counts.
 */

/** Holders started in this process and not stopped yet. */
const liveHere = new Set<string>();

/** The process-id namespace (Linux: the inode of /proc/self/ns/pid), or `0` where it cannot be known. */
const PID_NAMESPACE = pidNamespace();

/** A new instance id: this machine, this process, and a random part (two runners of one process differ). */
export function newInstanceId(): string {
  return `${hostname()}:${process.pid}:${PID_NAMESPACE}:${randomBytes(3).toString('hex')}`;
}

/** Called as a runner of this process starts, and stops, taking part in the lease. */
export function holderStarted(holder: string): void {
  liveHere.add(holder);
}

export function holderStopped(holder: string): void {
  liveHere.delete(holder);
}

/**
 * Whether `holder` certainly no longer runs: a runner of this process that stopped, or a process of
 * this machine and namespace that no longer exists. Anything else (another machine or container, a
 * process that exists, possibly a new one with a reused id, an id of another form) is presumed
 * alive: its lease is taken over only once it expires.
 */
export function holderGone(holder: string): boolean {
  const [host, pidText, namespace, suffix] = holder.split(':');
  if (host !== hostname() || suffix === undefined || !/^[1-9][0-9]*$/.test(pidText ?? '')) return false;
  const pid = Number(pidText);
  if (pid === process.pid && namespace === PID_NAMESPACE) return !liveHere.has(holder);
  if (PID_NAMESPACE === '0' || namespace !== PID_NAMESPACE) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function pidNamespace(): string {
  try {
    return /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1] ?? '0';
  } catch {
    return '0';
  }
}
