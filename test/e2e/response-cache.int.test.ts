import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Identity } from '@shop/auth';
import { OutboxRelay } from '@shop/events';
import { createKafka, type Kafka } from '@shop/kafka';
import type { ServiceServer } from '@shop/observability';
import {
  graphql,
  loadFixtureStore,
  sellerWithProduct,
  startSupergraph,
  testEnv,
  type RunningSupergraph,
} from '@shop/testing';

/**
 * The gateway's response cache against the real stack: the catalog's outbox relay publishes to
 * Kafka, the gateway's purge consumer reads it, answers live in Redis.
 */
const env = testEnv(inject('stack'));
const tag = randomUUID().slice(0, 8);
const PRODUCT = `query CachedProduct($id: ID!) { product(id: $id) { id name price { amount } seller { id name } } }`;
const UPDATE = `mutation ($id: ID!, $name: String!) { updateProduct(id: $id, input: { name: $name }) { id name } }`;

let sg: RunningSupergraph;
let kafka: Kafka;
let catalog: pg.Pool;
let relay: OutboxRelay;
/** A second gateway on the same subgraphs with a 2-second TTL, whose events never arrive. */
let shortLived: ServiceServer;
const owner: Identity = { userId: randomUUID(), role: 'SELLER' };

function cacheSettings(name: string, ttlSeconds: number): Record<string, string> {
  return {
    RESPONSE_CACHE: 'true',
    RESPONSE_CACHE_MAX_TTL_SECONDS: String(ttlSeconds),
    RESPONSE_CACHE_KEY_PREFIX: `response-cache:test-${tag}-${name}:`,
    RESPONSE_CACHE_GROUP: `gateway-response-cache-test-${tag}-${name}`,
    KAFKA_BROKERS: inject('stack').kafka.brokers.join(','),
  };
}

/** One POST, with the answer's `age` header (set only when the cache answered). */
async function ask(url: string, query: string, variables: object, headers = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as {
    data?: { product: { name: string } | null };
    errors?: unknown[];
  };
  return {
    name: body.data?.product?.name,
    errors: body.errors,
    age: response.headers.get('age'),
    cacheControl: response.headers.get('cache-control'),
  };
}

beforeAll(async () => {
  await loadFixtureStore(env);
  kafka = createKafka({
    clientId: `response-cache-${tag}`,
    brokers: inject('stack').kafka.brokers,
  });
  sg = await startSupergraph(env, { gateway: cacheSettings('main', 300) });
  shortLived = await sg.startGateway(cacheSettings('short', 2));
  catalog = new pg.Pool({ connectionString: env.databaseUrl('catalog'), max: 3 });
  relay = new OutboxRelay({
    databaseUrl: env.databaseUrl('catalog'),
    kafka,
    pollIntervalMs: 50,
    backoff: { initialMs: 50, maxMs: 500 },
  });
  relay.start();
});

afterAll(async () => {
  await relay?.stop();
  await shortLived?.close();
  await sg?.close();
  await catalog?.end();
});

describe('the response cache', () => {
  it('serves a hit, then the new name once the update event is consumed', async () => {
    const id = await sellerWithProduct(catalog, owner, { label: `Cached ${tag}`, price: '12.00' });
    const first = await ask(sg.gatewayUrl, PRODUCT, { id });
    expect(first.errors).toBeUndefined();
    expect(first.age).toBeNull();
    // Browsers and CDNs are never told to keep it: only the gateway's purged cache does.
    expect(first.cacheControl).toBe('no-store');
    const second = await ask(sg.gatewayUrl, PRODUCT, { id });
    expect(second.name).toBe(first.name);
    expect(second.age).not.toBeNull();

    // A change without an event (straight in the database) is not seen: the answer is cached.
    await catalog.query(`UPDATE products SET name = $2 WHERE id = $1`, [id, `Sneaky ${tag}`]);
    expect((await ask(sg.gatewayUrl, PRODUCT, { id })).name).toBe(first.name);

    // A signed-in caller is never answered from the cache.
    const signedIn = await ask(sg.gatewayUrl, PRODUCT, { id }, await sg.authAs(owner));
    expect(signedIn).toMatchObject({ name: `Sneaky ${tag}`, age: null });

    // The seller's update writes ProductUpdated to the outbox; the relay publishes it and the
    // gateway's consumer purges every answer holding the product.
    const updated = await graphql(
      sg.gatewayUrl,
      UPDATE,
      { id, name: `Renamed ${tag}` },
      await sg.authAs(owner),
    );
    expect(updated.errors).toBeUndefined();
    await expect
      .poll(async () => (await ask(sg.gatewayUrl, PRODUCT, { id })).name, { timeout: 20_000 })
      .toBe(`Renamed ${tag}`);
    // Cached again, fresh.
    const again = await ask(sg.gatewayUrl, PRODUCT, { id });
    expect(again).toMatchObject({ name: `Renamed ${tag}` });
    expect(again.age).not.toBeNull();
  });

  it('purges list answers when a product in them changes', async () => {
    const id = await sellerWithProduct(catalog, owner, { label: `Listed ${tag}`, price: '3.00' });
    const LIST = `query ($q: ID!) { products(filter: { sellerId: $q }, first: 5) { totalCount edges { node { id name } } } }`;
    const { rows } = await catalog.query<{ seller_id: string }>(
      `SELECT seller_id FROM products WHERE id = $1`,
      [id],
    );
    const list = async () => {
      const r = await graphql<{ products: { edges: { node: { name: string } }[] } }>(
        sg.gatewayUrl,
        LIST,
        { q: rows[0]!.seller_id },
      );
      if (r.errors) throw new Error(JSON.stringify(r.errors));
      return r.data!.products.edges.map((e) => e.node.name);
    };
    const before = await list();
    expect(before).toEqual([expect.stringContaining('Listed')]);
    await graphql(sg.gatewayUrl, UPDATE, { id, name: `Relisted ${tag}` }, await sg.authAs(owner));
    await expect.poll(list, { timeout: 20_000 }).toEqual([`Relisted ${tag}`]);
  });

  it('with no event arriving, serves an answer at most its TTL old, then fresh data', async () => {
    const url = `${shortLived.url}/graphql`;
    const id = await sellerWithProduct(catalog, owner, { label: `Bounded ${tag}`, price: '5.00' });
    const first = await ask(url, PRODUCT, { id });
    expect((await ask(url, PRODUCT, { id })).age).not.toBeNull();
    await catalog.query(`UPDATE products SET name = $2 WHERE id = $1`, [id, `Later ${tag}`]);
    const seen: { name?: string; age: string | null }[] = [];
    await expect
      .poll(
        async () => {
          const answer = await ask(url, PRODUCT, { id });
          seen.push(answer);
          return answer.name;
        },
        { timeout: 20_000, interval: 200 },
      )
      .toBe(`Later ${tag}`);
    // Every stale answer came from the cache and was younger than the 2-second TTL.
    for (const answer of seen.filter((a) => a.name === first.name))
      expect(Number(answer.age)).toBeLessThanOrEqual(2);
  });
});
