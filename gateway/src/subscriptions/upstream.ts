import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { ExecutionResult } from 'graphql';
import { IDENTITY_HEADER, signIdentity, type Identity } from '@shop/auth';

export interface UpstreamSink {
  next(result: ExecutionResult): void;
  /** The stream failed (connection lost for good, protocol error) with a client-safe message. */
  error(message: string): void;
  complete(): void;
}

/** `http://host/graphql` -> `ws://host/graphql`. */
export const toWebSocketUrl = (url: string) => url.replace(/^http(s?):/, 'ws$1:');

/**
 * graphql-ws connections to subgraphs: one multiplexed connection per subgraph and identity
 * scope (user and role), opened on first use and closed shortly after its last subscription.
 * `connection_init` carries the same signed identity as the HTTP path's header, signed anew on
 * every (re)connect since a signature is valid for two minutes.
 */
export class UpstreamClients {
  private readonly clients = new Map<string, Client>();

  constructor(
    private readonly secret: string,
    private readonly keepAliveMs: number,
  ) {}

  subscribe(
    url: string,
    identity: Identity,
    request: { query: string; variables: Record<string, unknown> },
    sink: UpstreamSink,
  ): () => void {
    const scope = `${url}\0${identity.userId}\0${identity.role}`;
    let client = this.clients.get(scope);
    if (!client) {
      const signed = { userId: identity.userId, role: identity.role };
      client = createClient({
        url: toWebSocketUrl(url),
        webSocketImpl: WebSocket,
        lazy: true,
        lazyCloseTimeout: 1000,
        keepAlive: this.keepAliveMs,
        retryAttempts: 5,
        shouldRetry: () => true,
        connectionParams: () => ({ [IDENTITY_HEADER]: signIdentity(signed, this.secret) }),
      });
      this.clients.set(scope, client);
    }
    return client.subscribe<Record<string, unknown>>(request, {
      next: (result) => sink.next(result as ExecutionResult),
      error: (error) => {
        if (Array.isArray(error)) {
          // Subgraph errors (validation of the primary operation): passed on as a result.
          sink.next({ errors: error });
          sink.complete();
        } else sink.error('Live updates are unavailable; subscribe again');
      },
      complete: () => sink.complete(),
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((client) => client.dispose()));
    this.clients.clear();
  }
}
