/**
 * The order status machine. Every status change goes through `transition`, which says what the
 * change leads to or why it is not allowed; nothing else writes a status.
 *
 *   PENDING --StockReserved--> STOCK_RESERVED --PaymentAuthorized--> PAID --Complete--> COMPLETED
 *      \____________________________\__________________________________\--Cancel(reason)--> CANCELLED
 *
 * COMPLETED and CANCELLED are terminal.
 */
import { DomainError } from '@shop/subgraph-kit';

export const ORDER_STATUSES = [
  'PENDING',
  'STOCK_RESERVED',
  'PAID',
  'COMPLETED',
  'CANCELLED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export type OrderEvent =
  | { type: 'STOCK_RESERVED' }
  | { type: 'PAYMENT_AUTHORIZED' }
  | { type: 'COMPLETE' }
  | { type: 'CANCEL'; reason: string };

export interface TransitionResult {
  status: OrderStatus;
  /** Set when the order ends CANCELLED. */
  cancelReason: string | null;
}

export const TERMINAL_STATUSES: ReadonlySet<OrderStatus> = new Set(['COMPLETED', 'CANCELLED']);
export const isTerminal = (status: OrderStatus): boolean => TERMINAL_STATUSES.has(status);

/** Forward moves: event type -> the one status it may start from and the status it leads to. */
const FORWARD: Record<Exclude<OrderEvent['type'], 'CANCEL'>, [OrderStatus, OrderStatus]> = {
  STOCK_RESERVED: ['PENDING', 'STOCK_RESERVED'],
  PAYMENT_AUTHORIZED: ['STOCK_RESERVED', 'PAID'],
  COMPLETE: ['PAID', 'COMPLETED'],
};

export const MAX_CANCEL_REASON_LENGTH = 500;

/** A change the order's status does not allow: CONFLICT for a client, with the status it is in. */
export class InvalidTransitionError extends DomainError {
  constructor(
    readonly from: OrderStatus,
    readonly event: OrderEvent['type'],
  ) {
    super(
      'CONFLICT',
      isTerminal(from)
        ? `The order is already ${from} and can no longer change`
        : `An order that is ${from} cannot take ${event}`,
      { status: from },
    );
    this.name = 'InvalidTransitionError';
  }
}

/** The status `event` leads to from `from`; throws InvalidTransitionError when not allowed. */
export function transition(from: OrderStatus, event: OrderEvent): TransitionResult {
  if (isTerminal(from)) throw new InvalidTransitionError(from, event.type);
  if (event.type === 'CANCEL') {
    const reason = event.reason.trim();
    if (reason === '' || reason.length > MAX_CANCEL_REASON_LENGTH)
      throw new RangeError(`a cancel reason has 1 to ${MAX_CANCEL_REASON_LENGTH} characters`);
    return { status: 'CANCELLED', cancelReason: reason };
  }
  const [expected, to] = FORWARD[event.type];
  if (from !== expected) throw new InvalidTransitionError(from, event.type);
  return { status: to, cancelReason: null };
}

/** Whether `event` is allowed from `from` (for callers that only need to know). */
export function canTransition(from: OrderStatus, event: OrderEvent): boolean {
  try {
    transition(from, event);
    return true;
  } catch {
    return false;
  }
}

/** How a status change is recorded in the order's workflow log. */
export function workflowEntryFor(event: OrderEvent): {
  step: string;
  event: string;
  detail: string | null;
} {
  switch (event.type) {
    case 'STOCK_RESERVED':
      return { step: 'STOCK', event: 'STOCK_RESERVED', detail: null };
    case 'PAYMENT_AUTHORIZED':
      return { step: 'PAYMENT', event: 'PAYMENT_AUTHORIZED', detail: null };
    case 'COMPLETE':
      return { step: 'ORDER', event: 'COMPLETED', detail: null };
    case 'CANCEL':
      return { step: 'ORDER', event: 'CANCELLED', detail: event.reason.trim() };
  }
}

/** The status an order entered with each kind of workflow entry (other entries change no status). */
export const STATUS_OF_WORKFLOW_EVENT: Readonly<Record<string, OrderStatus>> = {
  PLACED: 'PENDING',
  STOCK_RESERVED: 'STOCK_RESERVED',
  PAYMENT_AUTHORIZED: 'PAID',
  COMPLETED: 'COMPLETED',
  CANCELLED: 'CANCELLED',
};
