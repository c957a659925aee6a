import { ProjectionRunner } from '@jalon/projections';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';

/** The HTTP service keeps its read models live: it follows the log from start to shutdown. */
@Injectable()
export class LiveReadModels implements OnApplicationBootstrap {
  constructor(private readonly runner: ProjectionRunner) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.runner.start();
  }
}
