import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Identity } from '@shop/auth';
import { SUBGRAPH_NAMES } from '@shop/gateway';
import { createLogger } from '@shop/logging';
import type { ServiceServer } from '@shop/observability';
import {
  freePort,
  graphql,
  loadFixtureStore,
  startSupergraph,
  testEnv,
  trackOrder,
  type RunningSupergraph,
} from '@shop/testing';

/**
 * A gateway serving a supergraph of its configuration: the five subgraphs from their schema
 * files, and a small subgraph of the test's own ("tips"), read from its `_service { sdl }`,
 * that extends Product and Order. The tips subgraph is restarted with other schemas to see the
 * gateway reload.
 */
const env = testEnv(inject('stack'));
const root = path.resolve(import.meta.dirname, '../..');

const TIPS_V1 = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Product @key(fields: "id") { id: ID! "An angler's tip for the product." tip: String! }
  type Order @key(fields: "id") { id: ID! "A note for the gift wrap." giftNote: String }
`;
/** Adds a field: a change the supergraph takes. */
const TIPS_V2 = TIPS_V1.replace('tip: String!', 'tip: String! tipLength: Int!');
/** Claims the catalog's Product.name with another type: composition fails. */
const TIPS_BROKEN = TIPS_V2.replace('tip: String!', 'tip: String! name: Int!');

const resolvers = {
  Product: {
    __resolveReference: (ref: { id: string }) => ref,
    tip: (p: { id: string }) => `Tip for ${p.id.slice(0, 8)}`,
    tipLength: (p: { id: string }) => `Tip for ${p.id.slice(0, 8)}`.length,
    name: () => 0,
  },
  Order: {
    __resolveReference: (ref: { id: string }) => ref,
    giftNote: (o: { id: string }) => `Wrapped for ${o.id.slice(0, 8)}`,
  },
};

let sg: RunningSupergraph;
let orderDb: pg.Pool;
let gateway: ServiceServer;
let gatewayUrl: string;
let tipsPort: number;
let tips: ApolloServer | undefined;
let configDir: string;
const logLines: string[] = [];

/** (Re)starts the tips subgraph on its port with `sdl`; resolvers of absent fields are unused. */
async function startTips(sdl: string): Promise<void> {
  await tips?.stop();
  tips = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs: parse(sdl), resolvers: resolvers as never }),
  });
  await startStandaloneServer(tips, { listen: { port: tipsPort, host: '127.0.0.1' } });
}

const owner: Identity = { userId: randomUUID(), role: 'CUSTOMER' };
let productId: string;
let orderId: string;

beforeAll(async () => {
  const store = await loadFixtureStore(env);
  productId = store.products[0]!.id;
  sg = await startSupergraph(env);
  orderDb = new pg.Pool({ connectionString: env.databaseUrl('order'), max: 2 });
  orderId = randomUUID();
  await orderDb.query(
    `INSERT INTO orders (id, user_id, idempotency_key, status, total_amount, currency, updated_at)
     VALUES ($1, $2, $3, 'COMPLETED', 12.50, 'EUR', now())`,
    [orderId, owner.userId, `supergraph-config-${orderId}`],
  );
  tipsPort = await freePort();
  await startTips(TIPS_V1);
  configDir = mkdtempSync(path.join(os.tmpdir(), 'supergraph-config-'));
  const config = path.join(configDir, 'supergraph.yaml');
  writeFileSync(
    config,
    [
      'subgraphs:',
      ...SUBGRAPH_NAMES.flatMap((name) => [
        `  ${name}:`,
        `    routing_url: ${sg.subgraphUrls[name]}`,
        `    schema: { file: ${path.join(root, 'subgraphs', name, 'schema.graphql')} }`,
      ]),
      '  tips:',
      `    routing_url: http://127.0.0.1:${tipsPort}/`,
    ].join('\n'),
  );
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  gateway = await sg.startGateway(
    { SUPERGRAPH_CONFIG: config, SUPERGRAPH_POLL_MS: '200' },
    createLogger('gateway', 'info', sink),
  );
  gatewayUrl = `${gateway.url}/graphql`;
});

afterAll(async () => {
  await gateway?.close();
  await tips?.stop();
  await sg?.close();
  await orderDb?.end();
  if (configDir) rmSync(configDir, { recursive: true, force: true });
});

const PRODUCT = `query ($id: ID!) { product(id: $id) { id name tip } }`;
const ORDER = `query ($id: ID!) { order(id: $id) { id status giftNote } }`;
const WITH_LENGTH = `query ($id: ID!) { product(id: $id) { name tip tipLength } }`;

describe('a supergraph from configuration', () => {
  it('queries across a subgraph of the user’s own that extends Product and Order', async () => {
    const product = await graphql<{ product: { name: string; tip: string } }>(gatewayUrl, PRODUCT, {
      id: productId,
    });
    expect(product.errors).toBeUndefined();
    expect(product.data!.product).toMatchObject({ tip: `Tip for ${productId.slice(0, 8)}` });
    expect(product.data!.product.name.length).toBeGreaterThan(0);

    const order = await graphql(gatewayUrl, ORDER, { id: orderId }, await sg.authAs(owner));
    expect(order.errors).toBeUndefined();
    expect(order.data).toEqual({
      order: { id: orderId, status: 'COMPLETED', giftNote: `Wrapped for ${orderId.slice(0, 8)}` },
    });
    // The order subgraph still decides who sees the order: nothing of it reaches another user.
    const stranger = await graphql(
      gatewayUrl,
      ORDER,
      { id: orderId },
      await sg.authAs({ userId: randomUUID(), role: 'CUSTOMER' }),
    );
    expect(stranger.data).toEqual({ order: null });

    // Readiness probes come from the supergraph's own join__graph entries.
    const ready = (await (await fetch(`${gateway.url}/ready`)).json()) as {
      checks?: Record<string, unknown>;
    };
    expect(Object.keys(ready.checks ?? ready)).toEqual(expect.arrayContaining(['tips', 'catalog']));
  });

  it('takes a new field after the subgraph changes, ending subscriptions with SUBSCRIPTION_SCHEMA_RELOAD', async () => {
    const tracking = await trackOrder(
      { gatewayUrl, tokenFor: sg.tokenFor },
      owner,
      orderId,
      `subscription ($id: ID!) { orderUpdated(id: $id) { id status } }`,
    );
    try {
      await expect
        .poll(async () => {
          const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
          return /^gateway_subscription_watchers\{[^}]*\} (\d+)/m.exec(metrics)?.[1];
        })
        .toBe('1');
      expect((await graphql(gatewayUrl, WITH_LENGTH, { id: productId })).errors).toBeDefined();

      await startTips(TIPS_V2);
      await expect
        .poll(async () => (await graphql(gatewayUrl, WITH_LENGTH, { id: productId })).data, {
          timeout: 20_000,
        })
        .toMatchObject({ product: { tipLength: `Tip for ${productId.slice(0, 8)}`.length } });
      await expect
        .poll(
          () =>
            tracking.results.flatMap(
              (r) => (r.errors as { extensions?: { code?: string } }[]) ?? [],
            ),
          {
            timeout: 10_000,
          },
        )
        .toEqual([
          expect.objectContaining({
            extensions: expect.objectContaining({ code: 'SUBSCRIPTION_SCHEMA_RELOAD' }),
          }),
        ]);
    } finally {
      await tracking.client.dispose();
    }
  });

  it('keeps the running supergraph when a change does not compose, and says why', async () => {
    await startTips(TIPS_BROKEN);
    // A poll while the subgraph restarts fails to reach it (also kept); the one after it fails
    // to compose, and says why.
    const composeFailure = (line: string) =>
      line.includes('supergraph reload failed') && line.includes('Product.name');
    await expect.poll(() => logLines.some(composeFailure), { timeout: 20_000 }).toBe(true);
    const answer = await graphql(gatewayUrl, WITH_LENGTH, { id: productId });
    expect(answer.errors).toBeUndefined();
    expect(typeof (answer.data as { product: { name: unknown } }).product.name).toBe('string');
  });
});
