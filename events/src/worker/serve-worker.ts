import type { Logger } from '@shop/logging';
import {
  closeOnSignals,
  startServiceServer,
  type Probe,
  type ServiceMetrics,
  type ServiceServer,
} from '@shop/observability';
import { Counter, Gauge, type Registry } from 'prom-client';

/** A consumer's statistics as the runtimes keep them: running totals, plus a few levels. */
export interface StatsSource {
  /** The `consumer` label of its series. */
  label: string;
  stats: object;
}

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * Exports consumers' statistics on `registry`: each running total as a Prometheus counter
 * (`<prefix>_<stat>_total`, so `rate()` and resets after a restart work), and the stats named in
 * `levels` (rows waiting, say) as gauges. A counter takes only what its total grew by since the
 * last scrape, so it never goes down while the process lives.
 */
export function exportConsumerStats(
  registry: Registry,
  options: { prefix: string; help: string; sources: StatsSource[]; levels?: readonly string[] },
): void {
  const levels = new Set(options.levels ?? []);
  const names = new Set<string>();
  for (const source of options.sources)
    for (const [stat, value] of Object.entries(source.stats))
      if (typeof value === 'number') names.add(stat);
  const read = (source: StatsSource, stat: string) =>
    (source.stats as Record<string, unknown>)[stat] as number | undefined;
  for (const stat of names) {
    const base = `${options.prefix}_${snakeCase(stat)}`;
    if (levels.has(stat)) {
      new Gauge({
        name: base,
        help: `${options.help}: ${stat} now`,
        labelNames: ['consumer'],
        registers: [registry],
        collect() {
          for (const source of options.sources) {
            const value = read(source, stat);
            if (value !== undefined) this.set({ consumer: source.label }, value);
          }
        },
      });
      continue;
    }
    const exported = new Map<string, number>();
    new Counter({
      name: `${base}_total`,
      help: `${options.help}: ${stat}`,
      labelNames: ['consumer'],
      registers: [registry],
      collect() {
        for (const source of options.sources) {
          const value = read(source, stat);
          if (value === undefined) continue;
          const grown = value - (exported.get(source.label) ?? 0);
          // Zero keeps the series visible before the first event; the runtimes' totals never
          // shrink, so a negative step cannot happen.
          if (grown >= 0) this.inc({ consumer: source.label }, grown);
          exported.set(source.label, value);
        }
      },
    });
  }
}

export interface ServeWorkerOptions {
  name: string;
  host: string;
  port: number;
  logger: Logger;
  metrics: ServiceMetrics;
  /** Metric name prefix and help text of the consumers' statistics. */
  stats: { prefix: string; help: string; sources: StatsSource[]; levels?: readonly string[] };
  /** Dependencies /ready checks. */
  probes: Record<string, Probe>;
  /** Stops the consumers, then closes what they used; runs once the HTTP server stopped. */
  stop: () => Promise<void>;
  /**
   * Close on SIGINT/SIGTERM and exit (the default). A host that runs several workers in one
   * process turns it off and closes them all together before it exits.
   */
  handleSignals?: boolean;
}

/**
 * The host every worker runs: its consumers' statistics on /metrics, /health, /ready with its
 * probes, and a graceful close on SIGINT/SIGTERM.
 */
export async function serveWorker(options: ServeWorkerOptions): Promise<ServiceServer> {
  exportConsumerStats(options.metrics.registry, options.stats);
  const server = await startServiceServer({
    name: options.name,
    host: options.host,
    port: options.port,
    logger: options.logger,
    metrics: options.metrics,
    probes: options.probes,
    routes: {},
    onShutdown: options.stop,
  });
  if (options.handleSignals ?? true) closeOnSignals(server, options.logger);
  return server;
}

/** Settings as a worker reads them: `process.env`, or the slice a worker host gives it. */
export type WorkerEnv = Record<string, string | undefined>;

/**
 * Starts one worker (its consumers and its HTTP server) from its settings. Its `main.ts` runs
 * it alone in a process; the worker host (workers/host) runs several in one.
 */
export type StartWorker = (
  env: WorkerEnv,
  options?: { handleSignals?: boolean },
) => Promise<ServiceServer>;
