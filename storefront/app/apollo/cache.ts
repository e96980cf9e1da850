import { InMemoryCache } from '@apollo/client';
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
      Cart: { keyFields: [] },
      Order: {
        fields: {
          items: { merge: false },
          workflow: { merge: false },
        },
      },
    },
  });
}
