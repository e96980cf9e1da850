import { describe, expect, it } from 'vitest';
import { DomainError } from '@shop/subgraph-kit';
import {
  MAX_LINES,
  MAX_QUANTITY_PER_LINE,
  checkUpdate,
  itemCount,
  quantityAfterAdd,
  validateQuantity,
  type CartLine,
} from '../src/domain/cart-rules.ts';

const line = (productId: string, quantity: number): CartLine => ({
  productId,
  quantity,
  addedAt: new Date(0),
});
const codeOf = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    return error instanceof DomainError ? error.code : String(error);
  }
  return 'no error';
};

describe('cart rules', () => {
  it('accepts whole quantities from 1 to the maximum only', () => {
    expect(validateQuantity(1)).toBe(1);
    expect(validateQuantity(MAX_QUANTITY_PER_LINE)).toBe(MAX_QUANTITY_PER_LINE);
    for (const bad of [0, -1, 1.5, MAX_QUANTITY_PER_LINE + 1, Number.NaN, 2 ** 31])
      expect(
        codeOf(() => validateQuantity(bad)),
        String(bad),
      ).toBe('BAD_USER_INPUT');
  });

  it('adds to an existing line and checks the resulting quantity against stock and limit', () => {
    const lines = [line('a', 3)];
    expect(quantityAfterAdd(lines, 'a', 2, { stock: 10 })).toBe(5);
    expect(quantityAfterAdd(lines, 'b', 2, { stock: 2 })).toBe(2);
    expect(codeOf(() => quantityAfterAdd(lines, 'a', 8, { stock: 10 }))).toBe('OUT_OF_STOCK');
    expect(codeOf(() => quantityAfterAdd(lines, 'b', 1, { stock: 0 }))).toBe('OUT_OF_STOCK');
    expect(codeOf(() => quantityAfterAdd(lines, 'b', 1, null))).toBe('NOT_FOUND');
    expect(codeOf(() => quantityAfterAdd([line('a', 98)], 'a', 2, { stock: 500 }))).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('limits the number of lines but still lets existing lines grow', () => {
    const full = Array.from({ length: MAX_LINES }, (_, i) => line(`p${i}`, 1));
    expect(codeOf(() => quantityAfterAdd(full, 'new', 1, { stock: 5 }))).toBe('BAD_USER_INPUT');
    expect(quantityAfterAdd(full, 'p0', 1, { stock: 5 })).toBe(2);
  });

  it('updates only lines that are in the cart', () => {
    const lines = [line('a', 3)];
    expect(checkUpdate(lines, 'a', 7, { stock: 7 })).toBe(7);
    expect(codeOf(() => checkUpdate(lines, 'b', 1, { stock: 5 }))).toBe('NOT_FOUND');
    expect(codeOf(() => checkUpdate(lines, 'a', 8, { stock: 7 }))).toBe('OUT_OF_STOCK');
    expect(codeOf(() => checkUpdate(lines, 'a', 0, { stock: 7 }))).toBe('BAD_USER_INPUT');
  });

  it('counts units over all lines', () => {
    expect(itemCount([])).toBe(0);
    expect(itemCount([line('a', 2), line('b', 5)])).toBe(7);
  });
});
