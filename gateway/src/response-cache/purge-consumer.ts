import type { Kafka } from '@shop/kafka';
import {
  EventConsumer,
  NO_TRANSACTION,
  ProductCreated,
  ProductDeleted,
  ProductUpdated,
  ReviewCreated,
  ReviewDeleted,
  ReviewUpdated,
  SellerCreated,
  SellerDeleted,
  SellerUpdated,
  StockReleased,
  StockReserved,
  StockRestocked,
  TOPICS,
  UserUpdated,
  type AnyEvent,
} from '@shop/events';
import type { Logger } from '@shop/logging';
import type { ResponseCacheMetrics } from './metrics.ts';
import type { ResponseCacheStore } from './store.ts';

/**
 * The tags a catalog event makes stale (see tags.ts): the entity itself, and its type for the
 * lists it may join, leave or move in. Each event comes from the catalog's outbox after the
 * transaction that made the change committed, so an answer read after the purge is fresh.
 */
export function purgeTagsOf(event: AnyEvent): string[] {
  switch (event.type) {
    case ProductCreated.type:
    case ProductUpdated.type:
      // A product shows in its seller's and its category's answers.
      return [
        `Product:${event.payload.productId}`,
        'Product',
        `Seller:${event.payload.sellerId}`,
        ...(event.payload.categoryId ? [`Category:${event.payload.categoryId}`] : []),
      ];
    case ProductDeleted.type:
      return [`Product:${event.payload.productId}`, 'Product'];
    case SellerCreated.type:
    case SellerUpdated.type:
    case SellerDeleted.type:
      return [`Seller:${event.payload.sellerId}`, 'Seller'];
    case ReviewCreated.type:
    case ReviewUpdated.type:
    case ReviewDeleted.type:
      // The product's rating and review count move with its reviews.
      return [`Review:${event.payload.reviewId}`, 'Review', `Product:${event.payload.productId}`];
    case StockReserved.type:
    case StockReleased.type:
    case StockRestocked.type:
      // Stock changes filter lists too (inStock).
      return [...event.payload.items.map((line) => `Product:${line.productId}`), 'Product'];
    case UserUpdated.type:
      // A reviewer's name shows with their reviews.
      return [`User:${event.payload.userId}`];
    default:
      return [];
  }
}

export const PURGE_EVENTS = [
  ProductCreated.type,
  ProductUpdated.type,
  ProductDeleted.type,
  SellerCreated.type,
  SellerUpdated.type,
  SellerDeleted.type,
  ReviewCreated.type,
  ReviewUpdated.type,
  ReviewDeleted.type,
  StockReserved.type,
  StockReleased.type,
  StockRestocked.type,
  UserUpdated.type,
];

export interface PurgeConsumerOptions {
  kafka: Kafka;
  store: ResponseCacheStore;
  groupId: string;
  metrics: ResponseCacheMetrics;
  logger: Logger;
}

/**
 * The gateway's consumer of catalog (and user) events: each one purges the answers it makes stale. One
 * group for all gateways sharing the cache (the cache is one Redis), starting at the end of the
 * topics when new: the entries of a new group's cache are at most one TTL old. A purge is
 * idempotent, so it needs neither a transaction nor an inbox; a failing one is retried, then
 * dead-lettered like any handler (and the TTL bounds what it left).
 */
export function startPurgeConsumer(options: PurgeConsumerOptions): EventConsumer<never> {
  const { store, metrics } = options;
  return new EventConsumer<never>({
    name: options.groupId,
    kafka: options.kafka,
    topics: [
      TOPICS.products.name,
      TOPICS.sellers.name,
      TOPICS.reviews.name,
      TOPICS.stock.name,
      TOPICS.users.name,
    ],
    fromBeginning: false,
    handles: PURGE_EVENTS,
    transaction: NO_TRANSACTION,
    logger: options.logger,
    handler: async (event) => {
      const tags = purgeTagsOf(event);
      if (tags.length === 0) return;
      metrics.purgedEntries.inc(await store.purge(tags));
      metrics.purges.inc({ event: event.type });
    },
  });
}
