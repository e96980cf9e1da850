import type { Identity } from '@shop/auth';
import type { IncrementalChannel } from './executor/incremental.ts';

export interface GatewayContext {
  identity: Identity | null;
  /** The client's IP as the gateway determined it (see clientAddress), for per-client limits. */
  clientAddress: string | null;
  /** Set when the client reads incremental answers (multipart HTTP, graphql-ws): @defer applies. */
  incremental?: IncrementalChannel;
  /**
   * Set for requests over HTTP: the edge sampled the request or left it out before anything
   * ran (packages/tracing, incoming-sampling.ts), so its execution continues that trace and
   * never starts one of its own. A left-out request that started a trace at execution would be
   * sampled a second time by the same ratio (twice as many traces, none with its HTTP span).
   */
  httpRequest?: true;
}
