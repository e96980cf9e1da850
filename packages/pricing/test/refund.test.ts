import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PricingInputError } from '../src/errors.ts';
import { paidForLine, refundForReturn, type PaidOrder } from '../src/refund.ts';

/**
 * A NET order worked out by hand: 3 reels at 33.33 with 10.00 off (tax 19 % on 89.99 = 17.10),
 * one line at 5.00 (tax 0.95), shipping 4.90 with 0.93 tax.
 */
const NET_ORDER: PaidOrder = {
  priceMode: 'NET',
  lines: [
    { productId: 'reel', quantity: 3, unitPrice: 3333, discount: 1000, tax: 1710 },
    { productId: 'hook', quantity: 1, unitPrice: 500, discount: 0, tax: 95 },
  ],
  shipping: 490,
  shippingTax: 93,
};

describe('refundForReturn', () => {
  it('gives a line its share by units of what it paid, tax included in a NET store', () => {
    // The reel line paid 99.99 - 10.00 + 17.10 = 107.09; one unit of three is 35.696 -> 35.70.
    const refund = refundForReturn(NET_ORDER, [{ productId: 'reel', quantity: 1 }]);
    expect(refund).toEqual({
      lines: [{ productId: 'reel', quantity: 1, refund: 3570 }],
      shipping: 0,
      total: 3570,
      wholeOrder: false,
    });
  });

  it('adds up to exactly what a line paid when it comes back over several returns', () => {
    const first = refundForReturn(NET_ORDER, [{ productId: 'reel', quantity: 1 }]);
    const second = refundForReturn(
      NET_ORDER,
      [{ productId: 'reel', quantity: 1 }],
      [{ productId: 'reel', quantity: 1 }],
    );
    const third = refundForReturn(
      NET_ORDER,
      [{ productId: 'reel', quantity: 1 }],
      [{ productId: 'reel', quantity: 2 }],
    );
    expect([first.total, second.total, third.total]).toEqual([3570, 3569, 3570]);
    expect(first.total + second.total + third.total).toBe(10709);
  });

  it('refunds shipping with its tax only with the return that completes the order', () => {
    const partial = refundForReturn(NET_ORDER, [{ productId: 'reel', quantity: 3 }]);
    expect(partial.shipping).toBe(0);
    const rest = refundForReturn(
      NET_ORDER,
      [{ productId: 'hook', quantity: 1 }],
      [{ productId: 'reel', quantity: 3 }],
    );
    expect(rest).toMatchObject({ shipping: 583, total: 595 + 583, wholeOrder: true });
    const all = refundForReturn(NET_ORDER, [
      { productId: 'hook', quantity: 1 },
      { productId: 'reel', quantity: 3 },
    ]);
    // The whole order comes back: exactly its total (99.99 - 10 + 5 + 4.90 + 18.98 tax).
    expect(all.total).toBe(9999 - 1000 + 500 + 490 + 1710 + 95 + 93);
  });

  it('does not add the included tax again in a GROSS store', () => {
    const gross: PaidOrder = { ...NET_ORDER, priceMode: 'GROSS' };
    const refund = refundForReturn(gross, [
      { productId: 'reel', quantity: 3 },
      { productId: 'hook', quantity: 1 },
    ]);
    expect(refund.total).toBe(9999 - 1000 + 500 + 490);
  });

  it('merges a product named twice', () => {
    const refund = refundForReturn(NET_ORDER, [
      { productId: 'reel', quantity: 1 },
      { productId: 'reel', quantity: 2 },
    ]);
    expect(refund.lines).toEqual([{ productId: 'reel', quantity: 3, refund: 10709 }]);
  });

  it('refuses what the order cannot give back', () => {
    expect(() => refundForReturn(NET_ORDER, [])).toThrow(PricingInputError);
    expect(() => refundForReturn(NET_ORDER, [{ productId: 'rod', quantity: 1 }])).toThrow(
      /not in the order/,
    );
    expect(() => refundForReturn(NET_ORDER, [{ productId: 'reel', quantity: 4 }])).toThrow(
      /4 units of reel returned, 3 bought/,
    );
    expect(() =>
      refundForReturn(
        NET_ORDER,
        [{ productId: 'reel', quantity: 2 }],
        [{ productId: 'reel', quantity: 2 }],
      ),
    ).toThrow(PricingInputError);
    expect(() => refundForReturn(NET_ORDER, [{ productId: 'reel', quantity: 0 }])).toThrow(
      PricingInputError,
    );
  });

  it('never refunds more than was paid, however the units are split over returns', () => {
    const lineArb = fc.record({
      quantity: fc.integer({ min: 1, max: 20 }),
      unitPrice: fc.integer({ min: 0, max: 100_000 }),
      discountShare: fc.integer({ min: 0, max: 100 }),
      tax: fc.integer({ min: 0, max: 50_000 }),
    });
    fc.assert(
      fc.property(
        fc.array(lineArb, { minLength: 1, maxLength: 4 }),
        fc.constantFrom('NET' as const, 'GROSS' as const),
        fc.integer({ min: 0, max: 2_000 }),
        fc.integer({ min: 1, max: 5 }),
        (raw, priceMode, shipping, splits) => {
          const order: PaidOrder = {
            priceMode,
            lines: raw.map((line, i) => ({
              productId: `p${i}`,
              quantity: line.quantity,
              unitPrice: line.unitPrice,
              discount: Math.floor((line.unitPrice * line.quantity * line.discountShare) / 100),
              tax: line.tax,
            })),
            shipping,
            shippingTax: Math.floor(shipping / 5),
          };
          // Return every unit over `splits` returns, one unit at a time round-robin.
          const returned: { productId: string; quantity: number }[] = [];
          let total = 0;
          const units = order.lines.flatMap((line) =>
            Array.from({ length: line.quantity }, () => line.productId),
          );
          const chunk = Math.ceil(units.length / splits);
          for (let i = 0; i < units.length; i += chunk) {
            const returning = units.slice(i, i + chunk).map((productId) => ({
              productId,
              quantity: 1,
            }));
            const refund = refundForReturn(order, returning, returned);
            for (const line of refund.lines) expect(line.refund).toBeGreaterThanOrEqual(0);
            total += refund.total;
            returned.push(...returning);
          }
          const paid =
            order.lines.reduce((sum, line) => sum + paidForLine(line, priceMode), 0) +
            shipping +
            (priceMode === 'NET' ? order.shippingTax : 0);
          expect(total).toBe(paid);
        },
      ),
    );
  });
});
