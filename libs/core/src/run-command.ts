import { Actor, CommandExecutor, CommandResult, ExecuteOptions, runCommand } from '@jalon/application';
import { CommandHandler, ICommand, ICommandHandler } from '@nestjs/cqrs';

/**
 * The command sent on Nest's command bus by every entry point (HTTP, CLI, demo). One handler
 * serves every command: what differs between commands is data in the catalogue
 * (see docs/decisions/0004-one-generic-command-handler.md).
 */
export class RunCommand implements ICommand {
  constructor(
    readonly name: string,
    readonly input: unknown,
    readonly actor: Actor,
    readonly options: ExecuteOptions = {},
  ) {}
}

@CommandHandler(RunCommand)
export class RunCommandHandler implements ICommandHandler<RunCommand, CommandResult> {
  constructor(private readonly executor: CommandExecutor) {}

  execute(command: RunCommand): Promise<CommandResult> {
    // `runCommand`, not the executor directly: a few commands (OpenAntenna) run in steps over two streams.
    return runCommand(this.executor, command.name, command.input, command.actor, command.options);
  }
}
