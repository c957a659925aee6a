import { loadConfig } from '@jalon/core';
import { Command, Help, Option } from 'commander';
import { commanderRefusalInFrench } from './error-output';
import { compactCommand } from './commands/compact.command';
import { demoCommand } from './commands/demo.command';
import { eventsCommand } from './commands/events.command';
import { exportAuditCommand } from './commands/export-audit.command';
import { exportCommand } from './commands/export.command';
import { importCommand } from './commands/import.command';
import { importSheetCommand } from './commands/import-sheet.command';
import { migrateCommand } from './commands/migrate.command';
import { proveExtendsCommand } from './commands/prove-extends.command';
import { replayCommand } from './commands/replay.command';
import { reportCommand } from './commands/report.command';
import { sealCommand } from './commands/seal.command';
import { statusCommand } from './commands/status.command';
import { serveCommand } from './commands/serve.command';
import { upgradeCommand } from './commands/upgrade.command';
import { usersCommand } from './commands/users.command';
import { verifyExportCommand } from './commands/verify-export.command';
import { verifyExtendsCommand } from './commands/verify-extends.command';
import { verifyCommand } from './commands/verify.command';

/** `jalon <commande>`: the command-line entry point (`npm run jalon -- <commande>`). */
export function buildProgram(): Command {
  const config = () => loadConfig();
  const program = new Command('jalon')
    .description('Jalon : suivi événementiel des programmes de formation (Cnam « Au cœur des territoires »)')
    .addCommand(serveCommand(config))
    .addCommand(usersCommand(config))
    .addCommand(eventsCommand(config))
    .addCommand(demoCommand(config))
    .addCommand(exportCommand(config))
    .addCommand(importCommand(config))
    .addCommand(importSheetCommand(config))
    .addCommand(migrateCommand(config))
    .addCommand(reportCommand(config))
    .addCommand(replayCommand(config))
    .addCommand(compactCommand(config))
    .addCommand(upgradeCommand(config))
    .addCommand(statusCommand(config))
    .addCommand(verifyCommand(config))
    .addCommand(sealCommand(config))
    .addCommand(exportAuditCommand(config))
    .addCommand(verifyExportCommand(config))
    .addCommand(proveExtendsCommand(config))
    .addCommand(verifyExtendsCommand(config))
    .showHelpAfterError();
  inFrench(program);
  return program;
}

/** The headings commander writes in a command's help (`--help`), in French. */
const HELP_TITLES: Readonly<Record<string, string>> = {
  'Usage:': 'Utilisation :',
  'Arguments:': 'Arguments :',
  'Options:': 'Options :',
  'Global Options:': 'Options communes :',
  'Commands:': 'Commandes :',
};

/**
 * Commander's own words in French, on every command (a command added is not given its parent's
 * settings): its refusals, and its help (headings, the help option and command, an option's default).
 */
function inFrench(command: Command): void {
  command.configureOutput({ outputError: (text, write) => write(commanderRefusalInFrench(text)) });
  command.helpOption('-h, --help', 'afficher l’aide de la commande');
  if (command.commands.length > 0) command.helpCommand('help [commande]', 'afficher l’aide d’une commande').usage('[options] [commande]');
  command.configureHelp({
    styleTitle: (title: string) => HELP_TITLES[title] ?? title,
    optionDescription(option: Option): string {
      return Help.prototype.optionDescription.call(this, option).replace(/\(default: ([^)]*)\)$/, '(défaut : $1)');
    },
  });
  command.commands.forEach(inFrench);
}
