import { TABLES, type AnalyticsRow } from '@shop/analytics';
import { ContractError, type AnyEvent } from '@shop/events';
import { MoneyError, toMinorUnits } from '@shop/pricing/money';

const MAX_QUANTITY = 0xffff_ffff; // order_items.quantity is UInt32

type Placed = Extract<AnyEvent, { type: 'OrderPlaced' }>;
type Received = Extract<AnyEvent, { type: 'ReturnReceived' }>;

/**
 * The analytics rows of one event. Events of other types on the same topics add nothing. The
 * rows carry the event's own id and time, so a redelivered copy is the same row again.
 */
export function eventRows(event: AnyEvent): AnalyticsRow[] {
  switch (event.type) {
    case 'ProductViewed':
      return [
        {
          table: TABLES.productViews,
          eventId: event.eventId,
          productId: event.payload.productId,
          userId: event.payload.userId,
          occurredAt: new Date(event.occurredAt),
        },
      ];
    case 'OrderPlaced':
      return placedRows(event);
    case 'OrderCompleted':
    case 'OrderCancelled':
      return [
        {
          table: TABLES.orderOutcomes,
          eventId: event.eventId,
          orderId: event.payload.orderId,
          outcome: event.type === 'OrderCompleted' ? 'completed' : 'cancelled',
          occurredAt: new Date(event.occurredAt),
        },
      ];
    case 'OrderPacked':
    case 'OrderShipped':
    case 'OrderDelivered':
      return [
        {
          table: TABLES.fulfillmentMilestones,
          eventId: event.eventId,
          orderId: event.payload.orderId,
          milestone: MILESTONES[event.type],
          occurredAt: new Date(event.occurredAt),
        },
      ];
    case 'ReturnReceived':
      return receivedRows(event);
    default:
      return [];
  }
}

const MILESTONES = {
  OrderPacked: 'packed',
  OrderShipped: 'shipped',
  OrderDelivered: 'delivered',
} as const;

/** A received return's lines with their part of the refund, in cents. */
function receivedRows(event: Received): AnalyticsRow[] {
  const { payload } = event;
  const currency = payload.refund.currency;
  return payload.lines.map((item, line) => {
    if (item.quantity > MAX_QUANTITY)
      throw new ContractError(
        `ReturnReceived ${event.eventId}: quantity ${item.quantity} too large`,
      );
    if (item.refund.currency !== currency)
      throw new ContractError(
        `ReturnReceived ${event.eventId}: line ${line + 1} in ${item.refund.currency}, the refund in ${currency}`,
      );
    return {
      table: TABLES.returnedLines,
      eventId: event.eventId,
      returnId: payload.returnId,
      orderId: payload.orderId,
      line,
      productId: item.productId,
      quantity: item.quantity,
      currency,
      refund: centsOf(event, item.refund.amount, `line ${line + 1} refund`),
      receivedAt: new Date(event.occurredAt),
    } satisfies AnalyticsRow;
  });
}

/** Contract money in cents; an amount that has none is the event's fault (dead-lettered). */
function centsOf(event: AnyEvent, amount: string, what: string): number {
  try {
    return toMinorUnits(amount);
  } catch (error) {
    if (error instanceof MoneyError)
      throw new ContractError(`${event.type} ${event.eventId}: ${what}: ${error.message}`);
    throw error;
  }
}

/**
 * An order's lines and its totals, in cents. A line brings in unit price x quantity minus its
 * share of the discount, plus its tax in a NET store (a GROSS price already holds it). Events of
 * orders placed before the checkout existed have no breakdown: their lines bring in unit price
 * x quantity, and the order no discount, shipping or tax.
 */
function placedRows(event: Placed): AnalyticsRow[] {
  const { payload } = event;
  const placedAt = new Date(event.occurredAt);
  const cents = (amount: string, what: string) => centsOf(event, amount, what);
  const currency = payload.total.currency;
  const gross = payload.totals?.priceMode === 'GROSS';
  const lines = payload.items.map((item, line) => {
    const where = `line ${line + 1}`;
    if (item.quantity > MAX_QUANTITY)
      throw new ContractError(`OrderPlaced ${event.eventId}: quantity ${item.quantity} too large`);
    for (const money of [item.unitPrice, item.discount, item.tax])
      if (money && money.currency !== currency)
        throw new ContractError(
          `OrderPlaced ${event.eventId}: ${where} in ${money.currency}, the order in ${currency}`,
        );
    const lineTotal = cents(item.unitPrice.amount, `${where} unitPrice`) * item.quantity;
    const discount = item.discount ? cents(item.discount.amount, `${where} discount`) : 0;
    const tax = item.tax ? cents(item.tax.amount, `${where} tax`) : 0;
    const revenue = gross ? lineTotal - discount : lineTotal - discount + tax;
    const revenueExTax = revenue - tax;
    if (!Number.isSafeInteger(lineTotal) || discount > lineTotal || revenueExTax < 0)
      throw new ContractError(
        `OrderPlaced ${event.eventId}: ${where}: discount or tax larger than the line`,
      );
    return {
      table: TABLES.orderItems,
      eventId: event.eventId,
      orderId: payload.orderId,
      line,
      productId: item.productId,
      quantity: item.quantity,
      placedAt,
      currency,
      discount,
      revenue,
      revenueExTax,
    } satisfies AnalyticsRow;
  });
  const totals = payload.totals;
  const total = cents(payload.total.amount, 'total');
  const order: AnalyticsRow = {
    table: TABLES.orderTotals,
    eventId: event.eventId,
    orderId: payload.orderId,
    placedAt,
    currency,
    subtotal: totals
      ? cents(totals.subtotal.amount, 'subtotal')
      : lines.reduce((sum, l) => sum + l.revenue, 0),
    discount: totals ? cents(totals.discount.amount, 'discount') : 0,
    shipping: totals ? cents(totals.shipping.amount, 'shipping') : 0,
    tax: totals ? cents(totals.tax.amount, 'tax') : 0,
    total,
    discountCode: payload.discountCode ?? '',
    shippingCountry: payload.shippingCountry ?? '',
  };
  if (order.tax > order.total)
    throw new ContractError(`OrderPlaced ${event.eventId}: tax larger than the total`);
  return [...lines, order];
}
