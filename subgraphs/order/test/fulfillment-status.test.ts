import { describe, expect, it } from 'vitest';
import { handActorFor, sellerHoldsOrder } from '../src/domain/fulfillment-access.ts';
import {
  decideFulfillment,
  estimatedDeliveryOf,
  FULFILLMENT_STATUSES,
  FULFILLMENT_TRANSITIONS,
  FulfillmentConflictError,
  fulfillmentWorkflowEntry,
  parseShipment,
  ShipmentInputError,
  type FulfillmentState,
  type FulfillmentStatus,
  type FulfillmentStep,
} from '../src/domain/fulfillment-status.ts';
import { ORDER_STATUSES } from '../src/domain/order-status.ts';

const state = (
  status: FulfillmentStatus,
  more: Partial<FulfillmentState> = {},
): FulfillmentState => ({
  orderStatus: 'COMPLETED',
  status,
  carrier: null,
  trackingNumber: null,
  ...more,
});
const ship: FulfillmentStep = { type: 'SHIP', carrier: 'UPS', trackingNumber: '1Z999' };
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof FulfillmentConflictError
      ? { code: error.code, ...error.details }
      : String(error);
  }
  return 'no error';
};

describe('decideFulfillment', () => {
  it('moves a completed order UNFULFILLED -> PACKED -> SHIPPED -> DELIVERED', () => {
    expect(decideFulfillment(state('UNFULFILLED'), { type: 'PACK' })).toEqual({
      kind: 'move',
      from: 'UNFULFILLED',
      to: 'PACKED',
    });
    expect(decideFulfillment(state('PACKED'), ship)).toEqual({
      kind: 'move',
      from: 'PACKED',
      to: 'SHIPPED',
    });
    expect(decideFulfillment(state('SHIPPED'), { type: 'DELIVER' })).toEqual({
      kind: 'move',
      from: 'SHIPPED',
      to: 'DELIVERED',
    });
  });

  it('has the return steps in its table', () => {
    expect(decideFulfillment(state('DELIVERED'), { type: 'REQUEST_RETURN' })).toMatchObject({
      to: 'RETURN_REQUESTED',
    });
    expect(decideFulfillment(state('RETURN_REQUESTED'), { type: 'RECEIVE_RETURN' })).toMatchObject({
      to: 'RETURNED',
    });
    expect(decideFulfillment(state('RETURN_REQUESTED'), { type: 'REJECT_RETURN' })).toMatchObject({
      to: 'DELIVERED',
    });
    // Every status but UNFULFILLED is reached by some step; RETURNED leads nowhere.
    const targets = new Set(Object.values(FULFILLMENT_TRANSITIONS).map(([, to]) => to));
    expect(FULFILLMENT_STATUSES.filter((s) => !targets.has(s))).toEqual(['UNFULFILLED']);
    expect(Object.values(FULFILLMENT_TRANSITIONS).some(([from]) => from === 'RETURNED')).toBe(
      false,
    );
  });

  it('refuses every step before the order is COMPLETED, with both statuses', () => {
    for (const orderStatus of ORDER_STATUSES.filter((s) => s !== 'COMPLETED'))
      expect(
        codeOf(() => decideFulfillment(state('UNFULFILLED', { orderStatus }), { type: 'PACK' })),
      ).toEqual({
        code: 'CONFLICT',
        status: orderStatus,
        fulfillmentStatus: 'UNFULFILLED',
        step: 'PACK',
      });
  });

  it('refuses a step out of order with CONFLICT and the current fulfilment status', () => {
    const cases: [FulfillmentStatus, FulfillmentStep][] = [
      ['UNFULFILLED', ship],
      ['UNFULFILLED', { type: 'DELIVER' }],
      ['PACKED', { type: 'DELIVER' }],
      ['SHIPPED', { type: 'PACK' }],
      ['DELIVERED', { type: 'PACK' }],
      ['DELIVERED', ship],
      ['UNFULFILLED', { type: 'REQUEST_RETURN' }],
      ['SHIPPED', { type: 'REQUEST_RETURN' }],
      ['RETURNED', { type: 'DELIVER' }],
      ['DELIVERED', { type: 'REJECT_RETURN' }],
    ];
    for (const [status, step] of cases)
      expect(codeOf(() => decideFulfillment(state(status), step))).toMatchObject({
        code: 'CONFLICT',
        status: 'COMPLETED',
        fulfillmentStatus: status,
        step: step.type,
      });
  });

  it('takes a repeated step as a harmless repeat, but not another shipment', () => {
    expect(decideFulfillment(state('PACKED'), { type: 'PACK' })).toEqual({ kind: 'unchanged' });
    expect(decideFulfillment(state('DELIVERED'), { type: 'DELIVER' })).toEqual({
      kind: 'unchanged',
    });
    const shipped = state('SHIPPED', { carrier: 'UPS', trackingNumber: '1Z999' });
    expect(decideFulfillment(shipped, ship)).toEqual({ kind: 'unchanged' });
    expect(
      codeOf(() => decideFulfillment(shipped, { ...ship, trackingNumber: '1Z998' })),
    ).toMatchObject({ code: 'CONFLICT', fulfillmentStatus: 'SHIPPED' });
    // A repeat is still refused before the order is COMPLETED.
    expect(
      codeOf(() =>
        decideFulfillment(state('PACKED', { orderStatus: 'CANCELLED' }), { type: 'PACK' }),
      ),
    ).toMatchObject({ code: 'CONFLICT', status: 'CANCELLED' });
  });
});

describe('parseShipment', () => {
  const fieldOf = (carrier: string, tracking: string) => {
    try {
      return parseShipment(carrier, tracking);
    } catch (error) {
      if (!(error instanceof ShipmentInputError)) throw error;
      return { code: error.code, field: error.field };
    }
  };

  it('trims and keeps printable text of the allowed lengths', () => {
    expect(parseShipment('  DHL Express ', ' JD014600006281 ')).toEqual({
      carrier: 'DHL Express',
      trackingNumber: 'JD014600006281',
    });
    expect(parseShipment('x'.repeat(100), 'Ü'.repeat(64))).toEqual({
      carrier: 'x'.repeat(100),
      trackingNumber: 'Ü'.repeat(64),
    });
  });

  it('refuses empty, too long or unprintable values naming the field', () => {
    expect(fieldOf('  ', '1')).toEqual({ code: 'BAD_USER_INPUT', field: 'carrier' });
    expect(fieldOf('x'.repeat(101), '1')).toEqual({ code: 'BAD_USER_INPUT', field: 'carrier' });
    expect(fieldOf('UPS\u0000', '1')).toEqual({ code: 'BAD_USER_INPUT', field: 'carrier' });
    expect(fieldOf('UPS', '')).toEqual({ code: 'BAD_USER_INPUT', field: 'trackingNumber' });
    expect(fieldOf('UPS', '1'.repeat(65))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'trackingNumber',
    });
    expect(fieldOf('UPS', '12\n34')).toEqual({ code: 'BAD_USER_INPUT', field: 'trackingNumber' });
    expect(fieldOf('UPS', '12\u200b34')).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'trackingNumber',
    });
  });
});

describe('estimatedDeliveryOf', () => {
  it('is the ship date (UTC) plus the maximum days, as an ISO date', () => {
    const shippedAt = new Date('2026-02-26T23:30:00Z');
    expect(estimatedDeliveryOf(shippedAt, { min: 2, max: 5 })).toBe('2026-03-03');
    expect(estimatedDeliveryOf(shippedAt, { min: 0, max: 0 })).toBe('2026-02-26');
    expect(estimatedDeliveryOf(shippedAt, null)).toBeNull();
  });
});

describe('fulfillmentWorkflowEntry', () => {
  it('records a step under FULFILMENT with who made it', () => {
    expect(fulfillmentWorkflowEntry('PACKED', 'SELLER')).toEqual({
      step: 'FULFILMENT',
      event: 'PACKED',
      detail: 'Packed (by the seller)',
    });
    expect(
      fulfillmentWorkflowEntry('SHIPPED', 'ADMIN', {
        carrier: 'UPS',
        trackingNumber: '1Z9',
        estimatedDelivery: '2026-03-03',
      }).detail,
    ).toBe(
      'Shipped with UPS, tracking number 1Z9, estimated delivery 2026-03-03 (by an administrator)',
    );
  });
});

describe('who may fulfil', () => {
  it('lets sellers and admins act and refuses customers', () => {
    expect(handActorFor('ADMIN')).toBe('ADMIN');
    expect(handActorFor('SELLER')).toBe('SELLER');
    expect(() => handActorFor('CUSTOMER')).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });

  it('lets a seller act on an order holding at least one of their products', () => {
    expect(sellerHoldsOrder(['s1', 's2'], ['s3', 's2'])).toBe(true);
    expect(sellerHoldsOrder(['s1'], ['s3', null])).toBe(false);
    expect(sellerHoldsOrder([], ['s1'])).toBe(false);
  });
});
