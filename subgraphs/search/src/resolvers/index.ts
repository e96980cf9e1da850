import { searchProducts } from '@shop/search-client';
import { badUserInput, decodeCursor, encodeCursor, pageSize } from '@shop/subgraph-kit';
import type { SearchContext } from '../context.ts';
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

export const resolvers: Resolvers = {
  Query: {
    searchProducts: async (
      _: unknown,
      args: { query: string; first?: number | null; after?: string | null },
      ctx: SearchContext,
    ) => {
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
      const page = await searchProducts(ctx.search, ctx.indexPrefix, {
        query: normalized.query,
        size,
        from,
      });
      const end = from + page.hits.length;
      return {
        totalCount: page.totalCount,
        hits: page.hits.map((hit) => ({
          product: { __typename: 'Product', id: hit.id },
          score: hit.score,
          highlights: hit.highlights,
        })),
        pageInfo: {
          hasNextPage: end < page.totalCount,
          endCursor: page.hits.length ? encodeCursor([end]) : null,
        },
      };
    },
  },
};
