import { SpanKind, trace } from '@opentelemetry/api';
import { GraphQLError, type ExecutionResult } from 'graphql';
import { contextFromCarrier, inSampledSpan } from '@shop/tracing';
import type { Identity } from '@shop/auth';
import type { Logger } from '@shop/logging';
import type { GatewayContext } from '../context.ts';
import type { PlannedSubscription } from './planner.ts';
import type { UpstreamClients } from './upstream.ts';

/** Receives the results of one shared stream (a client subscription's bounded queue). */
export interface Watcher {
  push(result: ExecutionResult): void;
  end(): void;
}

const tracer = trace.getTracer('@shop/gateway/subscriptions');

/** Upstream events waiting for their rest fetch; beyond this the oldest are skipped. */
const MAX_PENDING_EVENTS = 32;

interface Stream {
  watchers: Set<Watcher>;
  /** The last result sent, given at once to a watcher that joins later (the current state). */
  last: ExecutionResult | undefined;
  pending: ExecutionResult[];
  draining: boolean;
  ended: boolean;
  stop: () => void;
}

export interface SharedSubscriptionStats {
  /** Upstream subscriptions open now (one per distinct operation, variables and scope). */
  upstreams: number;
  /** Upstream subscriptions opened since start. */
  upstreamsStarted: number;
  /** Client subscriptions attached now. */
  watchers: number;
  /** Rest fetches (per-event plan executions) since start. */
  eventsResolved: number;
  /** Events handed to client subscriptions since start (one per watcher and event). */
  deliveries: number;
}

/**
 * Identical subscriptions (same operation, variables and identity scope) share one upstream
 * subscription and one rest fetch per event: N watchers of one order cost one stream. Events
 * of a stream are resolved one after another, so every watcher sees them in order.
 */
export class SharedSubscriptions {
  private readonly streams = new Map<string, Stream>();
  readonly stats: SharedSubscriptionStats = {
    upstreams: 0,
    upstreamsStarted: 0,
    watchers: 0,
    eventsResolved: 0,
    deliveries: 0,
  };

  constructor(
    private readonly upstream: UpstreamClients,
    private readonly subgraphUrl: (name: string) => string | undefined,
    private readonly logger: Logger,
  ) {}

  /** Attaches `watcher`; returns the detach function (the last one closes the upstream). */
  watch(planned: PlannedSubscription, identity: Identity, watcher: Watcher): () => void {
    const scope = `${identity.userId}\0${identity.role}`;
    const key = `${planned.key}\0${scope}`;
    const existing = this.streams.get(key);
    if (existing?.last) watcher.push(existing.last);
    const stream = existing ?? this.create(key);
    stream.watchers.add(watcher);
    this.stats.watchers++;
    // Started once the watcher is attached: a stream that fails as it opens (no URL for its
    // subgraph, an upstream that throws) ends its watchers, and this one must be among them.
    if (!existing) this.start(key, stream, planned, identity);
    return () => {
      if (!stream.watchers.delete(watcher)) return;
      this.stats.watchers--;
      if (stream.watchers.size === 0) this.close(key, stream);
    };
  }

  private create(key: string): Stream {
    const stream: Stream = {
      watchers: new Set(),
      last: undefined,
      pending: [],
      draining: false,
      ended: false,
      stop: () => {},
    };
    this.streams.set(key, stream);
    this.stats.upstreams++;
    this.stats.upstreamsStarted++;
    return stream;
  }

  private start(key: string, stream: Stream, planned: PlannedSubscription, identity: Identity) {
    const context: GatewayContext = { identity, clientAddress: null };
    const url = this.subgraphUrl(planned.primary.serviceName);
    if (!url) {
      this.fail(key, stream, `no subgraph ${planned.primary.serviceName}`);
      return;
    }
    const enqueue = (event: ExecutionResult) => {
      if (stream.ended) return;
      stream.pending.push(event);
      if (stream.pending.length > MAX_PENDING_EVENTS) stream.pending.shift();
      void this.drain(stream, planned, context);
    };
    try {
      stream.stop = this.upstream.subscribe(
        url,
        identity,
        { query: planned.primary.operation, variables: planned.primaryVariables },
        {
          next: enqueue,
          error: (message) => {
            enqueue({
              errors: [
                new GraphQLError(message, { extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
              ],
            });
            this.endAfterDrain(key, stream, planned, context);
          },
          complete: () => this.endAfterDrain(key, stream, planned, context),
        },
      );
    } catch (error) {
      this.fail(key, stream, `upstream subscribe failed: ${(error as Error).message}`);
    }
  }

  private async drain(stream: Stream, planned: PlannedSubscription, context: GatewayContext) {
    if (stream.draining) return;
    stream.draining = true;
    try {
      for (let event = stream.pending.shift(); event; event = stream.pending.shift())
        await this.push(stream, planned, context, event);
    } finally {
      stream.draining = false;
    }
  }

  /**
   * Resolves one upstream event and hands it to every watcher, in a span: a child of the trace
   * the subgraph sent with the event (the change that caused it, from the order placed through
   * the saga step) when that trace is sampled; with no span otherwise (a push continues a trace,
   * never starts one).
   */
  private push(
    stream: Stream,
    planned: PlannedSubscription,
    context: GatewayContext,
    event: ExecutionResult,
  ): Promise<void> {
    return inSampledSpan(
      tracer,
      `subscription push ${planned.primary.serviceName}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: { 'subscription.watchers': stream.watchers.size },
      },
      async () => {
        let result: ExecutionResult;
        if (event.data === null || event.data === undefined) {
          result = { errors: event.errors ?? [] };
        } else {
          try {
            result = await planned.resolve(event, context);
            this.stats.eventsResolved++;
          } catch (error) {
            this.logger.error({ err: error }, 'subscription event failed');
            result = {
              errors: [
                new GraphQLError('Unexpected error', {
                  extensions: { code: 'INTERNAL_SERVER_ERROR' },
                }),
              ],
            };
          }
        }
        stream.last = result;
        for (const watcher of stream.watchers) watcher.push(result);
        this.stats.deliveries += stream.watchers.size;
      },
      contextFromCarrier(event.extensions),
    );
  }

  /** Upstream completed: send what is pending, then end every watcher. */
  private endAfterDrain(
    key: string,
    stream: Stream,
    planned: PlannedSubscription,
    context: GatewayContext,
  ) {
    void (async () => {
      while (stream.draining || stream.pending.length) {
        await this.drain(stream, planned, context);
        await new Promise((resolve) => setImmediate(resolve));
      }
      this.fail(key, stream);
    })();
  }

  private fail(key: string, stream: Stream, reason?: string) {
    if (reason) this.logger.error({ reason }, 'subscription stream failed');
    if (stream.ended) return;
    stream.ended = true;
    if (this.streams.get(key) === stream) this.streams.delete(key);
    this.stats.upstreams--;
    for (const watcher of stream.watchers) watcher.end();
    this.stats.watchers -= stream.watchers.size;
    stream.watchers.clear();
  }

  private close(key: string, stream: Stream) {
    if (stream.ended) return;
    stream.ended = true;
    this.streams.delete(key);
    this.stats.upstreams--;
    stream.stop();
  }
}
