import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JALON_NODE_FLAGS } from '../../apps/cli/src/node-flags';
import { assertBuilt, BIN_JALON, CLI, serve } from './cli';

/**
 * Every Jalon process runs with the Node.js options of apps/cli/src/node-flags.ts (a 64 MiB young
 * generation, docs/decisions/0068). Node reads them only on its command line or in NODE_OPTIONS, so
 * each way of starting Jalon passes them, and `jalon serve` says so when it was started without them.
 */
describe('the Node.js options every Jalon process runs with', () => {
  const root = join(__dirname, '..', '..');
  const flags = JALON_NODE_FLAGS.join(' ');

  beforeAll(() => assertBuilt());

  it('rule: every way of starting Jalon passes them: npm start, npm run jalon and demo, the bench and its peers, the `jalon` command’s first line, the Docker image (NODE_OPTIONS, for serve and every other command)', () => {
    const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    for (const name of ['start', 'jalon', 'demo', 'bench', 'bench:peers']) expect({ name, script: scripts[name] }).toEqual({ name, script: expect.stringContaining(`node ${flags} `) });
    expect(readFileSync(BIN_JALON, 'utf8').split('\n')[0]).toBe(`#!/usr/bin/env -S node ${flags}`);
    expect(readFileSync(join(root, 'docker', 'Dockerfile'), 'utf8')).toMatch(new RegExp(`^\\s+NODE_OPTIONS=${flags}$`, 'm'));
  });

  it('rule: `jalon serve` started without them says so (the service runs, its queries’ tail is longer); started by the `jalon` command, it does not', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jalon-node-flags-'));
    const notice = `Node.js a démarré sans ${flags}`;
    try {
      const bare = await serve(dataDir, [process.execPath, CLI]);
      await bare.stop();
      expect(bare.output()).toContain(notice);
      const installed = await serve(dataDir, [BIN_JALON]);
      await installed.stop();
      expect(installed.output()).toMatch(/écoute sur http/);
      expect(installed.output()).not.toContain(notice);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
