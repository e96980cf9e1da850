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
 * How long a client outlives its last subscription: a user who reloads the tracking page
 * subscribes again at once and keeps the connection (no new handshake or connection_init).
 */
export const UPSTREAM_IDLE_CLOSE_MS = 1000;

export interface UpstreamStats {
  /** Clients held: one per subgraph and identity scope with a subscription or idle for a moment. */
  clients: number;
  /** Upstream WebSocket connections open now. */
  connections: number;
}

interface Entry {
  client: Client;
  /** Subscriptions on this client that have not ended yet. */
  subscriptions: number;
  /** Set while the client has no subscription: disposes it unless one starts first. */
  idle: NodeJS.Timeout | undefined;
}

/**
 * graphql-ws connections to subgraphs: one multiplexed connection per subgraph and identity
 * scope (user and role), opened on first use, and closed and dropped `idleCloseMs` after its
 * last subscription ends (every user who ever subscribed would otherwise keep a client here).
 * `connection_init` carries the same signed identity as the HTTP path's header, signed anew on
 * every (re)connect since a signature is valid for two minutes.
 */
export class UpstreamClients {
  private readonly entries = new Map<string, Entry>();
  private connections = 0;

  constructor(
    private readonly secret: string,
    private readonly keepAliveMs: number,
    private readonly idleCloseMs = UPSTREAM_IDLE_CLOSE_MS,
  ) {}

  stats(): UpstreamStats {
    return { clients: this.entries.size, connections: this.connections };
  }

  subscribe(
    url: string,
    identity: Identity,
    request: { query: string; variables: Record<string, unknown> },
    sink: UpstreamSink,
  ): () => void {
    const scope = `${url}\0${identity.userId}\0${identity.role}`;
    let entry = this.entries.get(scope);
    if (!entry) {
      entry = { client: this.createClient(url, identity), subscriptions: 0, idle: undefined };
      this.entries.set(scope, entry);
    }
    clearTimeout(entry.idle);
    entry.idle = undefined;
    entry.subscriptions++;
    const current = entry;
    // Exactly once per subscription, whichever comes first: the caller unsubscribes, the
    // subgraph completes it, or it fails (graphql-ws reports a completion after an unsubscribe).
    let ended = false;
    const release = () => {
      if (ended) return;
      ended = true;
      if (--current.subscriptions === 0) this.idle(scope, current);
    };
    const unsubscribe = current.client.subscribe<Record<string, unknown>>(request, {
      next: (result) => sink.next(result as ExecutionResult),
      error: (error) => {
        try {
          if (Array.isArray(error)) {
            // Subgraph errors (validation of the primary operation): passed on as a result.
            sink.next({ errors: error });
            sink.complete();
          } else sink.error('Live updates are unavailable; subscribe again');
        } finally {
          release();
        }
      },
      complete: () => {
        try {
          sink.complete();
        } finally {
          release();
        }
      },
    });
    return () => {
      unsubscribe();
      release();
    };
  }

  async close(): Promise<void> {
    const entries = [...this.entries.values()];
    this.entries.clear();
    for (const entry of entries) clearTimeout(entry.idle);
    // A client whose connection attempt failed rejects its dispose: it has nothing to close.
    await Promise.all(
      entries.map((entry) => Promise.resolve(entry.client.dispose()).catch(() => {})),
    );
  }

  private createClient(url: string, identity: Identity): Client {
    const signed = { userId: identity.userId, role: identity.role };
    // One socket at a time per client: `opened` and `closed` alternate for it.
    let open = false;
    return createClient({
      url: toWebSocketUrl(url),
      webSocketImpl: WebSocket,
      lazy: true,
      lazyCloseTimeout: this.idleCloseMs,
      keepAlive: this.keepAliveMs,
      retryAttempts: 5,
      shouldRetry: () => true,
      connectionParams: () => ({ [IDENTITY_HEADER]: signIdentity(signed, this.secret) }),
      on: {
        opened: () => {
          if (!open) this.connections++;
          open = true;
        },
        closed: () => {
          if (open) this.connections--;
          open = false;
        },
      },
    });
  }

  /** The last subscription ended: the client goes unless another starts within the delay. */
  private idle(scope: string, entry: Entry) {
    entry.idle = setTimeout(() => {
      if (entry.subscriptions > 0 || this.entries.get(scope) !== entry) return;
      this.entries.delete(scope);
      // Closes the socket if one is open; nothing waits for it, and a client whose connection
      // attempt failed (it rejects) has nothing to close.
      Promise.resolve(entry.client.dispose()).catch(() => {});
    }, this.idleCloseMs);
    // An idle client is nothing to keep the process alive for.
    entry.idle.unref();
  }
}
