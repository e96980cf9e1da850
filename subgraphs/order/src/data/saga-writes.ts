/**
 * The order database's writes made by the saga's consumers and the step-timeout sweeper, in
 * plain SQL on the consumer's transaction (a pg client inside BEGIN/COMMIT). These are the
 * hottest writes of the system, once or twice per order: no ORM between them and PostgreSQL,
 * and as few round trips as the state machine allows.
 */
import type pg from 'pg';
import {
  OrderCancelled,
  createEvent,
  pgTransaction,
  preparedStatement,
  writeOutboxEvent,
} from '@shop/events';
import {
  InvalidTransitionError,
  transition,
  workflowEntryFor,
  type OrderEvent,
  type OrderStatus,
} from '../domain/order-status.ts';
import { releaseDiscountUse } from './discount-uses.ts';

const lockOrder = preparedStatement(
  'saga-lock-order',
  `SELECT status::text AS status, user_id::text AS user_id, total_amount::text AS total, currency
     FROM orders WHERE id = $1::uuid FOR UPDATE`,
);
/** The status and its workflow entries, in one statement. */
const changeStatus = preparedStatement(
  'saga-change-status',
  `WITH changed AS (
     UPDATE orders SET status = $2::"OrderStatus", cancel_reason = $3, updated_at = now()
      WHERE id = $1::uuid)
   INSERT INTO workflow_events (id, order_id, step, event, detail)
   SELECT gen_random_uuid(), $1::uuid, e.step, e.event, e.detail
     FROM unnest($4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS e(step, event, detail, n)
    ORDER BY e.n`,
);
const recordStep = preparedStatement(
  'saga-record-step',
  `WITH touched AS (
     UPDATE orders SET updated_at = now() WHERE id = $1::uuid RETURNING id)
   INSERT INTO workflow_events (id, order_id, step, event, detail)
   SELECT gen_random_uuid(), id, $2, $3, $4 FROM touched`,
);

/** A client inside the caller's transaction. */
export type SagaTx = Pick<pg.PoolClient, 'query'>;

/** What applyOrderEvents did; `order` is null for an order this database does not have. */
export interface AppliedOrderEvents {
  applied: OrderEvent[];
  from: OrderStatus | null;
  to: OrderStatus | null;
  /** `totalAmount` as PostgreSQL writes the numeric (two decimals). */
  order: { userId: string; totalAmount: string; currency: string } | null;
}

/**
 * Applies status events in sequence inside the caller's transaction (a saga handler's inbox
 * transaction): one row lock, the state machine for each event, then one statement that writes
 * the status and the workflow entries together and, when the order ends cancelled,
 * OrderCancelled to the outbox. An event the state machine refuses (a duplicate or out-of-order
 * event, or an order already terminal) is skipped and the next one is tried from the same
 * status; with `refuse: 'throw'` (a person's request, not an event) the refusal is thrown.
 */
export async function applyOrderEvents(
  tx: SagaTx,
  orderId: string,
  events: OrderEvent[],
  options: { ordersTopic?: string; refuse?: 'skip' | 'throw' } = {},
): Promise<AppliedOrderEvents> {
  const { rows } = await tx.query<{
    status: OrderStatus;
    user_id: string;
    total: string;
    currency: string;
  }>(lockOrder([orderId]));
  const current = rows[0];
  if (!current) return { applied: [], from: null, to: null, order: null };
  const order = { userId: current.user_id, totalAmount: current.total, currency: current.currency };
  const applied: OrderEvent[] = [];
  let status = current.status;
  let cancelReason: string | null = null;
  for (const event of events) {
    try {
      ({ status, cancelReason } = transition(status, event));
      applied.push(event);
    } catch (error) {
      if (!(error instanceof InvalidTransitionError) || options.refuse === 'throw') throw error;
    }
  }
  if (applied.length === 0) return { applied, from: current.status, to: null, order };
  const entries = applied.map(workflowEntryFor);
  await tx.query(
    changeStatus([
      orderId,
      status,
      cancelReason,
      entries.map((e) => e.step),
      entries.map((e) => e.event),
      entries.map((e) => e.detail),
    ]),
  );
  if (status === 'CANCELLED') {
    await releaseDiscountUse(tx, orderId);
    await writeOutboxEvent(
      tx,
      createEvent(OrderCancelled, orderId, {
        orderId,
        userId: current.user_id,
        reason: cancelReason ?? 'cancelled',
        previousStatus: current.status,
      }),
      { topic: options.ordersTopic },
    );
  }
  return { applied, from: current.status, to: status, order };
}

/**
 * A person's change of status (a customer's or an admin's cancel): its own transaction under the
 * order's row lock, as the saga's steps take it, and a transition the state machine refuses
 * (the saga completed the order meanwhile) thrown as InvalidTransitionError, a CONFLICT.
 */
export function applyRequestedOrderEvent(
  db: pg.Pool,
  orderId: string,
  event: OrderEvent,
  options: { ordersTopic?: string } = {},
): Promise<AppliedOrderEvents> {
  return pgTransaction(db)((tx) =>
    applyOrderEvents(tx, orderId, [event], { ...options, refuse: 'throw' }),
  );
}

/** applyOrderEvents for one event: `applied` says whether the state machine took it. */
export async function applyOrderEvent(
  tx: SagaTx,
  orderId: string,
  event: OrderEvent,
  options: { ordersTopic?: string } = {},
): Promise<{ applied: boolean; from: OrderStatus | null; to: OrderStatus | null }> {
  const r = await applyOrderEvents(tx, orderId, [event], options);
  return { applied: r.applied.length > 0, from: r.from, to: r.to };
}

/**
 * Records a saga step that changes no status (a compensation: stock released, payment refunded)
 * in the order's workflow, inside the handler's inbox transaction, so a redelivered event adds
 * nothing. The order row is locked like a status change (entries keep the order of events) and
 * its updatedAt moves: watchers are told of the change, and it is the order's latest.
 * Returns false for an order this database does not have.
 */
export async function recordWorkflowStep(
  tx: SagaTx,
  orderId: string,
  entry: { step: string; event: string; detail: string | null },
): Promise<boolean> {
  const { rowCount } = await tx.query(recordStep([orderId, entry.step, entry.event, entry.detail]));
  return (rowCount ?? 0) > 0;
}
