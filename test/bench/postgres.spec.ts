import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPostgresBin } from '../../bench/lib/postgres';

/**
 * The peers benchmark runs Emmett on a private PostgreSQL from Debian's packages
 * (bench/lib/postgres.ts). Which server it starts is decided here, without PostgreSQL: the newest
 * version under /usr/lib/postgresql/<version>/bin that has every tool the run needs.
 */
describe('bench peers: the PostgreSQL the run starts', () => {
  let root: string;
  const tools = (version: string, names: readonly string[]) => {
    mkdirSync(join(root, version, 'bin'), { recursive: true });
    for (const name of names) writeFileSync(join(root, version, 'bin', name), '');
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'jalon-bench-pg-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('picks the newest complete version, by number and not by name order', () => {
    const all = ['initdb', 'pg_ctl', 'postgres', 'createdb'];
    tools('9', all);
    tools('15', all);
    tools('16', ['initdb', 'postgres']); // a client-only or broken install: no pg_ctl, no createdb
    mkdirSync(join(root, 'common'));
    expect(findPostgresBin(root)).toBe(join(root, '15', 'bin'));
  });

  it('finds none when nothing is installed, so that the run installs it or says why not', () => {
    expect(findPostgresBin(join(root, 'absent'))).toBeNull();
    tools('15', ['initdb']);
    expect(findPostgresBin(root)).toBeNull();
  });
});
