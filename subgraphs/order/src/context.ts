import type DataLoader from 'dataloader';
import type { PrismaClient } from '@shop/prisma/order';
import type pg from 'pg';
import type { SubgraphClient } from '@shop/subgraph-client';
import type { OrderFunnel } from '@shop/observability';
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
  /** The user service, called on an admin's behalf (a customer's id from their e-mail). */
  user: SubgraphClient;
  /** Per request: catalog products by id (pricing facts), one `_entities` call per tick. */
  products: DataLoader<string, PricingFacts | null>;
  /** Live order tracking: announces committed changes, feeds subscriptions (Redis pub/sub). */
  orderUpdates: OrderUpdates;
  /** Bounds the placements in progress: an overloaded service refuses early (RATE_LIMITED). */
  placements: Admission;
  /** Days after delivery during which a return may be asked for (RETURN_WINDOW_DAYS). */
  returnWindowDays: number;
  /** The order funnel's counts this service makes (placed, cancelled by hand). */
  funnel: OrderFunnel;
  /**
   * Set by `orders` when a seller lists: the ids of their products. Order.items then shows a
   * seller only these lines of other people's orders (order-management.ts).
   */
  sellerProducts?: ReadonlySet<string>;
}
