/**
 * docker-compose.yml must describe the same infrastructure as the local stack:
 * the versions and ports of stack/versions.json and the topics of events/src/topics.ts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ALL_TOPICS } from '@shop/events/topics';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../src/paths.ts';
import { versions } from '../src/versions.ts';

interface ComposeService {
  image?: string;
  volumes?: string[];
  ports?: string[];
  command?: string | string[];
  environment?: Record<string, string | number>;
  healthcheck?: unknown;
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
};
const v = versions();
const svc = (name: string): ComposeService => {
  const s = compose.services[name];
  if (!s) throw new Error(`docker-compose.yml has no service ${name}`);
  return s;
};
/** Host ports published by a service ("9092:9092" -> 9092). */
const published = (name: string): number[] =>
  (svc(name).ports ?? []).map((p) => Number(String(p).split(':').slice(-2, -1)[0]));

describe('docker-compose.yml', () => {
  it('uses the images pinned in stack/versions.json', () => {
    expect(svc('postgres').image).toBe(v.postgres.image);
    expect(svc('redis').image).toBe(v.redis.image);
    expect(svc('kafka').image).toBe(v.kafka.image);
    expect(svc('kafka-init').image).toBe(v.kafka.image);
    expect(svc('clickhouse').image).toBe(v.clickhouse.image);
    expect(svc('elasticsearch').image).toBe(v.elasticsearch.image);
    expect(svc('maildev').image).toBe(v.maildev.image);
    expect(svc('zipkin').image).toBe(v.zipkin.image);
    expect(svc('prometheus').image).toBe(v.prometheus.image);
    expect(svc('grafana').image).toBe(v.grafana.image);
  });

  it('image tags carry the versions the local stack runs', () => {
    expect(v.postgres.image.endsWith(`:${v.postgres.version}`)).toBe(true);
    expect(v.postgres.embeddedPackage).toContain(`@${v.postgres.version}.`);
    expect(v.redis.image.endsWith(`:${v.redis.version}`)).toBe(true);
    expect(v.kafka.image.endsWith(`:${v.kafka.version}`)).toBe(true);
    expect(v.clickhouse.image).toContain(`:${v.clickhouse.version}`);
    expect(v.elasticsearch.image.endsWith(`:${v.elasticsearch.version}`)).toBe(true);
    expect(v.elasticsearch.runnerVersion.startsWith(`${v.elasticsearch.version}.`)).toBe(true);
    expect(v.maildev.image.endsWith(`:${v.maildev.version}`)).toBe(true);
    expect(v.maildev.package).toBe(`maildev@${v.maildev.version}`);
    expect(v.zipkin.image.endsWith(`:${v.zipkin.version}`)).toBe(true);
    // Debian's 2.42.0+ds and the image's v2.42.0: the same release.
    expect(v.prometheus.image.endsWith(`:v${v.prometheus.version}`)).toBe(true);
    expect(v.grafana.image.endsWith(`:${v.grafana.version}`)).toBe(true);
  });

  it('the local stack installs the maildev version of the image (stack/package.json, exact)', () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'stack/package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(pkg.dependencies.maildev).toBe(v.maildev.version);
    const installed = JSON.parse(
      readFileSync(path.join(repoRoot, 'node_modules/maildev/package.json'), 'utf8'),
    ) as { version: string };
    expect(installed.version).toBe(v.maildev.version);
  });

  it('publishes the default ports of the local stack', () => {
    expect(published('postgres')).toEqual([v.postgres.port]);
    expect(published('redis')).toEqual([v.redis.port]);
    expect(published('kafka')).toEqual([v.kafka.port]);
    expect(published('clickhouse').sort()).toEqual(
      [v.clickhouse.httpPort, v.clickhouse.tcpPort].sort(),
    );
    expect(published('elasticsearch')).toEqual([v.elasticsearch.port]);
    expect(published('maildev').sort()).toEqual([v.maildev.smtpPort, v.maildev.webPort].sort());
    expect(published('zipkin')).toEqual([v.zipkin.port]);
    expect(published('prometheus')).toEqual([v.prometheus.port]);
    expect(published('grafana')).toEqual([v.grafana.port]);
  });

  it('runs Prometheus like the stack: the generated compose config, alert rules, consoles, reloadable', () => {
    const command = ([] as string[]).concat(svc('prometheus').command ?? []);
    expect(command).toContain('--config.file=/etc/prometheus/prometheus.compose.yml');
    expect(command).toContain('--web.enable-lifecycle');
    expect(svc('prometheus').volumes).toContain('./ops/prometheus:/etc/prometheus:ro');
    for (const file of ['prometheus.compose.yml', 'alerts.yml', 'consoles/index.html'])
      expect(existsSync(path.join(repoRoot, 'ops/prometheus', file)), file).toBe(true);
    const rules = (
      parse(readFileSync(path.join(repoRoot, 'ops/prometheus/prometheus.compose.yml'), 'utf8')) as {
        rule_files: string[];
      }
    ).rule_files;
    expect(rules).toEqual(['alerts.yml']);
  });

  it('provisions Grafana with the Prometheus datasource and the dashboards of ops/grafana', () => {
    const volumes = svc('grafana').volumes ?? [];
    expect(volumes).toContain('./ops/grafana/provisioning:/etc/grafana/provisioning:ro');
    expect(volumes).toContain('./ops/grafana/dashboards:/var/lib/grafana/dashboards:ro');
    const datasources = parse(
      readFileSync(
        path.join(repoRoot, 'ops/grafana/provisioning/datasources/prometheus.yml'),
        'utf8',
      ),
    ) as { datasources: { uid: string; url: string }[] };
    expect(datasources.datasources).toEqual([
      expect.objectContaining({ uid: 'prometheus', url: 'http://prometheus:9090' }),
    ]);
    const dashboards = readdirSync(path.join(repoRoot, 'ops/grafana/dashboards'));
    expect(dashboards.sort()).toEqual([
      'shop-event-pipeline.json',
      'shop-gateway.json',
      'shop-order-flow.json',
    ]);
    for (const file of dashboards) {
      const dashboard = JSON.parse(
        readFileSync(path.join(repoRoot, 'ops/grafana/dashboards', file), 'utf8'),
      ) as { panels: { datasource: { uid: string } }[] };
      for (const panel of dashboard.panels) expect(panel.datasource.uid, file).toBe('prometheus');
    }
  });

  it('configures Kafka like the stack: KRaft, no auto-create, single-replica internals, no rebalance delay', () => {
    const env = svc('kafka').environment ?? {};
    expect(env.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(String(env.KAFKA_LISTENERS)).toContain(`HOST://:${v.kafka.port}`);
    expect(String(env.KAFKA_LISTENERS)).toContain(`CONTROLLER://:${v.kafka.controllerPort}`);
    expect(String(env.KAFKA_AUTO_CREATE_TOPICS_ENABLE)).toBe('false');
    expect(Number(env.KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR)).toBe(1);
    expect(Number(env.KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR)).toBe(1);
    expect(Number(env.KAFKA_TRANSACTION_STATE_LOG_MIN_ISR)).toBe(1);
    expect(Number(env.KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS)).toBe(0);
  });

  it('configures Elasticsearch as one node of cluster "shop"', () => {
    const env = svc('elasticsearch').environment ?? {};
    expect(env['discovery.type']).toBe('single-node');
    expect(env['cluster.name']).toBe(v.elasticsearch.clusterName);
  });

  it('kafka-init creates exactly the topics of events/src/topics.ts with their partitions and configs', () => {
    const init = svc('kafka-init');
    expect(init.depends_on?.kafka?.condition).toBe('service_healthy');
    const script = ([] as string[]).concat(init.command ?? []).join('\n');
    const created = [...script.matchAll(/^\s*topic (.+)$/gm)].map((m) => {
      const args = m[1]!;
      const configs = Object.fromEntries(
        [...args.matchAll(/--config (\S+?)=(\S+)/g)].map((c) => [c[1], c[2]]),
      );
      return {
        name: /--topic (\S+)/.exec(args)?.[1],
        partitions: Number(/--partitions (\d+)/.exec(args)?.[1]),
        config: Object.keys(configs).length ? configs : undefined,
      };
    });
    const expected = ALL_TOPICS.map((t) => ({
      name: t.name,
      partitions: t.partitions,
      config: t.config,
    }));
    const byName = (a: { name?: string }, b: { name?: string }) =>
      String(a.name).localeCompare(String(b.name));
    expect(created.sort(byName)).toEqual([...expected].sort(byName));
  });

  it('every infrastructure service has a healthcheck and a named volume', () => {
    for (const name of ['postgres', 'redis', 'kafka', 'clickhouse', 'elasticsearch']) {
      expect(svc(name).healthcheck, name).toBeDefined();
      expect(Object.keys(compose.volumes)).toContain(`${name}-data`);
    }
    // The mail inbox is disposable in the container (see docker-compose.yml): health only.
    expect(svc('maildev').healthcheck).toBeDefined();
  });
});
