import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { tsNodeArgs } from '../support/spawn-ts';

/** The command line's entry, from the sources: `jalon serve`, exactly as `npm start` runs it once built. */
const CLI_SOURCE = join(__dirname, '..', '..', 'apps', 'cli', 'src', 'main.ts');

export interface Instance {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  /** The first administrator's token, when this start created it. */
  readonly token: string | undefined;
  output(): string;
  /** SIGKILL: no shutdown hook, no lease given up. */
  kill(): Promise<void>;
  /** SIGSTOP / SIGCONT: a process that stops answering (and renewing) while alive. */
  pause(): void;
  resume(): void;
  /** SIGTERM: the service shuts down as it does on Ctrl-C. */
  stop(): Promise<void>;
}

/** Starts `jalon serve` in a child process on a free port with `env`, and resolves once it listens. */
export function startInstance(name: string, env: Record<string, string>): Promise<Instance> {
  const child: ChildProcess = spawn(process.execPath, tsNodeArgs(CLI_SOURCE, 'serve'), { env: { ...process.env, ...env, PORT: '0' } });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ended = () => child.exitCode !== null || child.signalCode !== null;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not start:\n${output}`));
    }, 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /écoute sur (http:\/\/[\d.]+:\d+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.stdout!.on('data', (more: Buffer) => (output += more.toString()));
      resolve({
        name,
        url: match[1]!,
        pid: child.pid!,
        token: /Jeton administrateur[^:]*: (jalon_\S+)/.exec(output)?.[1],
        output: () => output,
        kill: async () => {
          if (!ended()) child.kill('SIGKILL');
          await exited;
        },
        pause: () => child.kill('SIGSTOP'),
        resume: () => child.kill('SIGCONT'),
        stop: async () => {
          if (!ended()) {
            child.kill('SIGCONT');
            child.kill('SIGTERM');
          }
          await exited;
        },
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code, signal) => reject(new Error(`${name} exited (${code ?? signal}) before listening:\n${output}`)));
  });
}
