/**
 * What Prometheus scrapes: every application process's /metrics, derived from the one list of
 * services (app-services.ts), so a new worker is scraped everywhere at once: by the stack's
 * Prometheus that `npm start` points at its system, by docker-compose's (ops/prometheus/*.yml,
 * written by `npm run ops:generate`), and by the private ones tests start (prometheus.ts).
 */
import { stringify } from 'yaml';
import { stackEndpoints } from '@shop/stack';
import { appServices, type AppService } from './app-services.ts';

/** One scrape target: a job per application process. */
export interface MetricsTarget {
  /** The service's name (app-services.ts; docker-compose names its service alike). */
  job: string;
  /** host:port of its HTTP server, which serves /metrics beside /health and /ready. */
  address: string;
}

/**
 * The metrics endpoints of `services`. A worker host (WORKERS_IN_ONE_PROCESS) serves each worker
 * on that worker's own port, so pass the workers themselves, not the host: the targets are the
 * same and only `hostOf` changes (`workers` in docker-compose's one-process variant).
 */
export function metricsTargets(
  services: readonly Pick<AppService, 'name' | 'port'>[],
  hostOf: (name: string) => string = () => '127.0.0.1',
): MetricsTarget[] {
  return services.map((s) => ({ job: s.name, address: `${hostOf(s.name)}:${s.port}` }));
}

/**
 * Every service `npm start` runs, on the ports it runs them on (default ports, or what the
 * *_PORT settings say): the subgraphs, relays, workers, gateway and storefront.
 */
export function defaultSystemServices(portBase = 4000): AppService[] {
  // Only ports and names are read; the stack's addresses (from env and defaults, nothing is
  // started) fill the settings no target needs.
  const stack = stackEndpoints();
  const secrets = { internalAuthSecret: 'unused', jwtPrivateKey: 'unused' };
  const { subgraphs, workers, gateway, storefront } = appServices(stack, secrets, 'shop', portBase);
  return [...subgraphs, ...workers, gateway, storefront];
}

export interface PrometheusConfigOptions {
  targets: readonly MetricsTarget[];
  /** Alert rule files, as Prometheus will find them (absolute, or relative to the config file). */
  ruleFiles: readonly string[];
  scrapeInterval?: string;
  evaluationInterval?: string;
  /** Prometheus' own address, scraped as job `prometheus` (omit to leave it out). */
  self?: string;
  /** Labels every series of this Prometheus carries (for example which system it watches). */
  externalLabels?: Record<string, string>;
  /** A comment on top of the file saying where it came from. */
  header?: string;
}

/** prometheus.yml for the given targets: one job per application process. */
export function prometheusConfig(options: PrometheusConfigOptions): string {
  const jobs = [
    ...(options.self ? [{ job: 'prometheus', address: options.self }] : []),
    ...options.targets,
  ];
  const config = {
    global: {
      scrape_interval: options.scrapeInterval ?? '5s',
      evaluation_interval: options.evaluationInterval ?? '5s',
      // The services answer /metrics in milliseconds; a hung one should count as down quickly.
      scrape_timeout:
        options.scrapeInterval && parseSeconds(options.scrapeInterval) < 5
          ? options.scrapeInterval
          : '5s',
      ...(options.externalLabels ? { external_labels: options.externalLabels } : {}),
    },
    rule_files: [...options.ruleFiles],
    scrape_configs: jobs.map((t) => ({
      job_name: t.job,
      static_configs: [{ targets: [t.address] }],
    })),
  };
  return `${options.header ? `${options.header.replace(/^/gm, '# ')}\n` : ''}${stringify(config, { lineWidth: 0 })}`;
}

function parseSeconds(duration: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(duration);
  if (!m) throw new Error(`not a Prometheus duration: ${duration}`);
  const unit = { ms: 0.001, s: 1, m: 60, h: 3600 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return Number(m[1]) * unit;
}
