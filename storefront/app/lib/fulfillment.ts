import type {
  FulfillmentActor,
  FulfillmentStatus,
  OrderStatus,
  ReturnStatus,
} from '../graphql/generated.ts';

/** Where the parcel is, in words. */
export const FULFILLMENT_LABELS: Record<FulfillmentStatus, string> = {
  UNFULFILLED: 'Unfulfilled',
  PACKED: 'Packed',
  SHIPPED: 'Shipped',
  DELIVERED: 'Delivered',
  RETURN_REQUESTED: 'Return requested',
  RETURNED: 'Returned',
};

export const FULFILLMENT_STATUSES = Object.keys(FULFILLMENT_LABELS) as FulfillmentStatus[];

const ACTOR_LABELS: Record<string, string> = {
  SELLER: 'by the seller',
  ADMIN: 'by an administrator',
  CARRIER: 'by the carrier',
  CUSTOMER: 'by you',
};

/** Who made a fulfilment step, in words (nothing for an actor this page does not know yet). */
export const actorLabel = (actor: FulfillmentActor): string => ACTOR_LABELS[actor] ?? '';

export const RETURN_LABELS: Record<ReturnStatus, string> = {
  REQUESTED: 'Requested, waiting for a decision',
  APPROVED: 'Approved: send the parcel back',
  REJECTED: 'Rejected',
  RECEIVED: 'Received, refund under way',
  REFUNDED: 'Refunded',
};

export const ORDER_STATUSES: readonly OrderStatus[] = [
  'PENDING',
  'STOCK_RESERVED',
  'PAID',
  'COMPLETED',
  'CANCELLED',
];

const FORWARD: readonly FulfillmentStatus[] = ['UNFULFILLED', 'PACKED', 'SHIPPED', 'DELIVERED'];
const BACK: readonly FulfillmentStatus[] = ['RETURN_REQUESTED', 'RETURNED'];

export interface ParcelStep {
  status: FulfillmentStatus;
  label: string;
  state: 'done' | 'current' | 'todo';
  /** When the parcel last reached this step (ISO 8601), or null. */
  at: string | null;
}

/**
 * The step line of a parcel: Unfulfilled → Packed → Shipped → Delivered, followed by
 * Return requested → Returned once a return is under way. Steps before the current one are
 * done. A rejected return puts the parcel back to Delivered; the line then ends there again.
 */
export function parcelSteps(
  status: FulfillmentStatus,
  events: readonly { status: FulfillmentStatus; at: string }[],
): ParcelStep[] {
  const steps = BACK.includes(status) ? [...FORWARD, ...BACK] : [...FORWARD];
  const current = steps.indexOf(status);
  return steps.map((step, index) => {
    let at: string | null = null;
    for (const event of events) if (event.status === step) at = event.at;
    return {
      status: step,
      label: FULFILLMENT_LABELS[step],
      state: index < current ? 'done' : index === current ? 'current' : 'todo',
      at,
    };
  });
}

/** Units of each product the customer can still send back: bought less those in returns that stand. */
export function returnableUnits(
  items: readonly { product: { id: string }; quantity: number }[],
  returns: readonly {
    status: ReturnStatus;
    lines: readonly { product: { id: string }; quantity: number }[];
  }[],
): Map<string, number> {
  const left = new Map<string, number>();
  for (const item of items)
    left.set(item.product.id, (left.get(item.product.id) ?? 0) + item.quantity);
  for (const ret of returns) {
    if (ret.status === 'REJECTED') continue;
    for (const line of ret.lines)
      left.set(line.product.id, Math.max(0, (left.get(line.product.id) ?? 0) - line.quantity));
  }
  return left;
}

/** A return that still needs a hand: a decision (REQUESTED) or the parcel back (APPROVED). */
export const isOpenReturn = (status: ReturnStatus) =>
  status === 'REQUESTED' || status === 'APPROVED';

/** What a management page may do next with an order's parcel, by the API's own rules. */
export function nextParcelAction(
  status: OrderStatus,
  fulfillment: FulfillmentStatus,
): 'PACK' | 'SHIP' | 'DELIVER' | null {
  if (status !== 'COMPLETED') return null;
  if (fulfillment === 'UNFULFILLED') return 'PACK';
  if (fulfillment === 'PACKED') return 'SHIP';
  if (fulfillment === 'SHIPPED') return 'DELIVER';
  return null;
}
