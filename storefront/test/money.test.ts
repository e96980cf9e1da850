import { describe, expect, it } from 'vitest';
import { formatMoney, parsePriceInput } from '../app/lib/money.ts';

describe('formatMoney', () => {
  it('formats the decimal string exactly, with the currency', () => {
    expect(formatMoney({ amount: '24.9', currency: 'USD' })).toBe('$24.90');
    expect(formatMoney({ amount: '1234567.89', currency: 'USD' })).toBe('$1,234,567.89');
    expect(formatMoney({ amount: '0', currency: 'USD' })).toBe('$0.00');
  });

  it('never goes through a binary float (0.1 + 0.2 style errors cannot appear)', () => {
    expect(formatMoney({ amount: '9007199254740993.05', currency: 'USD' })).toBe(
      '$9,007,199,254,740,993.05',
    );
  });

  it('shows what the API sent for an unknown currency or a malformed amount', () => {
    expect(formatMoney({ amount: '5.00', currency: 'XYZ1' })).toBe('5.00 XYZ1');
    expect(formatMoney({ amount: 'abc', currency: 'USD' })).toBe('abc USD');
  });

  it('formats other currencies the locale knows', () => {
    expect(formatMoney({ amount: '10', currency: 'EUR' }, 'de-DE')).toBe('10,00\u00a0€');
  });
});

describe('parsePriceInput', () => {
  it('accepts what a seller types and normalizes it to two decimals', () => {
    expect(parsePriceInput('12')).toBe('12.00');
    expect(parsePriceInput(' 12.5 ')).toBe('12.50');
    expect(parsePriceInput('0012.34')).toBe('12.34');
  });

  it('refuses more than two decimals, signs, exponents and words', () => {
    for (const bad of ['12.345', '-1', '1e3', 'ten', '', '1,5', '.5'])
      expect(parsePriceInput(bad), bad).toBeNull();
  });
});
