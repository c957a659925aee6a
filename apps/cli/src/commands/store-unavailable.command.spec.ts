import { loadConfig } from '@jalon/core';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorLines } from '../error-output';
import { eventsCommand } from './events.command';
import { statusCommand } from './status.command';

/**
 * Commands that wire the core (`withCore`) on a store that cannot be opened (its file replaced by a
 * folder): refused like every other command, with the store's French message printed once by
 * main.ts, exit 1; never the framework's own report with its stack trace, never a process ended
 * under the command's feet.
 */
describe('jalon events / status on a store that cannot be opened', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'jalon-store-unavailable-'));
    mkdirSync(join(dataDir, 'jalon.sqlite'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  afterEach(() => jest.restoreAllMocks());

  it.each([
    ['events', () => eventsCommand, ['antenna-montbeliard']],
    ['status', () => statusCommand, []],
  ])('rule: `%s` is refused with STORE.UNAVAILABLE in French, and nothing else is printed (no stack trace)', async (_name, command, args) => {
    const exit = jest.spyOn(process, 'exit').mockImplementation(((code?: number) => {
      throw new Error(`process.exit(${code}) called: the process would end without main.ts printing the refusal`);
    }) as never);
    const abort = jest.spyOn(process, 'abort').mockImplementation(() => {
      throw new Error('process.abort() called: the process would end without main.ts printing the refusal');
    });
    const written: string[] = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));

    const error = await command()(() => loadConfig({ DATA_DIR: dataDir }))
      .parseAsync(args, { from: 'user' })
      .then(
        () => undefined,
        (refusal: unknown) => refusal,
      );

    expect(exit).not.toHaveBeenCalled();
    expect(abort).not.toHaveBeenCalled();
    expect(errorLines(error)).toEqual([expect.stringMatching(/^Erreur STORE\.UNAVAILABLE : le magasin d’événements ne peut pas s’ouvrir .*jalon\.sqlite/)]);
    expect(written.join('')).toBe('');
  });
});
