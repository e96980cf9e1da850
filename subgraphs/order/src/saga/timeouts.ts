import type pg from 'pg';
import type { Redis } from '@shop/redis';
import { SAGA_TOPICS, pgTransaction, type SagaTopics } from '@shop/events';
import { applyOrderEvent } from '../data/saga-writes.ts';
import { announceOrderChange } from '../events/order-updates.ts';

/** What an order in a waiting status is waiting for (used in the cancel reason). */
const WAITING_FOR = {
  PENDING: 'stock reservation',
  STOCK_RESERVED: 'payment',
} as const;

export interface StepTimeoutOptions {
  /** The order database. */
  pool: pg.Pool;
  redis: Redis;
  /** How long an order may stay PENDING or STOCK_RESERVED before it is cancelled. */
  timeoutMs: number;
  /** How often to look for overdue orders. */
  intervalMs: number;
  /** Orders handled per sweep transaction. */
  batchSize?: number;
  topics?: SagaTopics;
  /** Limits the sweep to one user's orders (tests that share a database). */
  userId?: string;
  onError?: (error: unknown) => void;
  onPublishError?: (error: unknown, orderId: string) => void;
  /** After the commit of a sweep that cancelled orders (metrics). */
  onCancelled?: (count: number) => void;
}

export interface StepTimeoutSweeper {
  /** One sweep now: the ids of the orders it cancelled. */
  sweep(): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * Cancels orders that waited too long for a saga step. Each sweep claims overdue orders with
 * `FOR UPDATE SKIP LOCKED` (so replicas share the work and never wait for one another), moves
 * them to CANCELLED through the state machine (which writes OrderCancelled to the outbox, and
 * that releases the stock and refunds any payment) and announces the change after the commit.
 */
export function startStepTimeoutSweeper(options: StepTimeoutOptions): StepTimeoutSweeper {
  const topics = options.topics ?? SAGA_TOPICS;
  const batchSize = options.batchSize ?? 100;
  const userId = options.userId ?? null;

  const inTransaction = pgTransaction(options.pool);

  async function sweep(): Promise<string[]> {
    const cancelled = await inTransaction(async (tx) => {
      const { rows: overdue } = await tx.query<{
        id: string;
        status: keyof typeof WAITING_FOR;
      }>(
        `SELECT id::text AS id, status::text AS status FROM orders
          WHERE status IN ('PENDING', 'STOCK_RESERVED')
            AND updated_at < now() - make_interval(secs => $1::float8)
            AND ($2::uuid IS NULL OR user_id = $2::uuid)
          ORDER BY updated_at
          LIMIT $3
          FOR UPDATE SKIP LOCKED`,
        [options.timeoutMs / 1000, userId, batchSize],
      );
      const done: string[] = [];
      for (const o of overdue) {
        const r = await applyOrderEvent(
          tx,
          o.id,
          { type: 'CANCEL', reason: `timed out waiting for ${WAITING_FOR[o.status]}` },
          { ordersTopic: topics.orders },
        );
        if (r.applied) done.push(o.id);
      }
      return done;
    });
    if (cancelled.length > 0) options.onCancelled?.(cancelled.length);
    for (const id of cancelled) {
      try {
        await announceOrderChange(options.redis, { id, status: 'CANCELLED' });
      } catch (error) {
        options.onPublishError?.(error, id);
      }
    }
    return cancelled;
  }

  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    running = sweep()
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs);
      });
  };
  timer = setTimeout(tick, options.intervalMs);
  return {
    sweep,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
