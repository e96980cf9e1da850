import { InMemoryCache, type ApolloCache } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';

/**
 * The normalized cache every client uses (server renderer and browser alike, so the state the
 * server sends restores into the same shape). Catalog and search pages are cached per page
 * (their cursor is in the URL); reviews and the order history grow with "Show more", so their
 * pages merge into one list.
 */
export function createCache(options: { resultCaching?: boolean } = {}): InMemoryCache {
  return new InMemoryCache({
    resultCaching: options.resultCaching ?? true,
    typePolicies: {
      Query: {
        fields: {
          myOrders: relayStylePagination(),
          // A product already in the cache (from a list) answers product(id) while the page's
          // other fields load.
          product: {
            read(existing, { args, toReference }) {
              // `null` (no such product) is an answer too: only a field never asked is redirected.
              if (existing !== undefined || typeof args?.id !== 'string') return existing;
              return toReference({ __typename: 'Product', id: args.id });
            },
          },
        },
      },
      Product: {
        fields: {
          reviews: relayStylePagination(),
          stats: { keyArgs: ['window'] },
        },
      },
      // One cart per signed-in shopper: every cart mutation's answer replaces it.
      Cart: {
        keyFields: [],
        fields: { items: { merge: false }, shippingOptions: { merge: false } },
      },
      // Copies, not entities: a cart and an order keep copies of an address (same id, the values
      // of when they were taken) and of a method (its name then). Normalized, a copy would
      // overwrite the address book's current entry, or an old order's method name the current
      // one; each stays inside the object that holds it.
      Address: { keyFields: false },
      ShippingMethod: { keyFields: false },
      Order: {
        fields: {
          items: { merge: false },
          workflow: { merge: false },
          // The parcel has no id of its own: every answer and live event carries it whole.
          fulfillment: { merge: false },
          returns: { merge: false },
        },
      },
      Return: { fields: { lines: { merge: false } } },
    },
  });
}

/**
 * The cart's lines changed through a mutation that does not answer with the priced checkout
 * (addToCart from a list or a product page): its totals, shipping options and code state are
 * stale, so they are dropped and the cart and checkout pages read them again.
 */
export function forgetCartQuote(cache: ApolloCache): void {
  cache.modify({
    id: cache.identify({ __typename: 'Cart' }),
    fields: {
      totals: (_, { DELETE }) => DELETE,
      shippingOptions: (_, { DELETE }) => DELETE,
      shippingMethod: (_, { DELETE }) => DELETE,
      discountProblem: (_, { DELETE }) => DELETE,
    },
  });
}
