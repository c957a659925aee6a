/**
 * What `/health` reports: each part of the service (the event store, each projection, the log's
 * verification…) registers an indicator; the service is `degraded` as soon as one part is.
 * A part that cannot be checked at all (its check throws) is reported degraded with the reason,
 * never as an error of `/health` itself.
 */
export type HealthStatus = 'ok' | 'degraded';

export interface ComponentHealth {
  readonly status: HealthStatus;
  /** French, for people: why the part is degraded. */
  readonly reason?: string;
  readonly [detail: string]: unknown;
}

export interface HealthIndicator {
  /** Key of the part in the `/health` document (`eventStore`, `projections`, `integrity`…). */
  readonly name: string;
  check(): Promise<ComponentHealth> | ComponentHealth;
}

export interface HealthReport {
  readonly status: HealthStatus;
  readonly components: Readonly<Record<string, ComponentHealth>>;
}

export class HealthRegistry {
  private readonly indicators = new Map<string, HealthIndicator>();

  register(indicator: HealthIndicator): void {
    this.indicators.set(indicator.name, indicator);
  }

  async report(): Promise<HealthReport> {
    const components: Record<string, ComponentHealth> = {};
    for (const indicator of this.indicators.values()) {
      try {
        components[indicator.name] = await indicator.check();
      } catch (error) {
        components[indicator.name] = { status: 'degraded', reason: `vérification impossible : ${(error as Error).message}` };
      }
    }
    const degraded = Object.values(components).some((component) => component.status !== 'ok');
    return { status: degraded ? 'degraded' : 'ok', components };
  }
}
