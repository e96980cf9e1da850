import { randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Identity } from '@shop/auth';
import type { Store } from '@shop/seed';
import {
  graphql,
  loadFixtureStore,
  startSupergraph,
  testEnv,
  type RunningSupergraph,
  prepareCheckout,
} from '@shop/testing';

/**
 * The gateway's upstream graphql-ws clients (one per subgraph and identity scope) against the
 * real order subgraph: they must not outlive their subscriptions. Every admin here is a user of
 * their own (a scope of its own) watching one order, as many shoppers watching their orders do.
 */
const env = testEnv(inject('stack'));
let sg: RunningSupergraph;
let store: Store;
let orderId: string;

/** Watches the order under an alias: a distinct alias is a distinct (unshared) subscription. */
const track = (alias = 'orderUpdated') =>
  `subscription ($id: ID!) { ${alias}: orderUpdated(id: $id) { id status } }`;
const ADD = `mutation ($p: ID!, $q: Int!) { addToCart(productId: $p, quantity: $q) { itemCount } }`;
const PLACE = `mutation ($k: String!) { placeOrder(idempotencyKey: $k) { id } }`;
const admin = (): Identity => ({ userId: randomUUID(), role: 'ADMIN' });

async function metric(name: string): Promise<number> {
  const text = await (await fetch(sg.gatewayUrl.replace('/graphql', '/metrics'))).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
  return Number(line?.split(' ').pop());
}
const upstreamClients = () => metric('gateway_subscription_upstream_clients');
const upstreamConnections = () => metric('gateway_subscription_upstream_connections');

/** One graphql-ws connection to the gateway as `who`, watching the order. */
async function watcher(who: Identity, alias = 'orderUpdated') {
  const client: Client = createClient({
    url: sg.gatewayUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${await sg.tokenFor(who)}` },
  });
  let resolveFirst!: (result: any) => void;
  const first = new Promise<any>((resolve) => (resolveFirst = resolve));
  const stop = client.subscribe(
    { query: track(alias), variables: { id: orderId } },
    { next: resolveFirst, error: resolveFirst, complete: () => {} },
  );
  return {
    first,
    async leave() {
      stop();
      await client.dispose();
    },
  };
}

/** Subscribes, waits for the first result (the upstream subscription runs), leaves. */
async function cycle(who: Identity, alias = 'orderUpdated'): Promise<void> {
  const w = await watcher(who, alias);
  expect((await w.first).data?.[alias]?.id).toBe(orderId);
  await w.leave();
}

beforeAll(async () => {
  store = await loadFixtureStore(env);
  sg = await startSupergraph(env);
  const customer = { userId: randomUUID(), role: 'CUSTOMER' } as const;
  const owner = await sg.authAs(customer);
  const added = await graphql<any>(sg.gatewayUrl, ADD, { p: store.products[0]!.id, q: 1 }, owner);
  expect(added.errors).toBeUndefined();
  await prepareCheckout(sg, { userId: customer.userId, token: await sg.tokenFor(customer) });
  const placed = await graphql<any>(sg.gatewayUrl, PLACE, { k: `up-${randomUUID()}` }, owner);
  expect(placed.errors).toBeUndefined();
  orderId = placed.data.placeOrder.id;
});
afterAll(async () => {
  await sg?.close();
});

describe('upstream subscription clients', () => {
  it('are released after many users subscribe and leave', async () => {
    const USERS = 60;
    // Ten at a time, so subscribes and unsubscribes of different scopes interleave.
    for (let i = 0; i < USERS; i += 10)
      await Promise.all(Array.from({ length: 10 }, () => cycle(admin())));
    await expect.poll(upstreamClients, { timeout: 15_000 }).toBe(0);
    await expect.poll(upstreamConnections, { timeout: 15_000 }).toBe(0);
  });

  it('serve a user who subscribes again right after leaving, and one who stays', async () => {
    const me = admin();
    const staying = await watcher(me);
    await staying.first;
    // Other subscriptions of the same scope start and end while one stays (distinct aliases,
    // so each is an upstream subscription of its own): they share the client and its one
    // connection, which is never dropped under the one that stays.
    for (let i = 0; i < 10; i++) await cycle(me, `o${i}`);
    expect(await upstreamClients()).toBe(1);
    expect(await upstreamConnections()).toBe(1);
    await staying.leave();
    // A new subscription right after the last one ended reuses or replaces the idle client.
    await cycle(me, 'again');
    await expect.poll(upstreamClients, { timeout: 15_000 }).toBe(0);
    await expect.poll(upstreamConnections, { timeout: 15_000 }).toBe(0);
    // And one after the client was dropped gets a new one.
    await cycle(me, 'later');
    await expect.poll(upstreamClients, { timeout: 15_000 }).toBe(0);
  });
});
