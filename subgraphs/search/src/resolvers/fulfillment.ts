import { checkLastDays, deliveryTimes, returnRates, windowStart } from '@shop/analytics';
import { badUserInput, pageSize, requireRole } from '@shop/subgraph-kit';
import type { SearchContext } from '../context.ts';
import type { QueryResolvers } from '../generated/resolvers-types.ts';

/** Fulfilment analytics for admins: delivery times and return rates. */
export const fulfillmentQueries: Pick<
  QueryResolvers<SearchContext>,
  'deliveryTimes' | 'returnRates'
> = {
  deliveryTimes: async (_, args, ctx) => {
    requireRole(ctx, 'ADMIN');
    // An explicit null asks for the default, as `first: null` does for lists.
    const days = checkLastDays(args.days ?? 30);
    if (!days.ok) throw badUserInput(days.message, 'days');
    return deliveryTimes(ctx.analytics, days.since);
  },
  returnRates: async (_, args, ctx) => {
    requireRole(ctx, 'ADMIN');
    const limit = pageSize(args.first, 20);
    const rates = await returnRates(ctx.analytics, { since: windowStart(args.window), limit });
    return rates.map((r) => ({
      product: { id: r.productId },
      unitsSold: r.unitsSold,
      unitsReturned: r.unitsReturned,
      rate: r.rate,
    }));
  },
};
