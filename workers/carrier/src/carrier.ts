/**
 * The simulated carrier, an outside party run as a worker of its own (like the saga's payment
 * provider): OrderCompleted (paid and confirmed) puts the order on the carrier's schedule, in
 * the consumer's inbox transaction on the order database, and a loop takes due steps
 * (PACK, SHIP with a tracking number, DELIVER) through the order's fulfilment state machine as
 * actor CARRIER. The schedule is a table, so the delays survive a restart; every step is
 * idempotent per order. A lost parcel (CARRIER_LOSS_RATE) is not delivered: ParcelLost, then
 * a new parcel (RESHIP) or a refund of the order (REFUND, by the payment provider). An approved
 * return (ReturnApproved) is brought back after a delay: the return is RECEIVED, which restocks
 * and refunds it. Every step is announced on Redis for live tracking, after its commit.
 */
import { createLogger, type Logger } from '@shop/logging';
import type { PrismaClient } from '@shop/prisma/order';
import type { Redis } from '@shop/redis';
import type pg from 'pg';
import {
  EventConsumer,
  OrderCompleted,
  ReturnApproved,
  TOPICS,
  pgTransaction,
  sharedConsumerOptions,
  type AnyEvent,
  type WorkerConsumerSettings,
} from '@shop/events';
import {
  announceOrderChange,
  msUntilNextCarrierStep,
  performDueCarrierSteps,
  scheduleCarrier,
  scheduleReturnPickup,
  type CarrierStepDone,
  type LostParcelResolution,
} from '@shop/order/carrier';

export interface CarrierOptions extends WorkerConsumerSettings {
  /** The order database (pg): the consumer's transactions, its inbox and the schedule. */
  orderPool: pg.Pool;
  /** The order database (Prisma): the fulfilment steps. */
  orderPrisma: PrismaClient;
  carrierName: string;
  /** Redis: steps announced for live tracking (orderUpdated). */
  redis: Redis;
  delays: { packMs: number; shipMs: number; deliverMs: number; returnMs: number };
  lossRate: number;
  lostParcel: LostParcelResolution;
  maxShipments: number;
  pollMs: number;
  random?: () => number;
  /** Topic names (tests use private ones): OrderCompleted is read from and steps go to `orders`. */
  topics?: { orders: string };
  /** Prefix of the consumer's name and group id (tests use a private one). */
  namePrefix?: string;
  /** Called after each performed step (tests, metrics). */
  onStep?: (step: CarrierStepDone) => void;
}

export interface Carrier {
  consumer: EventConsumer<pg.PoolClient>;
  /** Performs the due steps once (the loop calls it). */
  poll(): Promise<CarrierStepDone[]>;
  stop(): Promise<void>;
}

export async function startCarrier(options: CarrierOptions): Promise<Carrier> {
  const prefix = options.namePrefix ?? 'carrier';
  const logger: Logger = options.logger ?? createLogger(prefix, 'silent');
  const ordersTopic = options.topics?.orders ?? TOPICS.orders.name;
  const handler = async (event: AnyEvent, { tx }: { tx: pg.PoolClient }): Promise<void> => {
    if (event.type === OrderCompleted.type)
      await scheduleCarrier(tx, event.payload.orderId, options.delays.packMs);
    else if (event.type === ReturnApproved.type)
      await scheduleReturnPickup(
        tx,
        event.payload.orderId,
        event.payload.returnId,
        options.delays.returnMs,
      );
  };
  let stopped = false;
  let wake: (() => void) | null = null;
  const transaction = pgTransaction(options.orderPool);
  const consumer = new EventConsumer<pg.PoolClient>({
    ...sharedConsumerOptions(options),
    name: `${prefix}-orders`,
    topics: [ordersTopic],
    handles: [OrderCompleted.type, ReturnApproved.type],
    // A step scheduled here may be due before the loop's next wake-up: wake it once committed.
    transaction: async (work) => {
      const result = await transaction(work);
      wake?.();
      return result;
    },
    handler,
  });
  await consumer.start();

  const poll = async () => {
    const done = await performDueCarrierSteps(options.orderPool, options.orderPrisma, {
      carrierName: options.carrierName,
      shipDelayMs: options.delays.shipMs,
      deliverDelayMs: options.delays.deliverMs,
      lossRate: options.lossRate,
      lostParcel: options.lostParcel,
      maxShipments: options.maxShipments,
      random: options.random,
      ordersTopic: options.topics?.orders,
    });
    for (const step of done) {
      logger.info(step, 'carrier step');
      if (step.outcome === 'moved' || step.outcome === 'lost')
        await announceOrderChange(options.redis, { id: step.orderId }).catch((error: unknown) =>
          logger.warn({ err: error, orderId: step.orderId }, 'live tracking notice failed'),
        );
      options.onStep?.(step);
    }
    return done;
  };

  const loop = (async () => {
    while (!stopped) {
      // Idle, the carrier sleeps until its next step is due (or it schedules one, or another
      // replica may have: at most pollMs), instead of asking the schedule four times a second.
      let sleepMs = options.pollMs;
      try {
        // A full batch may leave more due rows: poll again at once.
        const done = await poll();
        if (done.length > 0 && !stopped) continue;
        const next = await msUntilNextCarrierStep(options.orderPool);
        // Never 0: a due row another replica holds locked would make this loop spin.
        if (next !== null) sleepMs = Math.min(sleepMs, Math.max(20, next));
      } catch (error) {
        logger.error({ err: error }, 'carrier poll failed');
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, sleepMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  })();

  return {
    consumer,
    poll,
    stop: async () => {
      stopped = true;
      (wake as (() => void) | null)?.();
      await loop;
      await consumer.stop();
    },
  };
}
