import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '@shop/auth';
import type { Kafka } from '@shop/kafka';
import { OutboxRelay, ProductUpdated, TOPICS, createEvent, encodeEvent } from '@shop/events';
import {
  createSearchClient,
  productsAlias,
  reviewsAlias,
  type SearchClient,
} from '@shop/search-client';
import type { Store } from '@shop/seed';
import {
  TEST_PREFIX,
  graphql,
  loadFixtureStore,
  startSupergraph,
  type RunningSupergraph,
} from '@shop/testing';
import { startSearchIndexer, type SearchIndexer } from '../src/indexer.ts';
import { catalogDbUrl, env, testKafka, waitFor } from '../../../events/test/helpers.ts';

/**
 * The whole path on the real topics: catalog mutations through the gateway -> catalog outbox ->
 * relay -> Kafka -> indexer -> Elasticsearch -> search subgraph through the gateway. The
 * indexer's consumer groups start at the topics' current end (earlier runs' messages are not
 * replayed), and every name carries a random tag so only this run's documents match.
 */
let supergraph: RunningSupergraph;
let store: Store;
let kafka: Kafka;
let catalog: pg.Pool;
let search: SearchClient;
let relay: OutboxRelay;
let indexer: SearchIndexer;
let sellerA: Identity;
let sellerAId: string;
let categoryId: string;
const tag = randomUUID().slice(0, 6);
const groupPrefix = `sync-test-${tag}`;

/** Commits the new consumer groups at the end of each topic, so the indexer starts from there. */
async function startGroupsAtEnd() {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const kind of ['products', 'sellers', 'reviews'] as const)
      await admin.resetOffsets({
        groupId: `${groupPrefix}-${kind}`,
        topic: TOPICS[kind].name,
        earliest: false,
      });
  } finally {
    await admin.disconnect();
  }
}

beforeAll(async () => {
  store = await loadFixtureStore(env());
  supergraph = await startSupergraph(env());
  sellerAId = store.sellers[0]!.id;
  sellerA = { userId: store.sellers[0]!.ownerUserId, role: 'SELLER' };
  categoryId = store.categories.find((c) => c.parentId !== null)!.id;
  kafka = testKafka('search-sync-test');
  catalog = new pg.Pool({ connectionString: catalogDbUrl(), max: 4 });
  search = createSearchClient(env().stack.elasticsearch.url);
  await startGroupsAtEnd();
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
    searchPrefix: TEST_PREFIX,
    namePrefix: groupPrefix,
    backoff: { initialMs: 20, maxMs: 200 },
  });
});
afterAll(async () => {
  await indexer?.stop();
  await relay?.stop();
  await catalog?.end();
  await search?.close();
  await supergraph?.close();
});

async function as(identity: Identity | null, query: string, variables: Record<string, unknown>) {
  const headers = identity ? await supergraph.authAs(identity) : {};
  const res = await graphql<any>(supergraph.gatewayUrl, query, variables, headers);
  expect(res.errors).toBeUndefined();
  return res.data;
}

/** Ids of products found for a word (the fuzzy query and the exact text filter both match it). */
async function productHits(word: string, field: 'name' | 'seller { name }' = 'name') {
  const data = await as(
    null,
    `query ($q: String!) { searchProducts(query: $q, first: 50) { hits { product { id ${field} } } } }`,
    { q: word },
  );
  return data.searchProducts.hits.map((h: any) => h.product) as {
    id: string;
    name?: string;
    seller?: { name: string };
  }[];
}
const sellerHits = async (word: string) =>
  (
    await as(
      null,
      `query ($q: String!) { searchSellers(query: $q, first: 50) { hits { seller { id name } } } }`,
      { q: word },
    )
  ).searchSellers.hits.map((h: any) => h.seller) as { id: string; name: string }[];
const reviewHits = async (word: string) =>
  (
    await as(
      null,
      `query ($q: String!) { searchReviews(query: $q, first: 50) { hits { review { id text } } } }`,
      { q: word },
    )
  ).searchReviews.hits
    // A review deleted since it was indexed resolves to null until the indexer catches up.
    .map((h: any) => h.review)
    .filter(Boolean) as { id: string; text: string }[];

const has = (hits: { id: string }[], id: string) => hits.some((h) => h.id === id);

async function createProduct(name: string, sellerId = sellerAId, owner = sellerA) {
  return (
    await as(
      owner,
      `mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }`,
      { input: { sellerId, categoryId, name, price: '31.00', stock: 7 } },
    )
  ).createProduct.id as string;
}

describe('search sync through the real pipeline', () => {
  it('follows a product through create, update and delete, and a late update cannot bring it back', async () => {
    const id = await createProduct(`Zanderfang${tag} Crankbait`);
    await waitFor(async () => has(await productHits(`Zanderfang${tag}`), id), 15_000);

    await as(
      sellerA,
      `mutation ($id: ID!) { updateProduct(id: $id, input: { name: "Walleyebite${tag} Crankbait" }) { id } }`,
      { id },
    );
    await waitFor(async () => has(await productHits(`Walleyebite${tag}`), id), 15_000);
    expect(has(await productHits(`Zanderfang${tag}`), id)).toBe(false);

    await as(sellerA, `mutation ($id: ID!) { deleteProduct(id: $id) }`, { id });
    await waitFor(async () => !has(await productHits(`Walleyebite${tag}`), id), 15_000);

    // A duplicated, late ProductUpdated (taken before the delete) arrives after the delete.
    const products = indexer.consumers[indexer.names.indexOf('products')]!;
    const handled = products.stats.handled;
    const late = createEvent(
      ProductUpdated,
      id,
      {
        productId: id,
        sellerId: sellerAId,
        categoryId,
        name: `Walleyebite${tag} Crankbait`,
        price: { amount: '31.00', currency: 'USD' },
        stock: 7,
      },
      { occurredAt: new Date(Date.now() - 60_000) },
    );
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: TOPICS.products.name,
      messages: [encodeEvent(late), encodeEvent({ ...late, eventId: randomUUID() })],
    });
    await producer.disconnect();
    await waitFor(() => products.stats.handled + products.stats.duplicates >= handled + 2, 15_000);
    await search.indices.refresh({ index: productsAlias(TEST_PREFIX) });
    const doc = await search.exists({ index: productsAlias(TEST_PREFIX), id });
    expect(doc.body).toBe(false);
    expect(has(await productHits(`Walleyebite${tag}`), id)).toBe(false);
  });

  it('indexes a new seller and carries a rename into searchSellers and its products', async () => {
    const owner: Identity = { userId: randomUUID(), role: 'SELLER' };
    const seller = (
      await as(
        owner,
        `mutation ($input: CreateSellerInput!) { createSeller(input: $input) { id } }`,
        { input: { name: `Muskellunge${tag} Outfitters`, description: 'Big baits.' } },
      )
    ).createSeller;
    await waitFor(async () => has(await sellerHits(`Muskellunge${tag}`), seller.id), 15_000);
    const productId = await createProduct(`Bucktail${tag} Spinner`, seller.id, owner);
    await waitFor(async () => has(await productHits(`Muskellunge${tag}`), productId), 15_000);

    await as(
      owner,
      `mutation ($id: ID!) { updateSeller(id: $id, input: { name: "Sturgeonhall${tag} Outfitters" }) { id } }`,
      { id: seller.id },
    );
    await waitFor(async () => has(await sellerHits(`Sturgeonhall${tag}`), seller.id), 15_000);
    expect(has(await sellerHits(`Muskellunge${tag}`), seller.id)).toBe(false);
    // The product document embeds the seller name: the rename reaches it too.
    await waitFor(async () => has(await productHits(`Sturgeonhall${tag}`), productId), 15_000);
    expect(has(await productHits(`Muskellunge${tag}`), productId)).toBe(false);
  });

  it('adds and removes review documents, renames them with their product, and the product rating follows', async () => {
    const productId = await createProduct(`Catfishclaw${tag} Rig`);
    const reviewer: Identity = { userId: randomUUID(), role: 'CUSTOMER' };
    const review = (
      await as(
        reviewer,
        `mutation ($p: ID!) { addReview(productId: $p, rating: 4, text: "Hooked a Snagglefin${tag} first cast") { id } }`,
        { p: productId },
      )
    ).addReview;
    await waitFor(async () => has(await reviewHits(`Snagglefin${tag}`), review.id), 15_000);
    await waitFor(async () => {
      const doc = await search.get(
        { index: productsAlias(TEST_PREFIX), id: productId },
        { ignore: [404] },
      );
      return (doc.body._source as { rating?: number } | undefined)?.rating === 4;
    }, 15_000);

    // A product rename reaches its review documents.
    await as(
      sellerA,
      `mutation ($id: ID!) { updateProduct(id: $id, input: { name: "Mudpuppy${tag} Rig" }) { id } }`,
      { id: productId },
    );
    await waitFor(async () => {
      const doc = await search.get({ index: reviewsAlias(TEST_PREFIX), id: review.id });
      return (doc.body._source as { productName: string }).productName === `Mudpuppy${tag} Rig`;
    }, 15_000);

    await as(reviewer, `mutation ($id: ID!) { deleteReview(id: $id) }`, { id: review.id });
    await waitFor(async () => !has(await reviewHits(`Snagglefin${tag}`), review.id), 15_000);
    await waitFor(async () => {
      const doc = await search.get({ index: productsAlias(TEST_PREFIX), id: productId });
      const source = doc.body._source as { rating: number | null; ratingCount: number };
      return source.rating === null && source.ratingCount === 0;
    }, 15_000);
    const gone = await search.exists({ index: reviewsAlias(TEST_PREFIX), id: review.id });
    expect(gone.body).toBe(false);
  });
});
