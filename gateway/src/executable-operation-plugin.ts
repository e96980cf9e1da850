import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';

const badRequest = (message: string, reason: string) =>
  new GraphQLError(message, {
    extensions: { code: 'BAD_USER_INPUT', reason, http: { status: 400 } },
  });

/**
 * Refuses, as the client errors they are, the requests @apollo/gateway's executor cannot run:
 * it throws on them instead of answering with errors, and Apollo Server turns an executor throw
 * into a 500 (and the masking into a logged "internal" error). Apollo Server without a gateway
 * answers the first case with 400 itself.
 * - no operation to run: an `operationName` naming none of the document's operations, none
 *   given for a document of several, or a document of fragments only;
 * - a subscription: it is served over WebSocket (graphql-ws) on the same path. 400, not 405: no
 *   HTTP method at this URL runs a subscription (the WebSocket upgrade switches protocols), so
 *   there is no `Allow` to offer; the GraphQL-over-HTTP draft leaves the code to the server, and
 *   a request the server will never execute is the client's error.
 * The messages never repeat the submitted operation name.
 */
export function executableOperationPlugin<C extends object>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request }) {
          if (!operation) {
            const operations = document.definitions.filter(
              (d) => d.kind === 'OperationDefinition',
            ).length;
            throw badRequest(
              request.operationName
                ? 'operationName names no operation in the document'
                : operations > 1
                  ? 'The document has several operations: send operationName to pick one'
                  : 'The document has no operation to run',
              'OPERATION_NOT_FOUND',
            );
          }
          if (operation.operation === 'subscription')
            throw badRequest(
              'Subscriptions are served over WebSocket (graphql-ws) on this path, not over HTTP',
              'SUBSCRIPTION_OVER_HTTP',
            );
        },
      };
    },
  };
}
