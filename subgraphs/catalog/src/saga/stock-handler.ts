import type pg from 'pg';
import {
  OrderCancelled,
  OrderPlaced,
  SAGA_TOPICS,
  StockRejected,
  StockReleased,
  StockReserved,
  createEvent,
  writeOutboxEvent,
  type AnyEvent,
  type SagaTopics,
} from '@shop/events';
import { releaseStock, reserveStock, type Line } from '../data/stock-reservations.ts';

/**
 * The catalog side of the saga: OrderPlaced reserves (StockReserved or StockRejected to the
 * catalog outbox), OrderCancelled releases (StockReleased), all in the consumer's inbox
 * transaction. A declined payment cancels its order, so its stock comes back through that
 * OrderCancelled: the payments topic is not this consumer's to read.
 */
export function stockHandler(options: { topics?: SagaTopics } = {}) {
  const topics = options.topics ?? SAGA_TOPICS;
  const out = { topic: topics.stock };
  const handler = async (event: AnyEvent, { tx }: { tx: pg.PoolClient }): Promise<void> => {
    if (event.type === OrderPlaced.type) {
      const { orderId, items } = event.payload as { orderId: string; items: Line[] };
      const result = await reserveStock(tx, orderId, items);
      if (result.outcome === 'reserved')
        await writeOutboxEvent(
          tx,
          createEvent(StockReserved, orderId, { orderId, items: result.items }),
          out,
        );
      else if (result.outcome === 'rejected')
        await writeOutboxEvent(
          tx,
          createEvent(StockRejected, orderId, {
            orderId,
            reason: result.reason,
            productIds: result.productIds,
          }),
          out,
        );
      return;
    }
    if (event.type === OrderCancelled.type) {
      const { orderId } = event.payload as { orderId: string };
      const items = await releaseStock(tx, orderId);
      if (items)
        await writeOutboxEvent(tx, createEvent(StockReleased, orderId, { orderId, items }), out);
    }
  };
  return {
    handler,
    handles: [OrderPlaced.type, OrderCancelled.type],
    topics: [topics.orders],
  };
}
