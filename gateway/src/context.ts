import type { Identity } from '@shop/auth';

export interface GatewayContext {
  identity: Identity | null;
}
