import type pg from 'pg';
import type { Redis } from '@shop/redis';
import {
  OrderCompleted,
  PaymentAuthorized,
  PaymentFailed,
  PaymentRefunded,
  StockRejected,
  StockReleased,
  StockReserved,
  SAGA_TOPICS,
  createEvent,
  pgTransaction,
  writeOutboxEvent,
  type AnyEvent,
  type SagaTopics,
  type TransactionHook,
} from '@shop/events';
import { markReturnRefunded } from '../data/return-writes.ts';
import { applyOrderEvent, applyOrderEvents, recordWorkflowStep } from '../data/saga-writes.ts';
import { announceOrderChange } from '../events/order-updates.ts';

type Tx = pg.PoolClient;

/**
 * A transaction hook on the order database whose handlers can queue work for after the commit
 * (announcing an order change must never announce a change that rolled back).
 */
export function orderTransaction(pool: pg.Pool): {
  transaction: TransactionHook<Tx>;
  afterCommit: (tx: Tx, work: () => Promise<void>) => void;
} {
  const queues = new WeakMap<object, (() => Promise<void>)[]>();
  const inTransaction = pgTransaction(pool);
  return {
    transaction: async (work) => {
      const queue: (() => Promise<void>)[] = [];
      const result = await inTransaction(async (tx) => {
        queues.set(tx, queue);
        try {
          return await work(tx);
        } finally {
          // A pooled client serves other transactions next: its queue must not outlive this one.
          queues.delete(tx);
        }
      });
      for (const job of queue) await job();
      return result;
    },
    afterCommit: (tx, work) => {
      const queue = queues.get(tx);
      if (!queue) throw new Error('afterCommit outside an order transaction');
      queue.push(work);
    },
  };
}

export interface OrderSagaOptions {
  /** The order database. */
  pool: pg.Pool;
  redis: Redis;
  topics?: SagaTopics;
  onPublishError?: (error: unknown, orderId: string) => void;
  /** After the commit of an order's completion (metrics). */
  onCompleted?: () => void;
  /** After the commit of a cancellation this handler made: the stock or the payment refused. */
  onCancelled?: (reason: 'stock_rejected' | 'payment_failed') => void;
}

/**
 * The order side of the saga: StockReserved, StockRejected, PaymentAuthorized and PaymentFailed
 * move the order through the state machine in the consumer's inbox transaction; OrderCompleted
 * (and OrderCancelled, written by the state change) go to the outbox. A transition the state
 * machine refuses is a duplicate or out-of-order event and is treated as handled. StockReleased
 * and PaymentRefunded are recorded in the order's workflow. After the commit the change is
 * announced for live tracking (by id: watchers re-read the order, so it is not read here).
 */
export function orderSagaHandler(options: OrderSagaOptions) {
  const topics = options.topics ?? SAGA_TOPICS;
  const { transaction, afterCommit } = orderTransaction(options.pool);
  const announce = (tx: Tx, orderId: string) =>
    afterCommit(tx, async () => {
      try {
        await announceOrderChange(options.redis, { id: orderId });
      } catch (error) {
        options.onPublishError?.(error, orderId);
      }
    });
  const ordersTopic = { ordersTopic: topics.orders };

  const handler = async (event: AnyEvent, { tx }: { tx: Tx }): Promise<void> => {
    switch (event.type) {
      case StockReserved.type: {
        const { orderId } = event.payload as { orderId: string };
        const r = await applyOrderEvent(tx, orderId, { type: 'STOCK_RESERVED' }, ordersTopic);
        if (r.applied) announce(tx, orderId);
        return;
      }
      case StockRejected.type: {
        const { orderId, reason } = event.payload as { orderId: string; reason: string };
        const r = await applyOrderEvent(
          tx,
          orderId,
          { type: 'CANCEL', reason: `stock rejected: ${reason}` },
          ordersTopic,
        );
        if (r.applied) announce(tx, orderId);
        if (r.applied && options.onCancelled)
          afterCommit(tx, async () => options.onCancelled?.('stock_rejected'));
        return;
      }
      case PaymentAuthorized.type: {
        const { orderId } = event.payload as { orderId: string };
        // Payments follow StockReserved, but on another topic: when the payment overtakes it,
        // the reservation is implied (the late StockReserved is then refused, harmlessly).
        const r = await applyOrderEvents(
          tx,
          orderId,
          [{ type: 'STOCK_RESERVED' }, { type: 'PAYMENT_AUTHORIZED' }, { type: 'COMPLETE' }],
          ordersTopic,
        );
        if (r.applied.length === 0) return;
        if (r.to === 'COMPLETED' && r.order && options.onCompleted)
          afterCommit(tx, async () => options.onCompleted?.());
        if (r.to === 'COMPLETED' && r.order)
          await writeOutboxEvent(
            tx,
            createEvent(OrderCompleted, orderId, {
              orderId,
              userId: r.order.userId,
              total: { amount: r.order.totalAmount, currency: r.order.currency },
            }),
            { topic: topics.orders },
          );
        announce(tx, orderId);
        return;
      }
      case PaymentFailed.type: {
        const { orderId, reason } = event.payload as { orderId: string; reason: string };
        const r = await applyOrderEvent(
          tx,
          orderId,
          { type: 'CANCEL', reason: `payment failed: ${reason}` },
          ordersTopic,
        );
        if (r.applied) announce(tx, orderId);
        if (r.applied && options.onCancelled)
          afterCommit(tx, async () => options.onCancelled?.('payment_failed'));
        return;
      }
      case StockReleased.type: {
        const { orderId, items } = event.payload as { orderId: string; items: unknown[] };
        const detail = `${items.length} line(s) back in stock`;
        if (
          await recordWorkflowStep(tx, orderId, {
            step: 'STOCK',
            event: 'STOCK_RELEASED',
            detail,
          })
        )
          announce(tx, orderId);
        return;
      }
      case PaymentRefunded.type: {
        const { orderId, paymentId, amount, returnId } = event.payload;
        const detail =
          `${amount.amount} ${amount.currency} refunded (${paymentId})` +
          (returnId ? ` for return ${returnId}` : '');
        // A return's refund also ends the return (REFUNDED), in the same transaction.
        const returned = returnId ? await markReturnRefunded(tx, returnId) : false;
        const recorded = await recordWorkflowStep(tx, orderId, {
          step: 'PAYMENT',
          event: 'PAYMENT_REFUNDED',
          detail,
        });
        if (returned || recorded) announce(tx, orderId);
        return;
      }
      default:
        return; // other events on these topics are not the order's business
    }
  };
  return {
    transaction,
    handler,
    handles: [
      StockReserved.type,
      StockRejected.type,
      StockReleased.type,
      PaymentAuthorized.type,
      PaymentFailed.type,
      PaymentRefunded.type,
    ],
    topics: [topics.stock, topics.payments],
  };
}
