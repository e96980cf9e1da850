import type pg from 'pg';
import {
  OrderCancelled,
  OrderPlaced,
  ReturnReceived,
  SAGA_TOPICS,
  StockRejected,
  StockReleased,
  StockReserved,
  StockRestocked,
  createEvent,
  writeOutboxEvent,
  type AnyEvent,
  type SagaTopics,
} from '@shop/events';
import {
  releaseStock,
  reserveStock,
  restockReturn,
  type Line,
} from '../data/stock-reservations.ts';

/**
 * The catalog side of the saga: OrderPlaced reserves (StockReserved or StockRejected to the
 * catalog outbox), OrderCancelled releases (StockReleased), all in the consumer's inbox
 * transaction. A declined payment cancels its order, so its stock comes back through that
 * OrderCancelled: the payments topic is not this consumer's to read. ReturnReceived puts a
 * returned parcel's units back in stock, once per return (StockRestocked).
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
      return;
    }
    if (event.type === ReturnReceived.type) {
      const { returnId, orderId, lines } = event.payload as {
        returnId: string;
        orderId: string;
        lines: Line[];
      };
      // Announced, so answers showing the old stock (the gateway's response cache) are purged.
      if (await restockReturn(tx, returnId, orderId, lines))
        await writeOutboxEvent(
          tx,
          createEvent(StockRestocked, orderId, {
            returnId,
            orderId,
            items: lines.map((l) => ({ productId: l.productId, quantity: l.quantity })),
          }),
          out,
        );
    }
  };
  return {
    handler,
    handles: [OrderPlaced.type, OrderCancelled.type, ReturnReceived.type],
    topics: [topics.orders],
  };
}
