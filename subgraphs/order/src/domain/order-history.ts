/**
 * An order's past states, rebuilt from its workflow log for live tracking: a watcher that reads
 * the order after several changes still sees each status and each fulfilment step, in order.
 */
import { FULFILLMENT_STATUSES, type FulfillmentStatus } from './fulfillment-status.ts';
import { STATUS_OF_WORKFLOW_EVENT } from './order-status.ts';

export interface OrderHistoryView {
  status: string;
  cancelReason: string | null;
  updatedAt: Date;
  workflow: readonly { event: string; at: Date }[];
  /** Fulfilment fields, when the view carries them (rebuilt states get them as of then). */
  fulfillmentStatus?: string;
  carrier?: string | null;
  trackingNumber?: string | null;
  shippedAt?: Date | null;
  estimatedDelivery?: Date | null;
  fulfillmentEvents?: readonly unknown[];
}

const FULFILLMENT_EVENTS: ReadonlySet<string> = new Set(FULFILLMENT_STATUSES);
/** Fulfilment statuses before the parcel left: no carrier, tracking number or estimate yet. */
const NOT_SHIPPED: ReadonlySet<string> = new Set<FulfillmentStatus>(['UNFULFILLED', 'PACKED']);

const changesState = (event: string) =>
  STATUS_OF_WORKFLOW_EVENT[event] !== undefined || FULFILLMENT_EVENTS.has(event);

/**
 * The states an order went through between two reads of it, oldest first, ending with `current`:
 * one state per status change or fulfilment step recorded in its workflow since `previous`. The
 * in-between states are rebuilt from the workflow: the order's status and fulfilment status as
 * of that entry, that entry's time, the workflow (and fulfilment events) up to it, and the
 * shipment's carrier and tracking number only once it shipped.
 */
export function statesSince<O extends OrderHistoryView>(previous: O, current: O): O[] {
  const entries = current.workflow;
  let lastChange = -1;
  for (let i = previous.workflow.length; i < entries.length; i++)
    if (changesState(entries[i]!.event)) lastChange = i;
  const states: O[] = [];
  let status: string | undefined;
  let fulfillment: string = 'UNFULFILLED';
  let fulfillmentSteps = 0;
  for (let i = 0; i < lastChange; i++) {
    const event = entries[i]!.event;
    const orderStatus = STATUS_OF_WORKFLOW_EVENT[event];
    if (orderStatus) status = orderStatus;
    if (FULFILLMENT_EVENTS.has(event)) {
      fulfillment = event;
      fulfillmentSteps++;
    }
    if (i < previous.workflow.length || (!orderStatus && !FULFILLMENT_EVENTS.has(event))) continue;
    const state: O = {
      ...current,
      status: status ?? current.status,
      cancelReason: null,
      updatedAt: entries[i]!.at,
      workflow: entries.slice(0, i + 1),
    };
    if (current.fulfillmentStatus !== undefined) {
      const shipped = !NOT_SHIPPED.has(fulfillment);
      Object.assign(state, {
        fulfillmentStatus: fulfillment,
        carrier: shipped ? current.carrier : null,
        trackingNumber: shipped ? current.trackingNumber : null,
        shippedAt: shipped ? current.shippedAt : null,
        estimatedDelivery: shipped ? current.estimatedDelivery : null,
        fulfillmentEvents: current.fulfillmentEvents?.slice(0, fulfillmentSteps),
      });
    }
    states.push(state);
  }
  states.push(current);
  return states;
}
