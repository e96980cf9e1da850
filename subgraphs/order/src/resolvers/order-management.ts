/**
 * Order management (Query.orders): admins list every order, sellers the orders holding at least
 * one of their products and, in those, only their own lines. The order database knows neither
 * sellers nor e-mail addresses: the catalog says which products a seller user has, the user
 * service which user has an address, each asked once per list on the caller's behalf.
 */
import type { OrderItem } from '@shop/prisma/order';
import {
  badUserInput,
  DomainError,
  isId,
  pageSize,
  parseTimeIdCursor,
  requireIdentity,
  timeIdCursor,
  toConnection,
  type Connection,
} from '@shop/subgraph-kit';
import type { OrderContext } from '../context.ts';
import { listOrderPage } from '../data/order-list.ts';
import type { OrderWithItems } from '../data/orders.ts';
import { sellerProductIds, userIdByEmail } from '../data/peers.ts';
import { parseOrderFilter, type OrderFilterInput } from '../domain/order-filter.ts';

export async function listOrders(
  ctx: OrderContext,
  args: { filter?: OrderFilterInput | null; first?: number | null; after?: string | null },
): Promise<Connection<OrderWithItems>> {
  const identity = requireIdentity(ctx);
  if (identity.role !== 'ADMIN' && identity.role !== 'SELLER')
    throw new DomainError('FORBIDDEN', 'Only sellers and administrators may list orders');
  const filter = parseOrderFilter(args.filter);
  const limit = pageSize(args.first);
  const after = parseTimeIdCursor(args.after);
  if (after && !isId(after.id)) throw badUserInput('after is not a valid cursor', 'after');
  // E-mail addresses are private to their user and admins (the user service's rule): a seller
  // may not learn whether some address bought from them.
  if (filter.customerEmail !== null && identity.role !== 'ADMIN')
    throw new DomainError('FORBIDDEN', 'Only administrators may filter orders by customerEmail', {
      field: 'customerEmail',
    });
  const [userId, productIds] = await Promise.all([
    filter.customerEmail === null
      ? undefined
      : userIdByEmail(ctx.user, identity, filter.customerEmail),
    identity.role === 'SELLER' ? sellerProductIds(ctx.catalog, identity) : undefined,
  ]);
  // Before any order is handed out: Order.items reads it for every order of this request.
  if (productIds) ctx.sellerProducts = new Set(productIds);
  // Nobody with that address, or a seller without products: no order can match.
  if (userId === null || productIds?.length === 0)
    return toConnection<OrderWithItems>([], limit, 0, timeIdCursor);
  const page = await listOrderPage(ctx.db, {
    filter,
    userId: userId ?? null,
    productIds: productIds ?? null,
    limit,
    after,
  });
  return toConnection(page.rows, limit, page.totalCount, timeIdCursor);
}

/**
 * The lines of an order its viewer may see. A seller who listed orders sees only the lines of
 * their own products in other people's orders: that is the only way a seller reaches someone
 * else's order here (order(id) and entity lookups answer owners and admins only), and it holds
 * whichever field of the request the order came through. Owners and admins see every line.
 */
export function visibleLines(
  order: OrderWithItems,
  viewer: Pick<OrderContext, 'identity' | 'sellerProducts'>,
): OrderItem[] {
  const mine = sellerScope(order, viewer);
  return mine ? order.items.filter((item) => mine.has(item.productId)) : order.items;
}

/**
 * The products whose lines (and return lines) a seller viewer may see in `order`, or null when
 * the viewer sees the whole order (its owner, an admin, a request that set no seller scope).
 */
export function sellerScope(
  order: Pick<OrderWithItems, 'userId'>,
  viewer: Pick<OrderContext, 'identity' | 'sellerProducts'>,
): ReadonlySet<string> | null {
  const { identity, sellerProducts } = viewer;
  if (!sellerProducts || identity?.role !== 'SELLER' || order.userId === identity.userId)
    return null;
  return sellerProducts;
}
