/**
 * Use cases that change the checkout's choices a cart holds. Each one reads the cart, asks the
 * order service's pricing (over HTTP, outside any database transaction), and writes the new
 * choices only if nobody changed them meanwhile; when somebody did, it decides again on what is
 * there now (a few times, then CONFLICT). A refusal writes nothing.
 */
import type { Identity } from '@shop/auth';
import { DomainError } from '@shop/subgraph-kit';
import type { CartLine } from './cart-rules.ts';
import {
  discountCodeInput,
  discountRefusal,
  quoteRequest,
  shippingProblemOf,
  type CheckoutChoices,
  type CheckoutQuote,
  type QuoteRequest,
  type ShippingAddress,
} from './checkout.ts';

/** The order service's pricing, asked on the customer's behalf (per-customer code limits). */
export interface CheckoutPricing {
  quote(request: QuoteRequest, as: Identity): Promise<CheckoutQuote>;
}

/** The user service's address book: one of the user's addresses, or null. */
export interface AddressBook {
  address(as: Identity, addressId: string): Promise<ShippingAddress | null>;
}

export interface CartState {
  lines: CartLine[];
  choices: CheckoutChoices;
}

/** Where the cart's lines and choices are stored. */
export interface CheckoutStore {
  read(userId: string): Promise<CartState>;
  /**
   * Stores `next` if the stored choices still equal `seen` (checked and written under the
   * cart's lock); returns the cart afterwards, or null when the choices changed meanwhile.
   */
  replaceIfUnchanged(
    userId: string,
    seen: CheckoutChoices,
    next: CheckoutChoices,
  ): Promise<CartState | null>;
}

export interface CheckoutDeps {
  store: CheckoutStore;
  pricing: CheckoutPricing;
  addresses: AddressBook;
}

export const MAX_ATTEMPTS = 3;

async function decide(
  deps: CheckoutDeps,
  identity: Identity,
  next: (state: CartState) => Promise<CheckoutChoices>,
): Promise<CartState> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const state = await deps.store.read(identity.userId);
    const choices = await next(state);
    const written = await deps.store.replaceIfUnchanged(identity.userId, state.choices, choices);
    if (written) return written;
  }
  throw new DomainError('CONFLICT', 'The cart kept changing meanwhile; try again');
}

const quote = (
  deps: CheckoutDeps,
  identity: Identity,
  state: CartState,
  choices: CheckoutChoices,
) => deps.pricing.quote(quoteRequest(state.lines, choices), identity);

/**
 * Ships the cart to one of the user's addresses: stores a copy of it, and drops the chosen
 * method when it does not ship the cart there. NOT_FOUND for an address that is not the user's
 * (whether it exists for someone else is not told).
 */
export async function chooseShippingAddress(
  deps: CheckoutDeps,
  identity: Identity,
  addressId: string,
): Promise<CartState> {
  const address = await deps.addresses.address(identity, addressId);
  if (!address) throw new DomainError('NOT_FOUND', 'No such address', { field: 'addressId' });
  return decide(deps, identity, async (state) => {
    const next = { ...state.choices, shippingAddress: address };
    if (next.shippingMethodId === null) return next;
    const priced = await quote(deps, identity, state, next);
    return shippingProblemOf(priced) ? { ...next, shippingMethodId: null } : next;
  });
}

/** Chooses the shipping method; it must ship this cart to the cart's address. */
export async function chooseShippingMethod(
  deps: CheckoutDeps,
  identity: Identity,
  methodId: string,
): Promise<CartState> {
  return decide(deps, identity, async (state) => {
    if (!state.choices.shippingAddress)
      throw new DomainError('BAD_USER_INPUT', 'Choose a shipping address first', {
        field: 'methodId',
      });
    const next = { ...state.choices, shippingMethodId: methodId };
    const problem = shippingProblemOf(await quote(deps, identity, state, next));
    if (problem) throw new DomainError('BAD_USER_INPUT', problem, { field: 'methodId' });
    return next;
  });
}

/** Applies a discount code when the order's pricing says it applies to this cart now. */
export async function applyDiscountCode(
  deps: CheckoutDeps,
  identity: Identity,
  typed: string,
): Promise<CartState> {
  const code = discountCodeInput(typed);
  return decide(deps, identity, async (state) => {
    const priced = await quote(deps, identity, state, { ...state.choices, discountCode: code });
    if (priced.discountProblem) throw discountRefusal(priced.discountProblem);
    // A quote without a problem names the code it applied; without one, nothing applied.
    if (!priced.discountCode)
      throw new Error(`checkoutQuote neither applied nor refused the code ${code}`);
    return { ...state.choices, discountCode: priced.discountCode };
  });
}

/** Removes the discount code (nothing to do when there is none). */
export async function removeDiscountCode(
  deps: CheckoutDeps,
  identity: Identity,
): Promise<CartState> {
  return decide(deps, identity, async (state) => ({ ...state.choices, discountCode: null }));
}
