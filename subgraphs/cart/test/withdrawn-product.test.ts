import { describe, expect, it } from 'vitest';
import { DomainError } from '@shop/subgraph-kit';
import { checkUpdate, quantityAfterAdd, type CartLine } from '../src/domain/cart-rules.ts';

const line = (productId: string, quantity: number): CartLine => ({
  productId,
  quantity,
  addedAt: new Date(0),
});
const refusal = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, field: error.details.field };
    throw error;
  }
  return null;
};

describe('a product withdrawn from sale', () => {
  const deleted = { stock: 40, deletedAt: '2026-11-29T10:00:00.000Z' };

  it('cannot be added, as if it did not exist', () => {
    const notFound = { code: 'NOT_FOUND', field: 'productId' };
    expect(refusal(() => quantityAfterAdd([], 'p', 1, deleted))).toEqual(notFound);
    expect(refusal(() => quantityAfterAdd([line('p', 2)], 'p', 1, deleted))).toEqual(notFound);
    expect(refusal(() => quantityAfterAdd([], 'p', 1, null))).toEqual(notFound);
  });

  it('cannot have its quantity changed in a cart that holds it', () => {
    expect(refusal(() => checkUpdate([line('p', 2)], 'p', 1, deleted))).toEqual({
      code: 'NOT_FOUND',
      field: 'productId',
    });
  });

  it('leaves listed products as they were', () => {
    const listed = { stock: 40, deletedAt: null };
    expect(quantityAfterAdd([line('p', 2)], 'p', 3, listed)).toBe(5);
    expect(checkUpdate([line('p', 2)], 'p', 7, listed)).toBe(7);
    expect(quantityAfterAdd([], 'p', 1, { stock: 1 })).toBe(1);
  });
});
