import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { createClient, type Client } from 'graphql-ws';
import type { TokenManager } from '../auth/token-manager.ts';
import { liveState, reconnectDelayMs } from './live-state.ts';

/**
 * The graphql-ws client of the tab: one socket to this origin's /graphql (the server passes it
 * to the gateway), opened when the first subscription starts and closed a few seconds after
 * the last one ends. A dropped socket is reopened for ever with backoff, and graphql-ws
 * resubscribes: the first event of a subscription is the order's current state, so nothing
 * that happened meanwhile is missed. Every (re)connect presents a fresh access token. This
 * module is loaded on the first subscription only (pages without live updates never pay for it).
 */
function createLiveClient(tokens: TokenManager): Client {
  let connectedOnce = false;
  const client = createClient({
    url: () =>
      `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/graphql`,
    lazy: true,
    lazyCloseTimeout: 3000,
    connectionParams: async () => {
      const token = await tokens.accessToken();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    retryWait: (retries) =>
      new Promise((resolve) => setTimeout(resolve, reconnectDelayMs(retries))),
  });
  client.on('connecting', () => liveState.set(connectedOnce ? 'reconnecting' : 'connecting'));
  client.on('connected', () => {
    connectedOnce = true;
    liveState.set('connected');
  });
  client.on('closed', () => liveState.set(connectedOnce ? 'reconnecting' : 'idle'));
  return client;
}

let live: { client: Client; link: GraphQLWsLink } | undefined;

export function liveLink(tokens: TokenManager): GraphQLWsLink {
  if (!live) {
    const client = createLiveClient(tokens);
    live = { client, link: new GraphQLWsLink(client) };
  }
  return live.link;
}

/** Closes the socket (sign-out): the next subscription opens a new one with the new identity. */
export function closeLive(): void {
  live?.client.dispose();
  live = undefined;
  liveState.set('idle');
}
