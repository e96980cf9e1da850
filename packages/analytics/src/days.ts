/**
 * Day ranges for the daily figures: calendar days in UTC (ClickHouse runs in UTC and stores
 * times as UTC text, so a day here is the same day there), written YYYY-MM-DD, both ends
 * included.
 */

/** The longest range one request may ask for: a leap year. */
export const MAX_RANGE_DAYS = 366;

const DAY_MS = 86_400_000;
const DAY_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;

/** UTC midnight of a YYYY-MM-DD day, or null when it is not a real day ClickHouse can store. */
export function parseDay(text: string): Date | null {
  const match = DAY_TEXT.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // DateTime in 18.16 is seconds since 1970 in a UInt32: up to early 2106.
  if (year < 1970 || year > 2100) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  // 2026-02-30 rolls over to March: not a day.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date;
}

/** A day as YYYY-MM-DD (UTC). */
export function formatDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export interface DayRange {
  /** UTC midnight of the first day. */
  from: Date;
  /** UTC midnight of the last day (included). */
  to: Date;
  days: number;
}

export type DayRangeCheck =
  ({ ok: true } & DayRange) | { ok: false; field: 'from' | 'to'; message: string };

/** Checks a range as a client sends it, naming the argument at fault. */
export function checkDayRange(from: string, to: string): DayRangeCheck {
  const start = parseDay(from);
  if (!start) return { ok: false, field: 'from', message: 'from must be a day written YYYY-MM-DD' };
  const end = parseDay(to);
  if (!end) return { ok: false, field: 'to', message: 'to must be a day written YYYY-MM-DD' };
  if (end < start) return { ok: false, field: 'to', message: 'to must not be before from' };
  const days = Math.round((end.getTime() - start.getTime()) / DAY_MS) + 1;
  if (days > MAX_RANGE_DAYS)
    return {
      ok: false,
      field: 'to',
      message: `a range covers at most ${MAX_RANGE_DAYS} days (this one ${days})`,
    };
  return { ok: true, from: start, to: end, days };
}

/** Midnight after `date`'s day: the range's exclusive end. */
export function nextDay(date: Date): Date {
  return new Date(date.getTime() + DAY_MS);
}

/** The most days `deliveryTimes(days)` looks back: a year. */
export const MAX_LAST_DAYS = 365;

export type LastDaysCheck = { ok: true; since: Date } | { ok: false; message: string };

/**
 * "The last `days` days": today (UTC) and the days before it, so 1 is today alone. `since` is
 * the first day's midnight. Whole days, not `days` x 24 hours back from now, so that the first
 * day listed is complete.
 */
export function checkLastDays(days: number, now: Date = new Date()): LastDaysCheck {
  if (!Number.isInteger(days) || days < 1 || days > MAX_LAST_DAYS)
    return { ok: false, message: `days must be a whole number from 1 to ${MAX_LAST_DAYS}` };
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return { ok: true, since: new Date(today - (days - 1) * DAY_MS) };
}
