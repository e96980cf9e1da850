import { Counter, Gauge, type Registry } from 'prom-client';
import type http from 'node:http';
import type { TrustedDocuments } from '../trusted-documents.ts';
import { listenForSessionRevocations, type AccessTokenVerifier } from '@shop/auth';
import type { Logger } from '@shop/logging';
import type { Redis } from '@shop/redis';
import type { ValidationRule } from 'graphql';
import { SubscriptionPlanner } from './planner.ts';
import type { SubgraphSenderOptions } from '../executor/subgraph-sender.ts';
import type { SupergraphRuntime } from '../executor/supergraph-runtime.ts';
import type { SubscriptionLimits } from './connection-limits.ts';
import { serveSubscriptions, type SubscriptionServerOptions } from './server.ts';
import { SharedSubscriptions } from './shared-subscriptions.ts';
import { UpstreamClients, type UpstreamStats } from './upstream.ts';

export { SubscriptionPlanner } from './planner.ts';
export { SharedSubscriptions } from './shared-subscriptions.ts';
export { UpstreamClients } from './upstream.ts';
export { CLOSE_UNAUTHORIZED } from './server.ts';
export { CLOSE_TOO_MANY_CONNECTIONS, type SubscriptionLimits } from './connection-limits.ts';

export interface GatewaySubscriptionsOptions {
  server: http.Server;
  /** The supergraph subscriptions are planned on, and its subgraphs' URLs. */
  runtime: SupergraphRuntime;
  /** How the rest plan's fetches reach subgraphs (the gateway's own, with identity headers). */
  sender: SubgraphSenderOptions;
  validationRules: ValidationRule[];
  verifier: AccessTokenVerifier;
  redis: Redis;
  logger: Logger;
  internalAuthSecret: string;
  keepAliveMs: number;
  queueLimit: number;
  sessionCheckMs: number;
  limits: SubscriptionLimits;
  addressOf: (req: http.IncomingMessage) => string | null;
  /** Production mode: the operations anyone but an admin may subscribe with. */
  trusted?: TrustedDocuments;
  /** Queries over the socket: admitted and run as over HTTP (SubscriptionServerOptions). */
  queries: SubscriptionServerOptions['queries'];
  isTrustedClient: SubscriptionServerOptions['isTrustedClient'];
}

export interface GatewaySubscriptions {
  shared: SharedSubscriptions;
  /** The upstream graphql-ws clients and connections to subgraphs held now. */
  upstream(): UpstreamStats;
  /** Open client WebSocket connections. */
  connections(): number;
  /**
   * A new supergraph: subscriptions are planned on it and routed to its subgraphs from now on;
   * the running ones end with SUBSCRIPTION_SCHEMA_RELOAD.
   */
  reload(runtime: SupergraphRuntime): void;
  close(): Promise<void>;
}

/**
 * Subscriptions at the gateway (DESIGN.md): planning, upstream streams, sharing, the server, and
 * a Redis subscriber connection of its own that ends a revoked session's connections at once.
 * Resolves once that subscriber listens, so no revocation after start-up goes unheard.
 */
export async function startGatewaySubscriptions(
  options: GatewaySubscriptionsOptions,
): Promise<GatewaySubscriptions> {
  const logger = options.logger.child({ component: 'subscriptions' });
  const plannerFor = (runtime: SupergraphRuntime) =>
    new SubscriptionPlanner(runtime, options.sender, options.validationRules, logger);
  const planner = plannerFor(options.runtime);
  let urls = options.runtime.urls;
  const upstream = new UpstreamClients(options.internalAuthSecret, options.keepAliveMs);
  const shared = new SharedSubscriptions(upstream, (name) => urls.get(name), logger);
  const server = serveSubscriptions({
    server: options.server,
    planner,
    shared,
    verifier: options.verifier,
    redis: options.redis,
    logger,
    keepAliveMs: options.keepAliveMs,
    queueLimit: options.queueLimit,
    sessionCheckMs: options.sessionCheckMs,
    limits: options.limits,
    addressOf: options.addressOf,
    trusted: options.trusted,
    queries: options.queries,
    isTrustedClient: options.isTrustedClient,
  });
  const subscriber = options.redis.duplicate();
  let stopListening: () => Promise<void>;
  try {
    stopListening = await listenForSessionRevocations(subscriber, server.endSession);
  } catch (error) {
    subscriber.disconnect();
    await server.close();
    await upstream.close();
    throw error;
  }
  let closed: Promise<void> | undefined;
  return {
    shared,
    upstream: () => upstream.stats(),
    connections: server.connections,
    reload: (runtime) => {
      const next = plannerFor(runtime);
      urls = runtime.urls;
      server.replacePlanner(next);
    },
    close: () =>
      (closed ??= (async () => {
        await stopListening().catch(() => {});
        subscriber.disconnect();
        await server.close();
        await upstream.close();
      })()),
  };
}

/**
 * Live subscription figures on /metrics, read when scraped: what is open now as gauges, running
 * totals as counters (so `rate()` works and a restart shows as a reset).
 */
export function registerSubscriptionMetrics(
  registry: Registry,
  subscriptions: GatewaySubscriptions,
): void {
  const { stats } = subscriptions.shared;
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  const counter = (name: string, help: string, read: () => number) => {
    let exported = 0;
    return new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        const now = read();
        if (now > exported) this.inc(now - exported);
        exported = now;
      },
    });
  };
  gauge('gateway_subscription_upstreams', 'Upstream subscriptions open now', () => stats.upstreams);
  counter(
    'gateway_subscription_upstreams_started_total',
    'Upstream subscriptions opened since start',
    () => stats.upstreamsStarted,
  );
  gauge(
    'gateway_subscription_connections',
    'Client WebSocket connections open now',
    subscriptions.connections,
  );
  gauge(
    'gateway_subscription_upstream_clients',
    'Upstream subscription clients held (per subgraph and identity scope)',
    () => subscriptions.upstream().clients,
  );
  gauge(
    'gateway_subscription_upstream_connections',
    'Upstream WebSocket connections to subgraphs open now',
    () => subscriptions.upstream().connections,
  );
  gauge('gateway_subscription_watchers', 'Client subscriptions open now', () => stats.watchers);
  counter(
    'gateway_subscription_events_resolved_total',
    'Subscription events resolved (rest plan executed) since start',
    () => stats.eventsResolved,
  );
  counter(
    'gateway_subscription_deliveries_total',
    'Subscription events handed to client subscriptions since start',
    () => stats.deliveries,
  );
}
