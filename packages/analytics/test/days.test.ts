import { describe, expect, it } from 'vitest';
import {
  MAX_LAST_DAYS,
  MAX_RANGE_DAYS,
  checkDayRange,
  checkLastDays,
  formatDay,
  nextDay,
  parseDay,
} from '../src/days.ts';

describe('day ranges', () => {
  it('reads YYYY-MM-DD as that day at midnight UTC', () => {
    expect(parseDay('2026-11-23')?.toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(parseDay('2028-02-29')?.toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(formatDay(nextDay(parseDay('2026-12-31')!))).toBe('2027-01-01');
  });

  it('refuses what is not a real day ClickHouse can hold', () => {
    for (const text of [
      '',
      '2026-2-3',
      '2026-02-30',
      '2027-02-29',
      '2026-13-01',
      '2026-00-10',
      '26-01-01',
      '2026-01-01T00:00:00Z',
      ' 2026-01-01',
      '1969-12-31',
      '2101-01-01',
    ])
      expect(parseDay(text), text).toBeNull();
  });

  it('checks a range, naming the argument at fault', () => {
    expect(checkDayRange('2026-01-01', '2026-01-01')).toMatchObject({ ok: true, days: 1 });
    // A leap year is the longest range; one day more is refused.
    expect(checkDayRange('2028-01-01', '2028-12-31')).toMatchObject({ ok: true, days: 366 });
    expect(checkDayRange('2028-01-01', '2029-01-01')).toEqual({
      ok: false,
      field: 'to',
      message: `a range covers at most ${MAX_RANGE_DAYS} days (this one 367)`,
    });
    expect(checkDayRange('2026-01-32', '2026-02-01')).toMatchObject({ ok: false, field: 'from' });
    expect(checkDayRange('2026-01-01', 'yesterday')).toMatchObject({ ok: false, field: 'to' });
    expect(checkDayRange('2026-01-02', '2026-01-01')).toEqual({
      ok: false,
      field: 'to',
      message: 'to must not be before from',
    });
  });

  it('starts the last N days at midnight UTC of the first, today being the last', () => {
    const now = new Date('2026-03-01T00:30:00.000Z');
    expect(checkLastDays(1, now)).toEqual({ ok: true, since: parseDay('2026-03-01') });
    // 2026 is no leap year: two days back from March 1st is February 28th.
    expect(checkLastDays(2, now)).toEqual({ ok: true, since: parseDay('2026-02-28') });
    expect(checkLastDays(MAX_LAST_DAYS, now)).toEqual({ ok: true, since: parseDay('2025-03-02') });
    for (const days of [0, -1, MAX_LAST_DAYS + 1, 1.5, Number.NaN])
      expect(checkLastDays(days, now), String(days)).toEqual({
        ok: false,
        message: 'days must be a whole number from 1 to 365',
      });
  });
});
