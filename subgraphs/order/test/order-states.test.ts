import { describe, expect, it } from 'vitest';
import { statesSince } from '../src/domain/order-history.ts';

const at = (s: number) => new Date(Date.UTC(2026, 10, 23, 12, 0, s));
const entry = (event: string, s: number) => ({ event, at: at(s) });
const order = (
  status: string,
  cancelReason: string | null,
  workflow: { event: string; at: Date }[],
) => ({
  id: 'o1',
  status,
  cancelReason,
  updatedAt: workflow.at(-1)!.at,
  workflow,
});

describe('statesSince', () => {
  const placed = order('PENDING', null, [entry('PLACED', 0)]);

  it('rebuilds every status the order passed through between two reads, oldest first', () => {
    const completed = order('COMPLETED', null, [
      entry('PLACED', 0),
      entry('STOCK_RESERVED', 1),
      entry('PAYMENT_AUTHORIZED', 2),
      entry('COMPLETED', 3),
    ]);
    const states = statesSince(placed, completed);
    expect(states.map((s) => [s.status, s.updatedAt.getUTCSeconds(), s.workflow.length])).toEqual([
      ['STOCK_RESERVED', 1, 2],
      ['PAID', 2, 3],
      ['COMPLETED', 3, 4],
    ]);
    expect(states.at(-1)).toBe(completed);
  });

  it('keeps the cancel reason on the final state only', () => {
    const cancelled = order('CANCELLED', 'payment declined', [
      entry('PLACED', 0),
      entry('STOCK_RESERVED', 1),
      entry('CANCELLED', 2),
    ]);
    expect(statesSince(placed, cancelled).map((s) => [s.status, s.cancelReason])).toEqual([
      ['STOCK_RESERVED', null],
      ['CANCELLED', 'payment declined'],
    ]);
  });

  it('sends a change without a status change (a refund entry) as the current state alone', () => {
    const cancelled = order('CANCELLED', 'by customer', [
      entry('PLACED', 0),
      entry('CANCELLED', 1),
    ]);
    const refunded = order('CANCELLED', 'by customer', [
      entry('PLACED', 0),
      entry('CANCELLED', 1),
      entry('PAYMENT_REFUNDED', 2),
    ]);
    expect(statesSince(cancelled, refunded)).toEqual([refunded]);
  });

  it('rebuilds every fulfilment step between two reads, shipment fields only once shipped', () => {
    const saga = [
      entry('PLACED', 0),
      entry('STOCK_RESERVED', 1),
      entry('PAYMENT_AUTHORIZED', 2),
      entry('COMPLETED', 3),
    ];
    interface Tracked extends ReturnType<typeof order> {
      fulfillmentStatus: string;
      carrier: string | null;
      trackingNumber: string | null;
      shippedAt: Date | null;
      estimatedDelivery: Date | null;
      fulfillmentEvents: string[];
    }
    const completed: Tracked = {
      ...order('COMPLETED', null, saga),
      fulfillmentStatus: 'UNFULFILLED',
      carrier: null,
      trackingNumber: null,
      shippedAt: null,
      estimatedDelivery: null,
      fulfillmentEvents: [],
    };
    const delivered: Tracked = {
      ...order('COMPLETED', null, [
        ...saga,
        entry('PACKED', 4),
        entry('SHIPPED', 5),
        entry('DELIVERED', 6),
      ]),
      fulfillmentStatus: 'DELIVERED',
      carrier: 'UPS',
      trackingNumber: '1Z9',
      shippedAt: at(5),
      estimatedDelivery: new Date('2026-11-30'),
      fulfillmentEvents: ['packed', 'shipped', 'delivered'],
    };
    const states = statesSince(completed, delivered);
    expect(
      states.map((s) => [
        s.status,
        s.fulfillmentStatus,
        s.carrier,
        s.trackingNumber,
        s.estimatedDelivery?.toISOString().slice(0, 10) ?? null,
        s.fulfillmentEvents,
        s.workflow.length,
        s.updatedAt.getUTCSeconds(),
      ]),
    ).toEqual([
      ['COMPLETED', 'PACKED', null, null, null, ['packed'], 5, 4],
      ['COMPLETED', 'SHIPPED', 'UPS', '1Z9', '2026-11-30', ['packed', 'shipped'], 6, 5],
      [
        'COMPLETED',
        'DELIVERED',
        'UPS',
        '1Z9',
        '2026-11-30',
        ['packed', 'shipped', 'delivered'],
        7,
        6,
      ],
    ]);
    expect(states.at(-1)).toBe(delivered);
    // From PLACED: the saga's statuses come first, each UNFULFILLED.
    const fromPlaced = statesSince({ ...completed, workflow: saga.slice(0, 1) }, delivered);
    expect(fromPlaced.map((s) => [s.status, s.fulfillmentStatus])).toEqual([
      ['STOCK_RESERVED', 'UNFULFILLED'],
      ['PAID', 'UNFULFILLED'],
      ['COMPLETED', 'UNFULFILLED'],
      ['COMPLETED', 'PACKED'],
      ['COMPLETED', 'SHIPPED'],
      ['COMPLETED', 'DELIVERED'],
    ]);
  });
});
