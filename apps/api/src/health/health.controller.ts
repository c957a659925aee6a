import { HealthRegistry } from '@jalon/core';
import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth';

/**
 * `/health`: `status` (`ok`, or `degraded` as soon as one part is), then each part registered in
 * the {@link HealthRegistry} under its name (`eventStore`, `projections`…). Answered 200 while the
 * service answers at all: a degraded service still serves what it can, and a supervisor that
 * restarted it on a full disk would only loop.
 */
@ApiTags('santé')
@Controller('health')
export class HealthController {
  constructor(private readonly registry: HealthRegistry) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'État du service : magasin d’événements (écriture possible ou non), projections (position, retard, arrêt et sa raison)…' })
  async health() {
    const { status, components } = await this.registry.report();
    return { status, ...components };
  }
}
