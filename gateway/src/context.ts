import type { Identity } from '@shop/auth';

export interface GatewayContext {
  identity: Identity | null;
  /** The client's IP as the gateway determined it (see clientAddress), for per-client limits. */
  clientAddress: string | null;
}
