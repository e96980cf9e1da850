import type { CartCheckoutFragment } from '../../graphql/generated.ts';
import type { ShopError } from '../../lib/errors.ts';

export type CheckoutCart = CartCheckoutFragment;

/** What every step of the checkout page gets from the page. */
export interface StepProps {
  cart: CheckoutCart;
  /** The error shown at this step's control (its own, or placeOrder's about it). */
  error: ShopError | null;
  setError: (error: ShopError | null) => void;
  /** Runs a change of the cart; the page holds "Place order" back until it settles. */
  track: <T>(change: Promise<T>) => Promise<T>;
}

/** The element a step's error moves focus to: `checkout-address`, `checkout-method`, ... */
export const stepElementId = (step: 'address' | 'method' | 'code') => `checkout-${step}`;
