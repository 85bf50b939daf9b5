import type { HealthReport, ServiceName } from '../../../shared/contract/system';
import type { EngineConfig } from '../config';
import type { EventHub } from '../events';
import { checkService, type Probe } from './probe';
import { probePostgres, probeQdrant, probeRabbitmq, probeRedis } from './probes';

export interface HealthMonitorOptions {
  readonly mode: HealthReport['mode'];
  readonly engineVersion: string;
  readonly intervalMs: number;
  /** Per-probe budget; a slower service is reported down with "no answer within …". */
  readonly timeoutMs?: number;
  /** Replaceable for tests. */
  readonly probes?: Partial<Record<ServiceName, Probe>>;
}

/**
 * Probes every service and pushes `system.health` to connected consoles. It only probes while
 * someone listens, so an idle engine does not open connections every few seconds.
 */
export class HealthMonitor {
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<HealthReport> | null = null;
  private readonly probes: Record<ServiceName, Probe>;
  private readonly urls: Record<ServiceName, string | null>;

  constructor(
    config: EngineConfig,
    private readonly hub: EventHub,
    private readonly options: HealthMonitorOptions,
  ) {
    this.urls = { postgres: config.databaseUrl, rabbitmq: config.rabbitmqUrl, redis: config.redisUrl, qdrant: config.qdrantUrl };
    this.probes = {
      postgres: options.probes?.postgres ?? probePostgres,
      rabbitmq: options.probes?.rabbitmq ?? probeRabbitmq(config.rabbitmqManagementUrl),
      redis: options.probes?.redis ?? probeRedis,
      qdrant: options.probes?.qdrant ?? probeQdrant(config.qdrantApiKey),
    };
  }

  /** Probes all four services in parallel; concurrent callers share one round of probes. */
  report(): Promise<HealthReport> {
    this.inFlight ??= this.runProbes().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async tick(): Promise<void> {
    if (this.hub.listenerCount === 0 || this.inFlight) return;
    const report = await this.report();
    if (this.timer) this.hub.publish('system.health', report);
  }

  private async runProbes(): Promise<HealthReport> {
    const timeoutMs = this.options.timeoutMs ?? 2000;
    const names: ServiceName[] = ['postgres', 'rabbitmq', 'redis', 'qdrant'];
    const services = await Promise.all(names.map((n) => checkService(n, this.urls[n], this.probes[n], timeoutMs)));
    return { services, checkedAt: new Date().toISOString(), engineVersion: this.options.engineVersion, mode: this.options.mode };
  }
}
