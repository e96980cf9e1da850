import type { FulfillmentStatus, OrderFilter, OrderStatus } from '../graphql/generated.ts';
import { FULFILLMENT_STATUSES, ORDER_STATUSES } from './fulfillment.ts';

/**
 * The order management list as it lives in the URL (`?status=…&fulfillment=…&from=…&to=…&
 * email=…&after=…`), so a shared link or the back button shows the same list. Parsing is
 * lenient (a value that cannot be a filter is dropped, never an error page).
 */
export interface OrderListState {
  status?: OrderStatus;
  fulfillment?: FulfillmentStatus;
  /** First day placed, YYYY-MM-DD (in the viewer's time zone). */
  from?: string;
  /** Last day placed, YYYY-MM-DD, inclusive. */
  to?: string;
  email?: string;
  after?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const CURSOR = /^[A-Za-z0-9_=+/:.-]{1,512}$/;
const MAX_EMAIL = 254;

const isDay = (value: string | null): value is string =>
  value !== null && DAY.test(value) && !Number.isNaN(new Date(`${value}T00:00:00`).getTime());

export function parseOrderList(params: URLSearchParams): OrderListState {
  const state: OrderListState = {};
  const status = params.get('status');
  if (ORDER_STATUSES.includes(status as OrderStatus)) state.status = status as OrderStatus;
  const fulfillment = params.get('fulfillment');
  if (FULFILLMENT_STATUSES.includes(fulfillment as FulfillmentStatus))
    state.fulfillment = fulfillment as FulfillmentStatus;
  const from = params.get('from');
  if (isDay(from)) state.from = from;
  const to = params.get('to');
  if (isDay(to)) state.to = to;
  const email = params.get('email')?.trim();
  if (email) state.email = email.slice(0, MAX_EMAIL);
  const after = params.get('after');
  if (after && CURSOR.test(after)) state.after = after;
  return state;
}

/** The canonical query string (without `?`), parameters in a fixed order. */
export function orderListSearch(state: OrderListState): string {
  const params = new URLSearchParams();
  if (state.status) params.set('status', state.status);
  if (state.fulfillment) params.set('fulfillment', state.fulfillment);
  if (state.from) params.set('from', state.from);
  if (state.to) params.set('to', state.to);
  if (state.email) params.set('email', state.email);
  if (state.after) params.set('after', state.after);
  return params.toString();
}

/** Midnight at the start of a day in the viewer's time zone, as ISO 8601. */
const startOfDay = (day: string) => new Date(`${day}T00:00:00`).toISOString();

function startOfNextDay(day: string): string {
  const date = new Date(`${day}T00:00:00`);
  date.setDate(date.getDate() + 1);
  return date.toISOString();
}

/**
 * The API's filter: days are whole days in the viewer's time zone (`to` included, so the
 * filter's exclusive `createdTo` is the next day's start).
 */
export function orderFilterOf(state: OrderListState): OrderFilter {
  const filter: OrderFilter = {};
  if (state.status) filter.status = state.status;
  if (state.fulfillment) filter.fulfillmentStatus = state.fulfillment;
  if (state.from) filter.createdFrom = startOfDay(state.from);
  if (state.to) filter.createdTo = startOfNextDay(state.to);
  if (state.email) filter.customerEmail = state.email;
  return filter;
}
