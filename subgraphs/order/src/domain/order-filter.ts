/**
 * The order management list's filter (Query.orders), checked before anything is read: every
 * problem is a BAD_USER_INPUT naming the input field. Times are instants: a date alone is
 * midnight UTC, a date-time needs its zone (`Z` or an offset), since the server's own zone
 * must not decide which orders an admin sees.
 */
import { DomainError } from '@shop/subgraph-kit';
import type { FulfillmentStatus } from './fulfillment-status.ts';
import type { OrderStatus } from './order-status.ts';

export interface OrderFilterInput {
  status?: OrderStatus | null;
  fulfillmentStatus?: FulfillmentStatus | null;
  createdFrom?: string | null;
  createdTo?: string | null;
  customerEmail?: string | null;
}

export interface OrderFilter {
  status: OrderStatus | null;
  fulfillmentStatus: FulfillmentStatus | null;
  /** Inclusive. */
  createdFrom: Date | null;
  /** Exclusive. */
  createdTo: Date | null;
  /** Trimmed and lower-cased, as the user service stores addresses. */
  customerEmail: string | null;
}

/** The longest e-mail address an account can have (the user service's limit). */
export const EMAIL_MAX = 254;

const bad = (field: string, message: string) =>
  new DomainError('BAD_USER_INPUT', message, { field });

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):?(\d{2})))?$/i;

const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const daysIn = (year: number, month: number) =>
  [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;

/**
 * An ISO 8601 instant: `2026-03-01` (midnight UTC) or `2026-03-01T08:30[:00[.000]]` with `Z` or
 * an offset. Checked field by field: Date.parse would read 2026-02-31 as March 3rd.
 */
export function parseInstant(raw: string, field: string): Date {
  const value = raw.trim();
  const m = ISO_INSTANT.exec(value);
  const invalid = () =>
    bad(
      field,
      `${field} must be an ISO 8601 date (2026-03-01) or date-time with a time zone (2026-03-01T08:30:00Z)`,
    );
  if (!m) throw invalid();
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  // Orders are stored to the millisecond: finer digits cannot select anything more.
  const millis = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const hasTime = m[4] !== undefined;
  if (hasTime && m[8] === undefined) throw invalid();
  const offsetMinutes =
    m[9] === undefined ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  if (
    year < 1 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysIn(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    Math.abs(offsetMinutes) > 18 * 60
  )
    throw invalid();
  // Not Date.UTC, which reads the years 0 to 99 as 1900 to 1999.
  const time = new Date(0);
  time.setUTCFullYear(year, month - 1, day);
  time.setUTCHours(hour, minute, second, millis);
  return new Date(time.getTime() - offsetMinutes * 60_000);
}

function parseEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (email === '') throw bad('customerEmail', 'customerEmail must not be empty');
  if (email.length > EMAIL_MAX)
    throw bad('customerEmail', `customerEmail must be at most ${EMAIL_MAX} characters`);
  const at = email.lastIndexOf('@');
  if (at < 1 || at === email.length - 1)
    throw bad('customerEmail', 'customerEmail must be an e-mail address (name@example.com)');
  return email;
}

const present = (value: string | null | undefined): value is string =>
  value !== null && value !== undefined;

export function parseOrderFilter(input: OrderFilterInput | null | undefined): OrderFilter {
  const createdFrom = present(input?.createdFrom)
    ? parseInstant(input.createdFrom, 'createdFrom')
    : null;
  const createdTo = present(input?.createdTo) ? parseInstant(input.createdTo, 'createdTo') : null;
  if (createdFrom && createdTo && createdTo.getTime() <= createdFrom.getTime())
    throw bad('createdTo', 'createdTo must be after createdFrom');
  return {
    status: input?.status ?? null,
    fulfillmentStatus: input?.fulfillmentStatus ?? null,
    createdFrom,
    createdTo,
    customerEmail: present(input?.customerEmail) ? parseEmail(input.customerEmail) : null,
  };
}
