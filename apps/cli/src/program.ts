import { loadConfig } from '@jalon/core';
import { Command } from 'commander';
import { demoCommand } from './commands/demo.command';
import { eventsCommand } from './commands/events.command';
import { exportCommand } from './commands/export.command';
import { importCommand } from './commands/import.command';
import { migrateCommand } from './commands/migrate.command';
import { replayCommand } from './commands/replay.command';
import { reportCommand } from './commands/report.command';
import { statusCommand } from './commands/status.command';
import { serveCommand } from './commands/serve.command';
import { usersCommand } from './commands/users.command';

/** `jalon <commande>`: the command-line entry point (`npm run jalon -- <commande>`). */
export function buildProgram(): Command {
  const config = () => loadConfig();
  return new Command('jalon')
    .description('Jalon : suivi événementiel des programmes de formation (Cnam « Au cœur des territoires »)')
    .addCommand(serveCommand(config))
    .addCommand(usersCommand(config))
    .addCommand(eventsCommand(config))
    .addCommand(demoCommand(config))
    .addCommand(exportCommand(config))
    .addCommand(importCommand(config))
    .addCommand(migrateCommand(config))
    .addCommand(reportCommand(config))
    .addCommand(replayCommand(config))
    .addCommand(statusCommand(config))
    .showHelpAfterError();
}
