import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogPrisma, type PrismaClient } from '@shop/prisma/catalog';
import {
  createSearchClient,
  productsAlias,
  reviewsAlias,
  searchProducts,
  type SearchClient,
} from '@shop/search-client';
import { rebuildSearchIndicesFrom } from '@shop/seed';
import { TEST_PREFIX, loadFixtureStore, withServiceDb } from '@shop/testing';
import type { Store } from '@shop/seed';
import { catalogDbUrl, env } from '../../../events/test/helpers.ts';

/** The full reindex (`npm run reindex`): alias swap without a gap, soft-deleted products left out. */
let store: Store;
let prisma: PrismaClient;
let search: SearchClient;
const prefix = `${TEST_PREFIX}_rx_${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  store = await loadFixtureStore(env());
  prisma = createCatalogPrisma(catalogDbUrl());
  search = createSearchClient(env().stack.elasticsearch.url);
  await rebuildSearchIndicesFrom(prisma, search, prefix);
});
afterAll(async () => {
  await search?.indices.delete({ index: `${prefix}_*` }, { ignore: [404] });
  await prisma?.$disconnect();
  await search?.close();
});

const aliasTargets = async (alias: string) =>
  Object.keys((await search.indices.getAlias({ name: alias })).body as object);

describe('full reindex', () => {
  it('keeps searches answering during the rebuild and leaves deleted products out', async () => {
    const reviewed = store.reviews[0]!;
    const deleted = store.products.find((p) => p.id === reviewed.productId)!;
    await withServiceDb(env(), 'catalog', (db) =>
      db.query(`UPDATE products SET deleted_at = now(), updated_at = now() WHERE id = $1`, [
        deleted.id,
      ]),
    );
    const word = store.products.find((p) => p.id !== deleted.id)!.name.split(' ')[0]!;
    const before = await aliasTargets(productsAlias(prefix));

    let rebuilding = true;
    const answers: number[] = [];
    const failures: string[] = [];
    const rebuild = rebuildSearchIndicesFrom(prisma, search, prefix).finally(() => {
      rebuilding = false;
    });
    while (rebuilding) {
      try {
        const page = await searchProducts(search, prefix, {
          query: word,
          filter: {},
          size: 5,
          from: 0,
        });
        answers.push(page.totalCount);
      } catch (error) {
        failures.push((error as Error).message);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    const result = await rebuild;

    expect(failures).toEqual([]);
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.every((n) => n > 0)).toBe(true);
    const after = await aliasTargets(productsAlias(prefix));
    expect(after).toEqual([result.index]);
    expect(after).not.toEqual(before);
    expect(result.count).toBe(store.products.length - 1);
    expect((await search.exists({ index: productsAlias(prefix), id: deleted.id })).body).toBe(
      false,
    );
    expect((await search.exists({ index: reviewsAlias(prefix), id: reviewed.id })).body).toBe(
      false,
    );
    expect(result.reviews).toBe(store.reviews.filter((r) => r.productId !== deleted.id).length);
  });
});
