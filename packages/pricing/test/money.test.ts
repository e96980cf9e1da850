import { describe, expect, it } from 'vitest';
import {
  MoneyError,
  fromCents,
  fromMinorUnits,
  multiply,
  sum,
  toCents,
  toMinorUnits,
} from '../src/money.ts';

describe('cart money math', () => {
  it('parses decimal strings into exact cents', () => {
    expect(toCents('0')).toBe(0n);
    expect(toCents('12.5')).toBe(1250n);
    expect(toCents('12.05')).toBe(1205n);
    expect(toCents('999999999999999.99')).toBe(99999999999999999n);
    for (const bad of ['', '-1', '1.234', '1e3', ' 1', 'abc', '.5', '1.'])
      expect(() => toCents(bad), bad).toThrow(MoneyError);
  });

  it('formats with two fraction digits', () => {
    expect(fromCents(0n, 'USD')).toEqual({ amount: '0.00', currency: 'USD' });
    expect(fromCents(5n, 'USD').amount).toBe('0.05');
    expect(fromCents(123456n, 'EUR')).toEqual({ amount: '1234.56', currency: 'EUR' });
    expect(() => fromCents(-1n, 'USD')).toThrow(MoneyError);
    expect(() => fromCents(1n, 'usd')).toThrow(MoneyError);
  });

  it('multiplies and sums without float drift', () => {
    // 0.1 + 0.2 style amounts that floats get wrong
    expect(multiply({ amount: '0.10', currency: 'USD' }, 3).amount).toBe('0.30');
    expect(multiply({ amount: '19.99', currency: 'USD' }, 99).amount).toBe('1979.01');
    const total = sum(
      [
        { amount: '0.10', currency: 'USD' },
        { amount: '0.20', currency: 'USD' },
        { amount: '1234567.89', currency: 'USD' },
      ],
      'USD',
    );
    expect(total).toEqual({ amount: '1234568.19', currency: 'USD' });
    expect(sum([], 'USD')).toEqual({ amount: '0.00', currency: 'USD' });
    expect(() => multiply({ amount: '1.00', currency: 'USD' }, 1.5)).toThrow(MoneyError);
  });

  it('refuses to add different currencies', () => {
    expect(() =>
      sum(
        [
          { amount: '1.00', currency: 'USD' },
          { amount: '1.00', currency: 'EUR' },
        ],
        'USD',
      ),
    ).toThrow(/EUR/);
  });
});

describe('safe-integer minor units', () => {
  it('converts both ways through the same parser', () => {
    expect(toMinorUnits('12.5')).toBe(1250);
    expect(toMinorUnits('0.07')).toBe(7);
    expect(toMinorUnits('90071992547409.91')).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => toMinorUnits('90071992547409.92')).toThrow(MoneyError);
    expect(() => toMinorUnits('1.234')).toThrow(MoneyError);
    expect(fromMinorUnits(1250, 'EUR')).toEqual({ amount: '12.50', currency: 'EUR' });
    expect(fromMinorUnits(0, 'EUR').amount).toBe('0.00');
    expect(() => fromMinorUnits(1.5, 'EUR')).toThrow(MoneyError);
    expect(() => fromMinorUnits(-1, 'EUR')).toThrow(MoneyError);
    expect(() => fromMinorUnits(Number.MAX_SAFE_INTEGER + 1, 'EUR')).toThrow(MoneyError);
  });
});
