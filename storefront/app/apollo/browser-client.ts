import { Defer20220824Handler } from '@apollo/client/incremental';
import { ApolloClient, ApolloLink, HttpLink } from '@apollo/client';
import type { NormalizedCacheObject } from '@apollo/client/cache';
import { from, mergeMap } from 'rxjs';
import { browserSession } from '../auth/browser-session.ts';
import { createCache } from './cache.ts';
import type * as LiveLinkModule from './live-link.ts';
import { authLink, networkStatusLink } from './links.ts';
import { offline } from './network.ts';

declare global {
  interface Window {
    __APOLLO_STATE__?: NormalizedCacheObject;
  }
}

let client: ApolloClient | undefined;
let liveModule: Promise<typeof LiveLinkModule> | undefined;

/**
 * The tab's Apollo Client: the cache the server rendered with (restored from the page), queries
 * and mutations over HTTP to this origin's /graphql, subscriptions over graphql-ws (its code
 * loaded with the first subscription).
 */
export function browserApollo(): ApolloClient {
  if (client) return client;
  const tokens = browserSession();
  const cache = createCache();
  if (window.__APOLLO_STATE__) cache.restore(window.__APOLLO_STATE__);
  const http = new HttpLink({ uri: '/graphql', credentials: 'omit' });
  const live = new ApolloLink((operation) =>
    from((liveModule ??= import('./live-link.ts'))).pipe(
      mergeMap((module) => module.liveLink(tokens).request(operation)),
    ),
  );
  client = new ApolloClient({
    cache,
    // The product page defers its statistics and reviews (@defer, multipart answers).
    incrementalHandler: new Defer20220824Handler(),
    link: ApolloLink.from([
      networkStatusLink(offline),
      // Subscriptions authenticate once per socket (connection_init), not per operation.
      ApolloLink.split(
        (operation) => operation.operationType === 'subscription',
        live,
        ApolloLink.from([authLink(tokens), http]),
      ),
    ]),
  });
  return client;
}

/** Loads the live-update code ahead of need (the checkout page: tracking follows it). */
export function preloadLive(): void {
  liveModule ??= import('./live-link.ts');
}

/** After a sign-out or an ended session: nothing of the shopper stays in the tab. */
export async function forgetShopper(): Promise<void> {
  if (liveModule) (await liveModule).closeLive();
  await client?.clearStore();
}
