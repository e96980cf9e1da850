/**
 * Subscription fan-out: SUBSCRIBERS concurrent graphql-ws subscribers (through the gateway, one
 * WebSocket each) watch ORDERS orders; every order is then cancelled and the delivery latency
 * from the cancel request to each subscriber's CANCELLED event is measured (p50/p99), with the
 * process's peak RSS (gateway, subgraphs and clients run in this one process). Goal: p99 < 200 ms.
 */
import { randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { generateAll } from '@shop/prisma/generate';
import { migrateAll } from '@shop/prisma/migrate';
import { ensureStack } from '@shop/stack';

const SUBSCRIBERS = Number(process.env.SUBSCRIBERS ?? 1000);
const ORDERS = Number(process.env.ORDERS ?? 50);
process.env.TEST_PREFIX ??= 'shopbench_sub';

const stack = await ensureStack({ verbose: false });
await generateAll();
await migrateAll({ serverUrl: stack.postgres.url, prefix: process.env.TEST_PREFIX });
const { graphql, loadFixtureStore, startSupergraph, testEnv, withServiceDb } =
  await import('@shop/testing');
const env = testEnv(stack);
const store = await loadFixtureStore(env);
const sg = await startSupergraph(env);

let peak = process.memoryUsage().rss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);

const product = store.products[3]!.id;
await withServiceDb(env, 'catalog', (db) =>
  db.query('UPDATE products SET stock = 1000000 WHERE id = $1', [product]),
);
const orders: { id: string; auth: Record<string, string>; token: string }[] = [];
for (let i = 0; i < ORDERS; i++) {
  const me = { userId: randomUUID(), role: 'CUSTOMER' as const };
  const token = await sg.tokenFor(me);
  const auth = { authorization: `Bearer ${token}` };
  await graphql(
    sg.gatewayUrl,
    `mutation { addToCart(productId: "${product}", quantity: 1) { itemCount } }`,
    {},
    auth,
  );
  const res = await graphql<any>(
    sg.gatewayUrl,
    `
      mutation ($k: String!) {
        placeOrder(idempotencyKey: $k) {
          id
        }
      }
    `,
    { k: randomUUID() },
    auth,
  );
  if (!res.data?.placeOrder) throw new Error(`placeOrder failed: ${JSON.stringify(res.errors)}`);
  orders.push({ id: res.data.placeOrder.id, auth, token });
}

const cancelSent = new Map<string, number>();
const latencies: number[] = [];
const clients: Client[] = [];
const wsUrl = sg.gatewayUrl.replace(/^http/, 'ws');
const subscribed = Promise.all(
  Array.from({ length: SUBSCRIBERS }, (_, i) => {
    const order = orders[i % orders.length]!;
    const client = createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: order.auth.authorization },
    });
    clients.push(client);
    return new Promise<void>((resolve, reject) => {
      let first = true;
      client.subscribe(
        {
          query: `subscription ($id: ID!) { orderUpdated(id: $id) { id status items { product { name } } } }`,
          variables: { id: order.id },
        },
        {
          next: (r: any) => {
            if (first) {
              first = false;
              resolve();
            } else if (r.data?.orderUpdated?.status === 'CANCELLED') {
              latencies.push(performance.now() - cancelSent.get(order.id)!);
            }
          },
          error: reject,
          complete: () => {},
        },
      );
    });
  }),
);
const t0 = performance.now();
await subscribed;
const subscribeMs = performance.now() - t0;

const expected = SUBSCRIBERS;
await Promise.all(
  orders.map(async (o) => {
    cancelSent.set(o.id, performance.now());
    await graphql(
      sg.gatewayUrl,
      `
        mutation ($id: ID!) {
          cancelOrder(id: $id) {
            id
          }
        }
      `,
      { id: o.id },
      o.auth,
    );
  }),
);
const deadline = Date.now() + 30_000;
while (latencies.length < expected && Date.now() < deadline)
  await new Promise((r) => setTimeout(r, 20));
clearInterval(sampler);

latencies.sort((x, y) => x - y);
const pct = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
console.table({
  subscribers: { value: SUBSCRIBERS },
  orders: { value: ORDERS },
  'subscribed (all first events), ms': { value: Math.round(subscribeMs) },
  'CANCELLED events received': { value: `${latencies.length}/${expected}` },
  'delivery p50, ms': { value: pct(50).toFixed(1) },
  'delivery p99, ms': { value: pct(99).toFixed(1) },
  'delivery max, ms': { value: (latencies.at(-1) ?? NaN).toFixed(1) },
  'peak RSS (whole process), MB': { value: Math.round(peak / 1e6) },
  'goal p99 < 200 ms': { value: pct(99) < 200 ? 'met' : 'missed' },
});
await Promise.all(clients.map((c) => c.dispose()));
await sg.close();
process.exit(0);
