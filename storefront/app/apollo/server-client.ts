import { Defer20220824Handler } from '@apollo/client/incremental';
import { ApolloClient, HttpLink } from '@apollo/client';
import type { StorefrontLoadContext } from '../load-context.ts';
import { createCache } from './cache.ts';

const clients = new WeakMap<StorefrontLoadContext, ApolloClient>();

/**
 * The Apollo Client of one server-rendered request: the loaders fill its cache, the page renders
 * from it, and its contents travel to the browser in the page (entry.server.tsx). Anonymous:
 * the public pages render the same for everyone, and tokens never reach this server's pages.
 */
export function serverApollo(context: StorefrontLoadContext): ApolloClient {
  let client = clients.get(context);
  if (!client) {
    const { url, forwardedFor, timeoutMs } = context.gateway;
    client = new ApolloClient({
      ssrMode: true,
      // The product page defers its statistics and reviews (@defer, multipart answers).
      incrementalHandler: new Defer20220824Handler(),
      // A cache that lives for one request: memoizing its reads (result caching) costs more
      // than it saves (profiled: a fifth of the render's CPU went to its dependency tracking).
      cache: createCache({ resultCaching: false }),
      link: new HttpLink({
        uri: url,
        headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
        fetch: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) }),
      }),
    });
    clients.set(context, client);
  }
  return client;
}
