import { Actor, CommandExecutor, CommandResult, ExecuteOptions, runCommand } from '@jalon/application';
import { CommandHandler, ICommand, ICommandHandler } from '@nestjs/cqrs';
import { CheckedUpload, DocumentService } from './documents/document.service';

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
    /** The bytes of an upload the command attaches: stored only if the command is accepted (docs/decisions/0043). */
    readonly upload?: CheckedUpload,
  ) {}
}

@CommandHandler(RunCommand)
export class RunCommandHandler implements ICommandHandler<RunCommand, CommandResult> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly documents: DocumentService,
  ) {}

  async execute(command: RunCommand): Promise<CommandResult> {
    const { upload } = command;
    // An attachment names bytes the document store holds, or the upload it came with, whichever entry point sends it.
    await this.documents.assertAttachable(command.name, command.input, command.actor, upload);
    // An upload's bytes are stored once the command is authorised, validated and decided without
    // refusal, before its event is appended: a refused upload leaves nothing behind.
    const options: ExecuteOptions = upload ? { ...command.options, beforeWrite: () => this.documents.storeUpload(upload) } : command.options;
    // `runCommand`, not the executor directly: a few commands (OpenAntenna, SubmitCandidacy, CommitFunding, LaunchProgramme) run in steps over two streams.
    return runCommand(this.executor, command.name, command.input, command.actor, options);
  }
}
