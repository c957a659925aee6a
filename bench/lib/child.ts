import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { JALON_NODE_FLAGS } from '../../apps/cli/src/node-flags';

/**
 * Child processes of the benchmark (replay, as-of report, HTTP server): TypeScript of this
 * repository run by plain Node through test/support/register-ts.js (SWC, `@jalon/*` aliases),
 * so that nothing needs building first. A child talks back with lines `BENCH {json}` on stdout.
 */

export const BENCH_ROOT = join(__dirname, '..');
export const REPO_ROOT = join(BENCH_ROOT, '..');
const REGISTER_TS = join(REPO_ROOT, 'test', 'support', 'register-ts.js');
const PREFIX = 'BENCH ';

export interface ChildMessage {
  readonly type: string;
  readonly [key: string]: unknown;
}

/** Called by a child: one message to the parent. */
export function tell(message: ChildMessage): void {
  process.stdout.write(`${PREFIX}${JSON.stringify(message)}\n`);
}

export interface ChildHandle {
  readonly process: ChildProcess;
  readonly messages: ChildMessage[];
  /** Resolves with the first message of this type (rejects if the child exits first). */
  waitFor(type: string, timeoutMs?: number): Promise<ChildMessage>;
  /** Resolves when the child has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(signal?: NodeJS.Signals): Promise<void>;
  output(): string;
}

/** The compiled CLI (`npm run build`), exactly what `jalon <command>` runs. */
export const COMPILED_CLI = join(REPO_ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');

/** A child running a TypeScript file of bench/ (script relative to bench/), or, with `compiled`, the given node arguments as they are. */
export function startChild(script: string, args: readonly string[], env: NodeJS.ProcessEnv = {}, compiled = false): ChildHandle {
  // A child stands for a Jalon process (`jalon <command>`, the service): it runs with their Node.js options.
  const nodeArgs = [...JALON_NODE_FLAGS, ...(compiled ? args : ['--require', require.resolve('reflect-metadata'), '--require', REGISTER_TS, join(BENCH_ROOT, script), ...args])];
  const child = spawn(process.execPath, nodeArgs, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const messages: ChildMessage[] = [];
  const listeners = new Set<() => void>();
  let output = '';
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (line.startsWith(PREFIX)) {
        messages.push(JSON.parse(line.slice(PREFIX.length)) as ChildMessage);
        for (const listener of [...listeners]) listener();
      } else {
        output += `${line}\n`;
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      for (const listener of [...listeners]) listener();
      resolve({ code, signal });
    }),
  );
  return {
    process: child,
    messages,
    exited,
    output: () => output.slice(-4000),
    waitFor(type, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find((m) => m.type === type);
          if (found) {
            done();
            resolve(found);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            done();
            reject(new Error(`${script} exited (${child.exitCode ?? child.signalCode}) before "${type}":\n${output.slice(-4000)}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`${script} sent no "${type}" within ${timeoutMs} ms:\n${output.slice(-4000)}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

export interface ChildRun {
  readonly result: ChildMessage | undefined;
  readonly messages: readonly ChildMessage[];
  readonly timedOut: boolean;
  /** It ended without a result and was not stopped: e.g. out of memory (see `output`). */
  readonly crashed: boolean;
  readonly seconds: number;
  readonly output: string;
}

/**
 * Runs a child to its end (or stops it after `timeoutSeconds`) and returns its `result` message,
 * if any. A child that fails before any progress is an error; one that fails after some progress
 * (e.g. out of memory half-way through a replay) is reported as crashed, with what it did.
 */
export async function runChild(
  script: string,
  args: readonly string[],
  timeoutSeconds: number,
  options: { env?: NodeJS.ProcessEnv; compiled?: boolean; onTick?: (pid: number) => void } = {},
): Promise<ChildRun> {
  const started = process.hrtime.bigint();
  const child = startChild(script, args, options.env, options.compiled);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void child.stop('SIGTERM');
  }, timeoutSeconds * 1000);
  const ticker = options.onTick ? setInterval(() => options.onTick!(child.process.pid!), 1000) : undefined;
  const { code } = await child.exited;
  clearTimeout(timer);
  if (ticker) clearInterval(ticker);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const result = child.messages.find((m) => m.type === 'result') ?? (options.compiled && code === 0 ? { type: 'result', output: child.output() } : undefined);
  const crashed = !result && !timedOut;
  if (crashed && child.messages.length === 0 && !options.compiled) throw new Error(`${script} ${args.join(' ')} failed (exit ${code}):\n${child.output()}`);
  return { result, messages: child.messages, timedOut, crashed, seconds, output: child.output() };
}
