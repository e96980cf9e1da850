import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import {
  AccessTokenSigner,
  generateSigningKeyPem,
  IDENTITY_HEADER,
  revokeSession,
  signIdentity,
} from '@shop/auth';
import { createRedis } from '@shop/redis';
import { createCartPrisma } from '@shop/prisma/cart';
import { createOrderPrisma } from '@shop/prisma/order';
import {
  graphql,
  startSupergraph,
  testEnv,
  TEST_INTERNAL_SECRET,
  type RunningSupergraph,
} from '@shop/testing';

const env = testEnv(inject('stack'));
const cartDb = createCartPrisma(env.databaseUrl('cart'));
const orderDb = createOrderPrisma(env.databaseUrl('order'));
let supergraph: RunningSupergraph;
const redis = createRedis(env.stack.redis.url);

const alice = { userId: '0a0a0a0a-0000-4000-8000-00000000a11c', role: 'CUSTOMER' as const };
const bob = { userId: '0b0b0b0b-0000-4000-8000-000000000b0b', role: 'CUSTOMER' as const };
const productId = 'c0ffee00-0000-4000-8000-000000000001';
const as = (identity: typeof alice, secret = TEST_INTERNAL_SECRET) => ({
  [IDENTITY_HEADER]: signIdentity(identity, secret),
});

beforeAll(async () => {
  supergraph = await startSupergraph(env);
  await cartDb.cartItem.deleteMany({ where: { userId: { in: [alice.userId, bob.userId] } } });
  await cartDb.cartItem.create({ data: { userId: alice.userId, productId, quantity: 2 } });
  await orderDb.order.deleteMany({ where: { userId: { in: [alice.userId, bob.userId] } } });
});
afterAll(async () => {
  await supergraph?.close();
  await Promise.all([cartDb.$disconnect(), orderDb.$disconnect()]);
  redis.disconnect();
});

describe('identity forwarded by the gateway, as subgraphs see it', () => {
  it('serves the cart of the signed identity from the cart database', async () => {
    const res = await graphql<{ cart: any }>(
      supergraph.subgraphUrls.cart,
      `
        {
          cart {
            itemCount
            items {
              quantity
              product {
                id
              }
            }
          }
        }
      `,
      {},
      as(alice),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.cart).toEqual({
      itemCount: 2,
      items: [{ quantity: 2, product: { id: productId } }],
    });
    const other = await graphql<{ cart: any }>(
      supergraph.subgraphUrls.cart,
      `
        {
          cart {
            itemCount
          }
        }
      `,
      {},
      as(bob),
    );
    expect(other.data!.cart.itemCount).toBe(0);
  });

  it('ignores an identity header signed with another secret', async () => {
    const forged = as(alice, 'attacker-secret-0123456789abcdefghijkl');
    const res = await graphql(
      supergraph.subgraphUrls.cart,
      `
        {
          cart {
            itemCount
          }
        }
      `,
      {},
      forged,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a captured identity header once its session has ended, on every subgraph', async () => {
    // A header the gateway signed for one of alice's sessions, as someone could copy it from a
    // log or a proxy, then replay it straight to the subgraphs within its two minutes.
    const sessionId = randomUUID();
    const captured = {
      [IDENTITY_HEADER]: signIdentity({ ...alice, sessionId }, TEST_INTERNAL_SECRET),
    };
    const cartQuery = '{ cart { itemCount } }';
    const ordersQuery = '{ myOrders(first: 1) { edges { node { id } } } }';
    const before = await graphql<{ cart: { itemCount: number } }>(
      supergraph.subgraphUrls.cart,
      cartQuery,
      {},
      captured,
    );
    expect(before.data?.cart.itemCount).toBe(2);

    await revokeSession(redis, sessionId, 600); // what logout does
    await expect
      .poll(async () => {
        const res = await graphql(supergraph.subgraphUrls.cart, cartQuery, {}, captured);
        return res.errors?.[0]?.extensions?.code;
      })
      .toBe('UNAUTHENTICATED');
    const orders = await graphql(supergraph.subgraphUrls.order, ordersQuery, {}, captured);
    expect(orders.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // Signed before the subgraph listened for revocations (it started after): looked up in Redis.
    const endedEarlier = randomUUID();
    await revokeSession(redis, endedEarlier, 600);
    const older = {
      [IDENTITY_HEADER]: signIdentity(
        { ...alice, sessionId: endedEarlier },
        TEST_INTERNAL_SECRET,
        Date.now() - 60_000,
      ),
    };
    const refused = await graphql(supergraph.subgraphUrls.cart, cartQuery, {}, older);
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // Another session of the same user is not touched.
    const other = {
      [IDENTITY_HEADER]: signIdentity({ ...alice, sessionId: randomUUID() }, TEST_INTERNAL_SECRET),
    };
    const still = await graphql<{ cart: { itemCount: number } }>(
      supergraph.subgraphUrls.cart,
      cartQuery,
      {},
      other,
    );
    expect(still.data?.cart.itemCount).toBe(2);
  });

  it('lets a signed-in user read their cart through the gateway', async () => {
    const res = await graphql<{ cart: any }>(
      supergraph.gatewayUrl,
      `
        {
          cart {
            itemCount
            items {
              product {
                id
              }
            }
          }
        }
      `,
      {},
      await supergraph.authAs(alice),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.cart.itemCount).toBe(2);
  });

  it('refuses expired, forged, revoked and malformed tokens with 401 UNAUTHENTICATED', async () => {
    const query = `{ cart { itemCount } }`;
    const expired = await supergraph.tokenFor(alice, {
      now: Date.now() - 3600_000,
      ttlSeconds: 60,
    });
    const otherKey = await AccessTokenSigner.fromPem(await generateSigningKeyPem());
    const forged = await otherKey.sign(alice, randomUUID(), 600);
    const valid = await supergraph.tokenFor(alice);
    const [header, payload] = valid.split('.');
    const escalated = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(payload!, 'base64url').toString()),
        role: 'ADMIN',
      }),
    ).toString('base64url');
    const tampered = `${header}.${escalated}.${valid.split('.')[2]}`;
    const sessionId = randomUUID();
    const revoked = await supergraph.tokenFor(alice, { sessionId });
    await revokeSession(redis, sessionId, 600);

    const cases: [string, string, RegExp][] = [
      ['expired', `Bearer ${expired}`, /expired/],
      ['forged', `Bearer ${forged}`, /not valid/],
      ['tampered', `Bearer ${tampered}`, /not valid/],
      ['revoked', `Bearer ${revoked}`, /Session has ended/],
      ['malformed', `Token ${valid}`, /Bearer/],
    ];
    for (const [name, authorization, message] of cases) {
      const res = await graphql(supergraph.gatewayUrl, query, {}, { authorization });
      expect(res.status, name).toBe(401);
      expect(res.errors?.[0]?.extensions?.code, name).toBe('UNAUTHENTICATED');
      expect(res.errors?.[0]?.message, name).toMatch(message);
    }
  });

  it('does not pass a client-sent identity header through the gateway', async () => {
    const res = await graphql(
      supergraph.gatewayUrl,
      `
        {
          cart {
            itemCount
          }
        }
      `,
      {},
      as(alice),
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('shows an order to its owner only', async () => {
    const order = await orderDb.order.create({
      data: {
        userId: alice.userId,
        idempotencyKey: 'identity-test-1',
        totalAmount: '49.98',
        currency: 'USD',
        items: {
          create: [{ productId, productName: 'Test Reel', quantity: 2, unitPrice: '24.99' }],
        },
      },
    });
    const query = `query ($id: ID!) { order(id: $id) { id status total { amount currency } items { quantity unitPrice { amount } lineTotal { amount } product { id } } } }`;
    const mine = await graphql<{ order: any }>(
      supergraph.subgraphUrls.order,
      query,
      { id: order.id },
      as(alice),
    );
    expect(mine.errors).toBeUndefined();
    expect(mine.data!.order).toEqual({
      id: order.id,
      status: 'PENDING',
      total: { amount: '49.98', currency: 'USD' },
      items: [
        {
          quantity: 2,
          unitPrice: { amount: '24.99' },
          lineTotal: { amount: '49.98' },
          product: { id: productId },
        },
      ],
    });
    const theirs = await graphql<{ order: any }>(
      supergraph.subgraphUrls.order,
      query,
      { id: order.id },
      as(bob),
    );
    expect(theirs.data!.order).toBeNull();
    const list = await graphql<{ myOrders: any }>(
      supergraph.subgraphUrls.order,
      `
        {
          myOrders {
            totalCount
          }
        }
      `,
      {},
      as(bob),
    );
    expect(list.data!.myOrders.totalCount).toBe(0);
  });
});
