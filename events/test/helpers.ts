import { randomUUID } from 'node:crypto';
import net from 'node:net';
import pg from 'pg';
import { inject } from 'vitest';
import { createKafka, ensureTopics, type Kafka } from '@shop/kafka';
import { testEnv } from '@shop/testing';

export const env = () => testEnv(inject('stack'));
export const brokers = () => inject('stack').kafka.brokers;
export const orderDbUrl = () => env().databaseUrl('order');
export const catalogDbUrl = () => env().databaseUrl('catalog');

export function testKafka(clientId = 'events-test', brokerList = brokers()): Kafka {
  return createKafka({
    clientId,
    brokers: brokerList,
    retry: { initialRetryTime: 100, retries: 3 },
  });
}

/** A private topic per test, so runs never see each other's messages. */
export async function freshTopic(kafka: Kafka, name: string, partitions = 3): Promise<string> {
  const topic = `t-${name}-${randomUUID().slice(0, 8)}`;
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(admin, [{ name: topic, partitions }]);
  } finally {
    await admin.disconnect();
  }
  return topic;
}

export interface Collected {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

/** Reads a topic from the beginning in a fresh group until `until` holds or the time is up. */
export async function collect(
  kafka: Kafka,
  topic: string,
  until: (messages: Collected[]) => boolean,
  timeoutMs = 20_000,
  settleMs = 0,
): Promise<Collected[]> {
  const consumer = kafka.consumer({ groupId: `collect-${randomUUID()}` });
  const messages: Collected[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic: t, partition, message }) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(message.headers ?? {}))
        if (v !== undefined) headers[k] = String(v);
      messages.push({
        topic: t,
        partition,
        offset: message.offset,
        key: message.key?.toString() ?? null,
        value: message.value?.toString() ?? null,
        headers,
      });
    },
  });
  const deadline = Date.now() + timeoutMs;
  while (!until(messages) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (settleMs > 0) await new Promise((r) => setTimeout(r, settleMs));
  await consumer.disconnect();
  return messages;
}

export async function withDb<T>(url: string, work: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out waiting');
}

/** A TCP forwarder that can be switched on later: a broker address that is unreachable first. */
export async function lateProxy(target: { host: string; port: number }) {
  const port = await new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (probe.address() as net.AddressInfo).port;
      probe.close(() => resolve(p));
    });
  });
  let server: net.Server | undefined;
  const sockets = new Set<net.Socket>();
  return {
    address: `127.0.0.1:${port}`,
    async open() {
      server = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host);
        sockets.add(client).add(upstream);
        client.pipe(upstream).pipe(client);
        const close = () => {
          client.destroy();
          upstream.destroy();
        };
        client.on('error', close).on('close', close);
        upstream.on('error', close).on('close', close);
      });
      await new Promise<void>((r) => server!.listen(port, '127.0.0.1', () => r()));
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    },
  };
}
