import { JalonConfig, portOf } from '@jalon/core';
import { Command } from 'commander';
import { JALON_NODE_FLAGS, startedWithJalonNodeFlags } from '../node-flags';

export function serveCommand(config: () => JalonConfig): Command {
  return new Command('serve')
    .description('démarrer le service HTTP (ce que lance npm start)')
    .option('--port <port>', 'port TCP (défaut : PORT ou 3000)')
    .option('--host <hôte>', 'adresse d’écoute (défaut : HOST ou 127.0.0.1)')
    .action(async (options: { port?: string; host?: string }) => {
      // A service outlives whoever reads its output (`jalon serve | head -3`): once that reader is
      // gone, writing a line fails (EPIPE), and an error event nobody listens to ends the process.
      // Those lines are lost; the service and its /health go on.
      for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
      const base = config();
      // The API and the dashboard on one Fastify instance and port.
      const listen = { ...base, ...(options.port !== undefined ? { port: portOf(options.port, '--port') } : {}), ...(options.host ? { host: options.host } : {}) };
      // Loaded here, not when the CLI starts: the HTTP service and the dashboard are about a quarter
      // of what every other command would otherwise load before doing anything.
      const [{ startServer }, { dashboard }] = await Promise.all([import('@jalon/api'), import('@jalon/web')]);
      await startServer(listen, console.log, [dashboard()]);
      if (!startedWithJalonNodeFlags()) {
        // Said once the service is up, not refused: it is right without them, only its queries' tail is longer.
        console.log(`Node.js a démarré sans ${JALON_NODE_FLAGS.join(' ')} (décision 0068 ; npm start, la commande jalon et l’image Docker les passent) : les requêtes auront une traîne de latence plus longue.`);
      }
    });
}
