import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  OrderCancelled,
  OrderCompleted,
  OrderPlaced,
  ProductCreated,
  ProductViewed,
  createEvent,
  type AnyEvent,
} from '@shop/events';
import { eventRows } from '../src/event-rows.ts';

const money = { amount: '5.00', currency: 'EUR' };
const at = new Date('2026-11-20T10:00:00.000Z');

describe('eventRows', () => {
  it('maps a view to one product_views row with the event id and time', () => {
    const productId = randomUUID();
    const event = createEvent(
      ProductViewed,
      productId,
      { productId, userId: null },
      { occurredAt: at },
    );
    expect(eventRows(event as AnyEvent)).toEqual([
      { table: 'product_views', eventId: event.eventId, productId, userId: null, occurredAt: at },
    ]);
  });

  it('maps an order to one row per line, numbered in order', () => {
    const orderId = randomUUID();
    const [a, b] = [randomUUID(), randomUUID()];
    const event = createEvent(
      OrderPlaced,
      orderId,
      {
        orderId,
        userId: randomUUID(),
        items: [
          { productId: a, quantity: 2, unitPrice: money },
          { productId: b, quantity: 1, unitPrice: money },
        ],
        total: money,
      },
      { occurredAt: at },
    );
    const rows = eventRows(event as AnyEvent);
    expect(rows.map((r) => r.table === 'order_items' && [r.line, r.productId, r.quantity])).toEqual(
      [
        [0, a, 2],
        [1, b, 1],
      ],
    );
  });

  it('maps completion and cancellation to outcomes, and ignores other events', () => {
    const orderId = randomUUID();
    const userId = randomUUID();
    const done = createEvent(OrderCompleted, orderId, { orderId, userId, total: money });
    const cancelled = createEvent(OrderCancelled, orderId, {
      orderId,
      userId,
      reason: 'changed my mind',
      previousStatus: 'PENDING',
    });
    expect(eventRows(done as AnyEvent)[0]).toMatchObject({ outcome: 'completed', orderId });
    expect(eventRows(cancelled as AnyEvent)[0]).toMatchObject({ outcome: 'cancelled', orderId });
    const productId = randomUUID();
    const created = createEvent(ProductCreated, productId, {
      productId,
      sellerId: randomUUID(),
      categoryId: null,
      name: 'Rod',
      price: money,
      stock: 1,
    });
    expect(eventRows(created as AnyEvent)).toEqual([]);
  });
});
