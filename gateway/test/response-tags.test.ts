import { readFileSync } from 'node:fs';
import { Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  createEvent,
  ProductUpdated,
  ReviewCreated,
  StockReserved,
  StockRestocked,
} from '@shop/events';
import { purgeTagsOf, responseTags } from '../src/response-cache/index.ts';
import { graphqlJs } from '../src/subscriptions/graphql-cjs.ts';

// Built as the gateway's is: by graphql-js loaded as CommonJS.
const schema = graphqlJs.buildSchema(
  readFileSync(new URL('../api-schema.graphql', import.meta.url), 'utf8'),
);

function tagsOf(query: string, data: Record<string, unknown>): string[] {
  const document = parse(query);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments = Object.fromEntries(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  return [...responseTags(schema, operation, fragments, data)].sort();
}

describe('response cache tags', () => {
  it('tags a product by id, its nested entities by id, and its lists by type', () => {
    const tags = tagsOf(
      `query ($id: ID!) { product(id: $id) { id name seller { id name } category { name }
         reviews(first: 2) { edges { node { ...R } } } } }
       fragment R on Review { key: id rating author { id name } }`,
      {
        product: {
          id: 'p1',
          name: 'Reel',
          seller: { id: 's1', name: 'Pike' },
          category: { name: 'Reels' },
          reviews: {
            edges: [{ node: { key: 'r1', rating: 5, author: { id: 'u1', name: 'Ann' } } }],
          },
        },
      },
    );
    expect(tags).toEqual([
      // The category's id was not selected: any category change purges it.
      'Category',
      'Product:p1',
      // A list of reviews (a connection, and inside a list), and each review by id (aliased).
      'Review',
      'Review:r1',
      'Seller:s1',
      'User',
      'User:u1',
    ]);
  });

  it('tags a connection by its node type even when no node is selected', () => {
    expect(
      tagsOf(`{ products(first: 5) { totalCount } }`, { products: { totalCount: 12 } }),
    ).toEqual(['Product']);
  });

  it('tags a lookup by id with that id, even when it found nothing', () => {
    expect(tagsOf(`{ product(id: "gone") { id name } }`, { product: null })).toEqual([
      'Product:gone',
    ]);
  });

  it('skips absent fields (@skip)', () => {
    expect(
      tagsOf(`query ($s: Boolean!) { product(id: "x") { id seller @skip(if: $s) { id } } }`, {
        product: { id: 'x' },
      }),
    ).toEqual(['Product:x']);
  });
});

describe('purge tags of catalog events', () => {
  it('purges a product, the lists it may be in, its seller and category', () => {
    const event = createEvent(ProductUpdated, 'p1', {
      productId: '2f0d6a8e-64a3-4a4e-9a55-5a8b1c1d2e3f',
      sellerId: '3f0d6a8e-64a3-4a4e-9a55-5a8b1c1d2e3f',
      categoryId: null,
      name: 'Reel',
      price: { amount: '10.00', currency: 'EUR' },
      stock: 3,
      weightGrams: 250,
      taxClass: 'STANDARD',
    });
    expect(purgeTagsOf(event)).toEqual([
      'Product:2f0d6a8e-64a3-4a4e-9a55-5a8b1c1d2e3f',
      'Product',
      'Seller:3f0d6a8e-64a3-4a4e-9a55-5a8b1c1d2e3f',
    ]);
  });

  it('purges the reviewed product with a review, and every product reserved from stock', () => {
    const productId = '2f0d6a8e-64a3-4a4e-9a55-5a8b1c1d2e3f';
    const reviewId = '4f0d6a8e-64a3-4a4e-9a55-5a8b1c1d2e3f';
    const userId = '5f0d6a8e-64a3-4a4e-9a55-5a8b1c1d2e3f';
    expect(
      purgeTagsOf(
        createEvent(ReviewCreated, productId, {
          reviewId,
          productId,
          userId,
          rating: 4,
          text: 'ok',
        }),
      ),
    ).toEqual([`Review:${reviewId}`, 'Review', `Product:${productId}`]);
    expect(
      purgeTagsOf(
        createEvent(StockReserved, userId, {
          orderId: userId,
          items: [{ productId, quantity: 2 }],
        }),
      ),
    ).toEqual([`Product:${productId}`, 'Product']);
    expect(
      purgeTagsOf(
        createEvent(StockRestocked, userId, {
          returnId: reviewId,
          orderId: userId,
          items: [{ productId, quantity: 1 }],
        }),
      ),
    ).toEqual([`Product:${productId}`, 'Product']);
  });
});
