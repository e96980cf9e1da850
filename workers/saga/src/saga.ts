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
  consumerRoute,
  SAGA_TOPICS,
  pgTransaction,
  sharedConsumerOptions,
  type AnyEvent,
  type SagaTopics,
  type WorkerConsumerSettings,
} from '@shop/events';
import { paymentSimulator, type PaymentSimulatorOptions } from './payment-provider.ts';
import type { SagaMetrics } from './saga-metrics.ts';

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
  /**
   * The parties this process runs (default all): a deployment may run the simulated provider
   * apart, and tests leave one out to play a party that never answers.
   */
  parties?: readonly SagaParty[];
  /** Step durations and the order funnel (the worker's /metrics); none in tests that skip it. */
  metrics?: SagaMetrics;
}

export interface Saga {
  /** One consumer group for the whole saga: each event is fetched and read once. */
  consumer: EventConsumer<never>;
  sweeper: StepTimeoutSweeper | null;
  stop(): Promise<void>;
}

/**
 * The saga's parties, each a route of the consumer with its own inbox name (`<prefix>-<party>`)
 * and database. For StockReserved the order's status is written before the payment is taken,
 * so a slow provider never hides the reservation from the customer.
 */
export const SAGA_PARTIES = ['catalog-stock', 'order-status', 'payment-simulator'] as const;
export type SagaParty = (typeof SAGA_PARTIES)[number];

export async function startSaga(options: SagaOptions): Promise<Saga> {
  const topics = options.topics ?? SAGA_TOPICS;
  const prefix = options.namePrefix ?? 'saga';
  const parties = new Set(options.parties ?? SAGA_PARTIES);
  const stock = stockHandler({ topics });
  const order = orderSagaHandler({
    pool: options.orderPool,
    redis: options.redis,
    topics,
    onPublishError: (err, orderId) =>
      options.logger?.error({ err, orderId }, 'order update not published'),
    onCompleted: options.metrics?.funnel.completed,
    onCancelled: options.metrics?.funnel.cancelled,
  });
  const timed = <T>(party: SagaParty, handler: (event: AnyEvent, ctx: T) => Promise<void>) =>
    options.metrics ? options.metrics.timed(party, handler) : handler;
  const payments = paymentSimulator({ ...options.payment, topics });
  const routes = {
    'catalog-stock': {
      topics: stock.topics,
      route: consumerRoute({
        name: `${prefix}-catalog-stock`,
        handles: stock.handles,
        transaction: pgTransaction(options.catalogPool),
        handler: timed('catalog-stock', stock.handler),
      }),
    },
    'order-status': {
      topics: order.topics,
      route: consumerRoute({
        name: `${prefix}-order-status`,
        handles: order.handles,
        transaction: order.transaction,
        handler: timed('order-status', order.handler),
      }),
    },
    'payment-simulator': {
      topics: payments.topics,
      route: consumerRoute({
        name: `${prefix}-payment-simulator`,
        handles: payments.handles,
        transaction: pgTransaction(options.orderPool),
        handler: timed('payment-simulator', payments.handler),
      }),
    },
  } satisfies Record<SagaParty, unknown>;
  const running = SAGA_PARTIES.filter((party) => parties.has(party)).map((p) => routes[p]);
  const consumer = new EventConsumer({
    ...sharedConsumerOptions(options),
    // Every partition of the three topics at once by default: a slow provider call holds up
    // its own partition only.
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 9,
    name: prefix,
    topics: [...new Set(running.flatMap((r) => r.topics))],
    routes: running.map((r) => r.route),
  });
  await consumer.start();
  const sweeper = options.stepTimeout
    ? startStepTimeoutSweeper({
        pool: options.orderPool,
        redis: options.redis,
        topics,
        ...options.stepTimeout,
        onError: (err) => options.logger?.error({ err }, 'step timeout sweep failed'),
        onPublishError: (err, orderId) =>
          options.logger?.error({ err, orderId }, 'order update not published'),
        onCancelled: (count) => options.metrics?.funnel.cancelled('timeout', count),
      })
    : null;
  return {
    consumer: consumer as unknown as EventConsumer<never>,
    sweeper,
    stop: async () => {
      await sweeper?.stop();
      await consumer.stop();
    },
  };
}
