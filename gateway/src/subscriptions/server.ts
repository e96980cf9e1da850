import type http from 'node:http';
import { GraphQLError, type ExecutionResult } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import {
  AccessTokenError,
  isSessionRevoked,
  type AccessTokenVerifier,
  type Identity,
} from '@shop/auth';
import type { Logger } from '@shop/logging';
import type { Redis } from '@shop/redis';
import { maskError } from '@shop/subgraph-kit';
import type { PlannedSubscription, SubscriptionPlanner } from './planner.ts';
import type { SharedSubscriptions, Watcher } from './shared-subscriptions.ts';

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
  /** How often a connection's session is checked against logout / refresh reuse. */
  sessionCheckMs: number;
}

interface Connection {
  identity: Identity;
  sessionId: string;
  timers: NodeJS.Timeout[];
}

/**
 * A client subscription's queue: bounded, and since every event is the order's whole state, a
 * client that falls behind loses the oldest results and gets the latest (it skips ahead).
 */
class BoundedQueue implements Watcher, AsyncIterableIterator<ExecutionResult> {
  private readonly items: ExecutionResult[] = [];
  private waiting: ((result: IteratorResult<ExecutionResult>) => void) | undefined;
  private ended = false;
  skipped = 0;
  detach: () => void = () => {};

  constructor(private readonly limit: number) {}

  push(result: ExecutionResult): void {
    if (this.ended) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ done: false, value: result });
      return;
    }
    this.items.push(result);
    if (this.items.length > this.limit) {
      this.items.shift();
      this.skipped++;
    }
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.items.length === 0 && this.waiting) {
      this.waiting({ done: true, value: undefined });
      this.waiting = undefined;
    }
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    const item = this.items.shift();
    if (item) return Promise.resolve({ done: false, value: item });
    if (this.ended) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<ExecutionResult>> {
    this.detach();
    this.ended = true;
    this.items.length = 0;
    this.waiting?.({ done: true, value: undefined });
    this.waiting = undefined;
    return Promise.resolve({ done: true, value: undefined });
  }
}

/**
 * graphql-ws on the gateway's HTTP server and `/graphql` path. `connection_init` must carry
 * `{ authorization: "Bearer <access token>" }`, checked like the HTTP path (signature, expiry,
 * ended sessions); anything else is refused. Connections end with 4401 when the token expires
 * or the session ends (logout), checked every `sessionCheckMs`.
 */
export function serveSubscriptions(options: SubscriptionServerOptions): () => Promise<void> {
  const { logger, planner, shared } = options;
  const wss = new WebSocketServer({ server: options.server, path: '/graphql' });
  const connections = new WeakMap<object, Connection>();
  const plans = new WeakMap<object, PlannedSubscription>();

  const endConnection = (socket: { close(code: number, reason: string): void }, reason: string) =>
    socket.close(CLOSE_UNAUTHORIZED, reason);

  const disposable = useServer<Record<string, unknown> | undefined>(
    {
      schema: planner.schema,
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
        const expiresInMs = claims.expiresAt * 1000 - Date.now();
        const connection: Connection = {
          identity: { userId: claims.userId, role: claims.role, sessionId: claims.sessionId },
          sessionId: claims.sessionId,
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
        return true;
      },
      onClose: (ctx) => {
        const connection = connections.get(ctx.extra.socket);
        for (const timer of connection?.timers ?? []) clearTimeout(timer);
      },
      onSubscribe: (ctx, _id, payload) => {
        const planned = planner.plan(payload.query, payload.operationName, payload.variables);
        if (!('key' in planned)) return planned;
        const args = {
          schema: planner.schema,
          document: planned.document,
          operationName: payload.operationName ?? null,
          variableValues: payload.variables ?? {},
          contextValue: connections.get(ctx.extra.socket),
        };
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
        queue.detach = shared.watch(planned, connection.identity, queue);
        return queue;
      },
      execute: () => ({
        errors: [new GraphQLError('Send queries and mutations over HTTP')],
      }),
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
  return async () => {
    for (const client of wss.clients) client.close(1001, 'Going away');
    // Closes the WebSocket server too.
    await disposable.dispose();
  };
}
