import type DataLoader from 'dataloader';
import type { PrismaClient } from '@shop/prisma/order';
import type pg from 'pg';
import type { SubgraphClient } from '@shop/subgraph-client';
import type { Admission, BaseSubgraphContext } from '@shop/subgraph-kit';
import type { PricingFacts } from './domain/checkout-quote.ts';
import type { OrderUpdates } from './events/order-updates.ts';

export interface OrderContext extends BaseSubgraphContext {
  prisma: PrismaClient;
  /** The same database without the ORM, for the hot paths (placing an order). */
  db: pg.Pool;
  cart: SubgraphClient;
  /** The catalog, called on a user's behalf (who sells what, for fulfilment by sellers). */
  catalog: SubgraphClient;
  /** Per request: catalog products by id (pricing facts), one `_entities` call per tick. */
  products: DataLoader<string, PricingFacts | null>;
  /** Live order tracking: announces committed changes, feeds subscriptions (Redis pub/sub). */
  orderUpdates: OrderUpdates;
  /** Bounds the placements in progress: an overloaded service refuses early (RATE_LIMITED). */
  placements: Admission;
}
