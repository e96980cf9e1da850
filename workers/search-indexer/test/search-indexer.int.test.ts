import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import type { Kafka } from '@shop/kafka';
import { createCatalogPrisma, type PrismaClient } from '@shop/prisma/catalog';
import {
  createSearchClient,
  ensureProductsIndex,
  searchProducts,
  type SearchClient,
} from '@shop/search-client';
import { TEST_PREFIX } from '@shop/testing';
import {
  OutboxRelay,
  ProductDeleted,
  ProductUpdated,
  createEvent,
  writeOutboxEvent,
} from '@shop/events';
import { updateProductRow } from '../../../subgraphs/catalog/src/data/writes.ts';
import { startSearchIndexer, syncProduct, type SearchIndexer } from '../src/indexer.ts';
import { catalogDbUrl, freshTopic, testKafka, waitFor } from '../../../events/test/helpers.ts';

let kafka: Kafka;
let catalog: pg.Pool;
let prisma: PrismaClient;
let search: SearchClient;
let relay: OutboxRelay;
let indexer: SearchIndexer;
let topic: string;
const tag = randomUUID().slice(0, 8);
const prefix = `${TEST_PREFIX}_idx_${tag}`;
const sellerId = randomUUID();
const categoryId = randomUUID();

beforeAll(async () => {
  kafka = testKafka('search-indexer-test');
  catalog = new pg.Pool({ connectionString: catalogDbUrl(), max: 4 });
  prisma = createCatalogPrisma(catalogDbUrl());
  search = createSearchClient(inject('stack').elasticsearch.url);
  await ensureProductsIndex(search, prefix);
  await catalog.query(`INSERT INTO sellers (id, slug, name) VALUES ($1, $2, 'Indexer seller')`, [
    sellerId,
    `idx-${tag}`,
  ]);
  await catalog.query(`INSERT INTO categories (id, slug, name) VALUES ($1, $2, 'Indexer cat')`, [
    categoryId,
    `idx-${tag}`,
  ]);
  topic = await freshTopic(kafka, `idx-products-${tag}`);
  relay = new OutboxRelay({
    databaseUrl: catalogDbUrl(),
    kafka,
    pollIntervalMs: 50,
    backoff: { initialMs: 50, maxMs: 500 },
  });
  relay.start();
  indexer = await startSearchIndexer({
    kafka,
    catalogPool: catalog,
    search,
    searchPrefix: prefix,
    topics: { products: topic },
    namePrefix: `idx-test-${tag}`,
    backoff: { initialMs: 20, maxMs: 200 },
  });
});
afterAll(async () => {
  await indexer?.stop();
  await relay?.stop();
  await search?.indices.delete({ index: `${prefix}_products*` }, { ignore: [404] });
  await prisma?.$disconnect();
  await catalog?.end();
  await search?.close();
});

async function newProduct(name: string) {
  const id = randomUUID();
  await catalog.query(
    `INSERT INTO products (id, sku, name, price, stock, category_id, seller_id, updated_at)
     VALUES ($1, $2, $3, '12.50', 3, $4, $5, now())`,
    [id, `idx-${id}`, name, categoryId, sellerId],
  );
  return id;
}

/** Commits a change and its product event in one catalog transaction, on the private topic. */
async function change(
  productId: string,
  sql: string,
  contract: typeof ProductUpdated | typeof ProductDeleted = ProductUpdated,
) {
  const db = await catalog.connect();
  try {
    await db.query('BEGIN');
    await db.query(sql, [productId]);
    const event =
      contract === ProductUpdated
        ? createEvent(ProductUpdated, productId, {
            productId,
            sellerId,
            categoryId,
            name: 'x',
            price: { amount: '1.00', currency: 'USD' },
            stock: 0,
          })
        : createEvent(ProductDeleted, productId, { productId });
    await writeOutboxEvent(db, event, { topic });
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  } finally {
    db.release();
  }
}

/** Products matching every word of `text` (the query is fuzzy, the text filter is not). */
const find = async (text: string) =>
  (await searchProducts(search, prefix, { query: text, filter: { text }, size: 10, from: 0 })).hits;

describe('search indexer', () => {
  it('the catalog write path puts ProductUpdated in the outbox with the update', async () => {
    const id = await newProduct(`Writes rod ${tag}`);
    await updateProductRow(prisma, id, { name: `Writes rod renamed ${tag}` });
    const { rows } = await catalog.query<{ type: string; payload: { name: string } }>(
      `SELECT type, payload FROM outbox_events WHERE aggregate_id = $1`,
      [id],
    );
    expect(rows).toEqual([
      expect.objectContaining({
        type: 'ProductUpdated',
        payload: expect.objectContaining({ name: `Writes rod renamed ${tag}` }),
      }),
    ]);
  });

  it('a product update becomes visible in searchProducts', async () => {
    const id = await newProduct(`Heron ${tag}`);
    await change(id, `UPDATE products SET updated_at = now() WHERE id = $1`);
    await waitFor(async () => (await find(`Heron ${tag}`)).some((h) => h.id === id), 10_000);
    // How fast is the freshness benchmark's business; this checks that it happens.
    await change(
      id,
      `UPDATE products SET name = 'Kingfisher ${tag}', price = 99.00, updated_at = now() WHERE id = $1`,
    );
    await waitFor(async () => (await find(`Kingfisher ${tag}`)).some((h) => h.id === id), 15_000);
    const doc = await search.get({ index: `${prefix}_products`, id });
    expect(doc.body._source).toMatchObject({
      name: `Kingfisher ${tag}`,
      price: 99,
      sellerName: 'Indexer seller',
      categoryName: ['Indexer cat'],
    });
  });

  it('indexes with partitions handled at once on a one-connection pool (reads share the handler transaction)', async () => {
    // With reads on a second connection, a transaction holding the only one waited for ever.
    const tight = new pg.Pool({ connectionString: catalogDbUrl(), max: 1 });
    const busyTopic = await freshTopic(kafka, `idx-busy-${tag}`);
    const busy = await startSearchIndexer({
      kafka,
      catalogPool: tight,
      search,
      searchPrefix: prefix,
      topics: { products: busyTopic },
      namePrefix: `idx-busy-${tag}`,
      partitionsConsumedConcurrently: 3,
      backoff: { initialMs: 20, maxMs: 200 },
    });
    try {
      const ids = await Promise.all(
        Array.from({ length: 12 }, (_, i) => newProduct(`Plover ${i} ${tag}`)),
      );
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({
        topic: busyTopic,
        messages: ids.map((productId) => {
          const event = createEvent(ProductUpdated, productId, {
            productId,
            sellerId,
            categoryId,
            name: 'x',
            price: { amount: '1.00', currency: 'USD' },
            stock: 0,
          });
          return { key: productId, value: JSON.stringify(event) };
        }),
      });
      await producer.disconnect();
      await waitFor(async () => (await find(`Plover ${tag}`)).length === 10, 15_000);
      await waitFor(() => busy.consumers[0]!.stats.handled === 12, 15_000);
    } finally {
      await busy.stop();
      await tight.end();
    }
  });

  it('an older read cannot overwrite a newer document, and a delete removes it', async () => {
    const id = await newProduct(`Egret ${tag}`);
    await syncProduct({ catalogPool: catalog, search, searchPrefix: prefix, refresh: true }, id);
    const indexed = await search.get({ index: `${prefix}_products`, id });
    // A document written from a later row wins over a re-read of the same or an older row.
    await search.index({
      index: `${prefix}_products`,
      id,
      version: Date.now() + 60_000,
      version_type: 'external',
      body: { ...(indexed.body._source as object), name: `Newer ${tag}` },
      refresh: true,
    });
    expect(
      await syncProduct({ catalogPool: catalog, search, searchPrefix: prefix, refresh: true }, id),
    ).toBe('stale');
    await change(id, `DELETE FROM products WHERE id = $1`, ProductDeleted);
    const fresh = await newProduct(`Ibis ${tag}`);
    await change(fresh, `UPDATE products SET updated_at = now() WHERE id = $1`);
    await waitFor(async () => (await find(`Ibis ${tag}`)).some((h) => h.id === fresh), 10_000);
    await change(fresh, `DELETE FROM products WHERE id = $1`, ProductDeleted);
    await waitFor(async () => (await find(`Ibis ${tag}`)).every((h) => h.id !== fresh), 10_000);
  });
});
