/** The time windows analytics answers over, newest data last; names match the GraphQL enum. */
export const ANALYTICS_WINDOWS = ['LAST_HOUR', 'LAST_DAY', 'LAST_7_DAYS', 'LAST_30_DAYS'] as const;
export type AnalyticsWindow = (typeof ANALYTICS_WINDOWS)[number];

const HOUR = 3_600_000;
const LENGTH_MS: Record<AnalyticsWindow, number> = {
  LAST_HOUR: HOUR,
  LAST_DAY: 24 * HOUR,
  LAST_7_DAYS: 7 * 24 * HOUR,
  LAST_30_DAYS: 30 * 24 * HOUR,
};

export function isAnalyticsWindow(value: string): value is AnalyticsWindow {
  return (ANALYTICS_WINDOWS as readonly string[]).includes(value);
}

/**
 * Where a window starts, in whole seconds (ClickHouse DateTime has no fractions): an event at
 * exactly that second is inside. One `now` per request keeps every count of a response on the
 * same window.
 */
export function windowStart(window: AnalyticsWindow, now: Date = new Date()): Date {
  const start = now.getTime() - LENGTH_MS[window];
  return new Date(Math.floor(start / 1000) * 1000);
}
