import { Actor, CommandExecutor, CommandResult, ExecuteOptions, runCommand } from '@jalon/application';
import { CommandHandler, ICommand, ICommandHandler } from '@nestjs/cqrs';
import { DocumentService } from './documents/document.service';

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
  constructor(
    private readonly executor: CommandExecutor,
    private readonly documents: DocumentService,
  ) {}

  async execute(command: RunCommand): Promise<CommandResult> {
    // An attachment names bytes the document store holds, whichever entry point sends it.
    await this.documents.assertAttachable(command.name, command.input, command.actor);
    // `runCommand`, not the executor directly: a few commands (OpenAntenna) run in steps over two streams.
    return runCommand(this.executor, command.name, command.input, command.actor, command.options);
  }
}
