import type { ApolloServerPlugin } from '@apollo/server';

/**
 * Answers leave the gateway with `Cache-Control: no-store`. The subgraphs' hints set how long
 * the gateway's own cache may keep an answer, where events purge it; a browser or CDN keeping it
 * for that long could not be purged, and an answer for a signed-in caller is nobody else's.
 */
export function noStorePlugin<C extends object>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          response.http.headers.set('cache-control', 'no-store');
        },
      };
    },
  };
}
