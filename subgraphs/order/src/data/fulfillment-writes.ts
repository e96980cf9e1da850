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

/** Applies `step`; returns whether it changed the order (false: a harmless repeat). */
export async function applyFulfillmentStep(
  prisma: PrismaClient,
  orderId: string,
  step: ShipmentStep,
  by: StepBy,
  options: { ordersTopic?: string } = {},
): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<LockedOrder[]>`
      SELECT status::text AS status, fulfillment_status::text AS fulfillment_status, carrier,
             tracking_number, user_id::text AS user_id, shipping_method
        FROM orders WHERE id = ${orderId}::uuid FOR UPDATE`;
    const order = rows[0];
    if (!order) throw new DomainError('NOT_FOUND', 'No such order');
    const decision = decideFulfillment(
      {
        orderStatus: order.status,
        status: order.fulfillment_status,
        carrier: order.carrier,
        trackingNumber: order.tracking_number,
      },
      step,
    );
    if (decision.kind === 'unchanged') return false;
    const now = new Date();
    const base = { orderId, userId: order.user_id, by: by.actor };
    let shipment:
      { carrier: string; trackingNumber: string; estimatedDelivery: string | null } | undefined;
    let event;
    const data: Prisma.OrderUpdateInput = { fulfillmentStatus: decision.to };
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
      event = createEvent(contract, orderId, base, { occurredAt: now });
    }
    const entry = fulfillmentWorkflowEntry(decision.to, by.actor, shipment);
    await tx.order.update({ where: { id: orderId }, data });
    await tx.fulfillmentEvent.create({
      data: {
        orderId,
        status: decision.to,
        actor: by.actor,
        actorUserId: by.userId,
        detail: entry.detail,
        at: now,
      },
    });
    await tx.workflowEvent.create({ data: { orderId, ...entry, at: now } });
    await writeOutboxEvent(tx, event, { topic: options.ordersTopic });
    return true;
  });
}
