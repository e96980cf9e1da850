/**
 * Small deployments: every worker (three relays, saga, search indexer, analytics, cart worker,
 * notifications) in one process (workers/host), started the way `WORKERS_IN_ONE_PROCESS=true npm
 * start` starts it, beside the subgraphs and the gateway on a system of its own. An order placed through the
 * gateway must go through relays, saga and cart worker in that one process.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlData, prepareCheckout } from '@shop/testing';
import { startSystem, type RunningSystem } from '../scripts/lib/system.ts';

let system: RunningSystem;
const workerPorts = {
  'relay-order': 4910,
  saga: 4912,
  'search-indexer': 4913,
  'cart-worker': 4916,
  notifications: 4917,
};

beforeAll(async () => {
  system = await startSystem({
    prefix: 'shoptest_host',
    portBase: 4900,
    workersInOneProcess: true,
  });
}, 240_000);

afterAll(async () => {
  await system?.close();
});

describe('workers in one process', () => {
  it('runs as one process that serves each worker on its own port', async () => {
    const processes = Object.keys(system.cpuSeconds());
    expect(processes).toContain('workers');
    expect(
      processes.filter((name) =>
        /^relay-|saga|indexer|analytics|cart-worker|notifications/.test(name),
      ),
    ).toEqual([]);
    for (const [worker, port] of Object.entries(workerPorts)) {
      const ready = await fetch(`http://127.0.0.1:${port}/ready`);
      expect(ready.status, worker).toBe(200);
      // Each keeps its own registry: its series carry its own name.
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const service = worker.startsWith('relay-') ? worker : `shoptest_host-${worker}`;
      expect(metrics, worker).toContain(`service="${service}"`);
    }
  });

  it('takes an order placed through the gateway to COMPLETED and empties the cart', async () => {
    const userId = randomUUID();
    const token = await system.tokenFor({ userId, role: 'CUSTOMER' });
    const { products } = await graphqlData<{ products: { edges: { node: { id: string } }[] } }>(
      system.gatewayUrl,
      `{ products(filter: { inStock: true }, first: 1) { edges { node { id } } } }`,
    );
    const productId = products.edges[0]!.node.id;
    await graphqlData(
      system.gatewayUrl,
      `mutation ($id: ID!) { addToCart(productId: $id, quantity: 1) { itemCount } }`,
      { id: productId },
      token,
    );
    await prepareCheckout(
      { gatewayUrl: system.gatewayUrl, userDbUrl: system.dbUrl('user') },
      { userId, token },
    );
    const { placeOrder } = await graphqlData<{ placeOrder: { id: string } }>(
      system.gatewayUrl,
      `mutation ($key: String!) { placeOrder(idempotencyKey: $key) { id } }`,
      { key: randomUUID() },
      token,
    );
    const status = () =>
      graphqlData<{ order: { status: string } }>(
        system.gatewayUrl,
        `query ($id: ID!) { order(id: $id) { status } }`,
        { id: placeOrder.id },
        token,
      ).then((d) => d.order.status);
    await expect.poll(status, { timeout: 30_000, interval: 200 }).toBe('COMPLETED');
    const itemCount = () =>
      graphqlData<{ cart: { itemCount: number } }>(
        system.gatewayUrl,
        `{ cart { itemCount } }`,
        {},
        token,
      ).then((d) => d.cart.itemCount);
    await expect.poll(itemCount, { timeout: 30_000, interval: 200 }).toBe(0);
  }, 60_000);

  it('closes every worker on SIGTERM and exits cleanly', async () => {
    expect(await system.stopService('workers')).toBe(0);
    for (const port of Object.values(workerPorts))
      await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  }, 30_000);
});
