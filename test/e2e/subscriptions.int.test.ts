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

const env = testEnv(inject('stack'));
let a: RunningSupergraph;
let b: RunningSupergraph;
let store: Store;

const TRACK = `subscription ($id: ID!) { orderUpdated(id: $id) {
  id status cancelReason items { quantity product { name } } } }`;
const ADD = `mutation ($p: ID!, $q: Int!) { addToCart(productId: $p, quantity: $q) { itemCount } }`;
const PLACE = `mutation ($k: String!) { placeOrder(idempotencyKey: $k) { id status } }`;
const CANCEL = `mutation ($id: ID!) { cancelOrder(id: $id, reason: "changed my mind") { id status } }`;

const customer = (): Identity => ({ userId: randomUUID(), role: 'CUSTOMER' });
const clients: Client[] = [];

async function as(sg: RunningSupergraph, who: Identity, query: string, vars = {}) {
  return graphql<any>(sg.gatewayUrl, query, vars, await sg.authAs(who));
}

async function orderOf(who: Identity, sg = a): Promise<string> {
  const product = store.products[2]!.id;
  expect((await as(sg, who, ADD, { p: product, q: 1 })).errors).toBeUndefined();
  await prepareCheckout(sg, { userId: who.userId, token: await sg.tokenFor(who) });
  const res = await as(sg, who, PLACE, { k: `sub-${randomUUID()}` });
  expect(res.errors).toBeUndefined();
  return res.data.placeOrder.id;
}

function wsClient(sg: RunningSupergraph, token?: string): Client {
  const client = createClient({
    url: sg.gatewayUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
  });
  clients.push(client);
  return client;
}

/** Collects results; `next(n)` waits for the n-th; `closed` resolves with the end. */
function track(client: Client, id: string) {
  const results: any[] = [];
  const waiters: (() => void)[] = [];
  let resolveEnd!: (outcome: unknown) => void;
  const ended = new Promise<unknown>((resolve) => (resolveEnd = resolve));
  const stop = client.subscribe(
    { query: TRACK, variables: { id } },
    {
      next: (r) => {
        results.push(r);
        waiters.splice(0).forEach((w) => w());
      },
      error: (e) => resolveEnd(e),
      complete: () => resolveEnd('complete'),
    },
  );
  const until = async (n: number) => {
    const deadline = Date.now() + 10_000;
    while (results.length < n) {
      if (Date.now() > deadline) throw new Error(`got ${results.length} of ${n} results`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 200);
      });
    }
    return results[n - 1];
  };
  return { results, until, ended, stop };
}

async function metric(sg: RunningSupergraph, name: string): Promise<number> {
  const text = await (await fetch(sg.gatewayUrl.replace('/graphql', '/metrics'))).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
  return Number(line?.split(' ').pop());
}

beforeAll(async () => {
  store = await loadFixtureStore(env);
  [a, b] = await Promise.all([
    // `a` checks sessions often, so a logout ends its subscriptions within the test.
    startSupergraph(env, { gateway: { SUBSCRIPTION_SESSION_CHECK_MS: '500' } }),
    startSupergraph(env),
  ]);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await a?.close();
  await b?.close();
});

describe('Subscription.orderUpdated through the gateway', () => {
  it('sends the current state with catalog fields first, then the cancellation', async () => {
    const me = customer();
    const id = await orderOf(me);
    const sub = track(wsClient(a, await a.tokenFor(me)), id);
    const first = await sub.until(1);
    expect(first.errors).toBeUndefined();
    expect(first.data.orderUpdated).toMatchObject({ id, status: 'PENDING', cancelReason: null });
    expect(first.data.orderUpdated.items).toEqual([
      { quantity: 1, product: { name: store.products[2]!.name } },
    ]);
    expect((await as(a, me, CANCEL, { id })).errors).toBeUndefined();
    const second = await sub.until(2);
    expect(second.data.orderUpdated).toMatchObject({
      status: 'CANCELLED',
      cancelReason: 'changed my mind',
      items: [{ quantity: 1, product: { name: store.products[2]!.name } }],
    });
    sub.stop();
  });

  it("refuses another user's order and unauthenticated connections", async () => {
    const owner = customer();
    const id = await orderOf(owner);
    const other = track(wsClient(a, await a.tokenFor(customer())), id);
    const refused = await other.until(1);
    expect(refused.data ?? null).toBeNull();
    expect(refused.errors.map((e: any) => e.extensions.code)).toEqual(['NOT_FOUND']);
    expect(await other.ended).toBe('complete');

    const anonymous = track(wsClient(a), id);
    const outcome: any = await anonymous.ended;
    expect(outcome.code).toBe(4403);
    expect(anonymous.results).toEqual([]);

    const forged = track(wsClient(a, 'not.a.token'), id);
    expect(((await forged.ended) as any).code).toBe(4403);
  });

  it('shares one upstream subscription between identical subscribers', async () => {
    const me = customer();
    const id = await orderOf(me);
    const before = await metric(a, 'gateway_subscription_upstreams_started_total');
    const token = await a.tokenFor(me);
    const one = track(wsClient(a, token), id);
    const two = track(wsClient(a, await a.tokenFor(me)), id);
    await Promise.all([one.until(1), two.until(1)]);
    expect(await metric(a, 'gateway_subscription_upstreams_started_total')).toBe(before + 1);
    const resolvedBefore = await metric(a, 'gateway_subscription_events_resolved_total');
    const deliveredBefore = await metric(a, 'gateway_subscription_deliveries_total');
    await as(a, me, CANCEL, { id });
    const [x, y] = await Promise.all([one.until(2), two.until(2)]);
    expect(x).toEqual(y);
    expect(x.data.orderUpdated.status).toBe('CANCELLED');
    // One rest fetch (catalog names) for both watchers.
    expect(await metric(a, 'gateway_subscription_events_resolved_total')).toBe(resolvedBefore + 1);
    // ...and handed to each of them.
    expect(await metric(a, 'gateway_subscription_deliveries_total')).toBe(deliveredBefore + 2);
    one.stop();
    two.stop();
  });

  it('delivers a change made through another order instance (Redis fan-out)', async () => {
    const me = customer();
    const id = await orderOf(me, a);
    const sub = track(wsClient(b, await b.tokenFor(me)), id);
    expect((await sub.until(1)).data.orderUpdated.status).toBe('PENDING');
    expect((await as(a, me, CANCEL, { id })).errors).toBeUndefined();
    expect((await sub.until(2)).data.orderUpdated.status).toBe('CANCELLED');
    sub.stop();
  });

  it('ends the connection when the user logs out', async () => {
    const email = `logout-${randomUUID()}@example.com`;
    const registered = await graphql<any>(
      a.gatewayUrl,
      `
        mutation ($input: RegisterInput!) {
          register(input: $input) {
            accessToken
            user {
              id
            }
          }
        }
      `,
      { input: { email, password: 'a-long-enough-passphrase-7', name: 'Logout Tester' } },
    );
    expect(registered.errors).toBeUndefined();
    const { accessToken, user } = registered.data.register;
    const me: Identity = { userId: user.id, role: 'CUSTOMER' };
    const id = await orderOf(me);
    const sub = track(wsClient(a, accessToken), id);
    expect((await sub.until(1)).data.orderUpdated.status).toBe('PENDING');
    const out = await graphql<any>(
      a.gatewayUrl,
      'mutation { logout }',
      {},
      {
        authorization: `Bearer ${accessToken}`,
      },
    );
    expect(out.data?.logout).toBe(true);
    const outcome: any = await sub.ended;
    expect(outcome.code).toBe(4401);
    expect(outcome.reason).toBe('Session has ended');
  });

  it('ends the connection when the access token expires', async () => {
    const me = customer();
    const id = await orderOf(me);
    const sub = track(wsClient(a, await a.tokenFor(me, { ttlSeconds: 2 })), id);
    await sub.until(1);
    const outcome: any = await sub.ended;
    expect(outcome.code).toBe(4401);
  });
});
