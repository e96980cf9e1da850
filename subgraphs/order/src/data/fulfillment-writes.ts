/**
 * A fulfilment step as one transaction: the order's row locked (concurrent steps of one order
 * queue up, so exactly one moves it), the state machine decides from what the lock shows, then
 * the new fulfilment status, the fulfilment event, the workflow entry (step FULFILMENT) and the
 * outbox event are written together, or nothing is.
 */
import type { Prisma, PrismaClient } from '@shop/prisma/order';
import {
  OrderDelivered,
  OrderPacked,
  OrderShipped,
  createEvent,
  writeOutboxEvent,
} from '@shop/events';
import { DomainError } from '@shop/subgraph-kit';
import {
  decideFulfillment,
  estimatedDeliveryOf,
  fulfillmentWorkflowEntry,
  type FulfillmentActor,
  type FulfillmentStatus,
  type FulfillmentStep,
} from '../domain/fulfillment-status.ts';
import type { OrderStatus } from '../domain/order-status.ts';

/** The actors of shipment steps (a customer only ever asks for a return). */
type StepActor = Exclude<FulfillmentActor, 'CUSTOMER'>;

/** Who makes the step: the actor kind, and the user when a person does it by hand. */
export interface StepBy {
  actor: FulfillmentActor;
  userId: string | null;
}

/** The steps this increment writes (returns come with their own use cases). */
export type ShipmentStep = Extract<FulfillmentStep, { type: 'PACK' | 'SHIP' | 'DELIVER' }>;

interface LockedOrder {
  status: OrderStatus;
  fulfillment_status: FulfillmentStatus;
  carrier: string | null;
  tracking_number: string | null;
  user_id: string;
  shipping_method: { estimatedDays?: { min: number; max: number } } | null;
}

/** Where a fulfilment step or a return step comes from: the order row, locked. */
export const LOCK_ORDER_SQL = `
  SELECT status::text AS status, fulfillment_status::text AS fulfillment_status, carrier,
         tracking_number, user_id::text AS user_id, shipping_method, delivered_at
    FROM orders WHERE id = $1::uuid FOR UPDATE`;

export type LockedOrderRow = LockedOrder & { delivered_at: Date | null };

/** Locks the order's row for the rest of the transaction; NOT_FOUND when there is none. */
export async function lockOrder(tx: Prisma.TransactionClient, orderId: string) {
  const rows = await tx.$queryRawUnsafe<LockedOrderRow[]>(LOCK_ORDER_SQL, orderId);
  const order = rows[0];
  if (!order) throw new DomainError('NOT_FOUND', 'No such order');
  return order;
}

/** The state machine's view of a locked order. */
export function fulfillmentStateOf(order: LockedOrder) {
  return {
    orderStatus: order.status,
    status: order.fulfillment_status,
    carrier: order.carrier,
    trackingNumber: order.tracking_number,
  };
}

/**
 * Records a fulfilment move the state machine allowed: the fulfilment event and the order's
 * workflow entry (step FULFILMENT), with `data` for the order row (its new status and more).
 */
export async function recordFulfillmentMove(
  tx: Prisma.TransactionClient,
  orderId: string,
  move: {
    to: FulfillmentStatus;
    by: StepBy;
    at: Date;
    detail: string;
    data?: Prisma.OrderUpdateInput;
  },
): Promise<void> {
  await tx.order.update({
    where: { id: orderId },
    data: { fulfillmentStatus: move.to, ...move.data },
  });
  await tx.fulfillmentEvent.create({
    data: {
      orderId,
      status: move.to,
      actor: move.by.actor,
      actorUserId: move.by.userId,
      detail: move.detail,
      at: move.at,
    },
  });
  await tx.workflowEvent.create({
    data: { orderId, step: 'FULFILMENT', event: move.to, detail: move.detail, at: move.at },
  });
}

/** Applies `step`; returns whether it changed the order (false: a harmless repeat). */
export async function applyFulfillmentStep(
  prisma: PrismaClient,
  orderId: string,
  step: ShipmentStep,
  by: StepBy,
  options: { ordersTopic?: string } = {},
): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const order = await lockOrder(tx, orderId);
    const decision = decideFulfillment(fulfillmentStateOf(order), step);
    if (decision.kind === 'unchanged') return false;
    const now = new Date();
    const base = { orderId, userId: order.user_id, by: by.actor as StepActor };
    let shipment:
      { carrier: string; trackingNumber: string; estimatedDelivery: string | null } | undefined;
    let event;
    const data: Prisma.OrderUpdateInput = {};
    if (step.type === 'SHIP') {
      const estimatedDelivery = estimatedDeliveryOf(now, order.shipping_method?.estimatedDays);
      shipment = { carrier: step.carrier, trackingNumber: step.trackingNumber, estimatedDelivery };
      event = createEvent(OrderShipped, orderId, { ...base, ...shipment }, { occurredAt: now });
      Object.assign(data, {
        carrier: step.carrier,
        trackingNumber: step.trackingNumber,
        shippedAt: now,
        estimatedDelivery: estimatedDelivery ? new Date(estimatedDelivery) : null,
      });
    } else {
      const contract = step.type === 'PACK' ? OrderPacked : OrderDelivered;
      if (step.type === 'DELIVER') data.deliveredAt = now;
      event = createEvent(contract, orderId, base, { occurredAt: now });
    }
    const entry = fulfillmentWorkflowEntry(decision.to, by.actor, shipment);
    await recordFulfillmentMove(tx, orderId, {
      to: decision.to,
      by,
      at: now,
      detail: entry.detail,
      data,
    });
    await writeOutboxEvent(tx, event, { topic: options.ordersTopic });
    return true;
  });
}
