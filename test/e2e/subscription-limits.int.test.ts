import { randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { revokedSessionKey, type Identity } from '@shop/auth';
import { createRedis } from '@shop/redis';
import type { Store } from '@shop/seed';
import {
  graphql,
  loadFixtureStore,
  prepareCheckout,
  startSupergraph,
  testEnv,
  type RunningSupergraph,
} from '@shop/testing';

/**
 * Session ends and the bounds of the gateway's WebSocket server, on two gateways whose periodic
 * session check is 10 minutes away: only the revocation announcement can end a session here.
 */
const env = testEnv(inject('stack'));
const redis = createRedis(env.stack.redis.url);
let a: RunningSupergraph;
let b: RunningSupergraph;
let store: Store;

const LIMITS = {
  SUBSCRIPTION_SESSION_CHECK_MS: '600000',
  SUBSCRIPTION_CONNECTIONS_PER_ADDRESS: '4',
  SUBSCRIPTION_CONNECTIONS_PER_USER: '2',
  SUBSCRIPTION_OPERATIONS_PER_CONNECTION: '2',
};

beforeAll(async () => {
  store = await loadFixtureStore(env);
  [a, b] = await Promise.all([
    startSupergraph(env, { gateway: LIMITS }),
    startSupergraph(env, { gateway: LIMITS }),
  ]);
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  redis.disconnect();
});

const TRACK = `subscription ($id: ID!) { orderUpdated(id: $id) { id status } }`;
const customer = (): Identity => ({ userId: randomUUID(), role: 'CUSTOMER' });
const wsUrl = (sg: RunningSupergraph) => sg.gatewayUrl.replace(/^http/, 'ws');

interface Closed {
  code: number;
  reason: string;
}
interface Connection {
  client: Client;
  connected: Promise<void>;
  closed: Promise<Closed>;
}
const open: Client[] = [];

/** A graphql-ws connection made at once (not on the first subscribe), as an app holds one. */
function connect(sg: RunningSupergraph, token: string): Connection {
  let onConnected!: () => void;
  let onClosed!: (closed: Closed) => void;
  const connected = new Promise<void>((resolve) => (onConnected = resolve));
  const closed = new Promise<Closed>((resolve) => (onClosed = resolve));
  const client = createClient({
    url: wsUrl(sg),
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${token}` },
    on: {
      connected: () => onConnected(),
      closed: (event) => onClosed(event as Closed),
    },
    onNonLazyError: () => {},
  });
  open.push(client);
  return { client, connected, closed };
}

/** The first result of a subscription, or its error. */
function firstOf(client: Client, variables: Record<string, unknown>, query = TRACK) {
  return new Promise<{ data?: any; errors?: any[]; error?: unknown }>((resolve) => {
    const stop = client.subscribe(
      { query, variables },
      {
        next: (result) => resolve(result as { data?: any; errors?: any[] }),
        error: (error) => resolve({ error }),
        complete: () => {},
      },
    );
    void stop;
  });
}

async function openConnections(sg: RunningSupergraph): Promise<number> {
  const text = await (await fetch(sg.gatewayUrl.replace('/graphql', '/metrics'))).text();
  return Number(/^gateway_subscription_connections(?:\{[^}]*\})? (\d+)/m.exec(text)?.[1]);
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((client) => client.dispose()));
  // Each test starts with no connection counted against the limits.
  await expect.poll(() => openConnections(a), { timeout: 10_000 }).toBe(0);
  await expect.poll(() => openConnections(b), { timeout: 10_000 }).toBe(0);
});

async function orderOf(who: Identity): Promise<string> {
  const auth = await a.authAs(who);
  const add = await graphql<any>(
    a.gatewayUrl,
    `
      mutation ($p: ID!) {
        addToCart(productId: $p, quantity: 1) {
          itemCount
        }
      }
    `,
    { p: store.products[2]!.id },
    auth,
  );
  expect(add.errors).toBeUndefined();
  await prepareCheckout(a, { userId: who.userId, token: await a.tokenFor(who) });
  const placed = await graphql<any>(
    a.gatewayUrl,
    `
      mutation ($k: String!) {
        placeOrder(idempotencyKey: $k) {
          id
        }
      }
    `,
    { k: `limits-${randomUUID()}` },
    auth,
  );
  expect(placed.errors).toBeUndefined();
  return placed.data.placeOrder.id;
}

describe('logout ends WebSocket connections at once, on every gateway', () => {
  it("closes the session's sockets on both gateways with 4401, and no other session's", async () => {
    const email = `ws-logout-${randomUUID()}@example.com`;
    const password = 'a-long-enough-passphrase-9';
    const registered = await graphql<any>(
      a.gatewayUrl,
      `
        mutation ($input: RegisterInput!) {
          register(input: $input) {
            accessToken
          }
        }
      `,
      { input: { email, password, name: 'Logout Everywhere' } },
    );
    expect(registered.errors).toBeUndefined();
    const token = registered.data.register.accessToken as string;
    const otherSession = await graphql<any>(
      b.gatewayUrl,
      `
        mutation ($e: String!, $p: String!) {
          login(email: $e, password: $p) {
            accessToken
          }
        }
      `,
      { e: email, p: password },
    );
    expect(otherSession.errors).toBeUndefined();

    const onA = connect(a, token);
    const onB = connect(b, token);
    const other = connect(b, otherSession.data.login.accessToken);
    await Promise.all([onA.connected, onB.connected, other.connected]);

    const out = await graphql<any>(
      a.gatewayUrl,
      'mutation { logout }',
      {},
      { authorization: `Bearer ${token}` },
    );
    expect(out.data?.logout).toBe(true);
    for (const closed of [await onA.closed, await onB.closed])
      expect(closed).toMatchObject({ code: 4401, reason: 'Session has ended' });

    // The same user's other session goes on: its connection still answers.
    const answer = await firstOf(other.client, {}, '{ __typename }');
    expect(answer.data).toEqual({ __typename: 'Query' });
    await expect.poll(() => openConnections(b)).toBe(1);
  });

  it('refuses a subscribe on a connection whose session ended while the announcement was missed', async () => {
    const me = customer();
    const sessionId = randomUUID();
    const conn = connect(a, await a.tokenFor(me, { sessionId }));
    await conn.connected;
    // Ended without the announcement, as when this gateway's subscriber was reconnecting.
    await redis.set(revokedSessionKey(sessionId), '1', 'EX', 60);
    const refused = await firstOf(conn.client, { id: randomUUID() });
    expect(refused.data ?? null).toBeNull();
    expect(await conn.closed).toMatchObject({ code: 4401, reason: 'Session has ended' });
  });
});

describe('WebSocket bounds', () => {
  it('refuses the connection over the per-address limit with HTTP 429 at the upgrade', async () => {
    const connections = await Promise.all(
      Array.from({ length: 4 }, async () => connect(a, await a.tokenFor(customer()))),
    );
    await Promise.all(connections.map((c) => c.connected));
    const status = await new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(wsUrl(a), 'graphql-transport-ws');
      socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.on('open', () => reject(new Error('the fifth connection was accepted')));
    });
    expect(status).toBe(429);
    // Another gateway counts its own connections.
    const elsewhere = connect(b, await b.tokenFor(customer()));
    await elsewhere.connected;
    // A place comes back when a connection ends.
    await connections[0]!.client.dispose();
    await expect.poll(() => openConnections(a)).toBe(3);
    const again = connect(a, await a.tokenFor(customer()));
    await again.connected;
  });

  it('closes the connection over the per-user limit with 4429', async () => {
    const me = customer();
    const first = connect(a, await a.tokenFor(me));
    const second = connect(a, await a.tokenFor(me));
    await Promise.all([first.connected, second.connected]);
    const third = connect(a, await a.tokenFor(me));
    expect(await third.closed).toMatchObject({
      code: 4429,
      reason: 'Too many connections for this user',
    });
    const someoneElse = connect(a, await a.tokenFor(customer()));
    await someoneElse.connected;
  });

  it('answers the subscription over the per-connection limit with an error, and frees the place on complete', async () => {
    const me = customer();
    const id = await orderOf(me);
    const { client, connected } = connect(a, await a.tokenFor(me));
    await connected;
    const results: any[][] = [[], []];
    const stops = results.map((into) =>
      client.subscribe(
        { query: TRACK, variables: { id } },
        { next: (r) => into.push(r), error: () => {}, complete: () => {} },
      ),
    );
    await vi.waitFor(() => expect(results.map((r) => r.length)).toEqual([1, 1]), {
      timeout: 10_000,
    });
    const third = await firstOf(client, { id });
    const errors = (third.error ?? third.errors) as any[];
    expect(errors[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', reason: 'TOO_MANY_SUBSCRIPTIONS' },
    });
    expect(errors[0].message).toMatch(/at most 2/);
    stops[0]!();
    await vi.waitFor(
      async () => expect((await firstOf(client, { id })).data?.orderUpdated?.id).toBe(id),
      { timeout: 10_000 },
    );
  });

  it('refuses text no service can store in a subscription, like HTTP does', async () => {
    const conn = connect(a, await a.tokenFor(customer()));
    await conn.connected;
    const refused = await firstOf(conn.client, { id: 'c0ffee00\u0000' });
    expect((refused.error as any[])[0]).toMatchObject({
      message: expect.stringMatching(/^Variable "\$id" contains a NUL character/),
      extensions: { code: 'BAD_USER_INPUT', reason: 'UNSTORABLE_TEXT' },
    });
  });

  it('closes the connection with 1009 on a message over the size limit', async () => {
    const closed = await new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(wsUrl(a), 'graphql-transport-ws');
      socket.on('open', () =>
        socket.send(
          JSON.stringify({
            type: 'connection_init',
            payload: { authorization: 'Bearer x', padding: 'x'.repeat(100 * 1024) },
          }),
        ),
      );
      socket.on('close', (code) => resolve(code));
      socket.on('error', () => {});
      socket.on('unexpected-response', () => reject(new Error('upgrade refused')));
    });
    expect(closed).toBe(1009);
    // A message within the limit is fine (a subscription document with its variables).
    const conn = connect(a, await a.tokenFor(customer()));
    await conn.connected;
    const answer = await firstOf(conn.client, { id: randomUUID(), padding: 'x'.repeat(30_000) });
    expect(answer.error).toBeUndefined();
  });
});
