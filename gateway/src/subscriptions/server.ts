import type http from 'node:http';
import {
  TRUSTED_CLIENT_HEADER,
  untrustedOperation,
  type TrustedDocuments,
} from '../trusted-documents.ts';
import { GraphQLError, type DocumentNode, type ExecutionResult } from 'graphql';
import type { GatewayContext } from '../context.ts';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  AccessTokenError,
  isSessionRevoked,
  type AccessTokenVerifier,
  type Identity,
} from '@shop/auth';
import type { Logger } from '@shop/logging';
import type { Redis } from '@shop/redis';
import { findUnstorableText, maskError, unstorableTextError } from '@shop/subgraph-kit';
import { BoundedQueue } from './bounded-queue.ts';
import {
  CLOSE_TOO_MANY_CONNECTIONS,
  ConnectionCounter,
  upgradeHandler,
  type SubscriptionLimits,
} from './connection-limits.ts';
import { graphqlJs } from './graphql-cjs.ts';
import type { PlannedQuery, PlannedSubscription, SubscriptionPlanner } from './planner.ts';
import type { SharedSubscriptions } from './shared-subscriptions.ts';

const BEARER = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

/** Close codes a client sees: 4401 when its token or session ends, 4403 refused at connect. */
export const CLOSE_UNAUTHORIZED = 4401;

export interface SubscriptionServerOptions {
  server: http.Server;
  planner: SubscriptionPlanner;
  shared: SharedSubscriptions;
  verifier: AccessTokenVerifier;
  redis: Redis;
  logger: Logger;
  /** Ping interval; a client that does not answer one is disconnected. */
  keepAliveMs: number;
  /** Results waiting for a slow client; beyond it the client skips to the latest state. */
  queueLimit: number;
  /**
   * How often a connection's session is checked against logout / refresh reuse: the fallback
   * for a revocation announcement this instance missed (see SubscriptionServer.endSession).
   */
  sessionCheckMs: number;
  limits: SubscriptionLimits;
  /** The client's address for the per-address limit (the HTTP path's own clientAddress). */
  addressOf: (req: http.IncomingMessage) => string | null;
  /** Production mode: the operations anyone but an admin may subscribe with. */
  trusted?: TrustedDocuments;
  /**
   * Whether a client's token (`x-trusted-client` in connection_init's payload, or the upgrade
   * request's header) names a trusted client: it may run any operation in production mode.
   */
  isTrustedClient: (token: unknown) => boolean;
  /**
   * Queries over the socket (for @defer's incremental delivery there): `admit` applies what
   * HTTP requests pass through (rate limit, query cost) and throws a GraphQLError to refuse;
   * `run` yields the first answer and then each deferred payload.
   */
  queries: {
    admit(planned: PlannedQuery, caller: GatewayContext): Promise<void>;
    run(planned: PlannedQuery, caller: GatewayContext): AsyncIterable<ExecutionResult>;
  };
}

export interface SubscriptionServer {
  /** Ends every connection of a revoked session on this instance with 4401, at once. */
  endSession(sessionId: string): void;
  /**
   * Plans new subscriptions with `planner` (a new supergraph) and ends the running ones with a
   * SUBSCRIPTION_SCHEMA_RELOAD error: their plans belong to the old schema. Clients subscribe
   * again.
   */
  replacePlanner(planner: SubscriptionPlanner): void;
  /** Open WebSocket connections (for /metrics). */
  connections(): number;
  close(): Promise<void>;
}

interface Connection {
  identity: Identity;
  sessionId: string;
  timers: NodeJS.Timeout[];
  /** Set once the session is known to be over: no new subscription starts on it. */
  revoked: boolean;
  /** Connected with a trusted client's token (TRUSTED_CLIENT_TOKENS). */
  trustedClient: boolean;
}

/**
 * Errors an onSubscribe hook returns must be graphql-ws's own graphql-js instance (it checks with
 * instanceof; the CommonJS build, see graphql-cjs.ts), whichever instance made them.
 */
const forGraphqlWs = (error: GraphQLError) =>
  new graphqlJs.GraphQLError(error.message, { extensions: error.extensions });

/**
 * graphql-ws on the gateway's HTTP server and `/graphql` path. `connection_init` must carry
 * `{ authorization: "Bearer <access token>" }`, checked like the HTTP path (signature, expiry,
 * ended sessions); anything else is refused. Connections end with 4401 when the token expires
 * or the session ends: at once when the revocation is announced (endSession), else at the next
 * periodic check. Bounded by SubscriptionLimits: connections per client address (HTTP 429 at the
 * upgrade) and per user (closed with 4429), subscriptions per connection (an error for the one
 * over), message size (closed with 1009).
 */
export function serveSubscriptions(options: SubscriptionServerOptions): SubscriptionServer {
  const { logger, shared, limits } = options;
  let planner = options.planner;
  /** Every client subscription running now. */
  const running = new Set<BoundedQueue>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes });
  const onUpgrade = upgradeHandler({
    path: '/graphql',
    max: limits.connectionsPerAddress,
    addressOf: options.addressOf,
    upgrade: (req, socket, head) =>
      wss.handleUpgrade(req, socket, head, (ws) => {
        wss.emit('connection', ws, req);
        // graphql-ws writes every socket error to the console and closes with 4500. ws closes
        // the socket itself, with the right code (1009 for a message over maxPayload, 1002 for
        // a protocol error), so such a client error is only worth a debug line here.
        ws.removeAllListeners('error');
        ws.on('error', (error) => logger.debug({ err: error }, 'WebSocket client error'));
      }),
  });
  options.server.on('upgrade', onUpgrade);
  const perUser = new ConnectionCounter(limits.connectionsPerUser);
  const connections = new WeakMap<object, Connection>();
  const bySession = new Map<string, Set<WebSocket>>();
  const plans = new WeakMap<object, PlannedSubscription>();
  const queries = new WeakMap<object, PlannedQuery>();

  const endConnection = (socket: WebSocket, reason: string) => {
    const connection = connections.get(socket);
    if (connection) connection.revoked = true;
    socket.close(CLOSE_UNAUTHORIZED, reason);
  };
  const endSession = (sessionId: string) => {
    for (const socket of bySession.get(sessionId) ?? []) endConnection(socket, 'Session has ended');
  };

  const disposable = useServer<Record<string, unknown> | undefined>(
    {
      schema: () => planner.schema,
      onConnect: async (ctx) => {
        const header = ctx.connectionParams?.authorization;
        const token = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
        if (!token) return false;
        let claims;
        try {
          claims = await options.verifier.verify(token);
        } catch (error) {
          if (error instanceof AccessTokenError) return false;
          throw error;
        }
        if (await isSessionRevoked(options.redis, claims.sessionId)) return false;
        const socket = ctx.extra.socket;
        // Closed while the token was checked: onClose has run already, so count nothing.
        if (socket.readyState !== socket.OPEN) return false;
        if (!perUser.acquire(claims.userId)) {
          // graphql-ws then closes with 4403 too; the first close code is the one sent.
          socket.close(CLOSE_TOO_MANY_CONNECTIONS, 'Too many connections for this user');
          return false;
        }
        const expiresInMs = claims.expiresAt * 1000 - Date.now();
        const connection: Connection = {
          identity: { userId: claims.userId, role: claims.role, sessionId: claims.sessionId },
          sessionId: claims.sessionId,
          revoked: false,
          trustedClient: options.isTrustedClient(
            ctx.connectionParams?.[TRUSTED_CLIENT_HEADER] ??
              ctx.extra.request.headers[TRUSTED_CLIENT_HEADER],
          ),
          timers: [
            setTimeout(
              () => endConnection(socket, 'Access token expired'),
              Math.max(0, expiresInMs),
            ),
            setInterval(() => {
              isSessionRevoked(options.redis, claims.sessionId).then(
                (revoked) => revoked && endConnection(socket, 'Session has ended'),
                (error: unknown) => logger.warn({ err: error }, 'session check failed'),
              );
            }, options.sessionCheckMs),
          ],
        };
        for (const timer of connection.timers) timer.unref();
        connections.set(socket, connection);
        let sockets = bySession.get(claims.sessionId);
        if (!sockets) bySession.set(claims.sessionId, (sockets = new Set()));
        sockets.add(socket);
        return true;
      },
      onClose: (ctx) => {
        const socket = ctx.extra.socket;
        const connection = connections.get(socket);
        if (!connection) return;
        connections.delete(socket);
        for (const timer of connection.timers) clearTimeout(timer);
        perUser.release(connection.identity.userId);
        const sockets = bySession.get(connection.sessionId);
        sockets?.delete(socket);
        if (sockets?.size === 0) bySession.delete(connection.sessionId);
      },
      onSubscribe: async (ctx, _id, payload) => {
        const argsOf = (document: DocumentNode, contextValue: unknown) => ({
          schema: planner.schema,
          document,
          operationName: payload.operationName ?? null,
          variableValues: payload.variables ?? {},
          contextValue,
        });
        const socket = ctx.extra.socket;
        const connection = connections.get(socket);
        // A revocation announcement this instance missed is caught here, before any work.
        if (
          connection &&
          (connection.revoked || (await isSessionRevoked(options.redis, connection.sessionId)))
        ) {
          endConnection(socket, 'Session has ended');
          return [
            new graphqlJs.GraphQLError('Session has ended; sign in again', {
              extensions: { code: 'UNAUTHENTICATED' },
            }),
          ];
        }
        // graphql-ws lists this subscription already (as null until it runs).
        if (Object.keys(ctx.subscriptions).length > limits.subscriptionsPerConnection)
          return [
            new graphqlJs.GraphQLError(
              `Too many subscriptions on this connection: at most ${limits.subscriptionsPerConnection} at once; complete one first`,
              {
                extensions: {
                  code: 'BAD_USER_INPUT',
                  reason: 'TOO_MANY_SUBSCRIPTIONS',
                  max: limits.subscriptionsPerConnection,
                },
              },
            ),
          ];
        if (
          options.trusted &&
          !options.trusted.allows(
            { text: payload.query },
            connection?.identity ?? null,
            connection?.trustedClient ?? false,
          )
        )
          return [forGraphqlWs(untrustedOperation())];
        const planned = planner.plan(payload.query, payload.operationName, payload.variables);
        if (!('document' in planned)) return planned;
        const unstorable = findUnstorableText(planned.document, payload.variables);
        if (unstorable) return [forGraphqlWs(unstorableTextError(unstorable))];
        if ('kind' in planned) {
          const caller: GatewayContext = {
            identity: connection?.identity ?? null,
            clientAddress: options.addressOf(ctx.extra.request),
          };
          try {
            await options.queries.admit(planned, caller);
          } catch (error) {
            if (error instanceof graphqlJs.GraphQLError || error instanceof GraphQLError)
              return [forGraphqlWs(error)];
            throw error;
          }
          const args = argsOf(planned.document, caller);
          queries.set(args, planned);
          return args;
        }
        const args = argsOf(planned.document, connection);
        plans.set(args, planned);
        return args;
      },
      subscribe: (args) => {
        const planned = plans.get(args);
        const connection = args.contextValue as Connection | undefined;
        if (!planned || !connection) {
          return {
            errors: [
              new GraphQLError('Not signed in', { extensions: { code: 'UNAUTHENTICATED' } }),
            ],
          };
        }
        const queue = new BoundedQueue(options.queueLimit);
        const unwatch = shared.watch(planned, connection.identity, queue);
        queue.detach = () => {
          unwatch();
          running.delete(queue);
        };
        running.add(queue);
        return queue;
      },
      execute: (args) => {
        const planned = queries.get(args);
        if (!planned) return { errors: [new GraphQLError('Send mutations over HTTP')] };
        return options.queries.run(planned, args.contextValue as GatewayContext);
      },
      onNext: (_ctx, _id, _payload, _args, result) => {
        if (!result.errors?.length) return;
        return {
          ...result,
          errors: result.errors.map((error) =>
            maskError(
              typeof (error as GraphQLError).toJSON === 'function'
                ? (error as GraphQLError).toJSON()
                : (error as never),
              error,
              (original) => logger.error({ err: original }, 'subscription error'),
            ),
          ),
        };
      },
      onError: (_ctx, _id, _payload, errors) =>
        errors.map((error) =>
          maskError(error.toJSON(), error, (original) =>
            logger.error({ err: original }, 'subscription refused'),
          ),
        ),
    },
    wss,
    options.keepAliveMs,
  );
  const replacePlanner = (next: SubscriptionPlanner) => {
    planner = next;
    for (const queue of [...running]) {
      queue.push({
        errors: [
          new GraphQLError('The schema was reloaded: subscribe again', {
            extensions: { code: 'SUBSCRIPTION_SCHEMA_RELOAD' },
          }),
        ],
      });
      queue.detach();
      queue.end();
    }
  };
  return {
    endSession,
    replacePlanner,
    connections: () => wss.clients.size,
    close: async () => {
      options.server.off('upgrade', onUpgrade);
      for (const client of wss.clients) client.close(1001, 'Going away');
      // Closes the WebSocket server too.
      await disposable.dispose();
    },
  };
}
