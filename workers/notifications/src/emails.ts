/**
 * Which event sends which email. Adding one (shipped, delivered, ...) is a template in
 * templates/ and an entry here: the consumer subscribes to the entry's topic and writes an email
 * row for each of its events, and the sender renders it with the entry's template.
 */
import {
  OrderCancelled,
  OrderCompleted,
  OrderDelivered,
  OrderPlaced,
  OrderShipped,
  PaymentRefunded,
  type EventContract,
  type EventOf,
} from '@shop/events';
import type { Template } from './templates/layout.ts';
import {
  orderCancelled,
  orderConfirmed,
  orderDelivered,
  orderPlaced,
  orderRefunded,
  orderShipped,
} from './templates/orders.ts';

export interface EmailSpec {
  /** The event that sends it. */
  event: EventContract;
  /** Its name in the `emails` table (kind column) and in metrics. */
  kind: string;
  template: Template<never>;
}

/** Payloads that name the order, and the customer when they know them. */
type OrderPayload = { orderId: string; userId?: string };

function spec<C extends EventContract>(
  event: C,
  kind: string,
  template: Template<EventOf<C>['payload'] & OrderPayload>,
): EmailSpec {
  return { event, kind, template: template as Template<never> };
}

export const EMAILS: readonly EmailSpec[] = [
  spec(OrderPlaced, 'order-placed', orderPlaced),
  // "Paid" is OrderCompleted, not PaymentAuthorized: it is the saga's confirmation (the order is
  // COMPLETED, the status the customer sees), it names the customer (a payment event names the
  // order only) and it is on the orders topic with the order's other events, in their order.
  spec(OrderCompleted, 'order-confirmed', orderConfirmed),
  spec(OrderCancelled, 'order-cancelled', orderCancelled),
  // The saga's refund (payments topic): names the order only; the worker knows whose it is from
  // the order's OrderPlaced.
  spec(PaymentRefunded, 'order-refunded', orderRefunded),
  spec(OrderShipped, 'order-shipped', orderShipped),
  spec(OrderDelivered, 'order-delivered', orderDelivered),
];

export const emailOfEvent = (type: string) => EMAILS.find((e) => e.event.type === type);
export const emailOfKind = (kind: string) => EMAILS.find((e) => e.kind === kind);
