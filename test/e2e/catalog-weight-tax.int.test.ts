import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Identity } from '@shop/auth';
import { parseEvent } from '@shop/events';
import type { Store } from '@shop/seed';
import {
  graphql,
  loadFixtureStore,
  startSupergraph,
  testEnv,
  withServiceDb,
  type RunningSupergraph,
} from '@shop/testing';

/**
 * Products' shipping weight and tax class through the gateway: createProduct/updateProduct,
 * refusals that write nothing, the product events that carry both, the seeded values, and the
 * category ancestors pricing uses.
 */
const env = testEnv(inject('stack'));
let supergraph: RunningSupergraph;
let store: Store;
let seller: Identity;
let sellerId: string;
let leafCategoryId: string;

beforeAll(async () => {
  store = await loadFixtureStore(env);
  supergraph = await startSupergraph(env);
  sellerId = store.sellers[0]!.id;
  seller = { userId: store.sellers[0]!.ownerUserId, role: 'SELLER' };
  leafCategoryId = store.categories.find((c) => c.parentId !== null)!.id;
});
afterAll(async () => {
  await supergraph?.close();
});

async function as(identity: Identity | null, query: string, variables: Record<string, unknown>) {
  const headers = identity ? await supergraph.authAs(identity) : {};
  return graphql<any>(supergraph.gatewayUrl, query, variables, headers);
}

const FIELDS = 'id name weightGrams taxClass';
const CREATE = `mutation ($input: CreateProductInput!) { createProduct(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateProductInput!) {
  updateProduct(id: $id, input: $input) { ${FIELDS} } }`;
const PRODUCT = `query ($id: ID!) { product(id: $id) { ${FIELDS} } }`;

const input = (overrides: Record<string, unknown> = {}) => ({
  sellerId,
  categoryId: leafCategoryId,
  name: `Weighed Reel ${randomUUID().slice(0, 8)}`,
  price: '59.00',
  stock: 3,
  ...overrides,
});

const rowsNamed = (name: string) =>
  withServiceDb(
    env,
    'catalog',
    async (db) =>
      (await db.query('SELECT id FROM products WHERE name = $1', [name])).rows as { id: string }[],
  );

const eventsOf = (productId: string) =>
  withServiceDb(env, 'catalog', async (db) =>
    (
      await db.query<{
        id: string;
        type: string;
        version: number;
        created_at: Date;
        payload: unknown;
      }>(
        `SELECT id, type, version, created_at, payload FROM outbox_events
         WHERE aggregate_id = $1 ORDER BY seq`,
        [productId],
      )
    ).rows.map((r) => ({
      type: r.type,
      payload: r.payload as Record<string, unknown>,
      // As a consumer reads it: the envelope the relay publishes, through the contract.
      parsed: parseEvent({
        eventId: r.id,
        type: r.type,
        version: r.version,
        aggregateId: productId,
        occurredAt: r.created_at.toISOString(),
        payload: r.payload,
      }),
    })),
  );

describe('product weight and tax class', () => {
  it('createProduct and updateProduct take them, product(id) shows them, the events carry them', async () => {
    const created = await as(seller, CREATE, {
      input: input({ weightGrams: 310, taxClass: 'REDUCED' }),
    });
    expect(created.errors).toBeUndefined();
    const { id, name } = created.data.createProduct;
    expect(created.data.createProduct).toMatchObject({ weightGrams: 310, taxClass: 'REDUCED' });

    const updated = await as(seller, UPDATE, { id, input: { weightGrams: 1, taxClass: 'ZERO' } });
    expect(updated.errors).toBeUndefined();
    expect(updated.data.updateProduct).toEqual({ id, name, weightGrams: 1, taxClass: 'ZERO' });
    const renamed = await as(seller, UPDATE, { id, input: { name: `${name} II` } });
    expect(renamed.data.updateProduct).toMatchObject({ weightGrams: 1, taxClass: 'ZERO' });
    expect((await as(null, PRODUCT, { id })).data.product).toEqual({
      id,
      name: `${name} II`,
      weightGrams: 1,
      taxClass: 'ZERO',
    });

    const events = await eventsOf(id);
    expect(events.map((e) => [e.type, e.payload.weightGrams, e.payload.taxClass])).toEqual([
      ['ProductCreated', 310, 'REDUCED'],
      ['ProductUpdated', 1, 'ZERO'],
      ['ProductUpdated', 1, 'ZERO'],
    ]);
    for (const event of events) expect(event.parsed.payload).toEqual(event.payload);
  });

  it('defaults to 250 g and STANDARD when createProduct does not say, up to 100000 g', async () => {
    const plain = await as(seller, CREATE, { input: input() });
    expect(plain.data.createProduct).toMatchObject({ weightGrams: 250, taxClass: 'STANDARD' });
    const heaviest = await as(seller, CREATE, { input: input({ weightGrams: 100_000 }) });
    expect(heaviest.errors).toBeUndefined();
    expect(heaviest.data.createProduct.weightGrams).toBe(100_000);
    const [event] = await eventsOf(plain.data.createProduct.id);
    expect(event!.payload).toMatchObject({ weightGrams: 250, taxClass: 'STANDARD' });
  });

  it('refuses a weight that is not whole grams from 1 to 100000, naming the field, writing nothing', async () => {
    for (const weightGrams of [0, -5, 100_001]) {
      const bad = input({ weightGrams });
      const res = await as(seller, CREATE, { input: bad });
      expect(res.errors?.[0]?.extensions, String(weightGrams)).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'weightGrams',
      });
      expect(await rowsNamed(bad.name)).toEqual([]);
    }
    // Not a whole number: GraphQL's Int refuses it before the catalog sees it, naming the path.
    const fraction = input({ weightGrams: 12.5 });
    const refused = await as(seller, CREATE, { input: fraction });
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0]?.message).toMatch(/input\.weightGrams/);
    expect(await rowsNamed(fraction.name)).toEqual([]);
    const nulled = await as(seller, CREATE, { input: input({ weightGrams: null }) });
    expect(nulled.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'weightGrams',
    });

    const made = await as(seller, CREATE, { input: input({ weightGrams: 800 }) });
    const id = made.data.createProduct.id;
    for (const weightGrams of [0, 100_001, null]) {
      const res = await as(seller, UPDATE, { id, input: { weightGrams, name: 'Never Written' } });
      expect(res.errors?.[0]?.extensions, String(weightGrams)).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'weightGrams',
      });
    }
    expect((await as(null, PRODUCT, { id })).data.product).toMatchObject({
      name: made.data.createProduct.name,
      weightGrams: 800,
    });
    expect((await eventsOf(id)).map((e) => e.type)).toEqual(['ProductCreated']);
  });

  it('refuses a tax class outside the enum before anything runs', async () => {
    const bad = input({ taxClass: 'LUXURY' });
    const res = await as(seller, CREATE, { input: bad });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toMatch(/taxClass/);
    expect(await rowsNamed(bad.name)).toEqual([]);
  });

  it('serves the seeded weights and tax classes', async () => {
    for (const p of store.products.slice(0, 3))
      expect((await as(null, PRODUCT, { id: p.id })).data.product).toEqual({
        id: p.id,
        name: p.name,
        weightGrams: p.weightGrams,
        taxClass: p.taxClass,
      });
  });
});

describe('Category.ancestorIds', () => {
  it('lists the ancestors nearest first, and path shows them from the top', async () => {
    const admin: Identity = {
      userId: store.users.find((u) => u.role === 'ADMIN')!.id,
      role: 'ADMIN',
    };
    const CREATE_CATEGORY = `mutation ($input: CreateCategoryInput!) { createCategory(input: $input) { id } }`;
    let parentId: string | null = null;
    const chain: string[] = [];
    for (const level of ['A', 'B', 'C', 'D']) {
      const res: any = await as(admin, CREATE_CATEGORY, {
        input: { name: `Ancestry ${level} ${randomUUID().slice(0, 8)}`, parentId },
      });
      expect(res.errors).toBeUndefined();
      parentId = res.data.createCategory.id as string;
      chain.push(parentId);
    }
    const ANCESTRY = `query ($id: ID!) { category(id: $id) { ancestorIds path { id } } }`;
    const top = await as(null, ANCESTRY, { id: chain[0] });
    expect(top.data.category).toEqual({ ancestorIds: [], path: [] });
    const leaf = await as(null, ANCESTRY, { id: chain[3] });
    expect(leaf.data.category).toEqual({
      ancestorIds: [chain[2], chain[1], chain[0]],
      path: [{ id: chain[0] }, { id: chain[1] }, { id: chain[2] }],
    });
  });
});
