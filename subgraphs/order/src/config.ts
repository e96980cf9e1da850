import { int, loadConfig, url } from '@shop/config';
import { subgraphSettings } from '@shop/subgraph-kit';

export const orderSettings = {
  ...subgraphSettings(4004),
  DATABASE_URL: url(['postgres', 'postgresql']),
  /** The catalog subgraph: current names, prices and stock for an order's price snapshot. */
  CATALOG_URL: url(['http', 'https'], 'http://127.0.0.1:4001/graphql'),
  /** The cart subgraph: the lines an order is placed from, read on the user's behalf. */
  CART_URL: url(['http', 'https'], 'http://127.0.0.1:4003/graphql'),
  /** The user subgraph: an admin's order list filtered by a customer's e-mail address. */
  USER_URL: url(['http', 'https'], 'http://127.0.0.1:4002/graphql'),
  /** Deadline of each call to the catalog, the cart or the user service. */
  PEER_TIMEOUT_MS: int({ default: 3000, min: 50, max: 60_000 }),
  /**
   * placeOrder admission: placements running at once (below the 10 database connections, so
   * reads and cancels still get one) and placements waiting; beyond both, RATE_LIMITED at once.
   */
  PLACE_ORDER_CONCURRENCY: int({ default: 8, min: 1, max: 1000 }),
  PLACE_ORDER_QUEUE: int({ default: 32, min: 0, max: 100_000 }),
  /** Returns: days after delivery during which a customer may ask to send units back. */
  RETURN_WINDOW_DAYS: int({ default: 30, min: 0, max: 3650 }),
};

export type OrderConfig = ReturnType<typeof loadOrderConfig>;
export const loadOrderConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig(orderSettings, env);
