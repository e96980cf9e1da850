import { describe, expect, it } from 'vitest';
import { ANALYTICS_WINDOWS, isAnalyticsWindow, windowStart } from '../src/window.ts';
import { toClickHouseDateTime } from '../src/rows.ts';
import { uuidList, wholeNumber } from '../src/sql.ts';

const now = new Date('2026-11-23T12:34:56.789Z');

describe('analytics windows', () => {
  it('start the window length before now, on a whole second', () => {
    expect(windowStart('LAST_HOUR', now).toISOString()).toBe('2026-11-23T11:34:56.000Z');
    expect(windowStart('LAST_DAY', now).toISOString()).toBe('2026-11-22T12:34:56.000Z');
    expect(windowStart('LAST_7_DAYS', now).toISOString()).toBe('2026-11-16T12:34:56.000Z');
    expect(windowStart('LAST_30_DAYS', now).toISOString()).toBe('2026-10-24T12:34:56.000Z');
  });

  it('knows exactly the GraphQL enum values', () => {
    expect(ANALYTICS_WINDOWS.every(isAnalyticsWindow)).toBe(true);
    expect(isAnalyticsWindow('LAST_YEAR')).toBe(false);
  });
});

describe('SQL values', () => {
  it('writes DateTime text in UTC, whole seconds', () => {
    expect(toClickHouseDateTime(now)).toBe('2026-11-23 12:34:56');
  });

  it('accepts only UUIDs and bounded whole numbers', () => {
    expect(uuidList(['6F1C2A0E-6A3B-4F55-8D0E-3C1F2B7A9E01'])).toBe(
      "toUUID('6f1c2a0e-6a3b-4f55-8d0e-3c1f2b7a9e01')",
    );
    expect(() => uuidList(["x') OR 1=1 --"])).toThrow(/not a UUID/);
    expect(wholeNumber(10, 1, 100)).toBe('10');
    expect(() => wholeNumber(0, 1, 100)).toThrow();
    expect(() => wholeNumber(1.5, 1, 100)).toThrow();
  });
});
