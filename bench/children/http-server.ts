import { CommandExecutor, IdentityService, SYSTEM_ACTOR } from '@jalon/application';
import { createJalonApp } from '@jalon/web';
import { EVENT_STORE, loadConfig, LogIntegrityService } from '@jalon/core';
import { EventStore } from '@jalon/event-store';
import { ProjectionRunner } from '@jalon/projections';
import { readFileSync } from 'node:fs';
import { tell } from '../lib/child';
import { warmStateCache } from '../lib/warm';

/**
 * Child process: the HTTP service exactly as `jalon serve` builds it (createJalonApp: Nest on Fastify,
 * the auth guard, the command routes, the live read models, in the projection thread unless
 * JALON_PROJECTIONS=inline is in the environment: docs/decisions/0030; and, as `startServer` does,
 * the log's integrity service, which verifies the log at start, then follows and seals it on the
 * serving thread: docs/decisions/0011), on a data directory, on a free loopback port. Folds the given
 * antennas' streams into the executor's state cache, then tells the parent its port and a finance
 * user's token once the read models have caught up with the log and the log's verification at
 * start is over (or after `catchUpSeconds`).
 */
async function main(): Promise<void> {
  const [dataDir, antennasFile, catchUpSeconds = '120'] = process.argv.slice(2);
  if (!dataDir || !antennasFile) throw new Error('usage: http-server.ts <dataDir> <antennas.json> [catchUpSeconds]');
  const mode = process.env.JALON_PROJECTIONS;
  const config = loadConfig({ DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', ...(mode ? { JALON_PROJECTIONS: mode } : {}) });
  const app = await createJalonApp({ config, logger: ['error'] });
  await app.init();
  const identity = app.get(IdentityService);
  await identity.bootstrapAdmin();
  const integrity = app.get(LogIntegrityService);
  integrity.start();
  const { token } = await identity.addUser({ name: `Banc d essai finance ${Date.now().toString(36)}`, role: 'finance' }, SYSTEM_ACTOR);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  const warm = await warmStateCache(app.get(CommandExecutor), JSON.parse(readFileSync(antennasFile, 'utf8')) as string[]);
  const head = await app.get<EventStore>(EVENT_STORE).headPosition();
  const started = process.hrtime.bigint();
  const deadline = Date.now() + Number(catchUpSeconds) * 1000;
  const caughtUp = await app.get(ProjectionRunner).waitForPosition(head, Number(catchUpSeconds) * 1000);
  while (integrity.lastVerification().state === 'vérification initiale' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  const verified = integrity.lastVerification();
  tell({
    type: 'ready',
    port,
    token,
    caughtUp,
    catchUpSeconds: Number(process.hrtime.bigint() - started) / 1e9,
    warmSeconds: warm.seconds,
    logVerified: verified.state === 'suivi du journal' && verified.report?.ok === true,
  });
  // SIGTERM from the parent: createApiApp (under createJalonApp) enabled Nest's shutdown hooks, which close the app.
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
