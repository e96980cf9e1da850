import type { OrderStatus } from '../graphql/generated.ts';

/** One line of the tracking page's timeline. */
export interface TimelineEntry {
  key: string;
  title: string;
  detail: string | null;
  at: string;
  /** Undoing an earlier step (stock released, payment refunded). */
  compensation: boolean;
}

const TITLES: Record<string, string> = {
  PLACED: 'Order placed',
  STOCK_RESERVED: 'Stock reserved',
  PAYMENT_AUTHORIZED: 'Payment authorized',
  COMPLETED: 'Order completed',
  CANCELLED: 'Order cancelled',
  STOCK_RELEASED: 'Stock released',
  PAYMENT_REFUNDED: 'Payment refunded',
};

const COMPENSATIONS = new Set(['STOCK_RELEASED', 'PAYMENT_REFUNDED']);

const humanize = (event: string) =>
  event.charAt(0) + event.slice(1).toLowerCase().replace(/_/g, ' ');

/** The order's workflow events as timeline entries, oldest first (stable for equal times). */
export function timeline(
  workflow: readonly { step: string; event: string; detail: string | null; at: string }[],
): TimelineEntry[] {
  return workflow
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => a.entry.at.localeCompare(b.entry.at) || a.index - b.index)
    .map(({ entry, index }) => ({
      key: `${index}-${entry.step}-${entry.event}`,
      title: TITLES[entry.event] ?? humanize(entry.event),
      detail: entry.detail,
      at: entry.at,
      compensation: COMPENSATIONS.has(entry.event),
    }));
}

export const STATUS_LABELS: Record<OrderStatus, string> = {
  PENDING: 'Placed, waiting for stock',
  STOCK_RESERVED: 'Stock reserved, waiting for payment',
  PAID: 'Paid',
  COMPLETED: 'Completed',
  CANCELLED: 'Cancelled',
};

/** An order can be cancelled until it is finished (the API's own rule). */
export const isCancellable = (status: OrderStatus) =>
  status === 'PENDING' || status === 'STOCK_RESERVED' || status === 'PAID';
