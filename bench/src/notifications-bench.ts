/**
 * Customer emails: OrderPlaced events for known customers through the notifications worker
 * (in this process, the production code and settings) to a real SMTP server (maildev, a private
 * one on free ports so the dev inbox stays clean), read back through maildev's GET /email.
 * - latency: OrderPlaced published at `rate`/s, event published → the email listed by maildev
 *   (polled every 20 ms with `skip`, so the figure includes up to 20 ms of polling);
 * - throughput: a burst of `burst` events published at once, emails per second until maildev
 *   has them all.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createTransport } from 'nodemailer';
import { OrderPlaced, UserRegistered, createEvent, sleep } from '@shop/events';
import { createKafka } from '@shop/kafka';
import { migrateAll } from '@shop/prisma/migrate';
import { ensureStack } from '@shop/stack';
import { freePort } from '@shop/testing/free-port';
import { startNotificationsWorker } from '@shop/notifications-worker';
import {
  PrivateMaildev,
  newTag,
  privateTopics,
  publish,
} from '../../workers/notifications/test/mail-fixtures.ts';
import { percentile } from './stats.ts';

export interface NotificationFigures {
  rate: number;
  sent: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  burst: number;
  emailsPerSec: number;
  peakRssMb: number;
}

export async function runNotificationsBench(options: {
  rate: number;
  seconds: number;
  burst: number;
  customers?: number;
  log: (line: string) => void;
}): Promise<NotificationFigures> {
  const { log } = options;
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const stack = await ensureStack({ verbose: false });
  const urls = await migrateAll({
    serverUrl: stack.postgres.url,
    prefix: 'shopbench',
    services: ['notifications'],
  });
  const pool = new pg.Pool({ connectionString: urls.notifications, max: 5 });
  const smtp = new PrivateMaildev(await freePort(), await freePort());
  await smtp.start();
  const kafka = createKafka({ clientId: 'notifications-bench', brokers: stack.kafka.brokers });
  const topics = await privateTopics(kafka, newTag());
  const producer = kafka.producer();
  await producer.connect();
  const transport = createTransport({
    host: '127.0.0.1',
    port: smtp.smtpPort,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: 10,
  });
  const worker = await startNotificationsWorker({
    kafka,
    pool,
    transport,
    from: 'Tackle Shop <orders@tackle.shop>',
    shop: { name: 'Tackle Shop', url: 'http://127.0.0.1:3000' },
    topics,
    name: `notifications-bench-${newTag()}`,
    partitionsConsumedConcurrently: 3,
    sender: { batchSize: 10 },
  });
  const published = new Map<string, number>();
  const arrived = new Map<string, number>();
  let polling = true;
  // Arrival times: maildev lists mail in arrival order; `skip` returns only the new ones.
  const poller = (async () => {
    while (polling) {
      const res = await fetch(`${smtp.url}/email?skip=${arrived.size}`);
      const mail = (await res.json()) as { messageId: string }[];
      const now = performance.now();
      for (const m of mail) arrived.set(m.messageId.split('@')[0]!, now);
      await sleep(20);
    }
  })();
  try {
    const customers = Array.from({ length: options.customers ?? 50 }, () => randomUUID());
    await publish(
      producer,
      topics.users,
      ...customers.map((userId, i) =>
        createEvent(UserRegistered, userId, {
          userId,
          email: `bench-${i}@example.com`,
          name: `Bench Customer ${i}`,
          role: 'CUSTOMER',
        }),
      ),
    );
    while (
      Number(
        (
          await pool.query(`SELECT count(*) FROM customers WHERE user_id = ANY($1::uuid[])`, [
            customers,
          ])
        ).rows[0].count,
      ) < customers.length
    )
      await sleep(50);
    const order = (i: number) => {
      const orderId = randomUUID();
      return createEvent(OrderPlaced, orderId, {
        orderId,
        userId: customers[i % customers.length]!,
        items: [
          { productId: randomUUID(), quantity: 2, unitPrice: { amount: '19.90', currency: 'EUR' } },
          { productId: randomUUID(), quantity: 1, unitPrice: { amount: '4.95', currency: 'EUR' } },
        ],
        total: { amount: '44.75', currency: 'EUR' },
      });
    };
    const waitAll = async (ids: string[], timeoutMs: number) => {
      const deadline = performance.now() + timeoutMs;
      while (ids.some((id) => !arrived.has(id)) && performance.now() < deadline) await sleep(20);
    };

    // Latency at `rate` orders per second.
    const n = options.rate * options.seconds;
    log(`notifications: ${n} OrderPlaced at ${options.rate}/s`);
    const paced: string[] = [];
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const due = t0 + (i * 1000) / options.rate;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const event = order(i);
      published.set(event.eventId, performance.now());
      paced.push(event.eventId);
      await publish(producer, topics.orders, event);
    }
    await waitAll(paced, 60_000);
    const latencies = paced
      .filter((id) => arrived.has(id))
      .map((id) => arrived.get(id)! - published.get(id)!);

    // Throughput: a burst.
    log(`notifications: a burst of ${options.burst} OrderPlaced`);
    const burst = Array.from({ length: options.burst }, (_, i) => order(i));
    const b0 = performance.now();
    for (let i = 0; i < burst.length; i += 500)
      await publish(producer, topics.orders, ...burst.slice(i, i + 500));
    const burstIds = burst.map((e) => e.eventId);
    await waitAll(burstIds, 300_000);
    const last = Math.max(...burstIds.map((id) => arrived.get(id) ?? Infinity));
    const got = burstIds.filter((id) => arrived.has(id)).length;
    return {
      rate: options.rate,
      sent: latencies.length,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: Math.max(...latencies),
      burst: got,
      emailsPerSec: got / ((last - b0) / 1000),
      peakRssMb: peakRss / 2 ** 20,
    };
  } finally {
    polling = false;
    await poller.catch(() => undefined);
    clearInterval(sampler);
    await worker.stop();
    transport.close();
    await producer.disconnect();
    await pool.end();
    await smtp.stop();
  }
}
