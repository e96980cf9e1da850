import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import {
  OrderCancelled,
  PaymentAuthorized,
  PaymentFailed,
  ParcelLost,
  PaymentRefunded,
  ReturnReceived,
  SAGA_TOPICS,
  StockReserved,
  createEvent,
  sleep,
  writeOutboxEvent,
  type AnyEvent,
  type SagaTopics,
} from '@shop/events';

const REFUND_REASON = 'order cancelled after payment';
const LOST_PARCEL_REASON = 'parcel lost in transit';

/** A client inside the consumer's transaction on the order database. */
type Tx = Pick<pg.PoolClient, 'query'>;

export interface PaymentSimulatorOptions {
  /** Probability (0..1) that a payment is declined. */
  declineRate: number;
  /** Simulated provider latency per authorization (ms). */
  latencyMs?: number;
  /**
   * The provider's call, made while the order row is held (so a cancel waits for it). Defaults
   * to waiting `latencyMs`; tests pass one they release themselves, to cancel at an exact step.
   */
  providerCall?: (orderId: string) => Promise<void>;
  topics?: SagaTopics;
  random?: () => number;
}

export interface PaymentOutcome {
  orderId: string;
  paymentId: string;
  status: 'authorized' | 'declined' | 'refunded' | 'voided';
  reason: string | null;
  /** False when the outcome was already recorded (a second delivery). */
  fresh: boolean;
}

/**
 * The simulated payment provider: authorizes or declines the order's total after StockReserved,
 * once per order (the `payments` row keyed by order id is the idempotency record, written in the
 * same transaction as the PaymentAuthorized/PaymentFailed outbox row). A second delivery for the
 * same order returns the recorded outcome and emits nothing.
 *
 * No payment is kept for a cancelled order: nothing is charged when the order is already
 * CANCELLED (recorded as `voided`); an authorization for an order cancelled during the
 * provider's call is refunded as it is recorded, and one cancelled afterwards is refunded when
 * its OrderCancelled arrives; once either way (`refunded`, with PaymentRefunded to the outbox).
 * The provider is called with no lock on the order held.
 */
export function paymentSimulator(options: PaymentSimulatorOptions) {
  const topics = options.topics ?? SAGA_TOPICS;
  const random = options.random ?? Math.random;
  const latencyMs = options.latencyMs ?? 0;
  const providerCall =
    options.providerCall ?? (async () => (latencyMs > 0 ? sleep(latencyMs) : undefined));

  async function authorize(tx: Tx, orderId: string): Promise<PaymentOutcome | null> {
    // The recorded payment (a second delivery) and the order's status in one round trip.
    const { rows: seen } = await tx.query<{
      status: string;
      payment_id: string | null;
      payment_status: PaymentOutcome['status'] | null;
      reason: string | null;
    }>(
      `SELECT o.status::text AS status, p.payment_id, p.status AS payment_status, p.reason
         FROM orders o LEFT JOIN payments p ON p.order_id = o.id
        WHERE o.id = $1::uuid`,
      [orderId],
    );
    const recorded = seen[0];
    if (recorded?.payment_id)
      return {
        orderId,
        paymentId: recorded.payment_id,
        status: recorded.payment_status!,
        reason: recorded.reason,
        fresh: false,
      };
    // StockReserved is published only after its order committed, so an unknown order is one of
    // another system sharing the topics (tests, benchmarks): not ours to charge, like the order
    // status handler ignores it. Retrying it would only hold up the partition.
    if (!recorded) return null;
    const voided = recorded.status === 'CANCELLED';
    // The provider is called holding no lock on the order: a slow provider must not hold up the
    // order's other steps (its STOCK_RESERVED, a customer's cancel).
    if (!voided) await providerCall(orderId);
    // From this share lock to the commit no cancel can commit (it needs the row), so the status
    // read here settles who refunds an authorization: a cancel that committed during the call
    // is seen now and refunded below; a later one refunds through its OrderCancelled.
    const {
      rows: [order],
    } = await tx.query<{ total: string; currency: string; status: string }>(
      `SELECT total_amount::text AS total, currency, status::text AS status
         FROM orders WHERE id = $1::uuid FOR SHARE`,
      [orderId],
    );
    if (!order) return null;
    const declined = !voided && random() < options.declineRate;
    const paymentId = `pay_${randomUUID()}`;
    const status = voided ? 'voided' : declined ? 'declined' : 'authorized';
    const reason = voided
      ? 'order cancelled before payment'
      : declined
        ? 'card declined by the simulated provider'
        : null;
    const { rowCount: inserted } = await tx.query(
      `INSERT INTO payments (order_id, payment_id, status, amount, currency, reason)
       VALUES ($1::uuid, $2, $3, $4::numeric, $5, $6)
       ON CONFLICT (order_id) DO NOTHING`,
      [orderId, paymentId, status, order.total, order.currency, reason],
    );
    if (!inserted) return authorize(tx, orderId); // a concurrent delivery recorded it first
    if (voided) return { orderId, paymentId, status, reason, fresh: true };
    const amount = { amount: order.total, currency: order.currency };
    await writeOutboxEvent(
      tx,
      declined
        ? createEvent(PaymentFailed, orderId, { orderId, reason: reason! })
        : createEvent(PaymentAuthorized, orderId, { orderId, paymentId, amount }),
      { topic: topics.payments },
    );
    if (!declined && order.status === 'CANCELLED' && (await refund(tx, orderId)))
      return { orderId, paymentId, status: 'refunded', reason: REFUND_REASON, fresh: true };
    return {
      orderId,
      paymentId,
      status: declined ? 'declined' : 'authorized',
      reason,
      fresh: true,
    };
  }

  /**
   * Refunds what is left of the order's authorized payment (all of it, less any return already
   * refunded), once: false when there is none to refund.
   */
  async function refund(tx: Tx, orderId: string, reason = REFUND_REASON): Promise<boolean> {
    const {
      rows: [paid],
    } = await tx.query<{ payment_id: string; amount: string; currency: string }>(
      `UPDATE payments SET status = 'refunded', refunded_at = now(), reason = $2
        WHERE order_id = $1::uuid AND status = 'authorized'
        RETURNING payment_id,
          (amount - COALESCE((SELECT sum(r.amount) FROM payment_refunds r
                               WHERE r.order_id = $1::uuid), 0))::text AS amount,
          currency`,
      [orderId, reason],
    );
    if (!paid || Number(paid.amount) <= 0) return false;
    await writeOutboxEvent(
      tx,
      createEvent(PaymentRefunded, orderId, {
        orderId,
        paymentId: paid.payment_id,
        amount: { amount: paid.amount, currency: paid.currency },
      }),
      { topic: topics.payments },
    );
    return true;
  }

  /**
   * Refunds a received return's amount, part of the order's payment, once per return (the
   * payment_refunds row keyed by return id is the idempotency record, written with the
   * PaymentRefunded outbox row). Nothing when the payment is not (or no longer) authorized: a
   * payment refunded in full has nothing left to give back. Never more than what is left.
   */
  async function refundReturn(
    tx: Tx,
    orderId: string,
    returnId: string,
    amount: { amount: string; currency: string },
  ): Promise<boolean> {
    if (Number(amount.amount) <= 0) return false;
    // The payment row's lock orders this against a concurrent full refund of the same order.
    const {
      rows: [paid],
    } = await tx.query<{ payment_id: string; left: string; currency: string }>(
      `SELECT p.payment_id, p.currency,
              (p.amount - COALESCE((SELECT sum(r.amount) FROM payment_refunds r
                                     WHERE r.order_id = p.order_id), 0))::text AS left
         FROM payments p WHERE p.order_id = $1::uuid AND p.status = 'authorized' FOR UPDATE`,
      [orderId],
    );
    if (!paid || paid.currency !== amount.currency) return false;
    if (Number(amount.amount) > Number(paid.left)) return false;
    const refundId = `re_${randomUUID()}`;
    const { rowCount } = await tx.query(
      `INSERT INTO payment_refunds (return_id, order_id, refund_id, payment_id, amount, currency)
       VALUES ($1::uuid, $2::uuid, $3, $4, $5::numeric, $6)
       ON CONFLICT (return_id) DO NOTHING`,
      [returnId, orderId, refundId, paid.payment_id, amount.amount, amount.currency],
    );
    if (!rowCount) return false;
    await writeOutboxEvent(
      tx,
      createEvent(PaymentRefunded, orderId, {
        orderId,
        paymentId: paid.payment_id,
        amount,
        returnId,
      }),
      { topic: topics.payments },
    );
    return true;
  }

  const handler = async (event: AnyEvent, { tx }: { tx: Tx }) => {
    const { orderId } = event.payload as { orderId: string };
    switch (event.type) {
      case StockReserved.type:
        await authorize(tx, orderId);
        return;
      case OrderCancelled.type:
        await refund(tx, orderId);
        return;
      case ReturnReceived.type: {
        const { returnId, refund: amount } = event.payload as {
          returnId: string;
          refund: { amount: string; currency: string };
        };
        await refundReturn(tx, orderId, returnId, amount);
        return;
      }
      case ParcelLost.type:
        if ((event.payload as { resolution: string }).resolution === 'REFUND')
          await refund(tx, orderId, LOST_PARCEL_REASON);
        return;
      default:
        return;
    }
  };
  return {
    authorize,
    refund,
    refundReturn,
    handler,
    handles: [StockReserved.type, OrderCancelled.type, ReturnReceived.type, ParcelLost.type],
    topics: [topics.stock, topics.orders],
  };
}
