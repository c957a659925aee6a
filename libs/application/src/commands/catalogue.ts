import { CommandDefinition } from '../command-handling/command-definition';
import { UnknownCommandError } from '../errors';
import { programmeCommands } from './programme.commands';
import { callCommands } from './call.commands';
import { candidacyCommands } from './candidacy.commands';
import { antennaCommands } from './antenna.commands';
import { budgetCommands } from './budget.commands';
import { fundingCommands } from './funding.commands';
import { documentCommands } from './document.commands';

/** Every command Jalon accepts, by name: the single catalogue the API, the CLI and the demo use. */
export const COMMANDS: readonly CommandDefinition[] = [
  ...programmeCommands,
  ...callCommands,
  ...candidacyCommands,
  ...antennaCommands,
  ...budgetCommands,
  ...fundingCommands,
  ...documentCommands,
];

const BY_NAME = new Map(COMMANDS.map((definition) => [definition.name, definition]));

export function commandNamed(name: string): CommandDefinition {
  const definition = BY_NAME.get(name);
  if (!definition) throw new UnknownCommandError(name);
  return definition;
}
