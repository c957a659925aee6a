import { EVENT_STORE, JALON_CONFIG, JalonConfig } from '@jalon/core';
import { EventStore } from '@jalon/event-store';
import { eventsAfter, ProjectionRunner } from '@jalon/projections';
import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth';

@ApiTags('santé')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(JALON_CONFIG) private readonly config: JalonConfig,
    private readonly runner: ProjectionRunner,
  ) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'État du service, de son magasin d’événements et de ses projections (position, retard)' })
  async health() {
    const head = await this.store.headPosition();
    const projections = [];
    for (const status of this.runner.status()) projections.push({ ...status, lag: await eventsAfter(this.store, BigInt(status.position)) });
    return { status: 'ok', eventStore: { kind: this.config.eventStore, headPosition: head.toString() }, projections };
  }
}
