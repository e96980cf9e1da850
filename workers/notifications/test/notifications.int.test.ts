/**
 * The notifications worker against the real stack: Kafka (private topics), its PostgreSQL
 * database, and the stack's maildev read through its own API (GET /email); the SMTP outage
 * runs against a private maildev on free ports, stopped and started again.
 */
import { randomUUID } from 'node:crypto';
import { createTransport, type Transporter } from 'nodemailer';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  OrderCompleted,
  OrderPlaced,
  PaymentRefunded,
  ProductCreated,
  UserRegistered,
  UserUpdated,
  createEvent,
} from '@shop/events';
import type { Kafka, Producer } from '@shop/kafka';
import { freePort } from '@shop/testing/free-port';
import { startNotificationsWorker, type NotificationsWorker } from '../src/notifications-worker.ts';
import { env, testKafka } from '../../../events/test/helpers.ts';
import {
  PrivateMaildev,
  mailArrived,
  mailTo,
  newTag,
  privateTopics,
  publish,
} from './mail-fixtures.ts';

const tag = newTag();
const FROM = 'Tackle Shop <orders@tackle.shop>';
/**
 * How long a poll waits on the worker (consuming an event, then writing its row): vitest's
 * default second is too short when the test suites share the machine's two cores.
 */
const WORKER_WAIT = { timeout: 20_000 };

let kafka: Kafka;
let producer: Producer;
let pool: pg.Pool;
let transport: Transporter;
let worker: NotificationsWorker | undefined;
let topics: Awaited<ReturnType<typeof privateTopics>>;
const inbox = () => inject('stack').maildev.url;
const eur = (amount: string) => ({ amount, currency: 'EUR' });

const startWorker = (smtp: { host: string; port: number }, name: string) => {
  transport = createTransport({ ...smtp, secure: false, ignoreTLS: true });
  return startNotificationsWorker({
    kafka,
    pool,
    transport,
    from: FROM,
    shop: { name: 'Tackle Shop', url: 'http://127.0.0.1:3000' },
    topics,
    name,
    backoff: { initialMs: 20, maxMs: 200 },
    sender: { backoff: { initialMs: 100, maxMs: 500 }, pollMs: 100, leaseMs: 5_000 },
  });
};

beforeAll(async () => {
  kafka = testKafka('notifications-test');
  producer = kafka.producer();
  await producer.connect();
  pool = new pg.Pool({ connectionString: env().databaseUrl('notifications'), max: 5 });
  topics = await privateTopics(kafka, tag);
  const stack = inject('stack');
  worker = await startWorker(
    { host: stack.maildev.host, port: stack.maildev.smtpPort },
    `notifications-test-${tag}`,
  );
});
afterAll(async () => {
  await worker?.stop();
  transport?.close();
  await producer?.disconnect();
  await pool?.end();
});

/** A customer the read model knows (waits until it does). */
async function customer(email: string, name = 'Ann Angler') {
  const userId = randomUUID();
  await publish(
    producer,
    topics.users,
    createEvent(UserRegistered, userId, { userId, email, name, role: 'CUSTOMER' }),
  );
  await expect
    .poll(
      async () =>
        (await pool.query(`SELECT email FROM customers WHERE user_id = $1`, [userId])).rows[0]
          ?.email,
      WORKER_WAIT,
    )
    .toBe(email);
  return userId;
}

async function product(name: string) {
  const productId = randomUUID();
  await publish(
    producer,
    topics.products,
    createEvent(ProductCreated, productId, {
      productId,
      sellerId: randomUUID(),
      categoryId: null,
      name,
      price: eur('19.90'),
      stock: 5,
    }),
  );
  await expect
    .poll(
      async () =>
        (await pool.query(`SELECT 1 FROM product_names WHERE product_id = $1`, [productId]))
          .rowCount,
      WORKER_WAIT,
    )
    .toBe(1);
  return productId;
}

const placed = (userId: string, productId: string) => {
  const orderId = randomUUID();
  return createEvent(OrderPlaced, orderId, {
    orderId,
    userId,
    items: [{ productId, quantity: 2, unitPrice: eur('19.90') }],
    total: eur('44.75'),
    totals: {
      subtotal: eur('39.80'),
      discount: eur('0.00'),
      shipping: eur('4.95'),
      tax: eur('7.14'),
      priceMode: 'GROSS',
    },
  });
};

const emailRow = async (eventId: string) =>
  (
    await pool.query<{
      status: string;
      attempts: number;
      last_error: string | null;
      recipient: string | null;
    }>(`SELECT status, attempts, last_error, recipient FROM emails WHERE event_id = $1`, [eventId])
  ).rows[0];

describe('customer emails', () => {
  it('an order sends one email, to the address of the latest profile change', async () => {
    const old = `old-${tag}@example.com`;
    const current = `new-${tag}@example.com`;
    const userId = await customer(old);
    await publish(
      producer,
      topics.users,
      createEvent(UserUpdated, userId, {
        userId,
        email: current,
        name: 'Ann Current',
        role: 'CUSTOMER',
      }),
    );
    await expect
      .poll(
        async () =>
          (await pool.query(`SELECT email FROM customers WHERE user_id = $1`, [userId])).rows[0]
            ?.email,
        WORKER_WAIT,
      )
      .toBe(current);
    const productId = await product('Pike spinner 15 g');
    const event = placed(userId, productId);
    await publish(producer, topics.orders, event);

    await expect
      .poll(async () => (await emailRow(event.eventId))?.status, WORKER_WAIT)
      .toBe('sent');
    const mail = await mailArrived(inbox(), current, 1);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toBe(
      `Your order ${event.payload.orderId.slice(0, 8).toUpperCase()} has been placed`,
    );
    expect(mail[0]!.messageId).toBe(`${event.eventId}@tackle.shop`);
    expect(mail[0]!.text).toContain('2 x Pike spinner 15 g at €19.90 = €39.80');
    expect(mail[0]!.text).toContain('Total: €44.75');
    expect(mail[0]!.text).toContain('Hello Ann Current,');
    expect(mail[0]!.html).toContain('Pike spinner 15 g');
    expect(await mailTo(inbox(), old)).toHaveLength(0);
  });

  it('a burst of orders sends each email once, to its own customer, naming its own products', async () => {
    const buyers = await Promise.all(
      [1, 2, 3, 4, 5].map(async (n) => {
        const address = `burst-${n}-${tag}@example.com`;
        const [userId, productId] = await Promise.all([
          customer(address, `Buyer ${n}`),
          product(`Burst lure no. ${n}`),
        ]);
        return { n, address, event: placed(userId, productId) };
      }),
    );
    // One publish: the sender claims and marks them in batches (one statement for a batch).
    await publish(producer, topics.orders, ...buyers.map((b) => b.event));
    for (const { n, address, event } of buyers) {
      await expect
        .poll(async () => await emailRow(event.eventId), WORKER_WAIT)
        .toMatchObject({ status: 'sent', attempts: 1, recipient: address });
      const [mail] = await mailArrived(inbox(), address, 1);
      expect(mail!.messageId).toBe(`${event.eventId}@tackle.shop`);
      expect(mail!.text).toContain(`Hello Buyer ${n},`);
      expect(mail!.text).toContain(`2 x Burst lure no. ${n} at €19.90`);
    }
  });

  it('an event delivered twice sends one email', async () => {
    const address = `twice-${tag}@example.com`;
    const userId = await customer(address);
    const orderId = randomUUID();
    const completed = createEvent(OrderCompleted, orderId, {
      orderId,
      userId,
      total: eur('12.00'),
    });
    const duplicatesBefore = worker!.consumer.stats.duplicates;
    await publish(producer, topics.orders, completed, completed);
    await expect
      .poll(() => worker!.consumer.stats.duplicates, WORKER_WAIT)
      .toBeGreaterThan(duplicatesBefore);
    await expect
      .poll(async () => (await emailRow(completed.eventId))?.status, WORKER_WAIT)
      .toBe('sent');
    const arrived = await mailArrived(inbox(), address, 1);
    expect(arrived).toHaveLength(1);
    const [mail] = arrived;
    expect(mail!.subject).toMatch(/is confirmed$/);
    const rows = await pool.query(`SELECT count(*)::int AS n FROM emails WHERE order_id = $1`, [
      orderId,
    ]);
    expect(rows.rows[0].n).toBe(1);
  });

  it('a refund (which names the order only) reaches the customer who placed the order', async () => {
    const address = `refund-${tag}@example.com`;
    const userId = await customer(address);
    const event = placed(userId, await product('Landing net'));
    const orderId = event.payload.orderId;
    await publish(producer, topics.orders, event);
    const refund = createEvent(PaymentRefunded, orderId, {
      orderId,
      paymentId: 'pay-1',
      amount: eur('44.75'),
    });
    await publish(producer, topics.payments, refund);
    await expect
      .poll(async () => (await emailRow(refund.eventId))?.status, WORKER_WAIT)
      .toBe('sent');
    const subjects = (await mailArrived(inbox(), address, 2)).map((m) => m.subject).sort();
    expect(subjects).toEqual([
      `Refund of €44.75 for order ${orderId.slice(0, 8).toUpperCase()}`,
      `Your order ${orderId.slice(0, 8).toUpperCase()} has been placed`,
    ]);
  });

  it('an order of a customer not known yet waits for the address, then is sent', async () => {
    const address = `late-${tag}@example.com`;
    const userId = randomUUID();
    const event = placed(userId, await product('Float set'));
    await publish(producer, topics.orders, event);
    await expect
      .poll(async () => (await emailRow(event.eventId))?.last_error, WORKER_WAIT)
      .toMatch(/^waiting for the address/);
    await publish(
      producer,
      topics.users,
      createEvent(UserRegistered, userId, {
        userId,
        email: address,
        name: 'Late Larry',
        role: 'CUSTOMER',
      }),
    );
    await expect
      .poll(async () => (await emailRow(event.eventId))?.status, WORKER_WAIT)
      .toBe('sent');
    expect(await mailArrived(inbox(), address, 1)).toHaveLength(1);
  });

  it('escapes a product name with <script> in the HTML part', async () => {
    const address = `xss-${tag}@example.com`;
    const userId = await customer(address);
    const event = placed(userId, await product('<script>alert("rod")</script> Rod & Reel'));
    await publish(producer, topics.orders, event);
    const arrived = await mailArrived(inbox(), address, 1, 20_000);
    expect(arrived).toHaveLength(1);
    const [mail] = arrived;
    // The product name arrives as text in the HTML part (escaped by the template), as itself in
    // the text part.
    expect(mail!.html).not.toContain('<script>');
    expect(mail!.html).toContain(
      '&lt;script&gt;alert(&quot;rod&quot;)&lt;/script&gt; Rod &amp; Reel',
    );
    expect(mail!.text).toContain('<script>alert("rod")</script> Rod & Reel');
  });
});

describe('the SMTP server down', () => {
  let smtp: PrivateMaildev | undefined;
  afterAll(async () => {
    await smtp?.stop();
  });

  it('keeps the email pending with backoff while the server is stopped, and sends it once it is back', async () => {
    // This worker sends to a private maildev: the stack's keeps running for everyone else.
    await worker?.stop();
    transport.close();
    smtp = new PrivateMaildev(await freePort(), await freePort());
    await smtp.start();
    await smtp.stop();
    worker = await startWorker(
      { host: '127.0.0.1', port: smtp.smtpPort },
      `notifications-test-${tag}`,
    );

    const address = `outage-${tag}@example.com`;
    const userId = await customer(address);
    const event = placed(userId, await product('Wader boots'));
    await publish(producer, topics.orders, event);
    await expect
      .poll(async () => (await emailRow(event.eventId))?.attempts ?? 0, WORKER_WAIT)
      .toBeGreaterThanOrEqual(2);
    const waiting = await emailRow(event.eventId);
    expect(waiting?.status).toBe('pending');
    expect(waiting?.last_error).toMatch(/ECONNREFUSED|connect/i);

    await smtp.start();
    await expect
      .poll(async () => (await emailRow(event.eventId))?.status, WORKER_WAIT)
      .toBe('sent');
    const mail = await mailArrived(smtp.url, address, 1);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.messageId).toBe(`${event.eventId}@tackle.shop`);
    expect(worker.sender.stats.retries).toBeGreaterThanOrEqual(2);
  });
});
