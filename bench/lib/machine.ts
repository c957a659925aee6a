import { readFileSync } from 'node:fs';
import { cpus, freemem, platform, release, totalmem } from 'node:os';
import { JALON_NODE_FLAGS, startedWithJalonNodeFlags } from '../../apps/cli/src/node-flags';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly node: string;
  /** The Node.js options Jalon's processes run with (docs/decisions/0068), if this one was started with them (npm run bench does). */
  readonly nodeFlags: string;
  readonly os: string;
  readonly memoryGiB: number;
  readonly freeMemoryGiB: number;
}

export function describeMachine(): Machine {
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    const model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (model) cpu = model[1]!.trim();
  } catch {
    // Not Linux: os.cpus() is as good as it gets.
  }
  return {
    cpu,
    cores: cpus().length,
    node: process.version,
    nodeFlags: startedWithJalonNodeFlags() ? JALON_NODE_FLAGS.join(' ') : 'none: not started as Jalon processes are (npm run bench is)',
    os: `${platform()} ${release()}`,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    freeMemoryGiB: Math.round((freemem() / 2 ** 30) * 10) / 10,
  };
}
