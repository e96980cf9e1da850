/**
 * The fulfilment state machine: where the parcel is, kept apart from the payment status (as
 * Shopify and Saleor do). Every fulfilment change goes through `decideFulfillment`; nothing else
 * writes a fulfilment status.
 *
 *   UNFULFILLED --PACK--> PACKED --SHIP--> SHIPPED --DELIVER--> DELIVERED
 *   DELIVERED --REQUEST_RETURN--> RETURN_REQUESTED --RECEIVE_RETURN--> RETURNED
 *   RETURN_REQUESTED --REJECT_RETURN--> DELIVERED
 *
 * Fulfilment moves only once the order is COMPLETED (paid and confirmed by the saga). A step
 * whose target is the status the order already has is a repeat: `unchanged`, nothing written
 * (a client retrying after a lost answer, a carrier event delivered twice). A repeated SHIP with
 * another carrier or tracking number is not a repeat but a different shipment: CONFLICT.
 */
import { DomainError } from '@shop/subgraph-kit';
import type { OrderStatus } from './order-status.ts';

export const FULFILLMENT_STATUSES = [
  'UNFULFILLED',
  'PACKED',
  'SHIPPED',
  'DELIVERED',
  'RETURN_REQUESTED',
  'RETURNED',
] as const;
export type FulfillmentStatus = (typeof FULFILLMENT_STATUSES)[number];

/** Who makes a step: a seller or an admin by hand, the carrier, or the customer (a return). */
export type FulfillmentActor = 'SELLER' | 'ADMIN' | 'CARRIER' | 'CUSTOMER';

export interface Shipment {
  carrier: string;
  trackingNumber: string;
}

export type FulfillmentStep =
  | { type: 'PACK' }
  | ({ type: 'SHIP' } & Shipment)
  | { type: 'DELIVER' }
  | { type: 'REQUEST_RETURN' }
  | { type: 'REJECT_RETURN' }
  | { type: 'RECEIVE_RETURN' };
export type FulfillmentStepType = FulfillmentStep['type'];

/** The table: each step, the one status it may start from and the status it leads to. */
export const FULFILLMENT_TRANSITIONS: Readonly<
  Record<FulfillmentStepType, readonly [FulfillmentStatus, FulfillmentStatus]>
> = {
  PACK: ['UNFULFILLED', 'PACKED'],
  SHIP: ['PACKED', 'SHIPPED'],
  DELIVER: ['SHIPPED', 'DELIVERED'],
  REQUEST_RETURN: ['DELIVERED', 'RETURN_REQUESTED'],
  REJECT_RETURN: ['RETURN_REQUESTED', 'DELIVERED'],
  RECEIVE_RETURN: ['RETURN_REQUESTED', 'RETURNED'],
};

/**
 * Steps whose repeat is harmless (the order already has their target). A rejected return is not
 * among them: DELIVERED does not mean a return was rejected.
 */
const REPEATABLE: ReadonlySet<FulfillmentStepType> = new Set([
  'PACK',
  'SHIP',
  'DELIVER',
  'REQUEST_RETURN',
  'RECEIVE_RETURN',
]);

/** What the machine decides from, as read under the order's row lock. */
export interface FulfillmentState {
  orderStatus: OrderStatus;
  status: FulfillmentStatus;
  carrier: string | null;
  trackingNumber: string | null;
}

export type FulfillmentDecision =
  { kind: 'unchanged' } | { kind: 'move'; from: FulfillmentStatus; to: FulfillmentStatus };

/** A step the order does not allow now: CONFLICT, with both statuses in extensions. */
export class FulfillmentConflictError extends DomainError {
  constructor(
    readonly state: FulfillmentState,
    readonly step: FulfillmentStepType,
    message: string,
  ) {
    super('CONFLICT', message, {
      status: state.orderStatus,
      fulfillmentStatus: state.status,
      step,
    });
    this.name = 'FulfillmentConflictError';
  }
}

/** What `step` does to an order in `state`; throws FulfillmentConflictError when not allowed. */
export function decideFulfillment(
  state: FulfillmentState,
  step: FulfillmentStep,
): FulfillmentDecision {
  const [from, to] = FULFILLMENT_TRANSITIONS[step.type];
  if (state.orderStatus !== 'COMPLETED')
    throw new FulfillmentConflictError(
      state,
      step.type,
      `An order that is ${state.orderStatus} cannot be fulfilled: fulfilment starts once it is COMPLETED (paid and confirmed)`,
    );
  if (state.status === to && REPEATABLE.has(step.type)) {
    if (step.type !== 'SHIP') return { kind: 'unchanged' };
    if (step.carrier === state.carrier && step.trackingNumber === state.trackingNumber)
      return { kind: 'unchanged' };
    throw new FulfillmentConflictError(
      state,
      step.type,
      `The order already shipped with ${state.carrier} (${state.trackingNumber})`,
    );
  }
  if (state.status !== from)
    throw new FulfillmentConflictError(
      state,
      step.type,
      `An order whose fulfilment is ${state.status} cannot take ${step.type} (it needs ${from})`,
    );
  return { kind: 'move', from, to };
}

export const MAX_CARRIER_LENGTH = 100;
export const MAX_TRACKING_NUMBER_LENGTH = 64;

/** Control, format, unassigned and private-use characters, and line/paragraph separators. */
const NOT_PRINTABLE = /[\p{C}\u2028\u2029]/u;

/** Why a carrier or tracking number is refused, naming the field (BAD_USER_INPUT). */
export class ShipmentInputError extends DomainError {
  constructor(
    readonly field: 'carrier' | 'trackingNumber',
    message: string,
  ) {
    super('BAD_USER_INPUT', message, { field });
    this.name = 'ShipmentInputError';
  }
}

function text(field: 'carrier' | 'trackingNumber', raw: string, max: number): string {
  const value = raw.trim();
  if (value.length === 0 || value.length > max)
    throw new ShipmentInputError(field, `${field} must have 1 to ${max} characters`);
  if (NOT_PRINTABLE.test(value))
    throw new ShipmentInputError(field, `${field} must be printable text (no control characters)`);
  return value;
}

/** The carrier and tracking number as stored: trimmed, 1..100 / 1..64 printable characters. */
export function parseShipment(carrier: string, trackingNumber: string): Shipment {
  return {
    carrier: text('carrier', carrier, MAX_CARRIER_LENGTH),
    trackingNumber: text('trackingNumber', trackingNumber, MAX_TRACKING_NUMBER_LENGTH),
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The estimated delivery date of a parcel shipped at `shippedAt` with a method quoted at
 * `estimatedDays` (the order's shipping snapshot): the ship date (UTC) plus the maximum days, as
 * an ISO date. Null for orders without a shipping snapshot.
 */
export function estimatedDeliveryOf(
  shippedAt: Date,
  estimatedDays: { min: number; max: number } | null | undefined,
): string | null {
  if (!estimatedDays || !Number.isInteger(estimatedDays.max) || estimatedDays.max < 0) return null;
  const shipDay = Math.floor(shippedAt.getTime() / DAY_MS) * DAY_MS;
  return new Date(shipDay + estimatedDays.max * DAY_MS).toISOString().slice(0, 10);
}

/** Who made a step, as the order's workflow details say it ("by the seller"). */
export function actorPhrase(actor: FulfillmentActor): string {
  return {
    SELLER: 'the seller',
    ADMIN: 'an administrator',
    CARRIER: 'the carrier',
    CUSTOMER: 'the customer',
  }[actor];
}

/** How a fulfilment step is recorded in the order's workflow log (step FULFILMENT). */
export function fulfillmentWorkflowEntry(
  to: FulfillmentStatus,
  actor: FulfillmentActor,
  shipment?: Shipment & { estimatedDelivery: string | null },
): { step: 'FULFILMENT'; event: FulfillmentStatus; detail: string } {
  const by = actorPhrase(actor);
  const detail = shipment
    ? `Shipped with ${shipment.carrier}, tracking number ${shipment.trackingNumber}` +
      (shipment.estimatedDelivery ? `, estimated delivery ${shipment.estimatedDelivery}` : '') +
      ` (by ${by})`
    : `${to.charAt(0)}${to.slice(1).toLowerCase().replace('_', ' ')} (by ${by})`;
  return { step: 'FULFILMENT', event: to, detail };
}
