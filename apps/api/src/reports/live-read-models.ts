import { ProjectionThread } from '@jalon/core';
import { ProjectionRunner } from '@jalon/projections';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';

/**
 * The HTTP service keeps its read models live: it follows the log from start to shutdown, in its
 * projection thread (docs/decisions/0030: the serving thread's runner stands by and serves what it
 * commits), or inline.
 */
@Injectable()
export class LiveReadModels implements OnApplicationBootstrap {
  private readonly logger = new Logger('Projections');

  constructor(
    private readonly runner: ProjectionRunner,
    private readonly thread: ProjectionThread,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Read models that did not come from this store are rebuilt: say so where operators look.
    this.runner.onSourceMismatch((mismatch) => this.logger.warn(`[${mismatch.code}] ${mismatch.reason}`));
    await this.runner.start();
    await this.thread.start();
  }
}
