import { searchProducts, searchReviews, searchSellers } from '@shop/search-client';
import {
  badUserInput,
  decodeCursor,
  encodeCursor,
  fromCents,
  pageSize,
  parseId,
  parseProductFilter,
  requireRole,
} from '@shop/subgraph-kit';
import { checkDayRange, popularProducts, revenueByDay, windowStart } from '@shop/analytics';
import type { SearchContext } from '../context.ts';
import { statsOf } from '../data/product-stats.ts';
import { fulfillmentQueries } from './fulfillment.ts';
import { MAX_QUERY_LENGTH, MAX_RESULT_WINDOW, normalizeQuery } from '../domain/search-query.ts';
import type { Resolvers } from '../generated/resolvers-types.ts';

function offsetFrom(after: string | null | undefined): number {
  const parts = decodeCursor(after, 1);
  if (!parts) return 0;
  const offset = parts[0];
  if (
    typeof offset !== 'number' ||
    !Number.isInteger(offset) ||
    offset < 0 ||
    offset > MAX_RESULT_WINDOW
  )
    throw badUserInput('after is not a valid cursor', 'after');
  return offset;
}

/** Validated query text and page window, shared by the three searches. */
function searchArgs(args: { query: string; first?: number | null; after?: string | null }) {
  const normalized = normalizeQuery(args.query);
  if (!normalized.ok)
    throw badUserInput(
      normalized.problem === 'empty'
        ? 'query must not be empty'
        : `query must be at most ${MAX_QUERY_LENGTH} characters`,
      'query',
    );
  const size = pageSize(args.first);
  const from = offsetFrom(args.after);
  if (from + size > MAX_RESULT_WINDOW)
    throw badUserInput('results past 10,000 cannot be paged; refine the query', 'after');
  return { query: normalized.query, size, from };
}

function pageInfo(from: number, returned: number, totalCount: number) {
  const end = from + returned;
  return { hasNextPage: end < totalCount, endCursor: returned ? encodeCursor([end]) : null };
}

export const resolvers: Resolvers<SearchContext> = {
  Product: {
    __resolveReference: (ref) => ({ id: ref.id }),
    stats: async (product, args, ctx) => ({
      window: args.window,
      ...(await ctx.productStats(args.window).load(product.id)),
    }),
  },
  Query: {
    ...fulfillmentQueries,
    searchProducts: async (_, args, ctx) => {
      const window = searchArgs(args);
      const filter = parseProductFilter(args.filter);
      const page = await searchProducts(ctx.search, ctx.indexPrefix, {
        ...window,
        filter,
      });
      return {
        totalCount: page.totalCount,
        hits: page.hits.map((hit) => ({
          product: { __typename: 'Product', id: hit.id },
          score: hit.score,
          highlights: hit.highlights,
        })),
        facets: {
          categories: page.categoryFacets.map((f) => ({
            category: { __typename: 'Category', id: f.categoryId },
            count: f.count,
          })),
          priceRanges: page.priceFacets,
        },
        pageInfo: pageInfo(window.from, page.hits.length, page.totalCount),
      };
    },
    searchSellers: async (_, args, ctx) => {
      const window = searchArgs(args);
      const page = await searchSellers(ctx.search, ctx.indexPrefix, window);
      return {
        totalCount: page.totalCount,
        hits: page.hits.map((hit) => ({
          seller: { __typename: 'Seller', id: hit.id },
          score: hit.score,
          highlights: hit.highlights,
        })),
        pageInfo: pageInfo(window.from, page.hits.length, page.totalCount),
      };
    },
    popularProducts: async (_, args, ctx) => {
      const limit = pageSize(args.first, 10);
      const by = args.by === 'SALES' ? 'sales' : 'views';
      const since = windowStart(args.window);
      const top = await popularProducts(ctx.analytics, { by, since, limit });
      return top.map((p) => ({ product: { id: p.productId }, ...statsOf(p) }));
    },
    revenueByDay: async (_, args, ctx) => {
      requireRole(ctx, 'ADMIN');
      const range = checkDayRange(args.from, args.to);
      if (!range.ok) throw badUserInput(range.message, range.field);
      const days = await revenueByDay(ctx.analytics, range);
      return days.map((d) => {
        const money = (cents: bigint) => fromCents(cents, d.currency);
        return {
          day: d.day,
          orders: d.orders,
          cancelledOrders: d.cancelledOrders,
          revenue: money(d.revenue),
          revenueExTax: money(d.revenueExTax),
          subtotal: money(d.subtotal),
          discounts: money(d.discounts),
          shipping: money(d.shipping),
          tax: money(d.tax),
        };
      });
    },
    searchReviews: async (_, args, ctx) => {
      const window = searchArgs(args);
      const productId = args.productId != null ? parseId(args.productId, 'productId') : undefined;
      if (
        args.minRating != null &&
        (!Number.isInteger(args.minRating) || args.minRating < 1 || args.minRating > 5)
      )
        throw badUserInput('minRating must be a whole number from 1 to 5', 'minRating');
      const page = await searchReviews(ctx.search, ctx.indexPrefix, {
        ...window,
        productId,
        minRating: args.minRating ?? undefined,
      });
      return {
        totalCount: page.totalCount,
        hits: page.hits.map((hit) => ({
          review: { __typename: 'Review', id: hit.id },
          score: hit.score,
          highlights: hit.highlights,
        })),
        pageInfo: pageInfo(window.from, page.hits.length, page.totalCount),
      };
    },
  },
};
