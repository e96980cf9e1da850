/**
 * The search indexer: catalog events keep the products, sellers and reviews aliases current,
 * one consumer per topic so a seller rename that re-indexes thousands of products does not hold
 * up product updates. Every handler re-reads the catalog and writes what it finds (see
 * products.ts, sellers.ts, reviews.ts), so duplicated and out-of-order events are harmless;
 * the inbox (catalog database) only saves repeated work.
 */
import type pg from 'pg';
import {
  EventConsumer,
  ProductCreated,
  ProductDeleted,
  ProductUpdated,
  ReviewCreated,
  ReviewDeleted,
  ReviewUpdated,
  SellerCreated,
  SellerDeleted,
  SellerUpdated,
  TOPICS,
  pgTransaction,
  type AnyEvent,
  sharedConsumerOptions,
  type WorkerConsumerSettings,
} from '@shop/events';
import { syncProduct } from './products.ts';
import { syncReview } from './reviews.ts';
import { syncSeller } from './sellers.ts';
import type { CatalogReader, IndexSyncOptions } from './sync-options.ts';

export { syncProduct, syncSellerProducts } from './products.ts';
export { syncReview } from './reviews.ts';
export { syncSeller } from './sellers.ts';
export type { IndexSyncOptions } from './sync-options.ts';
/** @deprecated the same options under their older name. */
export type ProductIndexerOptions = IndexSyncOptions;

/**
 * Reads go through the handler's own transaction when there is one: a read taking a second
 * pool connection while the transaction holds one can starve the pool (every connection held by
 * a transaction waiting for a read) once several partitions are handled at the same time.
 */
function withReader(options: IndexSyncOptions, context?: { tx: CatalogReader }): IndexSyncOptions {
  return context ? { ...options, catalogPool: context.tx } : options;
}

export function productIndexHandler(base: IndexSyncOptions) {
  return async (event: AnyEvent, context?: { tx: CatalogReader }): Promise<void> => {
    const options = withReader(base, context);
    if (event.type === ProductCreated.type || event.type === ProductUpdated.type)
      await syncProduct(options, event.payload.productId);
    else if (event.type === ProductDeleted.type)
      await syncProduct(options, event.payload.productId, new Date(event.occurredAt));
  };
}

export function sellerIndexHandler(base: IndexSyncOptions) {
  return async (event: AnyEvent, context?: { tx: CatalogReader }): Promise<void> => {
    const options = withReader(base, context);
    if (event.type === SellerCreated.type || event.type === SellerUpdated.type)
      await syncSeller(options, event.payload.sellerId);
    else if (event.type === SellerDeleted.type)
      await syncSeller(options, event.payload.sellerId, new Date(event.occurredAt));
  };
}

export function reviewIndexHandler(base: IndexSyncOptions) {
  return async (event: AnyEvent, context?: { tx: CatalogReader }): Promise<void> => {
    const options = withReader(base, context);
    if (
      event.type === ReviewCreated.type ||
      event.type === ReviewUpdated.type ||
      event.type === ReviewDeleted.type
    )
      await syncReview(options, event.payload.reviewId);
  };
}

export interface SearchIndexerOptions extends IndexSyncOptions, WorkerConsumerSettings {
  /** The catalog pool: each handler's transaction (and inbox row) runs on one of its clients. */
  catalogPool: pg.Pool;
  /** Topic names (tests use private ones); a catalog topic left out is not consumed. */
  topics?: { products: string; sellers?: string; reviews?: string };
  namePrefix?: string;
}

export interface SearchIndexer {
  consumers: EventConsumer<never>[];
  /** What each consumer (same position) handles: products, sellers, reviews. */
  names: string[];
  stop(): Promise<void>;
}

export async function startSearchIndexer(options: SearchIndexerOptions): Promise<SearchIndexer> {
  const prefix = options.namePrefix ?? 'search-indexer';
  const common = sharedConsumerOptions(options);
  const catalogTopics = {
    products: options.topics ? options.topics.products : TOPICS.products.name,
    sellers: options.topics ? options.topics.sellers : TOPICS.sellers.name,
    reviews: options.topics ? options.topics.reviews : TOPICS.reviews.name,
  };
  const handlers = {
    products: productIndexHandler(options),
    sellers: sellerIndexHandler(options),
    reviews: reviewIndexHandler(options),
  };
  const consumers: EventConsumer<pg.PoolClient>[] = [];
  const names: string[] = [];
  for (const kind of ['products', 'sellers', 'reviews'] as const) {
    const topic = catalogTopics[kind];
    if (!topic) continue;
    names.push(kind);
    consumers.push(
      new EventConsumer<pg.PoolClient>({
        ...common,
        name: `${prefix}-${kind}`,
        topics: [topic],
        transaction: pgTransaction(options.catalogPool),
        handler: handlers[kind],
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
    names,
    stop: async () => {
      await Promise.all(consumers.map((c) => c.stop()));
    },
  };
}
