/**
 * The order saga's consumers (choreography): catalog reserves and releases stock, the simulated
 * provider takes payments, the order follows. Each consumer writes its effect, its inbox row and
 * its outgoing events in one transaction of the database it changes.
 */
import type { Redis } from '@shop/redis';
import type pg from 'pg';
import { stockHandler } from '@shop/catalog/saga';
import {
  orderSagaHandler,
  startStepTimeoutSweeper,
  type StepTimeoutSweeper,
} from '@shop/order/saga';
import {
  EventConsumer,
  SAGA_TOPICS,
  pgTransaction,
  sharedConsumerOptions,
  type SagaTopics,
  type WorkerConsumerSettings,
} from '@shop/events';
import { paymentSimulator, type PaymentSimulatorOptions } from './payment-provider.ts';

export interface SagaOptions extends WorkerConsumerSettings {
  /** The order database: order status, payments, their inbox and outbox. */
  orderPool: pg.Pool;
  /** The catalog database: stock, reservations, their inbox and outbox. */
  catalogPool: pg.Pool;
  redis: Redis;
  topics?: SagaTopics;
  /** Prefix of the consumer names and group ids (tests use a private one). */
  namePrefix?: string;
  payment: Omit<PaymentSimulatorOptions, 'topics'>;
  /**
   * Step timeouts: an order PENDING or STOCK_RESERVED for longer than `timeoutMs` is cancelled
   * (checked every `intervalMs`; `userId` limits the sweep to one user's orders, for tests).
   * Off when absent.
   */
  stepTimeout?: { timeoutMs: number; intervalMs: number; userId?: string };
}

export interface Saga {
  consumers: EventConsumer<never>[];
  sweeper: StepTimeoutSweeper | null;
  stop(): Promise<void>;
}

/** The saga's consumers, in the order of `Saga.consumers` (their metrics' `consumer` label). */
export const SAGA_CONSUMERS = ['catalog-stock', 'payment-simulator', 'order-status'] as const;

export async function startSaga(options: SagaOptions): Promise<Saga> {
  const topics = options.topics ?? SAGA_TOPICS;
  const prefix = options.namePrefix ?? 'saga';
  const common = sharedConsumerOptions(options);
  const stock = stockHandler({ topics });
  const order = orderSagaHandler({
    pool: options.orderPool,
    redis: options.redis,
    topics,
    onPublishError: (err, orderId) =>
      options.logger?.error({ err, orderId }, 'order update not published'),
  });
  const payments = paymentSimulator({ ...options.payment, topics });
  const consumers = [
    new EventConsumer<pg.PoolClient>({
      ...common,
      name: `${prefix}-${SAGA_CONSUMERS[0]}`,
      topics: stock.topics,
      handles: stock.handles,
      transaction: pgTransaction(options.catalogPool),
      handler: stock.handler,
    }),
    new EventConsumer({
      ...common,
      name: `${prefix}-${SAGA_CONSUMERS[1]}`,
      topics: payments.topics,
      handles: payments.handles,
      transaction: pgTransaction(options.orderPool),
      handler: payments.handler,
    }),
    new EventConsumer({
      ...common,
      name: `${prefix}-${SAGA_CONSUMERS[2]}`,
      topics: order.topics,
      handles: order.handles,
      transaction: order.transaction,
      handler: order.handler,
    }),
  ];
  const started: { stop(): Promise<void> }[] = [];
  try {
    for (const c of consumers) {
      await c.start();
      started.push(c);
    }
  } catch (error) {
    await Promise.all(started.map((c) => c.stop()));
    throw error;
  }
  const sweeper = options.stepTimeout
    ? startStepTimeoutSweeper({
        pool: options.orderPool,
        redis: options.redis,
        topics,
        ...options.stepTimeout,
        onError: (err) => options.logger?.error({ err }, 'step timeout sweep failed'),
        onPublishError: (err, orderId) =>
          options.logger?.error({ err, orderId }, 'order update not published'),
      })
    : null;
  return {
    consumers: consumers as unknown as EventConsumer<never>[],
    sweeper,
    stop: async () => {
      await sweeper?.stop();
      await Promise.all(consumers.map((c) => c.stop()));
    },
  };
}
