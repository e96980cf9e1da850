/**
 * Subscription fan-out: `subscribers` graphql-ws clients (one WebSocket each, in this process)
 * watch `orders` orders through the gateway process, subscribers / orders watchers per order (the
 * customer's devices). The orders are placed while the saga is stopped, so every subscription
 * starts at PENDING. Then two phases, all subscribers connected throughout:
 * - steady: half of the orders are cancelled by their customers at `cancelsPerSec`;
 * - burst: the saga starts and drives the other half through STOCK_RESERVED, PAID and COMPLETED
 *   as fast as it drains its backlog.
 * Delivery latency runs from the status change's commit (the order's updatedAt) to the client
 * receiving the event.
 */
import { randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { percentile } from './stats.ts';
import { customersWithCarts } from './customers.ts';
import type { BenchSystem } from './system.ts';

export interface DeliveryFigures {
  expected: number;
  delivered: number;
  /** Status changes per second in the phase (events before fan-out). */
  eventsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface SubscriptionFigures {
  subscribers: number;
  orders: number;
  subscribeAllMs: number;
  steady: DeliveryFigures;
  burst: DeliveryFigures;
  gatewayPeakRssMb: number;
}

const SUBSCRIPTION = `subscription ($id: ID!) {
  orderUpdated(id: $id) { id status updatedAt items { quantity product { name } } }
}`;
const PLACE_ORDER = `mutation ($k: String!) { placeOrder(idempotencyKey: $k) { id } }`;
const CANCEL_ORDER = `mutation ($id: ID!) { cancelOrder(id: $id, reason: "bench") { id } }`;
/** Events after the first (PENDING) of an order the saga completes: STOCK_RESERVED, PAID, COMPLETED. */
const SAGA_EVENTS = 3;

/**
 * Gateway settings the fan-out needs: every subscriber is a WebSocket from this one process
 * (one address), and each customer watches their order from subscribers / orders devices, both
 * far beyond the per-address and per-user connection limits a public gateway keeps.
 */
export function subscriptionBenchGatewayEnv(options: {
  subscribers: number;
  orders: number;
}): Record<string, string> {
  return {
    SUBSCRIPTION_CONNECTIONS_PER_ADDRESS: String(options.subscribers + 100),
    SUBSCRIPTION_CONNECTIONS_PER_USER: String(Math.ceil(options.subscribers / options.orders) + 10),
  };
}

async function post(url: string, token: string, query: string, variables: object) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: any; errors?: { message: string }[] };
}

export async function runSubscriptionBench(
  system: BenchSystem,
  options: {
    subscribers: number;
    orders: number;
    cancelsPerSec: number;
    log?: (line: string) => void;
  },
): Promise<SubscriptionFigures> {
  const log = options.log ?? (() => {});
  const clients: Client[] = [];
  await system.stopService('saga');
  try {
    const customers = await customersWithCarts(system, options.orders);
    log(`subscriptions: placing ${options.orders} orders with the saga stopped`);
    const orders: { id: string; token: string }[] = [];
    for (let i = 0; i < customers.length; i += 16)
      await Promise.all(
        customers.slice(i, i + 16).map(async (c) => {
          const res = await post(system.gatewayUrl, c.token, PLACE_ORDER, { k: randomUUID() });
          if (!res.data?.placeOrder)
            throw new Error(`placeOrder failed: ${JSON.stringify(res.errors)}`);
          orders.push({ id: res.data.placeOrder.id, token: c.token });
        }),
      );

    log(`subscriptions: opening ${options.subscribers} subscriptions`);
    let latencies: number[] = [];
    let delivered = 0;
    const wsUrl = system.gatewayUrl.replace(/^http/, 'ws');
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: options.subscribers }, (_, i) => {
        const order = orders[i % orders.length]!;
        const client = createClient({
          url: wsUrl,
          webSocketImpl: WebSocket,
          retryAttempts: 0,
          lazy: false,
          connectionParams: { authorization: `Bearer ${order.token}` },
        });
        clients.push(client);
        return new Promise<void>((resolve, reject) => {
          let first = true;
          client.subscribe(
            { query: SUBSCRIPTION, variables: { id: order.id } },
            {
              next: (result: any) => {
                const update = result.data?.orderUpdated;
                if (first) {
                  first = false;
                  if (update?.status !== 'PENDING' || !update.items?.[0]?.product?.name)
                    reject(new Error(`unexpected first event ${JSON.stringify(result)}`));
                  resolve();
                  return;
                }
                if (!update) return;
                latencies.push(Date.now() - Date.parse(update.updatedAt));
                delivered++;
              },
              error: (error) => reject(error instanceof Error ? error : new Error(String(error))),
              complete: () => {},
            },
          );
        });
      }),
    );
    const subscribeAllMs = performance.now() - t0;

    let peak = system.rss(['gateway']);
    const sampler = setInterval(() => (peak = Math.max(peak, system.rss(['gateway']))), 200);
    const watchersPerOrder = options.subscribers / options.orders;
    const phase = async (
      expected: number,
      drive: () => Promise<void>,
    ): Promise<DeliveryFigures> => {
      latencies = [];
      delivered = 0;
      const t1 = performance.now();
      await drive();
      const deadline = Date.now() + 120_000;
      while (delivered < expected && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      const seconds = (performance.now() - t1) / 1000;
      return {
        expected,
        delivered,
        eventsPerSec: expected / watchersPerOrder / seconds,
        p50Ms: percentile(latencies, 50),
        p99Ms: percentile(latencies, 99),
        maxMs: percentile(latencies, 100),
      };
    };
    const cancelled = orders.slice(0, Math.floor(orders.length / 2));
    log(`subscriptions: steady phase, ${cancelled.length} cancels at ${options.cancelsPerSec}/s`);
    const steady = await phase(cancelled.length * watchersPerOrder, async () => {
      const start = Date.now();
      const sent: Promise<unknown>[] = [];
      for (const [i, order] of cancelled.entries()) {
        await new Promise((r) =>
          setTimeout(r, Math.max(0, start + (i * 1000) / options.cancelsPerSec - Date.now())),
        );
        sent.push(post(system.gatewayUrl, order.token, CANCEL_ORDER, { id: order.id }));
      }
      await Promise.all(sent);
    });
    const rest = orders.length - cancelled.length;
    log(`subscriptions: burst phase, the saga drains ${rest} orders`);
    const burst = await phase(rest * watchersPerOrder * SAGA_EVENTS, () =>
      system.startService('saga'),
    );
    clearInterval(sampler);
    return {
      subscribers: options.subscribers,
      orders: options.orders,
      subscribeAllMs,
      steady,
      burst,
      gatewayPeakRssMb: peak / 2 ** 20,
    };
  } finally {
    await Promise.all(clients.map((c) => c.dispose()));
    if (!system.rss(['saga'])) await system.startService('saga');
  }
}
