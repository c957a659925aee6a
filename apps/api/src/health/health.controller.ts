import { EVENT_STORE, JALON_CONFIG, JalonConfig } from '@jalon/core';
import { EventStore } from '@jalon/event-store';
import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth';

@ApiTags('santé')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(JALON_CONFIG) private readonly config: JalonConfig,
  ) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'État du service et de son magasin d’événements' })
  async health() {
    const head = await this.store.headPosition();
    return { status: 'ok', eventStore: { kind: this.config.eventStore, headPosition: head.toString() } };
  }
}
