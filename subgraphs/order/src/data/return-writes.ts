/**
 * Returns as transactions on the order database. Every return step locks the order's row first
 * (like a fulfilment step), so a request, its approval, a rejection and the parcel's arrival
 * never interleave, and the return, the order's fulfilment, its fulfilment event, the workflow
 * entry and the outbox event are written together, or nothing is.
 */
import type pg from 'pg';
import type { Prisma, PrismaClient, Return, ReturnLine } from '@shop/prisma/order';
import {
  ReturnApproved,
  ReturnReceived,
  ReturnRejected,
  ReturnRequested,
  createEvent,
  writeOutboxEvent,
} from '@shop/events';
import {
  fromMinorUnits,
  money,
  refundForReturn,
  toMinorUnits,
  type PaidOrder,
  type PriceMode,
} from '@shop/pricing';
import { DomainError } from '@shop/subgraph-kit';
import {
  actorPhrase,
  decideFulfillment,
  fulfillmentWorkflowEntry,
} from '../domain/fulfillment-status.ts';
import {
  assertReturnable,
  decideReturn,
  parseReturnLines,
  type ReturnLineRequest,
  type ReturnStatus,
} from '../domain/return-status.ts';
import {
  fulfillmentStateOf,
  lockOrder,
  recordFulfillmentMove,
  type StepBy,
} from './fulfillment-writes.ts';

export type ReturnWithLines = Return & { lines: ReturnLine[] };

const WITH_LINES = { lines: { orderBy: { productName: 'asc' } } } satisfies Prisma.ReturnInclude;

/** Statuses whose units are back (or on their way to the refund): they count as returned. */
const RETURNED: ReturnStatus[] = ['RECEIVED', 'REFUNDED'];

const cents = (value: Prisma.Decimal) => toMinorUnits(value.toFixed(2));

export function findReturn(prisma: PrismaClient, id: string): Promise<ReturnWithLines | null> {
  return prisma.return.findUnique({ where: { id }, include: WITH_LINES });
}

interface PricingSnapshot {
  totals?: { priceMode?: PriceMode; shippingTax?: number };
}

/**
 * What the order paid, from its price snapshot. Orders placed before the checkout existed have
 * no snapshot: their lines paid price x units and there was no shipping or tax.
 */
function paidOrderOf(order: {
  shippingAmount: Prisma.Decimal;
  taxAmount: Prisma.Decimal;
  pricing: unknown;
  items: {
    productId: string;
    quantity: number;
    unitPrice: Prisma.Decimal;
    discountAmount: Prisma.Decimal;
    taxAmount: Prisma.Decimal;
  }[];
}): PaidOrder {
  const snapshot = (order.pricing ?? {}) as PricingSnapshot;
  const lines = order.items.map((item) => ({
    productId: item.productId,
    quantity: item.quantity,
    unitPrice: cents(item.unitPrice),
    discount: cents(item.discountAmount),
    tax: cents(item.taxAmount),
  }));
  const lineTax = lines.reduce((sum, line) => sum + line.tax, 0);
  return {
    priceMode: snapshot.totals?.priceMode ?? 'GROSS',
    lines,
    shipping: cents(order.shippingAmount),
    shippingTax: snapshot.totals?.shippingTax ?? Math.max(0, cents(order.taxAmount) - lineTax),
  };
}

export interface ReturnRequest {
  orderId: string;
  /** The signed-in customer: only the order's owner may ask (others get NOT_FOUND). */
  userId: string;
  lines: readonly ReturnLineRequest[];
  reason: string;
  windowDays: number;
  now?: Date;
  ordersTopic?: string;
}

/** Opens a return (DELIVERED -> RETURN_REQUESTED) with its refund fixed from the snapshot. */
export async function requestReturn(
  prisma: PrismaClient,
  request: ReturnRequest,
): Promise<ReturnWithLines> {
  const { orderId } = request;
  return prisma.$transaction(async (tx) => {
    const locked = await lockOrder(tx, orderId);
    if (locked.user_id !== request.userId) throw new DomainError('NOT_FOUND', 'No such order');
    const now = request.now ?? new Date();
    assertReturnable(locked.fulfillment_status, locked.delivered_at, now, request.windowDays);
    const decision = decideFulfillment(fulfillmentStateOf(locked), { type: 'REQUEST_RETURN' });
    if (decision.kind !== 'move') throw new Error('a return request must move the fulfilment');
    const order = await tx.order.findUniqueOrThrow({
      where: { id: orderId },
      include: {
        items: true,
        returns: { where: { status: { in: RETURNED } }, include: { lines: true } },
      },
    });
    const before = order.returns.flatMap((r) =>
      r.lines.map((l) => ({ productId: l.productId, quantity: l.quantity })),
    );
    const returnedUnits = new Map<string, number>();
    for (const line of before)
      returnedUnits.set(line.productId, (returnedUnits.get(line.productId) ?? 0) + line.quantity);
    const lines = parseReturnLines(request.lines, order.items, returnedUnits);
    const refund = refundForReturn(paidOrderOf(order), lines, before);
    const nameOf = new Map(order.items.map((item) => [item.productId, item.productName]));
    const amount = (minor: number) => fromMinorUnits(minor, order.currency);
    const created = await tx.return.create({
      data: {
        orderId,
        userId: request.userId,
        reason: request.reason,
        refundAmount: amount(refund.total).amount,
        currency: order.currency,
        wholeOrder: refund.wholeOrder,
        createdAt: now,
        updatedAt: now,
        lines: {
          create: refund.lines.map((line) => ({
            productId: line.productId,
            productName: nameOf.get(line.productId)!,
            quantity: line.quantity,
            refundAmount: amount(line.refund).amount,
          })),
        },
      },
      include: WITH_LINES,
    });
    const units = lines.reduce((sum, line) => sum + line.quantity, 0);
    await recordFulfillmentMove(tx, orderId, {
      to: decision.to,
      by: { actor: 'CUSTOMER', userId: request.userId },
      at: now,
      detail: `Return requested: ${units} unit(s), refund ${amount(refund.total).amount} ${order.currency} (by ${actorPhrase('CUSTOMER')})`,
    });
    await writeOutboxEvent(
      tx,
      createEvent(
        ReturnRequested,
        orderId,
        {
          returnId: created.id,
          orderId,
          userId: request.userId,
          lines: refund.lines.map((line) => ({
            productId: line.productId,
            quantity: line.quantity,
            refund: amount(line.refund),
          })),
          refund: amount(refund.total),
          reason: request.reason,
        },
        { occurredAt: now },
      ),
      { topic: request.ordersTopic },
    );
    return created;
  });
}

export type ReturnStepInput =
  { type: 'APPROVE' } | { type: 'REJECT'; reason: string } | { type: 'RECEIVE' };

/**
 * Approves, rejects or receives a return. Returns the return as it is now and whether this
 * call changed it (false: a harmless repeat).
 */
export async function applyReturnStep(
  prisma: PrismaClient,
  returnId: string,
  step: ReturnStepInput,
  by: StepBy & { actor: 'SELLER' | 'ADMIN' | 'CARRIER' },
  options: { ordersTopic?: string } = {},
): Promise<{ changed: boolean; value: ReturnWithLines }> {
  const known = await prisma.return.findUnique({
    where: { id: returnId },
    select: { orderId: true },
  });
  if (!known) throw new DomainError('NOT_FOUND', 'No such return');
  const orderId = known.orderId;
  return prisma.$transaction(async (tx) => {
    const locked = await lockOrder(tx, orderId);
    // Read under the order's lock: every return step takes it first, so this is current.
    const current = await tx.return.findUniqueOrThrow({
      where: { id: returnId },
      include: WITH_LINES,
    });
    const decision = decideReturn(current.status, step.type);
    if (decision.kind === 'unchanged') return { changed: false, value: current };
    const now = new Date();
    const base = { returnId, orderId, userId: current.userId, by: by.actor };
    const who = actorPhrase(by.actor);
    if (step.type === 'APPROVE') {
      await tx.workflowEvent.create({
        data: {
          orderId,
          step: 'RETURN',
          event: 'RETURN_APPROVED',
          detail: `Return approved (by ${who})`,
          at: now,
        },
      });
      await writeOutboxEvent(tx, createEvent(ReturnApproved, orderId, base, { occurredAt: now }), {
        topic: options.ordersTopic,
      });
    } else {
      const fulfilment = decideFulfillment(fulfillmentStateOf(locked), {
        type: step.type === 'REJECT' ? 'REJECT_RETURN' : 'RECEIVE_RETURN',
      });
      if (fulfilment.kind !== 'move')
        throw new Error(`return ${returnId}: ${step.type} must move the order's fulfilment`);
      const detail =
        step.type === 'REJECT'
          ? `Return rejected: ${step.reason} (by ${who})`
          : fulfillmentWorkflowEntry(fulfilment.to, by.actor).detail;
      await recordFulfillmentMove(tx, orderId, { to: fulfilment.to, by, at: now, detail });
      const event =
        step.type === 'REJECT'
          ? createEvent(
              ReturnRejected,
              orderId,
              { ...base, reason: step.reason },
              {
                occurredAt: now,
              },
            )
          : createEvent(
              ReturnReceived,
              orderId,
              {
                ...base,
                lines: current.lines.map((line) => ({
                  productId: line.productId,
                  quantity: line.quantity,
                  refund: money(line.refundAmount, current.currency),
                })),
                refund: money(current.refundAmount, current.currency),
              },
              { occurredAt: now },
            );
      await writeOutboxEvent(tx, event, { topic: options.ordersTopic });
    }
    const value = await tx.return.update({
      where: { id: returnId },
      data: {
        status: decision.to,
        updatedAt: now,
        ...(step.type === 'REJECT' ? { rejectionReason: step.reason } : {}),
        ...(step.type === 'RECEIVE' ? { receivedAt: now } : {}),
      },
      include: WITH_LINES,
    });
    return { changed: true, value };
  });
}

/**
 * The payment provider refunded a received return (PaymentRefunded with its returnId), in the
 * consumer's transaction: RECEIVED -> REFUNDED once; false when it already was (or the return
 * is not one of this database's).
 */
export async function markReturnRefunded(
  tx: Pick<pg.PoolClient, 'query'>,
  returnId: string,
): Promise<boolean> {
  const { rowCount } = await tx.query(
    `UPDATE returns SET status = 'REFUNDED', refunded_at = now(), updated_at = now()
      WHERE id = $1::uuid AND status = 'RECEIVED'`,
    [returnId],
  );
  return (rowCount ?? 0) > 0;
}
