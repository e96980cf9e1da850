/**
 * A return's life, beside the order's fulfilment (which moves with it: a request makes the
 * parcel RETURN_REQUESTED, a rejection DELIVERED again, the parcel's arrival RETURNED):
 *
 *   REQUESTED --APPROVE--> APPROVED --RECEIVE--> RECEIVED --REFUND--> REFUNDED
 *   REQUESTED --REJECT--> REJECTED
 *
 * A step whose target is where the return already is changes nothing (an admin's double click,
 * a carrier step or a provider's refund delivered twice); any other step from the wrong status
 * is CONFLICT.
 */
import { DomainError } from '@shop/subgraph-kit';

export const RETURN_STATUSES = [
  'REQUESTED',
  'APPROVED',
  'REJECTED',
  'RECEIVED',
  'REFUNDED',
] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

export type ReturnStep = 'APPROVE' | 'REJECT' | 'RECEIVE' | 'REFUND';

export const RETURN_TRANSITIONS: Readonly<
  Record<ReturnStep, readonly [ReturnStatus, ReturnStatus]>
> = {
  APPROVE: ['REQUESTED', 'APPROVED'],
  REJECT: ['REQUESTED', 'REJECTED'],
  RECEIVE: ['APPROVED', 'RECEIVED'],
  REFUND: ['RECEIVED', 'REFUNDED'],
};

export type ReturnDecision = { kind: 'unchanged' } | { kind: 'move'; to: ReturnStatus };

/** What `step` does to a return in `status`; CONFLICT (with both in extensions) when refused. */
export function decideReturn(status: ReturnStatus, step: ReturnStep): ReturnDecision {
  const [from, to] = RETURN_TRANSITIONS[step];
  if (status === to) return { kind: 'unchanged' };
  if (status !== from)
    throw new DomainError(
      'CONFLICT',
      `A return that is ${status} cannot be ${
        { APPROVE: 'approved', REJECT: 'rejected', RECEIVE: 'received', REFUND: 'refunded' }[step]
      } (it needs ${from})`,
      { returnStatus: status, step },
    );
  return { kind: 'move', to };
}

/** Why a return cannot be asked for now: CONFLICT with a stable `extensions.reason`. */
export type ReturnRefusal = 'NOT_DELIVERED' | 'RETURN_OPEN' | 'ALREADY_RETURNED' | 'WINDOW_CLOSED';

export class ReturnConflictError extends DomainError {
  constructor(
    readonly reason: ReturnRefusal,
    message: string,
  ) {
    super('CONFLICT', message, { reason });
    this.name = 'ReturnConflictError';
  }
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Whether an order whose fulfilment is `fulfillmentStatus`, delivered at `deliveredAt`, may be
 * returned at `now` within `windowDays`; throws ReturnConflictError saying why not.
 */
export function assertReturnable(
  fulfillmentStatus: string,
  deliveredAt: Date | null,
  now: Date,
  windowDays: number,
): void {
  if (fulfillmentStatus === 'RETURN_REQUESTED')
    throw new ReturnConflictError('RETURN_OPEN', 'A return of this order is already open');
  if (fulfillmentStatus === 'RETURNED')
    throw new ReturnConflictError('ALREADY_RETURNED', 'This order was already returned');
  if (fulfillmentStatus !== 'DELIVERED' || !deliveredAt)
    throw new ReturnConflictError(
      'NOT_DELIVERED',
      `Only a delivered order can be returned (this one is ${fulfillmentStatus})`,
    );
  if (now.getTime() > deliveredAt.getTime() + windowDays * DAY_MS)
    throw new ReturnConflictError(
      'WINDOW_CLOSED',
      `The return window closed ${windowDays} days after delivery`,
    );
}

export const MAX_RETURN_REASON_LENGTH = 500;
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\u2028\u2029]/u;

/** A reason as stored: trimmed, 1..500 characters, no control characters (BAD_USER_INPUT). */
export function parseReturnReason(raw: string, field = 'reason'): string {
  const value = raw.trim();
  if (value.length === 0 || value.length > MAX_RETURN_REASON_LENGTH)
    throw new DomainError(
      'BAD_USER_INPUT',
      `${field} must have 1 to ${MAX_RETURN_REASON_LENGTH} characters`,
      { field },
    );
  // Newlines and tabs are fine in a reason a customer types; other controls are not.
  if (NOT_PRINTABLE.test(value.replace(/[\n\t]/g, ' ')))
    throw new DomainError('BAD_USER_INPUT', `${field} must be printable text`, { field });
  return value;
}

export interface ReturnLineRequest {
  productId: string;
  quantity: number;
}

export interface ReturnableLine {
  productId: string;
  quantity: number;
}

/**
 * The requested lines checked against the order: each product once, in the order, 1 to the
 * units bought less those already returned. BAD_USER_INPUT naming the field (`lines`, or
 * `lines.<i>.productId` / `lines.<i>.quantity`).
 */
export function parseReturnLines(
  requested: readonly ReturnLineRequest[],
  ordered: readonly ReturnableLine[],
  alreadyReturned: ReadonlyMap<string, number>,
): ReturnLineRequest[] {
  if (requested.length === 0)
    throw new DomainError('BAD_USER_INPUT', 'A return needs at least one line', {
      field: 'lines',
    });
  if (requested.length > 100)
    throw new DomainError('BAD_USER_INPUT', 'A return has at most 100 lines', { field: 'lines' });
  const bought = new Map<string, number>();
  for (const line of ordered)
    bought.set(line.productId, (bought.get(line.productId) ?? 0) + line.quantity);
  const seen = new Set<string>();
  return requested.map((line, i) => {
    const productId = line.productId.trim().toLowerCase();
    const units = bought.get(productId);
    if (units === undefined)
      throw new DomainError('BAD_USER_INPUT', 'That product is not in the order', {
        field: `lines.${i}.productId`,
      });
    if (seen.has(productId))
      throw new DomainError('BAD_USER_INPUT', 'Each product may appear once in a return', {
        field: `lines.${i}.productId`,
      });
    seen.add(productId);
    const left = units - (alreadyReturned.get(productId) ?? 0);
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > left)
      throw new DomainError(
        'BAD_USER_INPUT',
        left > 0
          ? `quantity must be 1 to ${left} (units bought${left < units ? ' and not yet returned' : ''})`
          : 'Every unit of that product was already returned',
        { field: `lines.${i}.quantity` },
      );
    return { productId, quantity: line.quantity };
  });
}
