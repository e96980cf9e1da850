import type { Identity } from '@shop/auth';
import type { CartContext } from '../context.ts';
import { linesVersionOf } from '../data/cart-items.ts';
import { checkoutOf } from '../data/checkouts.ts';
import type { CartLine } from '../domain/cart-rules.ts';
import { quoteRequest, type CheckoutChoices, type CheckoutQuote } from '../domain/checkout.ts';

/**
 * What Cart resolvers receive: the user's lines (from the cache or the database), and the
 * checkout's choices and the order service's quote, each loaded at most once per view and only
 * when a selected field needs it (a cart read for its lines costs no quote).
 */
export interface CartView {
  lines: CartLine[];
  choices(): Promise<CheckoutChoices>;
  quote(): Promise<CheckoutQuote>;
  /** The lines' version (internal: placeOrder orders one version once). */
  linesVersion(): Promise<string>;
}

/** What CartItem resolvers receive: the line and the cart view it belongs to. */
export interface CartItemView extends CartLine {
  cart: CartView;
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
}

/** The view of `identity`'s cart with these lines (and these choices, when already known). */
export function cartView(
  ctx: CartContext,
  identity: Identity,
  lines: CartLine[],
  choices?: CheckoutChoices,
): CartView {
  const loadChoices = once(async () => choices ?? checkoutOf(ctx.db, identity.userId));
  const quote = once(async () =>
    ctx.pricing.quote(quoteRequest(lines, await loadChoices()), identity),
  );
  return {
    lines,
    choices: loadChoices,
    quote,
    linesVersion: () => linesVersionOf(ctx.db, identity.userId),
  };
}
