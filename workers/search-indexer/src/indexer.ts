/**
 * The search indexer: product events keep the products alias current. A handler re-reads the
 * product (with its category chain and seller) from the catalog database, so an event only says
 * "look at this product"; the document is written with the row's updated_at as its external
 * version (`external_gte`), so a stale read that lands late cannot overwrite a newer document.
 * Indexing is idempotent, the inbox (catalog database) only saves repeated work.
 */
import { createLogger } from '@shop/logging';
import {
  productsAlias,
  toProductDocument,
  type CategoryNode,
  type SearchClient,
} from '@shop/search-client';
import type pg from 'pg';
import type { Redis } from '@shop/redis';
import { cartOrderConsumer } from '@shop/cart/order-events';
import {
  EventConsumer,
  ProductCreated,
  ProductDeleted,
  ProductUpdated,
  TOPICS,
  pgTransaction,
  type AnyEvent,
  sharedConsumerOptions,
  type WorkerConsumerSettings,
} from '@shop/events';

interface ProductRow {
  id: string;
  sku: string;
  name: string;
  description: string;
  price: string;
  currency: string;
  stock: number;
  ratingAvg: number | null;
  ratingCount: number;
  createdAt: Date;
  updatedAt: Date;
  categoryId: string;
  sellerId: string;
  sellerName: string;
}

const PRODUCT = `SELECT p.id, p.sku, p.name, p.description, p.price::text AS price, p.currency,
    p.stock, p.rating_avg AS "ratingAvg", p.rating_count AS "ratingCount",
    p.created_at AS "createdAt", p.updated_at AS "updatedAt", p.category_id AS "categoryId",
    p.seller_id AS "sellerId", s.name AS "sellerName"
  FROM products p JOIN sellers s ON s.id = p.seller_id WHERE p.id = $1::uuid`;

const CATEGORY_CHAIN = `WITH RECURSIVE chain AS (
    SELECT id, name, parent_id, 1 AS depth FROM categories WHERE id = $1::uuid
    UNION ALL
    SELECT c.id, c.name, c.parent_id, chain.depth + 1
    FROM categories c JOIN chain ON c.id = chain.parent_id WHERE chain.depth < 32
  ) SELECT id, name, parent_id AS "parentId" FROM chain`;

function isConflict(error: unknown): boolean {
  return (error as { meta?: { statusCode?: number } }).meta?.statusCode === 409;
}

export interface ProductIndexerOptions {
  catalogPool: pg.Pool;
  search: SearchClient;
  /** Index prefix: the products alias is `${prefix}_products`. */
  searchPrefix: string;
  /** Refresh after each write (tests); production relies on the index refresh interval. */
  refresh?: boolean;
}

/** Indexes (or removes) one product from the catalog's current row. */
export async function syncProduct(
  options: ProductIndexerOptions,
  productId: string,
  deletedAt?: Date,
): Promise<'indexed' | 'deleted' | 'stale'> {
  const index = productsAlias(options.searchPrefix);
  const refresh = options.refresh ? true : undefined;
  const { rows } = await options.catalogPool.query<ProductRow>(PRODUCT, [productId]);
  const row = rows[0];
  if (!row) {
    const version = (deletedAt ?? new Date()).getTime();
    try {
      await options.search.delete(
        { index, id: productId, version, version_type: 'external_gte', refresh },
        { ignore: [404] },
      );
    } catch (error) {
      if (isConflict(error)) return 'stale';
      throw error;
    }
    return 'deleted';
  }
  const chain = await options.catalogPool.query<CategoryNode>(CATEGORY_CHAIN, [row.categoryId]);
  const categories = new Map(chain.rows.map((c) => [c.id, c]));
  try {
    await options.search.index({
      index,
      id: row.id,
      version: row.updatedAt.getTime(),
      version_type: 'external_gte',
      refresh,
      body: toProductDocument(row, categories, { name: row.sellerName }),
    });
  } catch (error) {
    if (isConflict(error)) return 'stale';
    throw error;
  }
  return 'indexed';
}

export function productIndexHandler(options: ProductIndexerOptions) {
  return async (event: AnyEvent): Promise<void> => {
    if (event.type === ProductCreated.type || event.type === ProductUpdated.type)
      await syncProduct(options, event.payload.productId);
    else if (event.type === ProductDeleted.type)
      await syncProduct(options, event.payload.productId, new Date(event.occurredAt));
  };
}

export interface SearchIndexerOptions extends ProductIndexerOptions, WorkerConsumerSettings {
  topics?: { products: string; orders?: string };
  /** The cart side of OrderPlaced (ordered quantities leave the cart), when given. */
  cart?: { pool: pg.Pool; redis: Redis; cacheTtlSeconds?: number };
  namePrefix?: string;
}

export interface SearchIndexer {
  consumers: EventConsumer<never>[];
  stop(): Promise<void>;
}

export async function startSearchIndexer(options: SearchIndexerOptions): Promise<SearchIndexer> {
  const prefix = options.namePrefix ?? 'search-indexer';
  const common = sharedConsumerOptions(options);
  const consumers: EventConsumer<pg.PoolClient>[] = [
    new EventConsumer<pg.PoolClient>({
      ...common,
      name: `${prefix}-products`,
      topics: [options.topics?.products ?? TOPICS.products.name],
      transaction: pgTransaction(options.catalogPool),
      handler: productIndexHandler(options),
    }),
  ];
  if (options.cart) {
    const cart = cartOrderConsumer({
      cartPool: options.cart.pool,
      redis: options.cart.redis,
      cacheTtlSeconds: options.cart.cacheTtlSeconds,
      logger: options.logger ?? createLogger(prefix, 'silent'),
      topics: options.topics?.orders ? { orders: options.topics.orders } : undefined,
    });
    consumers.push(
      new EventConsumer<pg.PoolClient>({
        ...common,
        name: `${prefix}-cart-orders`,
        topics: cart.topics,
        transaction: cart.transaction,
        handler: cart.handler,
      }),
    );
  }
  const started: EventConsumer<pg.PoolClient>[] = [];
  try {
    for (const c of consumers) {
      await c.start();
      started.push(c);
    }
  } catch (error) {
    await Promise.all(started.map((c) => c.stop()));
    throw error;
  }
  return {
    consumers: consumers as unknown as EventConsumer<never>[],
    stop: async () => {
      await Promise.all(consumers.map((c) => c.stop()));
    },
  };
}
