import type { Identity } from '@shop/auth';
import type { IncrementalChannel } from './executor/incremental.ts';

export interface GatewayContext {
  identity: Identity | null;
  /** The client's IP as the gateway determined it (see clientAddress), for per-client limits. */
  clientAddress: string | null;
  /** Set when the client reads incremental answers (multipart HTTP, graphql-ws): @defer applies. */
  incremental?: IncrementalChannel;
}
