/**
 * Real services, no mocks: brings the whole stack up (the first run downloads jars
 * and may install ClickHouse), then checks health, idempotency and that each
 * client library the project uses really works against what the stack runs.
 */
import { createKafka, logLevel } from '@shop/kafka';
import { ALL_TOPICS } from '@shop/events/topics';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ensureStackDetailed,
  stackStatus,
  type StackEndpoints,
  type UpResult,
} from '../src/index.ts';
import { verifyClickhouse } from '../scripts/verify-clickhouse.ts';
import { verifyElasticsearch } from '../scripts/verify-elasticsearch.ts';
import { verifyKafka } from '../scripts/verify-kafka.ts';

const ALL = [
  'postgres',
  'redis',
  'kafka',
  'clickhouse',
  'elasticsearch',
  'maildev',
  'zipkin',
  'prometheus',
];

let first: UpResult;
let e: StackEndpoints;

beforeAll(async () => {
  first = await ensureStackDetailed();
  e = first.endpoints;
}, 15 * 60_000);

describe('ensureStack', { timeout: 120_000 }, () => {
  it('brings every service up', () => {
    expect(Object.keys(first.services).sort()).toEqual([...ALL].sort());
  });

  it('status reports every service healthy', async () => {
    const rows = await stackStatus();
    expect(rows.map((r) => r.service).sort()).toEqual([...ALL].sort());
    for (const row of rows) {
      expect(row.state, `${row.service} at ${row.address}: ${row.managedBy}`).toBe('healthy');
      expect(row.managedBy).toMatch(/^(stack pid \d+|external)$/);
    }
  });

  it('a second ensureStack is a no-op: nothing started, same pids', async () => {
    const before = await stackStatus();
    const second = await ensureStackDetailed({ verbose: false });
    for (const [name, s] of Object.entries(second.services)) {
      expect(s.action, name).not.toBe('started');
    }
    const after = await stackStatus();
    expect(after.map((r) => [r.service, r.managedBy])).toEqual(
      before.map((r) => [r.service, r.managedBy]),
    );
    for (const [name, s] of Object.entries(first.services)) {
      if (s.pid !== undefined) expect(second.services[name]?.pid, name).toBe(s.pid);
    }
  });
});

describe('services work with the project clients', { timeout: 60_000 }, () => {
  it('kafka has every topic of events/src/topics.ts with its partition count', async () => {
    const admin = createKafka({
      clientId: 'stack-test',
      brokers: e.kafka.brokers,
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: ALL_TOPICS.map((t) => t.name) });
      const partitions = Object.fromEntries(topics.map((t) => [t.name, t.partitions.length]));
      expect(partitions).toEqual(Object.fromEntries(ALL_TOPICS.map((t) => [t.name, t.partitions])));
    } finally {
      await admin.disconnect();
    }
  });

  it('kafkajs: admin, idempotent acks=-1 producer, consumer group with commits', async () => {
    await verifyKafka(e.kafka.brokers[0]!);
  });

  it('clickhouse: SELECT 1 and a MergeTree table through @clickhouse/client; database shop exists', async () => {
    const log = await verifyClickhouse(e.clickhouse.url);
    expect(log[0]).toBe('select1=1');
    // EXISTS DATABASE is newer than 18.16; ask system.databases instead.
    const dbs = await (
      await fetch(
        `${e.clickhouse.url}/?query=${encodeURIComponent("SELECT name FROM system.databases WHERE name = 'shop'")}`,
      )
    ).text();
    expect(dbs.trim()).toBe('shop');
  });

  it('elasticsearch 7.10.2 with client 7.13.0: mapping, refresh, highlight, terms agg, alias swap, reindex', async () => {
    const log = await verifyElasticsearch(e.elasticsearch.url);
    expect(log[0]).toMatch(/^health=(green|yellow)$/);
    const info = (await (await fetch(e.elasticsearch.url)).json()) as {
      version: { number: string };
    };
    expect(info.version.number).toBe('7.10.2');
  });

  it('maildev receives mail over SMTP and lists it at GET /email', async () => {
    const { createTransport } = await import('nodemailer');
    const to = `stack-test-${Date.now()}@example.com`;
    const transport = createTransport({
      host: e.maildev.host,
      port: e.maildev.smtpPort,
      secure: false,
      ignoreTLS: true,
    });
    await transport.sendMail({ from: 'stack@example.com', to, subject: 'stack test', text: 'hi' });
    transport.close();
    // maildev parses and stores a message after it answered the SMTP transaction.
    const subjects = async () => {
      const res = await fetch(`${e.maildev.url}/email?to.address=${encodeURIComponent(to)}`);
      return ((await res.json()) as { subject: string }[]).map((m) => m.subject);
    };
    await expect.poll(subjects, { timeout: 10_000 }).toEqual(['stack test']);
  });

  it('postgres answers SELECT 1 and redis answers PING', async () => {
    const pg = await import('pg');
    const client = new pg.default.Client({ connectionString: e.postgres.url });
    await client.connect();
    expect((await client.query('SELECT 1 AS one')).rows[0]).toEqual({ one: 1 });
    await client.end();
    const { Redis } = await import('ioredis');
    const redis = new Redis(e.redis.url, { lazyConnect: true });
    await redis.connect();
    expect(await redis.ping()).toBe('PONG');
    redis.disconnect();
  });

  it('zipkin 3.5.1 takes spans as Zipkin v2 JSON and lists their service', async () => {
    const health = (await (await fetch(`${e.zipkin.url}/health`)).json()) as { status: string };
    expect(health.status).toBe('UP');
    const service = `stack-test-${Date.now()}`;
    const traceId = Array.from({ length: 32 }, () =>
      Math.floor(Math.random() * 16).toString(16),
    ).join('');
    const posted = await fetch(e.zipkin.spansUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          traceId,
          id: traceId.slice(16),
          name: 'stack test',
          timestamp: Date.now() * 1000,
          duration: 1000,
          localEndpoint: { serviceName: service },
        },
      ]),
    });
    expect(posted.status).toBe(202);
    const services = async () =>
      (await (await fetch(`${e.zipkin.url}/api/v2/services`)).json()) as string[];
    await expect.poll(services, { timeout: 10_000 }).toContain(service);
    expect((await fetch(e.zipkin.uiUrl)).status).toBe(200);
  });

  it('prometheus 2.42 is ready, loads the project alert rules and serves the console pages', async () => {
    expect((await fetch(`${e.prometheus.url}/-/ready`)).status).toBe(200);
    const info = (await (await fetch(`${e.prometheus.url}/api/v1/status/buildinfo`)).json()) as {
      data: { version: string };
    };
    expect(info.data.version).toMatch(/^2\.42\./);
    const rules = (await (await fetch(`${e.prometheus.url}/api/v1/rules`)).json()) as {
      data: { groups: { rules: { name: string }[] }[] };
    };
    expect(rules.data.groups.flatMap((g) => g.rules.map((r) => r.name))).toEqual(
      expect.arrayContaining(['ServiceDown', 'ConsumerLagGrowing', 'OutboxRowsFailed']),
    );
    const console = await fetch(`${e.prometheus.url}/consoles/index.html`);
    expect(console.status).toBe(200);
    expect(await console.text()).toContain('Tackle shop operations');
  });
});
