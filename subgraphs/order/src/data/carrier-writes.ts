/**
 * The order database's writes made by the simulated carrier (workers/carrier): its schedule
 * (`carrier_schedule`, one row per order: the next step and when it is due) and the steps
 * themselves, which go through `applyFulfillmentStep` with actor CARRIER like a seller's or an
 * admin's. The schedule lives in the database, so the delays survive a restart of the worker.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { PrismaClient } from '@shop/prisma/order';
import { DomainError } from '@shop/subgraph-kit';
import { applyFulfillmentStep, type ShipmentStep } from './fulfillment-writes.ts';
import type { SagaTx } from './saga-writes.ts';

export type CarrierStep = 'PACK' | 'SHIP' | 'DELIVER';

/** The workflow entry of a parcel the carrier lost (step FULFILMENT, event LOST_IN_TRANSIT). */
export const LOST_IN_TRANSIT = 'LOST_IN_TRANSIT';

/** The tracking number the carrier gives an order: deterministic, so a repeated SHIP matches. */
export function trackingNumberFor(orderId: string): string {
  const hash = createHash('sha256').update(orderId).digest('hex').slice(0, 16).toUpperCase();
  return `SIM${hash}`;
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
  random?: () => number;
  /** Due rows taken per pass. */
  batchSize?: number;
  ordersTopic?: string;
}

export interface CarrierStepDone {
  orderId: string;
  step: CarrierStep;
  /** moved, a harmless repeat, lost in transit, or stopped (the order refused the step). */
  outcome: 'moved' | 'unchanged' | 'lost' | 'stopped';
}

const NEXT: Record<CarrierStep, CarrierStep | null> = {
  PACK: 'SHIP',
  SHIP: 'DELIVER',
  DELIVER: null,
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
    }>(
      `SELECT s.order_id::text AS order_id, s.next_step, o.shipping_method->>'carrier' AS carrier
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
      if (row.next_step === 'DELIVER' && options.lossRate > 0 && random() < options.lossRate) {
        await client.query(
          `INSERT INTO workflow_events (id, order_id, step, event, detail)
           VALUES (gen_random_uuid(), $1::uuid, 'FULFILMENT', $2, $3)`,
          [orderId, LOST_IN_TRANSIT, 'Lost in transit (by the carrier): not delivered'],
        );
        await end('lost in transit');
        done.push({ orderId, step: row.next_step, outcome: 'lost' });
        continue;
      }
      const step: ShipmentStep =
        row.next_step === 'SHIP'
          ? {
              type: 'SHIP',
              carrier: row.carrier?.trim() || options.carrierName,
              trackingNumber: trackingNumberFor(orderId),
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
