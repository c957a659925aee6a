import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tsNodeArgs } from './spawn-ts';

const CHILD = join(__dirname, 'sqlite-store-child.ts');

/**
 * Another process takes the write lock of `file` (created if need be) and keeps it `ms`
 * milliseconds. Resolves once the lock is taken, with the child's exit code to come; `release`
 * ends it sooner.
 */
export async function holdWriteLock(file: string, ms: number): Promise<{ readonly exited: Promise<number | null>; readonly release: () => void }> {
  mkdirSync(dirname(file), { recursive: true });
  const child = spawn(process.execPath, tsNodeArgs(CHILD, 'hold', file, String(ms)));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('locked')) resolve();
    });
    void exited.then((code) => reject(new Error(`the lock holder exited (${String(code)}) before taking the lock: ${stderr}`)));
  });
  return { exited, release: () => child.kill('SIGKILL') };
}
