/**
 * The order database's writes made by the simulated carrier (workers/carrier): its schedule
 * (`carrier_schedule`, one row per order: the next step and when it is due) and the steps
 * themselves, which go through `applyFulfillmentStep` with actor CARRIER like a seller's or an
 * admin's. The schedule lives in the database, so the delays survive a restart of the worker.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { PrismaClient } from '@shop/prisma/order';
import { OrderShipped, ParcelLost, createEvent, writeOutboxEvent } from '@shop/events';
import { DomainError } from '@shop/subgraph-kit';
import { estimatedDeliveryOf } from '../domain/fulfillment-status.ts';
import { applyFulfillmentStep, type ShipmentStep } from './fulfillment-writes.ts';
import { applyReturnStep } from './return-writes.ts';
import type { SagaTx } from './saga-writes.ts';

export type CarrierStep = 'PACK' | 'SHIP' | 'DELIVER' | 'RECEIVE_RETURN';

/** The workflow entry of a parcel the carrier lost (step FULFILMENT, event LOST_IN_TRANSIT). */
export const LOST_IN_TRANSIT = 'LOST_IN_TRANSIT';

/** What the carrier does about a lost parcel: the order is refunded, or a new parcel sent. */
export type LostParcelResolution = 'REFUND' | 'RESHIP';

/**
 * The tracking number the carrier gives an order's `shipment`-th parcel: deterministic, so a
 * repeated SHIP matches and a re-shipment gets a number of its own.
 */
export function trackingNumberFor(orderId: string, shipment = 1): string {
  const key = shipment === 1 ? orderId : `${orderId}#${shipment}`;
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 16).toUpperCase();
  return `SIM${hash}`;
}

/**
 * Schedules the carrier to bring an approved return back (RECEIVE_RETURN after `delayMs`), in
 * the consumer's transaction. A second ReturnApproved of the same return leaves the due time as
 * it is. False when the return is not APPROVED in this database (another system's, or already
 * received by hand).
 */
export async function scheduleReturnPickup(
  tx: SagaTx,
  orderId: string,
  returnId: string,
  delayMs: number,
): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO carrier_schedule (order_id, next_step, due_at, return_id)
     SELECT r.order_id, 'RECEIVE_RETURN', now() + $3::int * interval '1 millisecond', r.id
       FROM returns r WHERE r.id = $2::uuid AND r.order_id = $1::uuid AND r.status = 'APPROVED'
     ON CONFLICT (order_id) DO UPDATE
        SET next_step = 'RECEIVE_RETURN', return_id = EXCLUDED.return_id,
            due_at = EXCLUDED.due_at, outcome = NULL, updated_at = now()
      WHERE carrier_schedule.return_id IS DISTINCT FROM EXCLUDED.return_id`,
    [orderId, returnId, delayMs],
  );
  return (rowCount ?? 0) > 0;
}

/**
 * Schedules the carrier's first step (PACK) for a completed order, inside the caller's
 * transaction (the consumer's inbox transaction). Once per order: a second OrderCompleted
 * leaves the schedule as it is. False for an order this database does not have or that is not
 * COMPLETED (another system sharing the topic).
 */
export async function scheduleCarrier(
  tx: SagaTx,
  orderId: string,
  delayMs: number,
): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO carrier_schedule (order_id, next_step, due_at)
     SELECT id, 'PACK', now() + $2::int * interval '1 millisecond'
       FROM orders WHERE id = $1::uuid AND status = 'COMPLETED'
     ON CONFLICT (order_id) DO NOTHING`,
    [orderId, delayMs],
  );
  return (rowCount ?? 0) > 0;
}

export interface CarrierRunOptions {
  /** The carrier name when the order's shipping snapshot names none. */
  carrierName: string;
  /** Delays before SHIP (after PACK) and before DELIVER (after SHIP). */
  shipDelayMs: number;
  deliverDelayMs: number;
  /** Probability (0..1) that a shipped parcel is lost instead of delivered. */
  lossRate: number;
  /** What a loss leads to (default RESHIP); after `maxShipments` parcels, REFUND. */
  lostParcel?: LostParcelResolution;
  maxShipments?: number;
  random?: () => number;
  /** Due rows taken per pass. */
  batchSize?: number;
  ordersTopic?: string;
}

export interface CarrierStepDone {
  orderId: string;
  step: CarrierStep;
  /**
   * moved, a harmless repeat, lost in transit (then re-shipped or refunded), or stopped (the
   * order refused the step).
   */
  outcome: 'moved' | 'unchanged' | 'lost' | 'stopped';
  resolution?: LostParcelResolution;
}

const NEXT: Record<CarrierStep, CarrierStep | null> = {
  PACK: 'SHIP',
  SHIP: 'DELIVER',
  DELIVER: null,
  RECEIVE_RETURN: null,
};

/** The carrier's next step for an order whose fulfilment is `status`, or null: nothing to do. */
function stepAfterStatus(status: string): CarrierStep | null {
  return status === 'UNFULFILLED'
    ? 'PACK'
    : status === 'PACKED'
      ? 'SHIP'
      : status === 'SHIPPED'
        ? 'DELIVER'
        : null;
}

/**
 * Performs the carrier's due steps: takes due schedule rows with FOR UPDATE SKIP LOCKED (so two
 * carriers never take the same order), makes each step (its own transaction in
 * `applyFulfillmentStep`; a repeat after a crash between that commit and this one is a no-op),
 * then moves the row to the next step, or ends it. A step the order refuses (a seller moved it
 * by hand, the order is not COMPLETED) continues from where the order is, or stops.
 */
/**
 * How long until the next carrier step is due: 0 when one is due now, null when none is
 * scheduled. The carrier sleeps that long instead of polling (carrier_schedule's partial index).
 */
export async function msUntilNextCarrierStep(pool: pg.Pool): Promise<number | null> {
  const { rows } = await pool.query<{ ms: number | null }>(
    `SELECT (EXTRACT(EPOCH FROM (min(due_at) - now())) * 1000)::float8 AS ms
       FROM carrier_schedule WHERE next_step IS NOT NULL`,
  );
  const ms = rows[0]?.ms;
  return ms === null || ms === undefined ? null : Math.max(0, Math.ceil(ms));
}

export async function performDueCarrierSteps(
  pool: pg.Pool,
  prisma: PrismaClient,
  options: CarrierRunOptions,
): Promise<CarrierStepDone[]> {
  const random = options.random ?? Math.random;
  const client = await pool.connect();
  const done: CarrierStepDone[] = [];
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{
      order_id: string;
      next_step: CarrierStep;
      carrier: string | null;
      return_id: string | null;
      shipments: number;
    }>(
      `SELECT s.order_id::text AS order_id, s.next_step, o.shipping_method->>'carrier' AS carrier,
              s.return_id::text AS return_id, s.shipments
         FROM carrier_schedule s JOIN orders o ON o.id = s.order_id
        WHERE s.next_step IS NOT NULL AND s.due_at <= now()
        ORDER BY s.due_at LIMIT $1 FOR UPDATE OF s SKIP LOCKED`,
      [options.batchSize ?? 20],
    );
    for (const row of rows) {
      const orderId = row.order_id;
      const end = (outcome: string | null) =>
        client.query(
          `UPDATE carrier_schedule SET next_step = NULL, outcome = $2, updated_at = now()
            WHERE order_id = $1::uuid`,
          [orderId, outcome],
        );
      const schedule = (step: CarrierStep | null) => {
        if (!step) return end(null);
        const delay =
          step === 'SHIP' ? options.shipDelayMs : step === 'DELIVER' ? options.deliverDelayMs : 0;
        return client.query(
          `UPDATE carrier_schedule
              SET next_step = $2, due_at = now() + $3::int * interval '1 millisecond',
                  updated_at = now()
            WHERE order_id = $1::uuid`,
          [orderId, step, delay],
        );
      };
      if (row.next_step === 'RECEIVE_RETURN') {
        done.push(await receiveReturn(prisma, row.order_id, row.return_id, options));
        await end(null);
        continue;
      }
      if (row.next_step === 'DELIVER' && options.lossRate > 0 && random() < options.lossRate) {
        const wanted = options.lostParcel ?? 'RESHIP';
        const resolution =
          wanted === 'RESHIP' && row.shipments >= (options.maxShipments ?? 3) ? 'REFUND' : wanted;
        const lost = await recordParcelLost(client, orderId, {
          resolution,
          shipment: row.shipments,
          carrierName: row.carrier?.trim() || options.carrierName,
          ordersTopic: options.ordersTopic,
        });
        // Not lost when the order is no longer SHIPPED: a delivery that committed before a crash
        // kept this row from moving on, so the step below finds it done and ends the schedule.
        if (lost) {
          if (resolution === 'RESHIP')
            await client.query(
              `UPDATE carrier_schedule
                  SET next_step = 'DELIVER', shipments = shipments + 1, updated_at = now(),
                      due_at = now() + $2::int * interval '1 millisecond'
                WHERE order_id = $1::uuid`,
              [orderId, options.deliverDelayMs],
            );
          else await end('lost in transit, refunded');
          done.push({ orderId, step: row.next_step, outcome: 'lost', resolution });
          continue;
        }
      }
      const step: ShipmentStep =
        row.next_step === 'SHIP'
          ? {
              type: 'SHIP',
              carrier: row.carrier?.trim() || options.carrierName,
              trackingNumber: trackingNumberFor(orderId, row.shipments),
            }
          : { type: row.next_step };
      try {
        const moved = await applyFulfillmentStep(
          prisma,
          orderId,
          step,
          { actor: 'CARRIER', userId: null },
          { ordersTopic: options.ordersTopic },
        );
        await schedule(NEXT[row.next_step]);
        done.push({ orderId, step: row.next_step, outcome: moved ? 'moved' : 'unchanged' });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        // The order refused the step: continue from where it is, or stop with the reason.
        const {
          rows: [order],
        } = await client.query<{ status: string; fulfillment_status: string }>(
          `SELECT status::text AS status, fulfillment_status::text AS fulfillment_status
             FROM orders WHERE id = $1::uuid`,
          [orderId],
        );
        const next =
          order?.status === 'COMPLETED' ? stepAfterStatus(order.fulfillment_status) : null;
        if (next && next !== row.next_step) await schedule(next);
        else await end(error.message.slice(0, 200));
        done.push({ orderId, step: row.next_step, outcome: 'stopped' });
      }
    }
    await client.query('COMMIT');
    return done;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** The carrier brings an approved return back: RECEIVE through the return's state machine. */
async function receiveReturn(
  prisma: PrismaClient,
  orderId: string,
  returnId: string | null,
  options: CarrierRunOptions,
): Promise<CarrierStepDone> {
  if (!returnId) return { orderId, step: 'RECEIVE_RETURN', outcome: 'stopped' };
  try {
    const { changed } = await applyReturnStep(
      prisma,
      returnId,
      { type: 'RECEIVE' },
      { actor: 'CARRIER', userId: null },
      { ordersTopic: options.ordersTopic },
    );
    return { orderId, step: 'RECEIVE_RETURN', outcome: changed ? 'moved' : 'unchanged' };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { orderId, step: 'RECEIVE_RETURN', outcome: 'stopped' };
  }
}

/**
 * A shipped parcel is lost, in the carrier's schedule transaction (so the loss and what comes
 * next are recorded together, or not at all): the fulfilment event and workflow entry of the
 * loss, ParcelLost to the outbox, and for RESHIP a new parcel at once (new tracking number and
 * estimate, OrderShipped again). False when the order is no longer COMPLETED and SHIPPED.
 */
async function recordParcelLost(
  tx: SagaTx,
  orderId: string,
  lost: {
    resolution: LostParcelResolution;
    shipment: number;
    carrierName: string;
    ordersTopic?: string;
  },
): Promise<boolean> {
  const {
    rows: [order],
  } = await tx.query<{
    user_id: string;
    tracking_number: string | null;
    carrier: string | null;
    shipping_method: { estimatedDays?: { min: number; max: number } } | null;
  }>(
    `SELECT user_id::text AS user_id, tracking_number, carrier, shipping_method FROM orders
      WHERE id = $1::uuid AND status = 'COMPLETED' AND fulfillment_status = 'SHIPPED'
      FOR UPDATE`,
    [orderId],
  );
  if (!order?.tracking_number) return false;
  const now = new Date();
  const lostDetail =
    `Parcel ${order.tracking_number} lost in transit (by the carrier): ` +
    (lost.resolution === 'RESHIP' ? 'a new parcel is sent' : 'the order is refunded');
  const record = (status: string, event: string, detail: string) =>
    tx.query(
      `WITH f AS (
         INSERT INTO fulfillment_events (id, order_id, status, actor, detail, at)
         VALUES (gen_random_uuid(), $1::uuid, $2::"FulfillmentStatus", 'CARRIER', $4, $5))
       INSERT INTO workflow_events (id, order_id, step, event, detail, at)
       VALUES (gen_random_uuid(), $1::uuid, 'FULFILMENT', $3, $4, $5)`,
      [orderId, status, event, detail, now],
    );
  await record('SHIPPED', LOST_IN_TRANSIT, lostDetail);
  await writeOutboxEvent(
    tx,
    createEvent(
      ParcelLost,
      orderId,
      {
        orderId,
        userId: order.user_id,
        trackingNumber: order.tracking_number,
        resolution: lost.resolution,
      },
      { occurredAt: now },
    ),
    { topic: lost.ordersTopic },
  );
  if (lost.resolution === 'RESHIP') {
    const carrier = order.carrier ?? lost.carrierName;
    const trackingNumber = trackingNumberFor(orderId, lost.shipment + 1);
    const estimatedDelivery = estimatedDeliveryOf(now, order.shipping_method?.estimatedDays);
    await tx.query(
      `UPDATE orders SET tracking_number = $2, shipped_at = $3, estimated_delivery = $4::date,
              updated_at = now()
        WHERE id = $1::uuid`,
      [orderId, trackingNumber, now, estimatedDelivery],
    );
    await record(
      'SHIPPED',
      'SHIPPED',
      `Re-shipped with ${carrier}, tracking number ${trackingNumber}` +
        (estimatedDelivery ? `, estimated delivery ${estimatedDelivery}` : '') +
        ' (by the carrier)',
    );
    await writeOutboxEvent(
      tx,
      createEvent(
        OrderShipped,
        orderId,
        {
          orderId,
          userId: order.user_id,
          by: 'CARRIER',
          carrier,
          trackingNumber,
          estimatedDelivery,
        },
        { occurredAt: now },
      ),
      { topic: lost.ordersTopic },
    );
  } else {
    await tx.query(`UPDATE orders SET updated_at = now() WHERE id = $1::uuid`, [orderId]);
  }
  return true;
}
