/**
 * Monitoring of a whole running system: a private Prometheus (scripts/lib/prometheus.ts) scrapes
 * a system of its own (subgraphs, relays, workers, gateway), loads the project's alert rules with
 * shortened windows, and the alerts fire, read through Prometheus' HTTP API:
 * - every process is a target, and up;
 * - the metrics the rules read are exported (a renamed metric would leave its rule dead);
 * - a failed outbox row and a pending row waiting for minutes fire the outbox alerts;
 * - the saga worker stopped fires ServiceDown for it;
 * - the saga worker back, but stuck on every message it handles (chaos switch at 1, retries
 *   without end), while orders keep being placed: its consumer lag grows, and ConsumerLagGrowing
 *   fires for its group.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlData, prepareCheckout } from '@shop/testing';
import { RULE_METRICS } from '../ops/scripts/alert-rules.ts';
import { startPrivatePrometheus, type PrivatePrometheus } from '../scripts/lib/prometheus.ts';
import { startSystem, type RunningSystem } from '../scripts/lib/system.ts';

const PREFIX = 'shoptest_prom';
const SAGA_GROUP = `${PREFIX}-saga`;

let system: RunningSystem;
let prometheus: PrivatePrometheus;
let orderDb: pg.Pool;

beforeAll(async () => {
  system = await startSystem({ prefix: PREFIX, portBase: 5300 });
  orderDb = new pg.Pool({ connectionString: system.dbUrl('order'), max: 1 });
  prometheus = await startPrivatePrometheus({
    targets: system.metricsTargets,
    scrapeInterval: '2s',
    evaluationInterval: '1s',
    // The same expressions as alerts.yml, with windows a test can wait for.
    alerts: {
      serviceDown: { for: '2s' },
      outboxFailed: { for: '0s' },
      outboxStale: { for: '2s' },
      consumerLag: { window: '20s', for: '4s' },
    },
  });
}, 300_000);

afterAll(async () => {
  await prometheus?.stop();
  await orderDb?.end();
  await system?.close();
});

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${prometheus.url}/api/v1/${path}`);
  const body = (await res.json()) as { status: string; data: T; error?: string };
  if (body.status !== 'success') throw new Error(`${path}: ${body.error ?? res.status}`);
  return body.data;
}

interface Alert {
  labels: Record<string, string>;
  state: 'pending' | 'firing';
}

/** A customer with an address and a shipping method in the cart, and products to buy. */
async function shopper() {
  const userId = randomUUID();
  const token = await system.tokenFor({ userId, role: 'CUSTOMER' });
  await prepareCheckout(
    { gatewayUrl: system.gatewayUrl, userDbUrl: system.dbUrl('user') },
    { userId, token },
  );
  const { products } = await graphqlData<{ products: { edges: { node: { id: string } }[] } }>(
    system.gatewayUrl,
    `{ products(filter: { inStock: true }, first: 20) { edges { node { id } } } }`,
  );
  const productIds = products.edges.map((e) => e.node.id);
  /** Puts the i-th product in the cart and places the order; its id. */
  const order = async (i: number) => {
    await graphqlData(
      system.gatewayUrl,
      `mutation ($id: ID!) { addToCart(productId: $id, quantity: 1) { itemCount } }`,
      { id: productIds[i % productIds.length] },
      token,
    );
    const { placeOrder } = await graphqlData<{ placeOrder: { id: string } }>(
      system.gatewayUrl,
      `mutation ($key: String!) { placeOrder(idempotencyKey: $key) { id } }`,
      { key: randomUUID() },
      token,
    );
    return placeOrder.id;
  };
  const status = (id: string) =>
    graphqlData<{ order: { status: string } }>(
      system.gatewayUrl,
      `query ($id: ID!) { order(id: $id) { status } }`,
      { id },
      token,
    ).then((d) => d.order.status);
  return { order, status };
}

/** The firing alerts named `name`, by their labels. */
const firing = async (name: string) =>
  (await api<{ alerts: Alert[] }>('alerts')).alerts
    .filter((a) => a.labels.alertname === name && a.state === 'firing')
    .map((a) => a.labels);

describe('Prometheus watching a whole system', () => {
  it('scrapes every process of the system, and every one is up', async () => {
    const expected = ['prometheus', ...system.metricsTargets.map((t) => t.job)].sort();
    // The services the rules and dashboards speak of are all there.
    expect(expected).toEqual(
      expect.arrayContaining(['gateway', 'order', 'relay-order', 'saga', 'cart-worker']),
    );
    const targets = async () =>
      (
        await api<{ activeTargets: { labels: { job: string }; health: string }[] }>('targets')
      ).activeTargets
        .map((t) => `${t.labels.job}:${t.health}`)
        .sort();
    await expect
      .poll(targets, { timeout: 30_000, interval: 500 })
      .toEqual(expected.map((job) => `${job}:up`).sort());
  });

  it('finds every metric the alert rules read once an order went through', async () => {
    // The saga's funnel and the gateway's operations count from the first order on.
    const customer = await shopper();
    const orderId = await customer.order(0);
    await expect
      .poll(() => customer.status(orderId), { timeout: 30_000, interval: 250 })
      .toBe('COMPLETED');
    const names = Object.entries(RULE_METRICS)
      .filter(([, source]) => !source.pending)
      .map(([name]) => name);
    const exported = async () =>
      (
        await api<{ result: { metric: { __name__: string } }[] }>(
          `query?query=${encodeURIComponent(`count by (__name__) ({__name__=~"${names.join('|')}"})`)}`,
        )
      ).result
        .map((r) => r.metric.__name__)
        .sort();
    await expect.poll(exported, { timeout: 30_000, interval: 1000 }).toEqual([...names].sort());
    // The funnel as the SagaStepTimeouts rule reads it: this order placed (by the order
    // service) and completed (by the saga), on the next scrapes.
    const funnel = async () =>
      (
        await api<{ result: { metric: Record<string, string> }[] }>(
          `query?query=${encodeURIComponent('sum by (event, job) (orders_total)')}`,
        )
      ).result.map((r) => `${r.metric.job}:${r.metric.event}`);
    await expect
      .poll(funnel, { timeout: 15_000, interval: 500 })
      .toEqual(expect.arrayContaining(['order:placed', 'saga:completed']));
    // Lag of the saga's group, per partition of the topics it reads.
    const lag = await api<{ result: { metric: Record<string, string> }[] }>(
      `query?query=${encodeURIComponent(`kafka_consumer_lag{group="${SAGA_GROUP}"}`)}`,
    );
    expect(new Set(lag.result.map((r) => r.metric.topic))).toEqual(
      new Set(['orders', 'catalog.stock', 'payments']),
    );
  });

  it('fires the outbox alerts for a failed row and a row pending for minutes', async () => {
    const failedId = randomUUID();
    const waitingId = randomUUID();
    const row = `INSERT INTO outbox_events
      (id, aggregate_type, aggregate_id, topic, type, payload, status, created_at, retry_at)
      VALUES ($1, 'Order', $2, 'orders', 'OrderPlaced', '{}', $3, now() - interval '5 minutes', $4)`;
    // A row Kafka kept rejecting, and one waiting for its next try in an hour: neither is
    // published, and no other row waits behind them (an aggregate of their own).
    await orderDb.query(row, [failedId, `alert-test-${failedId}`, 'failed', null]);
    await orderDb.query(row, [
      waitingId,
      `alert-test-${waitingId}`,
      'pending',
      new Date(Date.now() + 3600_000),
    ]);
    try {
      await expect
        .poll(() => firing('OutboxRowsFailed'), { timeout: 30_000, interval: 500 })
        .toContainEqual(expect.objectContaining({ job: 'relay-order' }));
      await expect
        .poll(() => firing('OutboxPendingTooOld'), { timeout: 30_000, interval: 500 })
        .toContainEqual(expect.objectContaining({ job: 'relay-order' }));
    } finally {
      await orderDb.query(`DELETE FROM outbox_events WHERE id = ANY($1::uuid[])`, [
        [failedId, waitingId],
      ]);
    }
    // The relay's gauges say so on the next scrape, and the alerts end.
    await expect.poll(() => firing('OutboxRowsFailed'), { timeout: 30_000 }).toEqual([]);
  }, 90_000);

  it('fires ServiceDown for the saga worker while it is stopped', async () => {
    await system.stopService('saga');
    await expect
      .poll(() => firing('ServiceDown'), { timeout: 30_000, interval: 500 })
      .toContainEqual(expect.objectContaining({ job: 'saga' }));
    expect((await firing('ServiceDown')).map((labels) => labels.job)).toEqual(['saga']);
  }, 60_000);

  it('fires ConsumerLagGrowing for the saga group while it is stuck and orders keep coming', async () => {
    // Back, but every handler attempt fails and is retried (up to 100 times, backing off up to
    // 5 s): each partition stops at the first message the saga acts on, as with a poison message.
    await system.startService('saga', {
      CHAOS_HANDLER_FAILURE_RATE: '1',
      SAGA_MAX_ATTEMPTS: '100',
    });
    await expect.poll(() => firing('ServiceDown'), { timeout: 30_000 }).toEqual([]);

    // Orders keep coming while the test waits: each OrderPlaced adds to the saga's lag.
    const customer = await shopper();
    let placing = true;
    let placed = 0;
    const placeOrders = (async () => {
      for (let i = 1; placing; i++) {
        try {
          await customer.order(i);
          placed++;
        } catch {
          // A refused order (the cart emptied by the cart worker in between, say) adds no event;
          // the next one will.
        }
      }
    })();
    try {
      await expect
        .poll(() => firing('ConsumerLagGrowing'), { timeout: 90_000, interval: 1000 })
        .toContainEqual(expect.objectContaining({ group: SAGA_GROUP, topic: 'orders' }));
    } finally {
      placing = false;
      await placeOrders;
    }
    expect(placed).toBeGreaterThan(0);
  }, 150_000);
});
