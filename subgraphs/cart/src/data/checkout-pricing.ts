/**
 * The order service's pricing of a cart: its internal `checkoutQuote`, asked on the customer's
 * behalf (signed with the internal secret, so per-customer discount limits are checked).
 */
import type { Identity } from '@shop/auth';
import type { SubgraphClient } from '@shop/subgraph-client';
import type { CheckoutPricing } from '../domain/checkout-choices.ts';
import type { CheckoutQuote, QuoteRequest } from '../domain/checkout.ts';
import { passingOnRefusals } from './peer-refusals.ts';

const QUOTE = `query CartCheckoutQuote($input: CheckoutQuoteInput!) {
  checkoutQuote(input: $input) {
    totals { subtotal { ...M } discount { ...M } shipping { ...M } tax { ...M } total { ...M } }
    lines { productId discount { ...M } tax { ...M } }
    shippingOptions { method { id name carrier } price { ...M } estimatedDays { min max } }
    shippingMethod { id name carrier }
    shippingProblem
    discountCode
    discountProblem { code reason message }
  }
}
fragment M on Money { amount currency }`;

export function orderCheckoutPricing(order: SubgraphClient): CheckoutPricing {
  return {
    async quote(input: QuoteRequest, as: Identity): Promise<CheckoutQuote> {
      const data = await passingOnRefusals(() =>
        order.request<{ checkoutQuote: CheckoutQuote }>(QUOTE, { input }, { as }),
      );
      return data.checkoutQuote;
    },
  };
}
