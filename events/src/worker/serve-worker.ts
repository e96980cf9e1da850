import type { Logger } from '@shop/logging';
import {
  closeOnSignals,
  startServiceServer,
  type Probe,
  type ServiceMetrics,
  type ServiceServer,
} from '@shop/observability';
import { Counter, Gauge, type Registry } from 'prom-client';
import { ConsumerLagReader, lagSubscriptionOf, type LagSubscription } from '../consumer/lag.ts';

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

/**
 * `dead_letters_total{consumer}`: messages each source's consumer handed to the dead-letter topic.
 * The same numbers as `<prefix>_dead_lettered_total`, under one name for every worker, so one
 * alert rule and one dashboard panel cover them all.
 */
export function exportDeadLetters(registry: Registry, sources: readonly StatsSource[]): void {
  const counted = sources.filter(
    (s) => typeof (s.stats as { deadLettered?: unknown }).deadLettered === 'number',
  );
  if (counted.length === 0) return;
  const exported = new Map<string, number>();
  new Counter({
    name: 'dead_letters_total',
    help: 'Messages a consumer gave up on and sent to the dead-letter topic',
    labelNames: ['consumer'],
    registers: [registry],
    collect() {
      for (const source of counted) {
        const value = (source.stats as { deadLettered: number }).deadLettered;
        // From zero at start, so increase() sees the first dead letter.
        this.inc(
          { consumer: source.label },
          Math.max(0, value - (exported.get(source.label) ?? 0)),
        );
        exported.set(source.label, value);
      }
    },
  });
}

/**
 * `kafka_consumer_lag{group,topic,partition}`: for the consumer groups behind the sources, every
 * partition's high watermark minus the group's committed offset, read from the broker on a
 * scrape (at most every few seconds, one admin client for the worker). Returns the reader to
 * close on shutdown, or undefined when no source is a consumer group.
 */
export function exportConsumerLag(
  registry: Registry,
  sources: readonly StatsSource[],
  logger?: Logger,
): ConsumerLagReader | undefined {
  const groups = new Map<string, LagSubscription>();
  for (const source of sources) {
    const group = lagSubscriptionOf(source.stats);
    if (group && !groups.has(group.groupId)) groups.set(group.groupId, group);
  }
  const first = groups.values().next().value;
  if (!first) return undefined;
  const reader = new ConsumerLagReader(first.kafka, [...groups.values()]);
  let failing = false;
  new Gauge({
    name: 'kafka_consumer_lag',
    help: "Messages of a partition its consumer group has not committed yet (high watermark minus the group's committed offset)",
    labelNames: ['group', 'topic', 'partition'],
    registers: [registry],
    async collect() {
      // Partitions come and go with topics; a failed reading shows no series, not old ones.
      this.reset();
      try {
        for (const lag of await reader.read())
          this.set(
            { group: lag.group, topic: lag.topic, partition: String(lag.partition) },
            lag.lag,
          );
        if (failing) logger?.info('consumer lag readable again');
        failing = false;
      } catch (error) {
        // Once per outage, not on every scrape while Kafka is away.
        if (!failing) logger?.warn({ err: error }, 'consumer lag not readable');
        failing = true;
      }
    },
  });
  return reader;
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
 * The host every worker runs: its consumers' statistics, dead letters and consumer group lag on
 * /metrics, /health, /ready with its probes, and a graceful close on SIGINT/SIGTERM.
 */
export async function serveWorker(options: ServeWorkerOptions): Promise<ServiceServer> {
  exportConsumerStats(options.metrics.registry, options.stats);
  exportDeadLetters(options.metrics.registry, options.stats.sources);
  const lag = exportConsumerLag(options.metrics.registry, options.stats.sources, options.logger);
  const server = await startServiceServer({
    name: options.name,
    host: options.host,
    port: options.port,
    logger: options.logger,
    metrics: options.metrics,
    probes: options.probes,
    routes: {},
    onShutdown: async () => {
      await options.stop();
      await lag?.close();
    },
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
