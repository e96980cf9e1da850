import { describe, expect, it } from 'vitest';
import { TAX_CLASSES } from '@shop/pricing';
import { ProductCreated, ProductUpdated, createEvent, parseEvent } from '../src/index.ts';

const productId = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const snapshot = {
  productId,
  sellerId: '0d9b8f3c-5e2a-4c1b-8f7e-6a5b4c3d2e1f',
  categoryId: '7f1c2a7e-2b0a-4d55-9a6e-0f6c1d2e3a4b',
  name: 'Surf Rod',
  description: 'Long.',
  price: { amount: '129.00', currency: 'USD' },
  stock: 4,
};

describe('ProductCreated / ProductUpdated', () => {
  it('carry the weight and the tax class', () => {
    for (const contract of [ProductCreated, ProductUpdated])
      for (const taxClass of TAX_CLASSES) {
        const event = createEvent(contract, productId, { ...snapshot, weightGrams: 480, taxClass });
        expect(event.payload).toMatchObject({ weightGrams: 480, taxClass });
        expect(parseEvent(JSON.parse(JSON.stringify(event)), 'catalog.products')).toEqual(event);
      }
  });

  it('read an event written before products had them as 250 g, STANDARD', () => {
    const old = createEvent(ProductUpdated, productId, snapshot);
    const { weightGrams: _w, taxClass: _t, ...oldPayload } = old.payload;
    const read = parseEvent({ ...old, payload: oldPayload });
    expect(read.payload).toEqual({ ...snapshot, weightGrams: 250, taxClass: 'STANDARD' });
  });

  it('refuse a weight that is not whole positive grams and an unknown tax class', () => {
    for (const bad of [{ weightGrams: 0 }, { weightGrams: 1.5 }, { taxClass: 'LUXURY' }])
      expect(() =>
        createEvent(ProductUpdated, productId, { ...snapshot, ...(bad as object) }),
      ).toThrow(/ProductUpdated: invalid payload: (weightGrams|taxClass)/);
  });
});
