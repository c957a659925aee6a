import { join } from 'node:path';

const REGISTER_TS = join(__dirname, 'register-ts.js');

/**
 * Arguments for `spawn(process.execPath, tsNodeArgs(script, ...args))`: runs a TypeScript file of
 * this repository in a plain Node child process (no ts-node; TypeScript's transpiler compiles on require).
 */
export function tsNodeArgs(script: string, ...args: string[]): string[] {
  return ['--require', REGISTER_TS, script, ...args];
}
