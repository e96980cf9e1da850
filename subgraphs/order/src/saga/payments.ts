import { randomUUID } from 'node:crypto';
import type { Prisma } from '@shop/prisma/order';
import {
  PaymentAuthorized,
  PaymentFailed,
  StockReserved,
  createEvent,
  sleep,
  writeOutboxEvent,
  type AnyEvent,
} from '@shop/events';
import { DEFAULT_SAGA_TOPICS, type SagaTopics } from './order-saga.ts';

export interface PaymentSimulatorOptions {
  /** Probability (0..1) that a payment is declined. */
  declineRate: number;
  /** Simulated provider latency per authorization (ms). */
  latencyMs?: number;
  topics?: SagaTopics;
  random?: () => number;
}

export interface PaymentOutcome {
  orderId: string;
  paymentId: string;
  status: 'authorized' | 'declined';
  reason: string | null;
  /** False when the outcome was already recorded (a second delivery). */
  fresh: boolean;
}

/**
 * The simulated payment provider: authorizes or declines the order's total after StockReserved,
 * once per order (the `payments` row keyed by order id is the idempotency record, written in the
 * same transaction as the PaymentAuthorized/PaymentFailed outbox row). A second delivery for the
 * same order returns the recorded outcome and emits nothing.
 */
export function paymentSimulator(options: PaymentSimulatorOptions) {
  const topics = options.topics ?? DEFAULT_SAGA_TOPICS;
  const random = options.random ?? Math.random;

  async function authorize(tx: Prisma.TransactionClient, orderId: string): Promise<PaymentOutcome> {
    const recorded = await tx.payment.findUnique({ where: { orderId } });
    if (recorded)
      return {
        orderId,
        paymentId: recorded.paymentId,
        status: recorded.status as PaymentOutcome['status'],
        reason: recorded.reason,
        fresh: false,
      };
    const order = await tx.order.findUnique({
      where: { id: orderId },
      select: { totalAmount: true, currency: true },
    });
    if (!order) throw new Error(`payment for unknown order ${orderId}`);
    if (options.latencyMs) await sleep(options.latencyMs);
    const declined = random() < options.declineRate;
    const paymentId = `pay_${randomUUID()}`;
    const reason = declined ? 'card declined by the simulated provider' : null;
    const inserted = await tx.$executeRaw`
      INSERT INTO payments (order_id, payment_id, status, amount, currency, reason)
      VALUES (${orderId}::uuid, ${paymentId}, ${declined ? 'declined' : 'authorized'},
              ${order.totalAmount}, ${order.currency}, ${reason})
      ON CONFLICT (order_id) DO NOTHING`;
    if (inserted === 0) return authorize(tx, orderId); // a concurrent delivery recorded it first
    const amount = { amount: order.totalAmount.toFixed(2), currency: order.currency };
    await writeOutboxEvent(
      tx,
      declined
        ? createEvent(PaymentFailed, orderId, { orderId, reason: reason! })
        : createEvent(PaymentAuthorized, orderId, { orderId, paymentId, amount }),
      { topic: topics.payments },
    );
    return {
      orderId,
      paymentId,
      status: declined ? 'declined' : 'authorized',
      reason,
      fresh: true,
    };
  }

  const handler = async (event: AnyEvent, { tx }: { tx: Prisma.TransactionClient }) => {
    if (event.type !== StockReserved.type) return;
    await authorize(tx, (event.payload as { orderId: string }).orderId);
  };
  return { authorize, handler, topics: [topics.stock] };
}
