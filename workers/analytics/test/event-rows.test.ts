import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ContractError,
  OrderCancelled,
  OrderCompleted,
  OrderDelivered,
  OrderPacked,
  OrderPlaced,
  OrderShipped,
  ProductCreated,
  ProductViewed,
  ReturnApproved,
  ReturnReceived,
  createEvent,
  decodeEvent,
  encodeEvent,
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

  it('maps an order to one row per line, numbered in order, and one row of totals', () => {
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
        total: { amount: '15.00', currency: 'EUR' },
      },
      { occurredAt: at },
    );
    const rows = eventRows(event as AnyEvent);
    expect(rows.map((r) => r.table === 'order_items' && [r.line, r.productId, r.quantity])).toEqual(
      [[0, a, 2], [1, b, 1], false],
    );
    // Without a breakdown (orders placed before the checkout): lines bring in price x quantity.
    expect(rows.map((r) => r.table === 'order_items' && [r.revenue, r.revenueExTax])).toEqual([
      [1000, 1000],
      [500, 500],
      false,
    ]);
    expect(rows[2]).toEqual({
      table: 'order_totals',
      eventId: event.eventId,
      orderId,
      placedAt: at,
      currency: 'EUR',
      subtotal: 1500,
      discount: 0,
      shipping: 0,
      tax: 0,
      total: 1500,
      discountCode: '',
      shippingCountry: '',
    });
  });

  const usd = (amount: string) => ({ amount, currency: 'USD' });
  /** Two lines of 3 x 20.00 and 1 x 10.00, a 10 % code, 4.99 shipping, 19 % tax. */
  function checkout(priceMode: 'NET' | 'GROSS') {
    const orderId = randomUUID();
    const [a, b] = [randomUUID(), randomUUID()];
    // NET: tax on (line - discount) added; GROSS: the part of (line - discount) that is tax.
    const lineTax = priceMode === 'NET' ? ['10.26', '1.71'] : ['8.62', '1.44'];
    const shippingTax = priceMode === 'NET' ? '0.95' : '0.80';
    const tax = priceMode === 'NET' ? '12.92' : '10.86';
    const total = priceMode === 'NET' ? '80.91' : '67.99';
    const event = createEvent(
      OrderPlaced,
      orderId,
      {
        orderId,
        userId: randomUUID(),
        items: [
          {
            productId: a,
            quantity: 3,
            unitPrice: usd('20.00'),
            discount: usd('6.00'),
            tax: usd(lineTax[0]!),
          },
          {
            productId: b,
            quantity: 1,
            unitPrice: usd('10.00'),
            discount: usd('1.00'),
            tax: usd(lineTax[1]!),
          },
        ],
        total: usd(total),
        totals: {
          subtotal: usd('70.00'),
          discount: usd('7.00'),
          shipping: usd('4.99'),
          tax: usd(tax),
          priceMode,
        },
        discountCode: 'WELCOME10',
        shippingCountry: 'DE',
      },
      { occurredAt: at },
    );
    return { event: event as AnyEvent, a, b, shippingTax };
  }

  it('counts a NET line as price x quantity - discount, tax added', () => {
    const { event } = checkout('NET');
    const rows = eventRows(event);
    expect(
      rows.map(
        (r) => r.table === 'order_items' && [r.currency, r.discount, r.revenue, r.revenueExTax],
      ),
    ).toEqual([['USD', 600, 5400 + 1026, 5400], ['USD', 100, 900 + 171, 900], false]);
    expect(rows[2]).toMatchObject({
      table: 'order_totals',
      subtotal: 7000,
      discount: 700,
      shipping: 499,
      tax: 1292,
      total: 8091,
      discountCode: 'WELCOME10',
      shippingCountry: 'DE',
    });
  });

  it('counts a GROSS line as price x quantity - discount, the tax inside it', () => {
    const { event } = checkout('GROSS');
    const rows = eventRows(event);
    expect(rows.map((r) => r.table === 'order_items' && [r.revenue, r.revenueExTax])).toEqual([
      [5400, 5400 - 862],
      [900, 900 - 144],
      false,
    ]);
    expect(rows[2]).toMatchObject({ subtotal: 7000, tax: 1086, total: 6799 });
  });

  it('refuses figures that cannot be (a discount above its line, another currency)', () => {
    const orderId = randomUUID();
    const placed = (item: Record<string, unknown>) =>
      ({
        eventId: randomUUID(),
        type: 'OrderPlaced',
        version: 1,
        aggregateId: orderId,
        occurredAt: at.toISOString(),
        payload: {
          orderId,
          userId: randomUUID(),
          items: [{ productId: randomUUID(), quantity: 1, unitPrice: usd('5.00'), ...item }],
          total: usd('5.00'),
        },
      }) as AnyEvent;
    expect(() => eventRows(placed({ discount: usd('6.00') }))).toThrow(ContractError);
    expect(() => eventRows(placed({ tax: { amount: '1.00', currency: 'EUR' } }))).toThrow(
      /line 1 in EUR, the order in USD/,
    );
    expect(() => eventRows(placed({ unitPrice: usd('-5.00') }))).toThrow(ContractError);
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

  /** The copy a consumer reads when Kafka delivers the event again: decoded from its message. */
  const redelivered = (event: AnyEvent) => decodeEvent(encodeEvent(event).value, 'orders');

  it('maps the parcel steps to fulfilment milestones with the event id and time', () => {
    const orderId = randomUUID();
    const userId = randomUUID();
    const steps = [
      createEvent(OrderPacked, orderId, { orderId, userId, by: 'SELLER' }, { occurredAt: at }),
      createEvent(
        OrderShipped,
        orderId,
        {
          orderId,
          userId,
          by: 'CARRIER',
          carrier: 'DHL',
          trackingNumber: 'JD0001',
          estimatedDelivery: '2026-11-23',
        },
        { occurredAt: at },
      ),
      createEvent(OrderDelivered, orderId, { orderId, userId, by: 'CARRIER' }, { occurredAt: at }),
    ] as AnyEvent[];
    expect(steps.flatMap((e) => eventRows(e))).toEqual(
      ['packed', 'shipped', 'delivered'].map((milestone, i) => ({
        table: 'fulfillment_milestones',
        eventId: steps[i]!.eventId,
        orderId,
        milestone,
        occurredAt: at,
      })),
    );
  });

  it('gives a redelivered OrderDelivered the same row, so it collapses with the first', () => {
    const orderId = randomUUID();
    const delivered = createEvent(OrderDelivered, orderId, {
      orderId,
      userId: randomUUID(),
      by: 'ADMIN',
    }) as AnyEvent;
    const [first] = eventRows(delivered);
    expect(eventRows(redelivered(delivered))).toEqual([first]);
    // A later delivery of the same order is another event: another row, not a copy.
    const again = createEvent(OrderDelivered, orderId, {
      orderId,
      userId: randomUUID(),
      by: 'CARRIER',
    }) as AnyEvent;
    expect(eventRows(again)[0]).toMatchObject({ orderId, milestone: 'delivered' });
    expect(eventRows(again)[0]!.eventId).not.toBe(first!.eventId);
  });

  function received(lines: { productId: string; quantity: number; refund: string }[]) {
    const orderId = randomUUID();
    const returnId = randomUUID();
    const event = createEvent(
      ReturnReceived,
      orderId,
      {
        returnId,
        orderId,
        userId: randomUUID(),
        by: 'ADMIN',
        lines: lines.map((l) => ({ ...l, refund: { amount: l.refund, currency: 'EUR' } })),
        refund: { amount: '31.49', currency: 'EUR' },
      },
      { occurredAt: at },
    ) as AnyEvent;
    return { event, orderId, returnId };
  }

  it("maps a received return to one row per line with the line's refund in cents", () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const { event, orderId, returnId } = received([
      { productId: a, quantity: 2, refund: '24.00' },
      { productId: b, quantity: 1, refund: '7.49' },
    ]);
    const common = {
      table: 'returned_lines',
      eventId: event.eventId,
      returnId,
      orderId,
      currency: 'EUR',
      receivedAt: at,
    };
    expect(eventRows(event)).toEqual([
      { ...common, line: 0, productId: a, quantity: 2, refund: 2400 },
      { ...common, line: 1, productId: b, quantity: 1, refund: 749 },
    ]);
    // Redelivered: the same (return, line) rows, which the table collapses.
    expect(eventRows(redelivered(event))).toEqual(eventRows(event));
  });

  it('refuses a return whose lines are refunded in another currency than the return', () => {
    const { event } = received([{ productId: randomUUID(), quantity: 1, refund: '5.00' }]);
    const mixed = {
      ...event,
      payload: {
        ...event.payload,
        refund: { amount: '5.00', currency: 'USD' },
      },
    } as AnyEvent;
    expect(() => eventRows(mixed)).toThrow(ContractError);
    expect(() => eventRows(mixed)).toThrow(/line 1 in EUR, the refund in USD/);
  });

  it('ignores the return steps before the parcel is back', () => {
    const orderId = randomUUID();
    const approved = createEvent(ReturnApproved, orderId, {
      returnId: randomUUID(),
      orderId,
      userId: randomUUID(),
      by: 'SELLER',
    });
    expect(eventRows(approved as AnyEvent)).toEqual([]);
  });
});
