import { TABLES, type AnalyticsRow } from '@shop/analytics';
import { ContractError, type AnyEvent } from '@shop/events';

const MAX_QUANTITY = 0xffff_ffff; // order_items.quantity is UInt32

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
      return event.payload.items.map((item, line) => {
        if (item.quantity > MAX_QUANTITY)
          throw new ContractError(
            `OrderPlaced ${event.eventId}: quantity ${item.quantity} too large`,
          );
        return {
          table: TABLES.orderItems,
          eventId: event.eventId,
          orderId: event.payload.orderId,
          line,
          productId: item.productId,
          quantity: item.quantity,
          placedAt: new Date(event.occurredAt),
        };
      });
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
    default:
      return [];
  }
}
