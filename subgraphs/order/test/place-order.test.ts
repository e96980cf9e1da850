import { describe, expect, it } from 'vitest';
import { DomainError } from '@shop/subgraph-kit';
import {
  priceSnapshot,
  validateIdempotencyKey,
  type CatalogFacts,
} from '../src/domain/place-order.ts';

const product = (id: string, amount: string, stock = 10): CatalogFacts => ({
  id,
  name: `Product ${id}`,
  price: { amount, currency: 'USD' },
  stock,
});
const codeOf = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    return error instanceof DomainError ? error.code : (error as Error).message;
  }
  return 'no error';
};

describe('placing an order', () => {
  it('validates idempotency keys by length and charset', () => {
    for (const ok of [
      'abcdefgh',
      'a'.repeat(128),
      '3f0e8c2a-7b1d-4c8e-9a11-0d2b9c1e4f55',
      'k:1.2_x-y',
    ])
      expect(validateIdempotencyKey(ok)).toBe(ok);
    for (const bad of ['', 'short', 'a'.repeat(129), 'has space', 'ünïcode-key', "x'; drop--"])
      expect(
        codeOf(() => validateIdempotencyKey(bad)),
        bad,
      ).toBe('BAD_USER_INPUT');
  });

  it('snapshots current prices and totals them exactly', () => {
    const products = new Map([
      ['a', product('a', '0.10')],
      ['b', product('b', '19.99', 100)],
    ]);
    const snapshot = priceSnapshot(
      [
        { productId: 'a', quantity: 3 },
        { productId: 'b', quantity: 99 },
      ],
      products,
    );
    expect(snapshot.currency).toBe('USD');
    expect(snapshot.total).toBe('1979.31');
    expect(snapshot.lines.map((l) => [l.productName, l.quantity, l.unitPrice])).toEqual([
      ['Product a', 3, '0.10'],
      ['Product b', 99, '19.99'],
    ]);
  });

  it('refuses an empty cart, vanished products and short stock', () => {
    expect(codeOf(() => priceSnapshot([], new Map()))).toBe('BAD_USER_INPUT');
    expect(
      codeOf(() => priceSnapshot([{ productId: 'x', quantity: 1 }], new Map([['x', null]]))),
    ).toBe('NOT_FOUND');
    expect(
      codeOf(() =>
        priceSnapshot([{ productId: 'a', quantity: 3 }], new Map([['a', product('a', '1.00', 2)]])),
      ),
    ).toBe('OUT_OF_STOCK');
  });

  it('refuses mixed currencies and malformed catalog prices', () => {
    const eur = { ...product('b', '1.00'), price: { amount: '1.00', currency: 'EUR' } };
    expect(
      codeOf(() =>
        priceSnapshot(
          [
            { productId: 'a', quantity: 1 },
            { productId: 'b', quantity: 1 },
          ],
          new Map([
            ['a', product('a', '1.00')],
            ['b', eur],
          ]),
        ),
      ),
    ).toMatch(/currencies/);
    expect(
      codeOf(() =>
        priceSnapshot([{ productId: 'a', quantity: 1 }], new Map([['a', product('a', '1.001')]])),
      ),
    ).toMatch(/not a money amount/);
  });
});
