import { describe, expect, it } from 'vitest';
import * as pricingMoney from '@shop/pricing/money';
import { fromCents, money, MoneyError, multiply, sum, toCents } from '../src/index.ts';

// The money code lives in @shop/pricing (its tests are there); the kit only re-exports it.
describe('subgraph-kit money', () => {
  it('is the one copy in @shop/pricing', () => {
    expect(toCents).toBe(pricingMoney.toCents);
    expect(fromCents).toBe(pricingMoney.fromCents);
    expect(multiply).toBe(pricingMoney.multiply);
    expect(sum).toBe(pricingMoney.sum);
    expect(money).toBe(pricingMoney.money);
    expect(MoneyError).toBe(pricingMoney.MoneyError);
  });
});
